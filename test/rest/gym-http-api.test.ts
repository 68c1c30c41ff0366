/** A gym-http-api client, sending exactly what gym_http_client.py sends, gets gym-http-api's replies. */
import type { PalestraServer } from '../../src';
import { registry } from '../../src/envs';
import { FLOAT32_MAX } from '../../src/rest/json';
import { ERRORS } from '../../src/errors';
import { RpcClient, startTestServer } from '../helpers/server';
import { PythonStyleClient, request } from './client';

let server: PalestraServer;
let client: PythonStyleClient;
beforeAll(async () => {
  server = await startTestServer();
  client = new PythonStyleClient(server.httpUrl);
});
afterAll(() => server.close());

const CARTPOLE_BOX = {
  name: 'Box',
  shape: [4],
  low: [-4.800000190734863, -FLOAT32_MAX, -0.41887903213500977, -FLOAT32_MAX],
  high: [4.800000190734863, FLOAT32_MAX, 0.41887903213500977, FLOAT32_MAX],
};

/** Keeps the pole up, so an episode lasts until the time limit. */
function controller([x, xDot, theta, thetaDot]: number[]): number {
  return theta + 0.5 * thetaDot + 0.01 * x + 0.1 * xDot > 0 ? 1 : 0;
}

describe.each(['CartPole-v0', 'CartPole-v1'])('%s, as gym_http_client.py drives it', (envId) => {
  test('create, list, spaces, reset, step, sample, contains, close', async () => {
    const created = await client.env_create(envId);
    expect(created.status).toBe(200);
    expect(Object.keys(created.json)).toEqual(['instance_id']);
    const id: string = created.json.instance_id;
    expect(id).toMatch(/^[0-9a-f]{8}$/);

    expect((await client.env_list_all()).json.all_envs).toEqual(expect.objectContaining({ [id]: envId }));
    expect((await client.env_action_space_info(id)).json).toEqual({ info: { name: 'Discrete', n: 2 } });
    expect((await client.env_observation_space_info(id)).json).toEqual({ info: CARTPOLE_BOX });

    const reset = await client.env_reset(id);
    expect(Object.keys(reset.json)).toEqual(['observation']);
    expect(reset.json.observation).toHaveLength(4);

    const stepped = await client.env_step(id, 0);
    expect(stepped.status).toBe(200);
    expect(Object.keys(stepped.json)).toEqual(['observation', 'reward', 'done', 'info']);
    expect(stepped.json).toEqual({ observation: expect.any(Array), reward: 1, done: false, info: {} });
    // Python reads `1.0` as a float and `1` as an int; gym-http-api's own test checks type(reward) == float.
    expect(stepped.text).toContain('"reward":1.0');

    const sample = await client.env_action_space_sample(id);
    expect(Object.keys(sample.json)).toEqual(['action']);
    expect([0, 1]).toContain(sample.json.action);

    for (const [x, member] of [[0, true], [1, true], [2, false], [-1, false], [1.5, false]] as const) {
      expect((await client.env_action_space_contains(id, x)).json).toEqual({ member });
    }
    for (const [params, member] of [
      [{ name: 'Box' }, true],
      [{ shape: [4] }, true],
      [{ name: 'Box', shape: [4] }, true],
      [{ low: CARTPOLE_BOX.low, high: CARTPOLE_BOX.high }, true],
      [{ name: 'Discrete' }, false],
      [{ shape: [2, 2] }, false],
      [{}, true],
    ] as const) {
      expect((await client.env_observation_space_contains(id, params)).json).toEqual({ member });
    }

    const closed = await client.env_close(id);
    expect(closed.status).toBe(200);
    expect(closed.json).toEqual({});
    expect((await client.env_list_all()).json.all_envs).not.toHaveProperty(id);
  });
});

test('a seed given to create makes the first reset Gymnasium reset(seed=seed)', async () => {
  const id = (await client.post('/v1/envs/', { env_id: 'CartPole-v1', seed: 0 })).json.instance_id;
  expect((await client.env_reset(id)).json.observation).toEqual([
    0.013696168549358845, -0.023021329194307327, -0.04590264707803726, -0.04834723472595215,
  ]);
  expect((await client.env_step(id, 0)).json.observation).toEqual([
    0.013235742226243019, -0.21745604276657104, -0.04686959087848663, 0.2295069843530655,
  ]);
  // A later reset may be seeded too (a Palestra addition; gym-http-api had no reset parameters).
  expect((await client.post(`/v1/envs/${id}/reset/`, { seed: 0 })).json.observation[0]).toBe(0.013696168549358845);
  await client.env_close(id);
});

test('Box observations are written as floats, Discrete values as ints', async () => {
  const id = (await client.env_create('CartPole-v0')).json.instance_id;
  const reset = await client.env_reset(id);
  const numbers = reset.text.match(/-?\d[\d.eE+-]*/g)!;
  expect(numbers).toHaveLength(4);
  for (const n of numbers) expect(n).toMatch(/[.eE]/);
  expect((await client.env_action_space_sample(id)).text).toMatch(/^\{"action":[01]\}$/);
  await client.env_close(id);
});

test('the time limit ends an episode with done and TimeLimit.truncated, as old gym did', async () => {
  const id = (await client.post('/v1/envs/', { env_id: 'CartPole-v0', seed: 3 })).json.instance_id;
  let obs: number[] = (await client.env_reset(id)).json.observation;
  let reply = { observation: obs, reward: 0, done: false, info: {} as Record<string, unknown> };
  let steps = 0;
  while (!reply.done && steps < 300) {
    reply = (await client.env_step(id, controller(obs))).json;
    obs = reply.observation;
    steps++;
  }
  expect(steps).toBe(200);
  expect(reply.done).toBe(true);
  expect(reply.info).toEqual({ 'TimeLimit.truncated': true });
  await client.env_close(id);
});

test('what other clients send works too: no trailing slash, empty or {} bodies', async () => {
  const base = server.httpUrl;
  // The C++ client: no trailing slash on spaces, reset and monitor close with an empty body.
  const id = (await request(base, 'POST', '/v1/envs', '{"env_id": "CartPole-v1"}')).json.instance_id;
  expect((await request(base, 'GET', `/v1/envs/${id}/action_space`)).json).toEqual({ info: { name: 'Discrete', n: 2 } });
  expect((await request(base, 'GET', `/v1/envs/${id}/observation_space`)).json.info.name).toBe('Box');
  expect((await request(base, 'POST', `/v1/envs/${id}/reset/`, '')).json.observation).toHaveLength(4);
  // The Go client: {} for no parameters; a trailing slash where gym-http-api had none.
  expect((await request(base, 'POST', `/v1/envs/${id}/reset/`, '{}')).json.observation).toHaveLength(4);
  expect((await request(base, 'GET', `/v1/envs/${id}/action_space/sample/`)).status).toBe(200);
  expect((await request(base, 'POST', `/v1/envs/${id}/step`, '{"action": 1, "render": true}')).json.done).toBe(false);
  expect((await request(base, 'POST', `/v1/envs/${id}/close`, '{}')).json).toEqual({});
});

test('REST environments and WebSocket connections’ environments are apart; other routes still work', async () => {
  const id = (await client.env_create('CartPole-v1')).json.instance_id;
  const ws = await RpcClient.connect(server.url);
  const wsEnv = await ws.call('make', { env_id: 'CartPole-v1' });
  await expect(ws.call('reset', { instance_id: id })).rejects.toMatchObject({ code: ERRORS.instance_not_found.code });
  expect((await client.env_list_all()).json.all_envs).not.toHaveProperty(wsEnv.instance_id);
  expect((await client.env_reset(wsEnv.instance_id)).status).toBe(404);
  expect((await request(server.httpUrl, 'GET', '/health')).json.status).toBe('healthy');
  ws.close();
  await client.env_close(id);
});

const hasFrozenLake = registry.has('FrozenLake-v0');
(hasFrozenLake ? test : test.skip)(
  `FrozenLake-v0 over REST: int observations, Discrete spaces${hasFrozenLake ? '' : ' (waits on FrozenLake-v0 being registered in src/envs/toy_text)'}`,
  async () => {
    const id = (await client.env_create('FrozenLake-v0')).json.instance_id;
    expect((await client.env_action_space_info(id)).json).toEqual({ info: { name: 'Discrete', n: 4 } });
    expect((await client.env_observation_space_info(id)).json).toEqual({ info: { name: 'Discrete', n: 16 } });
    const reset = await client.env_reset(id);
    expect(reset.text).toBe('{"observation":0}');
    const stepped = await client.env_step(id, 0);
    expect(Number.isInteger(stepped.json.observation)).toBe(true);
    expect(stepped.text).toMatch(/"reward":[01]\.0/);
    expect(typeof stepped.json.done).toBe('boolean');
    expect([0, 1, 2, 3]).toContain((await client.env_action_space_sample(id)).json.action);
    expect((await client.env_action_space_contains(id, 3)).json).toEqual({ member: true });
    expect((await client.env_action_space_contains(id, 4)).json).toEqual({ member: false });
    expect((await client.env_observation_space_contains(id, { name: 'Discrete', n: 16 })).json).toEqual({ member: true });
    expect((await client.env_close(id)).json).toEqual({});
  },
);
