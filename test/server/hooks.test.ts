/** A user's own environment plugs in through register(), get_env and process_step, and is driven over the socket. */
import { Box, Discrete, Env, PalestraServer, override, register, resetOverrides } from '../../src';
import type { Info, StepResult } from '../../src';
import { GymieClient, RpcClient, startTestServer } from '../helpers/server';

/** A corridor of `length` cells: walk right (1) to reach the end; old-gym style API. */
class Corridor {
  observation_space = new Discrete(5);
  action_space = new Discrete(2);
  private position = 0;
  closed = false;

  reset(): number {
    this.position = 0;
    return this.position;
  }

  step(action: number): [number, number, boolean, Record<string, unknown>] {
    this.position = Math.max(0, Math.min(4, this.position + (action === 1 ? 1 : -1)));
    const done = this.position === 4;
    return [this.position, done ? 1 : 0, done, { position: this.position }];
  }

  close(): void {
    this.closed = true;
  }
}

/** A Gymnasium-style environment with a Box observation. */
class Thermostat extends Env<Float32Array, Float32Array> {
  readonly observation_space = new Box<Float32Array>(-50, 50, [1], 'float32');
  readonly action_space = new Box<Float32Array>(-1, 1, [1], 'float32');
  private temperature = 0;

  reset(args: { seed?: number | bigint | null } = {}): [Float32Array, Info] {
    this.seedReset(args.seed);
    this.temperature = this.np_random.uniform(15, 25);
    return [Float32Array.of(this.temperature), {}];
  }

  step(action: Float32Array): StepResult<Float32Array> {
    this.temperature += action[0];
    return [Float32Array.of(this.temperature), -Math.abs(this.temperature - 20), false, false, {}];
  }
}

let server: PalestraServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
afterEach(() => resetOverrides());

test('register() adds an environment that make, envs and hello know, with its spec', async () => {
  register('Thermostat-v0', () => new Thermostat(), { max_episode_steps: 3, reward_threshold: -1 });
  const client = await RpcClient.connect(server.url);
  expect((await client.call('hello')).env_ids).toContain('Thermostat-v0');
  const made = await client.call('make', { env_id: 'Thermostat-v0' });
  expect(made).toMatchObject({ max_episode_steps: 3, action_space: { name: 'Box', shape: [1], dtype: 'float32', low: [-1], high: [1] } });
  const [obs] = await client.call('reset', { instance_id: made.instance_id, seed: 0 });
  expect(obs[0]).toBeGreaterThanOrEqual(15);
  let last;
  for (let i = 0; i < 3; i++) last = await client.call('step', { instance_id: made.instance_id, action: [0.5] });
  expect(last[3]).toBe(true); // truncated by the registered time limit
  // Gymnasium leaves a Box action's range to the environment; a wrong shape is still refused.
  await expect(client.call('step', { instance_id: made.instance_id, action: [0.5, 0.5] })).rejects.toMatchObject({ data: { name: 'invalid_action' } });
  client.close();
});

test("override('get_env') plugs in an old-gym environment, driven by a Gymie client", async () => {
  const made: Corridor[] = [];
  override('get_env', ({ env_id }) => {
    if (env_id !== 'Corridor-v0') throw new Error('only corridors here');
    const env = new Corridor();
    made.push(env);
    return env;
  });
  const client = await GymieClient.connect(server.url);
  const id = await client.request('make', { env_id: 'Corridor-v0' });
  expect(await client.request('reset', { instance_id: id })).toBe('0');
  let reply: [number, number, boolean, Record<string, unknown>] = [0, 0, false, {}];
  for (let i = 0; i < 4; i++) reply = JSON.parse(await client.request('step', { instance_id: id, action: 1 }));
  expect(reply).toEqual([4, 1, true, { position: 4 }]);
  expect(await client.request('close', { instance_id: id })).toBe('true');
  expect(made[0].closed).toBe(true);
  // The hook's own failure reaches the client as an error, not a crash.
  const closed = await client.expectClose(JSON.stringify({ method: 'make', params: { env_id: 'CartPole-v1' } }));
  expect(closed.code).toBe(1007);
  expect(closed.reason).toMatch(/only corridors here/);
});

test("override('process_step') post-processes every step before it is sent", async () => {
  override('process_step', ([obs, reward, terminated, truncated, info], { env_id }) => [
    obs,
    reward * 10,
    terminated,
    truncated,
    { ...info, env_id, scaled: true },
  ]);
  const client = await RpcClient.connect(server.url);
  const { instance_id } = await client.call('make', { env_id: 'CartPole-v1' });
  await client.call('reset', { instance_id, seed: 0 });
  const [obs, reward, , , info] = await client.call('step', { instance_id, action: 0 });
  expect(obs).toEqual([0.013235742226243019, -0.21745604276657104, -0.04686959087848663, 0.2295069843530655]);
  expect(reward).toBe(10);
  expect(info).toEqual({ env_id: 'CartPole-v1', scaled: true });
  client.close();
});
