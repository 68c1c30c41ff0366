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

describe('a large network', () => {
  let big: PalestraServer;
  let c: RpcClient;

  beforeAll(async () => {
    // 1024×4 actor and critic hold 6.3M parameters (34 MB saved): past the default model size, so allowed here.
    big = await startTestServer({ maxModelBytes: 64 * 1024 * 1024 });
    c = await RpcClient.connect(big.url);
  });

  afterAll(async () => {
    c.close();
    await big.close();
  });

  test('ppo hidden 1024×4: stop answers with the job stopped and its model saved, long before the run would end', async () => {
    const reply = await c.call('train', {
      env_id: 'CartPole-v1',
      algorithm: 'ppo',
      total_timesteps: 10_000_000,
      seed: 1,
      // One rollout is short, so the stop lands in the minibatch updates.
      hyperparameters: { hidden_size: 1024, hidden_layers: 4, n_envs: 1, n_steps: 64, batch_size: 64, n_epochs: 100, eval_freq: 0 },
    });
    // Stop a few seconds after the worker has loaded its backend: while the 1024×1024 matrices are being initialised
    // (seconds of work) or, with PALESTRA_STOP_AFTER_MS large enough, in the rollout or the minibatch updates.
    let backend: string | null = null;
    while (backend === null) {
      backend = (await c.call('job', { job_id: reply.job_id })).backend;
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, Number(process.env.PALESTRA_STOP_AFTER_MS ?? 3000)));
    const t0 = performance.now();
    const stopped = await c.call('stop', { job_id: reply.job_id });
    const latencyMs = performance.now() - t0;
    if (process.env.PALESTRA_REPORT_TIMES) process.stdout.write(`stop latency (ppo 1024×4, reply with the model saved): ${latencyMs.toFixed(0)} ms\n`);
    expect(stopped.status).toBe('stopped');
    expect(stopped.result).toMatchObject({ status: 'stopped', stop_reason: 'stopped', model: reply.model });
    expect(stopped.result.timesteps).toBeLessThan(10_000_000);
    const { models } = await c.call('models', { name: reply.model });
    expect(models[0]).toMatchObject({ name: reply.model, stop_reason: 'stopped', timesteps: stopped.result.timesteps });
    expect(models[0].size_bytes).toBeGreaterThan(30_000_000);
  }, 120_000);
});
