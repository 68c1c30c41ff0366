/** `stop` mid-run: the job ends within a second and saves the policy learned so far. */
import type { PalestraServer } from '../../src';
import { RpcClient, startTestServer } from '../helpers/server';
import { finalFrame, framesOf, until } from './helpers';

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

test.each(['ppo', 'dqn'])('%s: stop ends a running job within a second and keeps its policy', async (algorithm) => {
  const reply = await client.call('train', {
    env_id: 'CartPole-v1',
    algorithm,
    total_timesteps: 10_000_000,
    seed: 5,
    // DQN learns from the first steps here, so stop lands inside gradient steps too.
    hyperparameters: algorithm === 'dqn' ? { learning_starts: 100, train_freq: 64, gradient_steps: 32 } : {},
  });
  await until(() => framesOf(client, reply.job_id, 'train.progress').length >= 3, 20000, 'progress frames');
  // How fast stop answers is measured in bench/ (tests assert no wall-clock times); here it must
  // answer with the job stopped and its model saved, long before the job's budget ran out.
  const stopped = await client.call('stop', { job_id: reply.job_id });
  expect(stopped.status).toBe('stopped');
  expect(stopped.result).toMatchObject({ status: 'stopped', stop_reason: 'stopped', model: reply.model });
  const done = await finalFrame(client, reply.job_id);
  expect(done.params.stop_reason).toBe('stopped');
  expect(done.params.timesteps).toBeGreaterThan(0);
  expect(done.params.timesteps).toBeLessThan(10_000_000);

  const { models } = await client.call('models', { name: reply.model });
  expect(models[0]).toMatchObject({ stop_reason: 'stopped', timesteps: done.params.timesteps });
  const prediction = await client.call('predict', { model: reply.model, observation: [0, 0, 0.01, 0] });
  expect([0, 1]).toContain(prediction.action);
  // Stopping a finished job answers it as it is.
  expect((await client.call('stop', { job_id: reply.job_id })).status).toBe('stopped');
});
