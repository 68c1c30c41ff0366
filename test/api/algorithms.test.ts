/**
 * `algorithms`: every trainer with its hyperparameter schema, as the page builds its training form from
 * it; for an environment, which algorithms fit and the defaults `train` would really use there.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PalestraServer } from '../../src';
import { RpcClient, RpcError, rejection, startTestServer } from '../helpers/server';

const SCHEMAS = join(__dirname, '..', '..', 'protocol', 'hyperparameters');

let server: PalestraServer;
let client: RpcClient;

beforeAll(async () => {
  server = await startTestServer();
  client = await RpcClient.connect(server.url);
});

afterAll(async () => {
  await client.close();
  await server.close();
});

test('lists one entry per schema in protocol/hyperparameters, each with that schema', async () => {
  const { algorithms, default: chosen } = await client.call('algorithms', {});
  const files = readdirSync(SCHEMAS).filter((f) => f.endsWith('.json'));
  expect(algorithms.map((a: any) => a.name).sort()).toEqual(files.map((f) => f.replace(/\.json$/, '')).sort());
  for (const a of algorithms) {
    expect(a.hyperparameters).toEqual(JSON.parse(readFileSync(join(SCHEMAS, `${a.name}.json`), 'utf8')));
    expect(a.summary).toMatch(/\w/);
    expect([a.unsupported, a.defaults]).toEqual([null, null]);
  }
  expect(chosen).toBeNull();
});

test("for an environment: which algorithms fit, and the defaults train uses there", async () => {
  const lake = await client.call('algorithms', { env_id: 'FrozenLake-v1' });
  expect(lake.default).toBe('q_learning');
  const cart = await client.call('algorithms', { env_id: 'CartPole-v1' });
  expect(cart.default).toBe('ppo');
  const byName = Object.fromEntries(cart.algorithms.map((a: any) => [a.name, a]));
  // Tabular Q-learning needs finite observations: offered for FrozenLake, refused with a reason for CartPole.
  expect(byName.q_learning.unsupported).toMatch(/\w/);
  expect(byName.q_learning.defaults).toBeNull();
  expect(lake.algorithms.find((a: any) => a.name === 'q_learning').unsupported).toBeNull();

  // What the form shows is what train does when given nothing: same budget, same hyperparameters.
  const ppo = byName.ppo;
  const started = await client.call('train', { env_id: 'CartPole-v1', algorithm: 'ppo', seed: 1 });
  await client.call('stop', { job_id: started.job_id });
  expect(started.total_timesteps).toBe(ppo.defaults.total_timesteps);
  expect(started.hyperparameters).toEqual(ppo.defaults.hyperparameters);
  // And CartPole's row differs from the schema's own defaults, so the environment's were taken.
  expect(ppo.defaults.hyperparameters.n_envs).not.toBe(ppo.hyperparameters.properties.n_envs.default);
});

test('Acrobot and MountainCar default to DQN (DEFAULT_ALGORITHM), with their own rows', async () => {
  for (const envId of ['Acrobot-v1', 'MountainCar-v0']) {
    const listed = await client.call('algorithms', { env_id: envId });
    expect(listed.default).toBe('dqn');
    const dqn = listed.algorithms.find((a: any) => a.name === 'dqn');
    // Not the schema's defaults: the environment's tuned row.
    expect(dqn.defaults.hyperparameters.learning_starts).not.toBe(dqn.hyperparameters.properties.learning_starts.default);
    // train given no algorithm runs the listed default with the listed defaults.
    const started = await client.call('train', { env_id: envId, seed: 1 });
    await client.call('stop', { job_id: started.job_id });
    expect(started.algorithm).toBe('dqn');
    expect(started.total_timesteps).toBe(dqn.defaults.total_timesteps);
    expect(started.hyperparameters).toEqual(dqn.defaults.hyperparameters);
  }
  // A named algorithm still wins.
  const ppo = await client.call('train', { env_id: 'Acrobot-v1', algorithm: 'ppo', seed: 1 });
  await client.call('stop', { job_id: ppo.job_id });
  expect(ppo.algorithm).toBe('ppo');
});

test('an unknown environment is refused as it is by make', async () => {
  const err = await rejection<RpcError>(client.call('algorithms', { env_id: 'NoSuchEnv-v0' }));
  const made = await rejection<RpcError>(client.call('make', { env_id: 'NoSuchEnv-v0' }));
  expect(err).toBeInstanceOf(RpcError);
  expect([err.code, err.message]).toEqual([made.code, made.message]);
});
