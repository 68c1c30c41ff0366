/**
 * Shutdown keeps work: `server.close()` stops and saves running jobs, tells
 * their owners (`train.done` stopped, or `train.error`), closes sockets with
 * 1001, and keeps queued jobs in `queue.json` for the next start.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListenError } from '../../src';
import { RpcClient, rejection, startTestServer } from '../helpers/server';
import { finalFrame, framesOf, until } from './helpers';

test('close(): the running job is stopped and saved, the queued one kept for the next start, sockets closed with 1001', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'palestra-shutdown-'));
  const server = await startTestServer({ dataDir, maxConcurrentJobs: 1 });
  const client = await RpcClient.connect(server.url);
  const running = await client.call('train', { env_id: 'CartPole-v1', algorithm: 'ppo', total_timesteps: 10_000_000, seed: 3, name: 'kept-running' });
  const queued = await client.call('train', { env_id: 'FrozenLake-v1', total_timesteps: 2000, seed: 4, name: 'kept-queued' });
  expect(queued.status).toBe('queued');
  await until(() => framesOf(client, running.job_id, 'train.progress').length >= 2, 30_000, 'progress');

  await server.close();
  const closed = await client.closed;
  expect(closed).toEqual({ code: 1001, reason: 'Server shutting down' });
  const done = await finalFrame(client, running.job_id, 1);
  expect(done.method).toBe('train.done');
  expect(done.params).toMatchObject({ status: 'stopped', stop_reason: 'stopped', model: 'kept-running' });
  const dropped = await finalFrame(client, queued.job_id, 1);
  expect(dropped.method).toBe('train.error');
  expect(dropped.params.error).toMatchObject({ name: 'shutting_down', data: { kept: true } });
  const kept = JSON.parse(readFileSync(join(dataDir, 'queue.json'), 'utf8'));
  expect(kept.map((k: { name: string }) => k.name)).toEqual(['kept-queued']);

  // The next start resubmits the queued job and forgets the file; the stopped job's model is there.
  const again = await startTestServer({ dataDir, maxConcurrentJobs: 1 });
  const c = await RpcClient.connect(again.url);
  try {
    expect(existsSync(join(dataDir, 'queue.json'))).toBe(false);
    const { jobs } = await c.call('jobs', {});
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ model: 'kept-queued', env_id: 'FrozenLake-v1', seed: 4, total_timesteps: 2000 });
    const { models } = await c.call('models', { name: 'kept-running' });
    expect(models[0]).toMatchObject({ stop_reason: 'stopped', timesteps: done.params.timesteps });
    await c.call('stop', { job_id: jobs[0].job_id });
  } finally {
    c.close();
    await again.close();
  }
}, 120_000);

test('checkpoints: a running job saves its model as it goes (stop_reason "checkpoint"), and the final save replaces it', async () => {
  const server = await startTestServer({ checkpointSeconds: 1 });
  const client = await RpcClient.connect(server.url);
  try {
    const reply = await client.call('train', { env_id: 'CartPole-v1', algorithm: 'ppo', total_timesteps: 10_000_000, seed: 6, hyperparameters: { eval_freq: 0 } });
    let models: any[] = [];
    while (models.length === 0) {
      models = (await client.call('models', {})).models.filter((m: { name: string }) => m.name === reply.model);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(models[0]).toMatchObject({ name: reply.model, stop_reason: 'checkpoint' });
    expect(models[0].timesteps).toBeGreaterThan(0);
    const stopped = await client.call('stop', { job_id: reply.job_id });
    expect(stopped.status).toBe('saving');
    const done = await finalFrame(client, reply.job_id);
    expect(done.params).toMatchObject({ status: 'stopped', timesteps: stopped.progress.timesteps });
    const after = (await client.call('models', { name: reply.model })).models;
    expect(after[0]).toMatchObject({ stop_reason: 'stopped', timesteps: stopped.progress.timesteps });
    expect(stopped.progress.timesteps).toBeGreaterThanOrEqual(models[0].timesteps);
  } finally {
    client.close();
    await server.close();
  }
}, 120_000);

test('a start whose port is taken starts no queued job: queue.json stays whole for a start that listens', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'palestra-taken-'));
  const first = await startTestServer({ dataDir, maxConcurrentJobs: 1 });
  const client = await RpcClient.connect(first.url);
  const running = await client.call('train', { env_id: 'CartPole-v1', algorithm: 'ppo', total_timesteps: 10_000_000, seed: 1, name: 'first-running' });
  expect((await client.call('train', { env_id: 'FrozenLake-v1', total_timesteps: 2000, seed: 2, name: 'waits-its-turn' })).status).toBe('queued');
  await until(() => framesOf(client, running.job_id, 'train.progress').length >= 1, 30_000, 'progress');
  await first.close();
  const queueFile = join(dataDir, 'queue.json');
  const kept = readFileSync(queueFile, 'utf8');

  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
  const port = (squatter.address() as { port: number }).port;
  try {
    const refused = await rejection<ListenError>(startTestServer({ dataDir, port, maxConcurrentJobs: 1 }));
    expect(refused).toBeInstanceOf(ListenError);
    expect(refused.message).toMatch(/already in use/);
  } finally {
    await new Promise((resolve) => squatter.close(resolve));
  }
  // Nothing ran: the queued job is still in the file, and it saved no model.
  expect(readFileSync(queueFile, 'utf8')).toBe(kept);
  expect(existsSync(join(dataDir, 'models', 'waits-its-turn.json'))).toBe(false);

  const again = await startTestServer({ dataDir, maxConcurrentJobs: 1 });
  const c = await RpcClient.connect(again.url);
  try {
    const { jobs } = await c.call('jobs', {});
    expect(jobs.map((j: { model: string }) => j.model)).toEqual(['waits-its-turn']);
    expect(existsSync(queueFile)).toBe(false);
  } finally {
    c.close();
    await again.close();
  }
}, 120_000);
