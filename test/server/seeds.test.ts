/**
 * Seeds over the wire: past 2^53 a seed travels as a string of decimal digits and reproduces
 * Gymnasium's recorded episode; a seed that is not a non-negative integer, or a JSON number
 * too large to be exact, is refused with `invalid_seed` in every dialect (JSON-RPC, Gymie, REST).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Env, type PalestraServer, override, registry, resetOverrides } from '../../src';
import { ERRORS } from '../../src/errors';
import { BIGSEED_DIR } from '../helpers/conformance';
import { GymieClient, RpcClient, RpcError, rejection, startTestServer } from '../helpers/server';
import { PythonStyleClient, expectError, request } from '../rest/client';

interface BigSeedCase {
  env_id: string;
  seed: string;
  action_seed: string;
  reset_obs: unknown;
  steps: { action: unknown; obs: unknown; reward: number; terminated: boolean; truncated: boolean; info: unknown }[];
}
const cases: BigSeedCase[] = JSON.parse(readFileSync(join(BIGSEED_DIR, 'bigseeds.json'), 'utf8')).cases;
/** CartPole seeded 2^64 - 1: past every integer a double holds exactly. */
const cartpole = cases.find((c) => c.env_id === 'CartPole-v1' && c.seed === '18446744073709551615')!;

let server: PalestraServer;
let rpc: RpcClient;
beforeAll(async () => {
  server = await startTestServer();
  rpc = await RpcClient.connect(server.url);
});
afterAll(async () => {
  await rpc.close();
  await server.close();
});

const SEED = ERRORS.invalid_seed.code;

describe('JSON-RPC', () => {
  test('a recorded episode seeded past 2^53 is reproduced with string seeds, action samples included', async () => {
    const { instance_id } = await rpc.call('make', { env_id: cartpole.env_id });
    const [obs] = await rpc.call('reset', { instance_id, seed: cartpole.seed });
    expect(obs).toEqual(cartpole.reset_obs);
    for (const [t, step] of cartpole.steps.entries()) {
      const action = await rpc.call('action_sample', t === 0 ? { instance_id, seed: cartpole.action_seed } : { instance_id });
      expect({ t, action }).toEqual({ t, action: step.action });
      const result = await rpc.call('step', { instance_id, action });
      expect({ t, result }).toEqual({ t, result: [step.obs, step.reward, step.terminated, step.truncated, step.info] });
    }
    await rpc.call('close', { instance_id });
  });

  test('a string seed given to make is used by the first reset', async () => {
    const { instance_id } = await rpc.call('make', { env_id: cartpole.env_id, seed: cartpole.seed });
    expect((await rpc.call('reset', { instance_id }))[0]).toEqual(cartpole.reset_obs);
    await rpc.call('close', { instance_id });
  });

  test.each([1e20, 1e300, 2 ** 53])('make refuses the unsafe number %p at once, saying to send it as a string', async (seed) => {
    const err = await rejection<RpcError>(rpc.call('make', { env_id: 'CartPole-v1', seed }));
    expect({ code: err.code, name: err.data.name }).toEqual({ code: SEED, name: 'invalid_seed' });
    expect(err.message).toMatch(/as a string/);
  });

  test.each([-1, 1.5, 'seven', '-1', '1e3', '', '1'.repeat(101), true])('seed %p is refused with invalid_seed by make, reset and action_sample', async (seed) => {
    const { instance_id } = await rpc.call('make', { env_id: 'CartPole-v1' });
    for (const [method, params] of [
      ['make', { env_id: 'CartPole-v1', seed }],
      ['reset', { instance_id, seed }],
      ['action_sample', { instance_id, seed }],
    ] as const) {
      const err = await rejection<RpcError>(rpc.call(method, params));
      expect({ method, code: err.code, name: err.data.name }).toEqual({ method, code: SEED, name: 'invalid_seed' });
    }
    // The instance still works after the refusals.
    expect((await rpc.call('reset', { instance_id, seed: 1 }))[0]).toHaveLength(4);
    await rpc.call('close', { instance_id });
  });

  test('reset and action_sample refuse an unsafe number too, and a bad job seed is invalid_seed', async () => {
    const { instance_id } = await rpc.call('make', { env_id: 'CartPole-v1' });
    for (const method of ['reset', 'action_sample']) {
      const err = await rejection<RpcError>(rpc.call(method, { instance_id, seed: 1e20 }));
      expect({ method, code: err.code, message: err.message }).toEqual({ method, code: SEED, message: expect.stringMatching(/as a string/) });
    }
    await rpc.call('close', { instance_id });
    expect((await rejection<RpcError>(rpc.call('train', { env_id: 'CartPole-v1', seed: -1 }))).code).toBe(SEED);
  });
});

describe('Gymie', () => {
  test('make with a string seed, then reset, answers Gymnasium\'s observation', async () => {
    const client = await GymieClient.connect(server.url);
    const id = await client.request('make', { env_id: cartpole.env_id, seed: cartpole.seed });
    expect(JSON.parse(await client.request('reset', { instance_id: id }))).toEqual(cartpole.reset_obs);
    const sample = JSON.parse(await client.request('action_sample', { instance_id: id, seed: cartpole.action_seed }));
    expect(sample).toEqual(cartpole.steps[0].action);
    client.close();
  });

  test('make with an unsafe seed closes the socket with invalid_seed\'s close code and says why', async () => {
    const client = await GymieClient.connect(server.url);
    const closed = await client.expectClose(JSON.stringify({ method: 'make', params: { env_id: 'CartPole-v1', seed: 1e300 } }));
    expect(closed.code).toBe(ERRORS.invalid_seed.gymie_close);
    expect(closed.reason).toMatch(/seed/);
  });
});

describe('REST', () => {
  test('a string seed at create and at reset reproduces Gymnasium', async () => {
    const client = new PythonStyleClient(server.httpUrl);
    const created = await client.post('/v1/envs/', { env_id: cartpole.env_id, seed: cartpole.seed });
    expect(created.status).toBe(200);
    const id = created.json.instance_id;
    expect((await client.post(`/v1/envs/${id}/reset/`, null)).json.observation).toEqual(cartpole.reset_obs);
    const again = await client.post(`/v1/envs/${id}/reset/`, { seed: cartpole.seed });
    expect(again.json.observation).toEqual(cartpole.reset_obs);
    await client.env_close(id);
  });

  test('an unsafe number is 400 invalid_seed, saying to send it as a string', async () => {
    const base = server.httpUrl;
    expectError(await request(base, 'POST', '/v1/envs/', '{"env_id": "CartPole-v1", "seed": 1e300}'), 'invalid_seed', 400, /as a string/);
    expectError(await request(base, 'POST', '/v1/envs/', '{"env_id": "CartPole-v1", "seed": 100000000000000000000}'), 'invalid_seed', 400, /as a string/);
  });
});

test("a get_env hook and the environment's reset get a string seed as an integer (bigint past 2^53)", async () => {
  const seen: unknown[] = [];
  override('get_env', ({ env_id, seed }) => {
    seen.push(seed);
    const env = registry.make(env_id);
    const reset = env.reset.bind(env);
    env.reset = ((args?: { seed?: unknown }) => (seen.push(args?.seed), reset(args as never))) as Env<any, any>['reset'];
    return env;
  });
  try {
    const { instance_id } = await rpc.call('make', { env_id: 'CartPole-v1', seed: '18446744073709551615' });
    await rpc.call('reset', { instance_id });
    await rpc.call('reset', { instance_id, seed: '7' });
    expect(seen).toEqual([18446744073709551615n, 18446744073709551615n, 7n]);
    await rpc.call('close', { instance_id });
  } finally {
    resetOverrides();
  }
});
