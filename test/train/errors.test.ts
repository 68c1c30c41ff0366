/** Bad requests get catalogue errors, with what is wrong in `data`. */
import type { PalestraServer } from '../../src';
import { RpcClient, RpcError, startTestServer } from '../helpers/server';

let server: PalestraServer;
let client: RpcClient;

beforeAll(async () => {
  server = await startTestServer();
  client = await RpcClient.connect(server.url);
});

afterAll(async () => {
  client.close();
  await server.close();
});

async function failure(method: string, params: unknown): Promise<RpcError> {
  try {
    await client.call(method, params);
  } catch (err) {
    return err as RpcError;
  }
  throw new Error(`${method} succeeded`);
}

test('unknown algorithm: unknown_algorithm with the available ones', async () => {
  const err = await failure('train', { env_id: 'CartPole-v1', algorithm: 'a3c' });
  expect(err.code).toBe(2001);
  expect(err.data.available).toEqual(expect.arrayContaining(['ppo', 'dqn', 'q_learning']));
});

test('an algorithm that cannot handle the spaces: unknown_algorithm naming those that can', async () => {
  const dqn = await failure('train', { env_id: 'Pendulum-v1', algorithm: 'dqn' });
  expect(dqn.code).toBe(2001);
  expect(dqn.message).toMatch(/Discrete action space/);
  expect(dqn.data.available).toEqual(expect.arrayContaining(['ppo', 'a2c', 'reinforce', 'grpo', 'sac', 'td3']));
  expect(dqn.data.available).not.toContain('dqn');
  expect(dqn.data.available).not.toContain('q_learning');
  for (const algorithm of ['sac', 'td3']) {
    const continuous = await failure('train', { env_id: 'CartPole-v1', algorithm });
    expect(continuous.code).toBe(2001);
    expect(continuous.message).toMatch(/needs a Box action space, not Discrete/);
    expect(continuous.data.available).not.toContain(algorithm);
  }
  const tabular = await failure('train', { env_id: 'CartPole-v1', algorithm: 'q_learning' });
  expect(tabular.code).toBe(2001);
  expect(tabular.message).toMatch(/finite observation space/);
});

test('unknown and out-of-range hyperparameters: invalid_hyperparameters listing every problem', async () => {
  const err = await failure('train', {
    env_id: 'CartPole-v1',
    algorithm: 'ppo',
    hyperparameters: { learning_rate: -1, n_envs: 2.5, gamma: 1.5, activation: 'sigmoid', anneal_lr: 'yes', warp_speed: 9 },
  });
  expect(err.code).toBe(2002);
  const errors = err.data.errors as string[];
  expect(errors).toHaveLength(6);
  for (const name of ['learning_rate', 'n_envs', 'gamma', 'activation', 'anneal_lr', 'warp_speed']) {
    expect(errors.some((e) => e.includes(name))).toBe(true);
  }
  expect(err.data.accepted).toEqual(expect.arrayContaining(['learning_rate', 'n_steps', 'clip_range']));
  const cross = await failure('train', { env_id: 'CartPole-v1', hyperparameters: { n_envs: 2, n_steps: 8, batch_size: 64 } });
  expect(cross.code).toBe(2002);
  expect(cross.message).toMatch(/batch_size/);
});

test('environment and params problems', async () => {
  expect((await failure('train', { env_id: 'NoSuchEnv-v0' })).code).toBe(1000);
  expect((await failure('train', { env_id: 'CartPole-v1', env_kwargs: { gravity: 3 } })).code).toBe(1005);
  expect((await failure('train', { env_id: 'CartPole-v1', total_timesteps: 0 })).code).toBe(-32602);
  expect((await failure('train', { env_id: 'CartPole-v1', seed: -1 })).code).toBe(1006);
  expect((await failure('train', {})).code).toBe(-32602);
  expect((await failure('train', { env_id: 'CartPole-v1', hyperparameters: [] })).code).toBe(-32602);
  expect((await failure('subscribe', { job_id: 'missing' })).code).toBe(2000);
  expect((await failure('jobs', { status: 'sleeping' })).code).toBe(-32602);
  expect((await failure('models', { name: 'nope' })).code).toBe(3000);
});
