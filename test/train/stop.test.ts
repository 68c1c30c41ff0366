/**
 * `stop` mid-run: it answers as soon as the job's loop has ended (the job then
 * `saving`, its step count final), and `train.done` follows once the policy
 * learned so far is saved, for a network of tens of MB too.
 */
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

test.each(['ppo', 'a2c', 'reinforce', 'grpo', 'dqn'])('%s: stop ends a running job, then train.done comes with its policy saved', async (algorithm) => {
  const reply = await client.call('train', {
    env_id: 'CartPole-v1',
    algorithm,
    total_timesteps: 10_000_000,
    seed: 5,
    // DQN learns from the first steps here, so stop lands inside gradient steps too.
    hyperparameters: algorithm === 'dqn' ? { learning_starts: 100, train_freq: 64, gradient_steps: 32 } : {},
  });
  await until(() => framesOf(client, reply.job_id, 'train.progress').length >= 3, 20000, 'progress frames');
  // How fast stop answers is measured in bench/ (tests assert no wall-clock times); here it answers
  // with the loop over: the job saving, with its final step count.
  const stopped = await client.call('stop', { job_id: reply.job_id });
  expect(stopped).toMatchObject({ status: 'saving', result: null, model: reply.model });
  const steps = stopped.progress.timesteps;
  expect(steps).toBeGreaterThan(0);
  expect(steps).toBeLessThan(10_000_000);
  const done = await finalFrame(client, reply.job_id);
  expect(done.method).toBe('train.done');
  expect(done.params).toMatchObject({ status: 'stopped', stop_reason: 'stopped', model: reply.model, timesteps: steps });

  const { models } = await client.call('models', { name: reply.model });
  expect(models[0]).toMatchObject({ stop_reason: 'stopped', timesteps: steps });
  const prediction = await client.call('predict', { model: reply.model, observation: [0, 0, 0.01, 0] });
  expect([0, 1]).toContain(prediction.action);
  // Stopping a finished job answers it as it is.
  expect(await client.call('stop', { job_id: reply.job_id })).toMatchObject({ status: 'stopped', result: { timesteps: steps } });
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

  test('ppo hidden 1024×4: stop answers before the 34 MB save, train.done after it, and the step count stays put', async () => {
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
    // Frames and replies arrive in the order the server sent them: no train.done yet, as the save has not ended.
    expect(framesOf(c, reply.job_id, 'train.done')).toEqual([]);
    expect(stopped).toMatchObject({ status: 'saving', result: null, model: reply.model });
    const steps = stopped.progress.timesteps;
    expect(steps).toBeLessThan(10_000_000);
    expect((await c.call('job', { job_id: reply.job_id })).progress.timesteps).toBe(steps);

    const done = await finalFrame(c, reply.job_id, 60_000);
    if (process.env.PALESTRA_REPORT_TIMES) {
      process.stdout.write(`stop latency (ppo 1024×4): reply ${latencyMs.toFixed(0)} ms, train.done ${(performance.now() - t0).toFixed(0)} ms after the request\n`);
    }
    expect(done.method).toBe('train.done');
    expect(done.params).toMatchObject({ status: 'stopped', stop_reason: 'stopped', model: reply.model, timesteps: steps });
    expect((await c.call('job', { job_id: reply.job_id })).progress.timesteps).toBe(steps);
    const { models } = await c.call('models', { name: reply.model });
    expect(models[0]).toMatchObject({ name: reply.model, stop_reason: 'stopped', timesteps: steps });
    expect(models[0].size_bytes).toBeGreaterThan(30_000_000);
    const prediction = await c.call('predict', { model: reply.model, observation: [0, 0, 0.01, 0] });
    expect([0, 1]).toContain(prediction.action);
  }, 120_000);
});
