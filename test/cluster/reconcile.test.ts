/**
 * A node that missed the events of a job's end still ends it: with its queue
 * listeners cut (as when its connection to Redis dropped while it happened), a
 * job the queue failed and a job whose record another node finished both end
 * in this node's mirror within seconds, with the frames a client waits for.
 */
import { Worker } from 'bullmq';
import pino from 'pino';
import { ClusterJobs } from '../../src/cluster/cluster_jobs';
import { QUEUE_NAME, connect, queueConnection } from '../../src/cluster/connection';
import { announce, recordOf } from '../../src/cluster/messages';
import { registry } from '../../src/envs';
import { ModelStore } from '../../src/models/store';
import { JobState, trainSummary } from '../../src/train/jobs/records';
import { planTraining } from '../../src/train/jobs/runner';
import { TestRedis, clusterSuite, sharedDir, startRedis } from './helpers';

jest.setTimeout(60_000);

/** Resolves with the first `event` the node emits for `jobId`, or rejects after `ms`. */
function nextEvent(jobs: ClusterJobs, event: 'done' | 'error', jobId: string, ms: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} for ${jobId} within ${ms} ms`)), ms);
    const on = (e: { job: { id: string } }) => {
      if (e.job.id !== jobId) return;
      clearTimeout(timer);
      jobs.off(event, on as never);
      resolve(e);
    };
    jobs.on(event, on as never);
  });
}

clusterSuite('a node reconciles what its listeners missed', () => {
  let redis: TestRedis;
  let jobs: ClusterJobs;

  beforeAll(async () => {
    redis = await startRedis();
    jobs = await ClusterJobs.open({ url: redis.url, store: new ModelStore(sharedDir()), logger: pino({ level: 'silent' }), backend: 'cpu' });
    // Fault injection: the node hears neither the queue's failures nor the other nodes' announcements.
    (jobs as unknown as { events: { removeAllListeners(e: string): void } }).events.removeAllListeners('failed');
    (jobs as unknown as { sub: { removeAllListeners(e: string): void } }).sub.removeAllListeners('message');
  });

  afterAll(async () => {
    await jobs?.close();
    await redis?.stop();
  });

  const plan = () => planTraining(registry, { env_id: 'CartPole-v1', algorithm: 'ppo', total_timesteps: 1000, seed: 1 });

  test('a job the queue failed while the node was not listening ends failed, with the reason', async () => {
    const job = await jobs.submitTrain(plan(), { name: 'missed-failure' });
    const failed = nextEvent(jobs, 'error', job.id, 30_000);
    // A worker that takes the job and fails it: the queue marks it failed, and no event reaches the node.
    const worker = new Worker(QUEUE_NAME, async () => {
      throw new Error('disk on fire');
    }, { connection: queueConnection(redis.url) });
    try {
      await failed;
    } finally {
      await worker.close();
    }
    expect(jobs.get(job.id)).toMatchObject({ status: 'failed', error: expect.objectContaining({ name: 'job_failed' }) });
    expect(jobs.get(job.id).error!.message).toMatch(/disk on fire/);
  });

  test('a job another node finished, whose announcement was missed, ends with its record', async () => {
    const job = await jobs.submitTrain(plan(), { name: 'missed-done' });
    const done = nextEvent(jobs, 'done', job.id, 30_000);
    // Another node stops it: its final record is written to Redis, and the announcement is lost.
    const other = connect(redis.url);
    try {
      const record: JobState = { ...recordOf(jobs.get(job.id)), status: 'stopped', finished_at: new Date().toISOString() };
      record.result = trainSummary(record, null, 'stopped');
      await announce(other, 'done', record);
    } finally {
      other.disconnect();
    }
    await done;
    expect(jobs.get(job.id)).toMatchObject({ status: 'stopped', result: expect.objectContaining({ stop_reason: 'stopped' }) });
  });
});
