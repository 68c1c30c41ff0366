/** Environments of a registry given to start({ registry }) train in workers when their entry point is a module path. */
import { join } from 'node:path';
import type { PalestraServer } from '../../src';
import { Registry } from '../../src/envs/registration';
import { FrozenLakeEnv } from '../../src/envs/toy_text/frozen_lake';
import { RpcClient, startTestServer } from '../helpers/server';
import { finalFrame } from './helpers';

const LAKE_MODULE = join(__dirname, '..', '..', 'src', 'envs', 'toy_text', 'frozen_lake.ts');

let server: PalestraServer;
let client: RpcClient;
beforeAll(async () => {
  const registry = new Registry();
  registry.register('Lake-v0', `${LAKE_MODULE}:FrozenLakeEnv`, { max_episode_steps: 50, reward_threshold: 1, kwargs: { is_slippery: false } });
  registry.register('ClosureLake-v0', (kw) => new FrozenLakeEnv(kw), { max_episode_steps: 50 });
  server = await startTestServer({ registry });
  client = await RpcClient.connect(server.url);
});
afterAll(async () => {
  await client.close();
  await server.close();
});

test('an environment registered with a module-path entry point trains and evaluates in a worker', async () => {
  const job = await client.call('train', { env_id: 'Lake-v0', algorithm: 'q_learning', total_timesteps: 2000, seed: 4 });
  const done = await finalFrame(client, job.job_id);
  expect(done.method).toBe('train.done');
  expect(done.params).toMatchObject({ env_id: 'Lake-v0', status: 'completed', timesteps: 2000 });
  const evaluation = await client.call('evaluate', { model: done.params.model, episodes: 3 });
  expect(evaluation.env_id).toBe('Lake-v0');
  expect(evaluation.lengths).toHaveLength(3);
  for (const length of evaluation.lengths) expect(length).toBeGreaterThan(0);
});

test('an environment whose entry point is a closure cannot be built in a worker: train.error with not_supported', async () => {
  const job = await client.call('train', { env_id: 'ClosureLake-v0', algorithm: 'q_learning', total_timesteps: 100, seed: 1 });
  const end = await finalFrame(client, job.job_id);
  expect(end.method).toBe('train.error');
  expect(end.params.error.name).toBe('not_supported');
  expect(end.params.error.message).toMatch(/cannot be built in the training worker/);
  expect((await client.call('job', { job_id: job.job_id })).error.code).toBe(1010);
});
