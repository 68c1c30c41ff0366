/**
 * Faults on a cluster: a worker killed with `kill -9` mid-job (the job
 * failed with a clear error, or taken up from its checkpoint and run to the
 * end with one model saved, as `--job-retries` says), and Redis restarting
 * mid-run (nothing lost).
 */
import { RpcClient } from '../helpers/server';
import { finalFrame, framesOf, until } from '../train/helpers';
import { Node, Proc, TestRedis, clusterSuite, sharedDir, startNode, startRedis, startWorker } from './helpers';

jest.setTimeout(240_000);

const SMALL = { env_id: 'CartPole-v1', algorithm: 'ppo', hyperparameters: { n_envs: 4, n_steps: 64, batch_size: 64 } };
// Locks of 4 s: a killed worker's job is found stalled within seconds (and a busy machine's slow renewal is not taken for a death); checkpoints every second.
const WORKER_FLAGS = ['--lock-seconds', '4', '--checkpoint-seconds', '1'];

clusterSuite('faults', () => {
  let redis: TestRedis;
  let node: Node;
  let client: RpcClient;
  let dir: string;
  const procs: Proc[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    dir = sharedDir();
    node = await startNode(redis.url, dir);
    procs.push(node);
    client = await RpcClient.connect(node.url);
  });

  afterAll(async () => {
    client?.ws.close();
    await Promise.all(procs.map((p) => p.stop()));
    await redis?.stop();
  });

  /** Waits (bounded) until the job's model has a checkpoint on disk, as `models` lists it. */
  async function checkpointed(name: string, timeoutMs = 120_000): Promise<void> {
    const start = Date.now();
    for (;;) {
      const { models } = await client.call('models', {});
      if (models.some((m: { name: string; timesteps: number }) => m.name === name && m.timesteps > 0)) return;
      if (Date.now() - start > timeoutMs) throw new Error(`no checkpoint of ${name} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Starts a worker and remembers it for the clean-up. */
  async function worker(retries: number): Promise<Proc> {
    const w = await startWorker(redis.url, dir, [...WORKER_FLAGS, '--job-retries', String(retries)]);
    procs.push(w);
    return w;
  }

  test('kill -9 of the worker running a job, with --job-retries 0: the job fails, saying why; its checkpoint is the one model', async () => {
    const first = await worker(0);
    const reply = await client.call('train', { ...SMALL, total_timesteps: 10_000_000, seed: 1, name: 'killed-no-retry' });
    // Past a checkpoint (one a second), so the model holds what was learned.
    await until(() => framesOf(client, reply.job_id, 'train.progress').some((f) => f.params.elapsed_s > 2), 120_000, 'progress past a checkpoint');
    await checkpointed('killed-no-retry');
    await first.kill();
    // Another worker finds the job stalled (its lock is no longer renewed) and, with no retries, fails it.
    const second = await worker(0);
    const end = await finalFrame(client, reply.job_id, 60_000);
    expect(end.method).toBe('train.error');
    expect(end.params.error).toMatchObject({ name: 'job_failed' });
    expect(end.params.error.message).toMatch(/worker running job .* stopped .*not retried \(--job-retries 0 on the workers\)/);
    expect(await client.call('job', { job_id: reply.job_id })).toMatchObject({ status: 'failed' });
    const { models } = await client.call('models', {});
    expect(models.filter((m: { name: string }) => m.name === 'killed-no-retry')).toEqual([expect.objectContaining({ stop_reason: 'checkpoint' })]);
    await second.stop();
  });

  test('kill -9 of the worker running a job, with --job-retries 1: another worker goes on from its checkpoint to the end; one model, not two', async () => {
    const first = await worker(1);
    // A whole number of rollouts (4 × 64 steps), so the run ends on the step asked for.
    const total = 20_480;
    const reply = await client.call('train', { ...SMALL, total_timesteps: total, seed: 2, name: 'killed-retried' });
    await until(() => framesOf(client, reply.job_id, 'train.progress').some((f) => f.params.elapsed_s > 1.5), 120_000, 'progress past a checkpoint');
    // A loaded machine may write the first checkpoint late: the kill comes after it is on disk.
    await checkpointed('killed-retried');
    const before = framesOf(client, reply.job_id, 'train.progress').at(-1)!.params.timesteps;
    expect(before).toBeLessThan(total);
    const seen = framesOf(client, reply.job_id, 'train.progress').length;
    await first.kill();
    const saved = (await client.call('models', {})).models.find((m: { name: string }) => m.name === 'killed-retried');
    expect(saved.timesteps).toBeGreaterThan(0);
    await worker(1);
    const end = await finalFrame(client, reply.job_id, 180_000);
    expect(end).toMatchObject({ method: 'train.done', params: { status: 'completed', timesteps: total, model: 'killed-retried' } });
    // The second worker went on from the checkpoint: none of its frames is from before it (a run started
    // again from step 0 would report 256, 512, ...).
    const after = framesOf(client, reply.job_id, 'train.progress').slice(seen).map((f) => f.params.timesteps as number);
    expect(after.length).toBeGreaterThan(0);
    expect(Math.min(...after)).toBeGreaterThanOrEqual(saved.timesteps);
    const { models } = await client.call('models', {});
    expect(models.filter((m: { name: string }) => m.name === 'killed-retried')).toEqual([expect.objectContaining({ timesteps: total, stop_reason: expect.not.stringMatching(/checkpoint/) })]);
  });

  test('Redis restarting mid-run: the running job and the queued ones all finish, and new jobs are taken', async () => {
    // One worker (from the test before) takes one job at a time, so two of three wait on the queue across the restart.
    const replies: { job_id: string }[] = [];
    for (let i = 0; i < 3; i++) replies.push(await client.call('train', { ...SMALL, total_timesteps: 2048, seed: 10 + i, name: `restart-${i}` }));
    await until(() => framesOf(client, replies[0].job_id, 'train.progress').length > 0, 120_000, 'the first job to run');
    await redis.restart();
    for (const r of replies) {
      const end = await finalFrame(client, r.job_id, 180_000);
      expect(end).toMatchObject({ method: 'train.done', params: { status: 'completed', timesteps: 2048 } });
    }
    const later = await client.call('train', { ...SMALL, total_timesteps: 1024, seed: 20, name: 'after-restart' });
    expect(await finalFrame(client, later.job_id, 120_000)).toMatchObject({ method: 'train.done', params: { status: 'completed' } });
    const { models } = await client.call('models', {});
    expect(models.map((m: { name: string }) => m.name)).toEqual(expect.arrayContaining(['restart-0', 'restart-1', 'restart-2', 'after-restart']));
  });
});
