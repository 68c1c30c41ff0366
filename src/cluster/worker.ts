/**
 * A cluster worker (`palestra worker --queue redis://...`): takes jobs from
 * the BullMQ queue, `concurrency` at a time, and runs each with the same job
 * manager a server uses (a worker thread per job, checkpoints, the final
 * save), into the data directory every node shares. What the manager tells
 * goes to Redis (the job's record and the events channel), so the node that
 * holds a subscriber's socket can send its frames; the ids published on the
 * stop channel stop the jobs running here. It records each training run, as
 * a server does for its own jobs.
 *
 * BullMQ holds a lock on each job it runs, renewed from this process's event
 * loop (free, since training is in worker threads); a worker killed with its
 * jobs stops renewing, and after `lockMs` another worker finds them stalled.
 */
import { Job as QueueJob, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { PalestraError, asPalestraError } from '../errors';
import { DataQuota } from '../models/quota';
import { ModelStore } from '../models/store';
import { RunRecorder } from '../runs/recorder';
import { RunStore } from '../runs/store';
import { loadBackend } from '../train/core/backend';
import { JobManager } from '../train/jobs/manager';
import { JobState, evaluationResult, jobError, trainSummary } from '../train/jobs/records';
import { planFromJSON } from '../train/jobs/runner';
import { QUEUE_NAME, STOP_CHANNEL, connect, queueConnection, reachable, stopKey } from './connection';
import { announce, release } from './messages';

/** A worker's settings. */
export interface ClusterWorkerOptions {
  url: string;
  /** The data directory every node and worker shares (models and runs). */
  dataDir: string;
  /** Jobs run at once. */
  concurrency: number;
  /** Times a job whose worker died is put back on the queue before it fails. */
  retries: number;
  logger: Logger;
  backend?: string;
  envModules?: string[];
  checkpointSeconds?: number;
  dataDirQuotaBytes?: number;
  /** How long a job's lock lasts unrenewed: a dead worker's jobs are found stalled after about this (default 30 s). */
  lockMs?: number;
  /** Seconds running jobs get to stop and save when the worker is closed. */
  shutdownGraceMs?: number;
}

/** A running worker. */
export interface ClusterWorker {
  readonly manager: JobManager;
  /** Takes no more jobs, stops and saves the running ones, disconnects. */
  close(): Promise<void>;
}

export async function startClusterWorker(opts: ClusterWorkerOptions): Promise<ClusterWorker> {
  const { logger } = opts;
  const backend = await loadBackend(opts.backend ?? 'auto');
  const store = new ModelStore(opts.dataDir, opts.dataDirQuotaBytes ?? 0);
  await store.init();
  const manager = new JobManager({
    store,
    logger,
    backend: backend.name,
    maxConcurrent: opts.concurrency,
    maxQueued: opts.concurrency,
    envModules: opts.envModules,
    checkpointSeconds: opts.checkpointSeconds,
  });
  const recorder = new RunRecorder(new RunStore(opts.dataDir, logger, new DataQuota(opts.dataDir, opts.dataDirQuotaBytes ?? 0)), manager, { logger });
  const redis = connect(opts.url);
  const sub = connect(opts.url);
  for (const c of [redis, sub]) c.on('error', (err) => logger.debug({ err: err.message }, 'redis connection'));
  try {
    await reachable(redis, opts.url);
  } catch (err) {
    redis.disconnect();
    sub.disconnect();
    throw err;
  }
  const say = (event: Parameters<typeof announce>[1], job: JobState) =>
    announce(redis, event, job).catch((err: Error) => logger.warn({ job_id: job.id, err: err.message }, 'job state not published'));

  manager.on('start', ({ job }) => void say('start', job));
  manager.on('progress', ({ job }) => void say('progress', job));
  // The manager tells `done` just before the job takes its final state; the record goes out with that state.
  manager.on('done', ({ job }) => void job.done.then((j) => say('done', j)));
  manager.on('error', ({ job }) => void say('error', job));

  sub.on('message', (_channel, id: string) => {
    let job;
    try {
      job = manager.get(id);
    } catch {
      return; // Not one of ours.
    }
    if (manager.isFinal(job)) return;
    const stopping = manager.stop(id);
    void say('update', job);
    void stopping.then((j) => {
      if (!manager.isFinal(j)) void say('update', j);
    });
  });
  await sub.subscribe(STOP_CHANNEL);

  const process = async (queued: QueueJob): Promise<{ status: string }> => {
    const state = (queued.data as { job: JobState }).job;
    if (queued.stalledCounter > 0) logger.warn({ job_id: state.id, retry: queued.stalledCounter }, 'job retried: the worker that ran it stopped');
    if (await redis.exists(stopKey(state.id))) {
      // Stopped between the queue and here: it ends as a queued job stopped does.
      const record: JobState = { ...state, status: 'stopped', finished_at: new Date().toISOString() };
      record.result = state.kind === 'train' ? trainSummary(record, null, 'stopped') : evaluationResult(record, { returns: [], lengths: [] }, 'stopped');
      await say('done', record);
      if (state.kind === 'train') await release(redis, state.model, state.id);
      return { status: 'stopped' };
    }
    let job;
    try {
      if (state.trainPlan) state.trainPlan = planFromJSON(state.trainPlan);
      if (state.kind === 'evaluate' && state.evalPlan) {
        const { params } = await store.load(state.model);
        state.evalPlan.policy.params = params;
      }
      job = await manager.adopt(state);
    } catch (err) {
      const e = asPalestraError(err);
      await say('error', { ...state, status: 'failed', finished_at: new Date().toISOString(), error: jobError(e) });
      if (state.kind === 'train' && e.errorName !== 'model_exists') await release(redis, state.model, state.id);
      throw e;
    }
    // A stop that came while the job was being adopted found nothing to stop here; its mark is still there.
    if (await redis.exists(stopKey(state.id))) void manager.stop(state.id).catch(() => undefined);
    const final = await job.done;
    if (final.kind === 'train') await release(redis, final.model, final.id);
    if (final.status === 'failed') throw new PalestraError('job_failed', final.error?.message ?? 'failed');
    return { status: final.status };
  };

  const lockMs = opts.lockMs ?? 30_000;
  const worker = new Worker(QUEUE_NAME, process, {
    connection: queueConnection(opts.url),
    concurrency: opts.concurrency,
    lockDuration: lockMs,
    stalledInterval: lockMs,
    maxStalledCount: opts.retries,
  });
  worker.on('error', (err) => logger.debug({ err: err.message }, 'queue worker connection'));
  await worker.waitUntilReady();
  logger.info({ concurrency: opts.concurrency, backend: backend.name, data_dir: opts.dataDir }, 'worker taking jobs from the queue');

  return {
    manager,
    async close() {
      // No new jobs; the running ones stop and save, which ends their processors, which lets the worker close.
      const closing = worker.close();
      await manager.close(opts.shutdownGraceMs ?? 30_000);
      await closing;
      await recorder.close();
      sub.disconnect();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
