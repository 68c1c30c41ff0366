/** `train` over a real socket: an id at once, ordered progress frames, one train.done, the job in `jobs`. */
import type { PalestraServer } from '../../src';
import { RpcClient, RpcError, startTestServer } from '../helpers/server';
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

test('health and hello name the numerics backend chosen at start-up', async () => {
  const health = await client.call('health');
  expect(['tensorflow', 'wasm', 'cpu']).toContain(health.backend);
  const hello = await client.call('hello');
  expect(hello.backend).toBe(health.backend);
  expect(hello.capabilities).toContain('training');
  expect(hello.methods).toEqual(expect.arrayContaining(['train', 'stop', 'jobs', 'job', 'subscribe', 'evaluate', 'predict', 'models', 'delete_model']));
});

test('a short run answers at once, streams ordered progress frames, and ends in train.done with a saved model', async () => {
  const reply = await client.call('train', { env_id: 'CartPole-v1', algorithm: 'ppo', total_timesteps: 4096, seed: 3, session: 'train-test' });
  // It answered at once: before the job could finish.
  expect(reply.status).toBe('running');
  expect(framesOf(client, reply.job_id, 'train.done')).toHaveLength(0);
  expect(reply.hyperparameters.n_envs).toBe(8);
  expect(reply.total_timesteps).toBe(4096);

  const done = await finalFrame(client, reply.job_id);
  expect(done.method).toBe('train.done');
  const progress = framesOf(client, reply.job_id, 'train.progress').map((f) => f.params);
  expect(progress.length).toBeGreaterThanOrEqual(2);
  progress.forEach((p, i) => {
    expect(p.seq).toBe(i + 1);
    if (i > 0) expect(p.timesteps).toBeGreaterThanOrEqual(progress[i - 1].timesteps);
  });
  expect(progress[progress.length - 1].losses).toHaveProperty('policy');
  expect(progress[progress.length - 1].entropy).toBeGreaterThan(0);
  // Nothing follows the final frame.
  const all = framesOf(client, reply.job_id);
  expect(all[all.length - 1].method).toBe('train.done');

  const summary = framesOf(client, reply.job_id, 'train.done')[0].params;
  expect(summary).toMatchObject({ status: 'completed', stop_reason: 'total_timesteps', model: reply.model, timesteps: 4096 });
  expect(summary.evaluation.episodes).toBe(10);

  const job = await client.call('job', { job_id: reply.job_id });
  expect(job).toMatchObject({ status: 'completed', kind: 'train', model: reply.model, queue_position: null });
  expect(job.result.model).toBe(reply.model);
  const { jobs } = await client.call('jobs', { session: 'train-test' });
  expect(jobs.map((j: any) => j.job_id)).toContain(reply.job_id);
  // A status filter takes one state or several.
  const ids = async (status: unknown) => (await client.call('jobs', { session: 'train-test', status })).jobs.map((j: any) => j.job_id);
  expect(await ids('completed')).toContain(reply.job_id);
  expect(await ids(['queued', 'running', 'completed'])).toContain(reply.job_id);
  expect(await ids(['queued', 'running'])).not.toContain(reply.job_id);
  await expect(client.call('jobs', { status: [] })).rejects.toMatchObject({ code: -32602 });
  const { models } = await client.call('models', { name: reply.model });
  expect(models[0]).toMatchObject({ name: reply.model, algorithm: 'ppo', env_id: 'CartPole-v1', seed: 3, timesteps: 4096 });
  expect(models[0].curve.length).toBeGreaterThan(0);
  expect(models[0].evaluations.length).toBeGreaterThan(0);
});

test('another connection can subscribe; a dropped connection does not stop the job', async () => {
  const starter = await RpcClient.connect(server.url);
  const reply = await starter.call('train', { env_id: 'CartPole-v1', total_timesteps: 4096, seed: 4 });
  starter.close();
  await starter.closed;
  const watcher = await RpcClient.connect(server.url);
  try {
    const sub = await watcher.call('subscribe', { job_id: reply.job_id });
    expect(sub.job_id).toBe(reply.job_id);
    const done = await finalFrame(watcher, reply.job_id);
    expect(done.method).toBe('train.done');
    expect(done.params.stop_reason).toBe('total_timesteps');
  } finally {
    watcher.close();
  }
});

test('Gymie framing: train answers once, when the job has finished', async () => {
  const { GymieClient } = await import('../helpers/server');
  const gymie = await GymieClient.connect(server.url);
  try {
    const text = await gymie.request('train', { env_id: 'FrozenLake-v1', total_timesteps: 2000, seed: 1, env_kwargs: { is_slippery: false } });
    const summary = JSON.parse(text);
    expect(summary).toMatchObject({ status: 'completed', algorithm: 'q_learning', env_id: 'FrozenLake-v1', timesteps: 2000 });
    // The connection stays usable, replies still in order.
    expect(await gymie.request('make', { env_id: 'CartPole-v1' })).toMatch(/^[0-9a-f]{32}$/);
  } finally {
    gymie.close();
  }
});

test('jobs beyond the concurrency cap queue and say so', async () => {
  const capped = await startTestServer({ maxConcurrentJobs: 1 });
  const c = await RpcClient.connect(capped.url);
  try {
    const first = await c.call('train', { env_id: 'CartPole-v1', total_timesteps: 1_000_000, seed: 1 });
    const second = await c.call('train', { env_id: 'CartPole-v1', total_timesteps: 1_000_000, seed: 2 });
    expect(first.status).toBe('running');
    expect(second).toMatchObject({ status: 'queued', queue_position: 0 });
    expect((await c.call('job', { job_id: second.job_id })).status).toBe('queued');
    const stopped = await c.call('stop', { job_id: second.job_id });
    expect(stopped.status).toBe('stopped');
    await c.call('stop', { job_id: first.job_id });
  } finally {
    c.close();
    await capped.close();
  }
});

test('stop and job of an unknown job are job_not_found', async () => {
  await expect(client.call('stop', { job_id: 'nope' })).rejects.toMatchObject({ code: 2000 });
  await expect(client.call('job', { job_id: 'nope' })).rejects.toBeInstanceOf(RpcError);
});
