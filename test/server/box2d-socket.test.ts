/**
 * The Box2D environments over the wire: every recorded Gymnasium episode replayed over
 * JSON-RPC (continuous actions travel as the float64 numbers Gymnasium used), Gymie's README
 * example on LunarLander-v2 as an unmodified Gymie client runs it, gym-http-api's routes,
 * and a vector of landers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PalestraServer } from '../../src';
import { FIXTURES_DIR } from '../helpers/conformance';
import { GymieClient, RpcClient, startTestServer } from '../helpers/server';
import { PythonStyleClient } from '../rest/client';

const DIR = join(FIXTURES_DIR, 'conformance-box2d');
const FILES = ['LunarLander-v3.json', 'LunarLander-v3__continuous=True.json', 'BipedalWalker-v3.json'].map(
  (name) => [name, JSON.parse(readFileSync(join(DIR, name), 'utf8'))] as const,
);

let server: PalestraServer;
let rpc: RpcClient;
beforeAll(async () => {
  server = await startTestServer();
  rpc = await RpcClient.connect(server.url);
});
afterAll(async () => {
  rpc.close();
  await server.close();
});

describe.each(FILES)('%s over JSON-RPC', (_name, file) => {
  const cases: Array<[string, number, any]> = file.cases.map((c: any) => [c.policy, c.seed, c]);
  test.each(cases)('%s policy, seed %i: every step as recorded', async (policy, seed, c) => {
    const { instance_id } = await rpc.call('make', { env_id: file.env_id, kwargs: file.kwargs });
    expect(await rpc.call('reset', { instance_id, seed })).toEqual([c.reset_obs, c.reset_info]);
    for (const [t, step] of c.steps.entries()) {
      if (policy === 'sample') {
        const sampled = await rpc.call('action_sample', t === 0 ? { instance_id, seed: c.action_seed } : { instance_id });
        expect({ t, sampled }).toEqual({ t, sampled: step.action });
      }
      const result = await rpc.call('step', { instance_id, action: step.action });
      expect({ t, result }).toEqual({ t, result: [step.obs, step.reward, step.terminated, step.truncated, step.info] });
    }
    await rpc.call('close', { instance_id });
  });
});

test("Gymie's README example: make('LunarLander-v2'), then random actions until done, then close", async () => {
  const client = await GymieClient.connect(server.url);
  const id = await client.request('make', { env_id: 'LunarLander-v2' });
  expect(JSON.parse(await client.request('action_space', { instance_id: id }))).toEqual({ name: 'Discrete', n: 4 });
  const initial = JSON.parse(await client.request('reset', { instance_id: id }));
  expect(initial).toHaveLength(8);
  let steps = 0;
  let total = 0;
  let last: [number[], number, boolean, Record<string, unknown>] = [initial, 0, false, {}];
  while (!last[2] && steps < 1000) {
    const action = JSON.parse(await client.request('action_sample', { instance_id: id }));
    expect([0, 1, 2, 3]).toContain(action);
    last = JSON.parse(await client.request('step', { instance_id: id, action }));
    expect(last[0]).toHaveLength(8);
    for (const x of last[0]) expect(Math.fround(x)).toBe(x);
    total += last[1];
    steps += 1;
  }
  // A random lander crashes, flies off, or comes to rest long before the 1000-step limit:
  // the last reward is then Gymnasium's -100 or +100.
  expect(last[2]).toBe(true);
  expect(steps).toBeLessThan(1000);
  expect([-100, 100]).toContain(last[1]);
  expect(Number.isFinite(total)).toBe(true);
  expect(await client.request('close', { instance_id: id })).toBe('true');
  client.close();
});

test("gym-http-api: LunarLander-v2 made, reset and stepped to its end as gym_http_client.py does", async () => {
  const client = new PythonStyleClient(server.httpUrl);
  const id: string = (await client.env_create('LunarLander-v2')).json.instance_id;
  expect((await client.env_action_space_info(id)).json).toEqual({ info: { name: 'Discrete', n: 4 } });
  expect((await client.env_reset(id)).json.observation).toHaveLength(8);
  let done = false;
  let steps = 0;
  let reward = 0;
  while (!done && steps < 1000) {
    const stepped = (await client.env_step(id, 0)).json;
    done = stepped.done;
    reward = stepped.reward;
    steps += 1;
  }
  // With no engine the lander falls and hits the ground.
  expect(done).toBe(true);
  expect(reward).toBe(-100);
  expect((await client.env_close(id)).status).toBe(200);
});

test('a vector of two landers seeded 0 gives the recorded episodes of seeds 0 and 1', async () => {
  const [, discrete] = FILES[0];
  const [c0, c1] = [0, 1].map((s) => discrete.cases.find((c: any) => c.policy === 'heuristic' && c.seed === s));
  const { instance_id } = await rpc.call('make_vec', { env_id: 'LunarLander-v3', num_envs: 2, seed: 0 });
  const [obs] = await rpc.call('reset', { instance_id });
  expect(obs).toEqual([c0.reset_obs, c1.reset_obs]);
  for (let t = 0; t < 20; t++) {
    const [o, r, term] = await rpc.call('step', { instance_id, action: [c0.steps[t].action, c1.steps[t].action] });
    expect({ t, o, r, term }).toEqual({
      t,
      o: [c0.steps[t].obs, c1.steps[t].obs],
      r: [c0.steps[t].reward, c1.steps[t].reward],
      term: [c0.steps[t].terminated, c1.steps[t].terminated],
    });
  }
});

test('a vector of two continuous landers keeps float64 actions: the recorded heuristic episodes of seeds 0 and 1', async () => {
  const [, continuous] = FILES[1];
  const [c0, c1] = [0, 1].map((s) => continuous.cases.find((c: any) => c.seed === s));
  const { instance_id } = await rpc.call('make_vec', { env_id: 'LunarLander-v3', kwargs: { continuous: true }, num_envs: 2, seed: 0 });
  const [obs] = await rpc.call('reset', { instance_id });
  expect(obs).toEqual([c0.reset_obs, c1.reset_obs]);
  for (let t = 0; t < 60; t++) {
    const [o, r] = await rpc.call('step', { instance_id, action: [c0.steps[t].action, c1.steps[t].action] });
    expect({ t, o, r }).toEqual({ t, o: [c0.steps[t].obs, c1.steps[t].obs], r: [c0.steps[t].reward, c1.steps[t].reward] });
  }
});
