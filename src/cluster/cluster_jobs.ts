/**
 * A node's jobs when they run on the cluster (`--queue redis://...`): `train`
 * and `evaluate` put a job on the BullMQ queue and its record in Redis, and
 * `palestra worker` processes, wherever they are, run them. Every node keeps
 * a mirror of every job's record, loaded from Redis at start and kept current
 * by the events channel the workers publish on, so `job`, `jobs`,
 * `subscribe` and the frames work on any node for any job. `stop` marks the
 * job in Redis and publishes its id; the worker running it raises its stop
 * flag (a queued job is taken off the queue at once).
 *
 * Jobs whose worker dies are BullMQ's stalled jobs: put back on the queue
 * up to `--job-retries` times, then failed; every node listens for that
 * failure, since the dead worker cannot tell it. What a node's listeners
 * miss (it was cut off from Redis when a job ended or failed) it finds by
 * reading every unfinished job's record and queue state every few seconds.
 */
import { EventEmitter } from 'node:events';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { PalestraError, asPalestraError } from '../errors';
import { ModelStore, checkModelName } from '../models/store';
import { FINAL, JobRecord, JobState, defaultModelName, evaluationResult, jobError, jobRecord, newJobId, trainSummary } from '../train/jobs/records';
import type { EvaluationPlan, TrainPlan } from '../train/jobs/runner';
import type { ClusterFigures, JobEvents, JobService, TrackedJob } from '../train/jobs/service';
import { EVENTS_CHANNEL, JOBS_KEY, QUEUE_NAME, STOP_CHANNEL, connect, queueConnection, reachable, reserveKey, stopKey } from './connection';
import { ClusterEvent, announce, decode, recordOf, release } from './messages';

/** A job as a node mirrors it. */
export interface MirroredJob extends TrackedJob {
  done: Promise<MirroredJob>;
  settle: (job: MirroredJob) => void;
  /** Settles when the job's loop has ended (saving, or final). */
  ended: Promise<void>;
  endLoop: () => void;
}

/** A node's cluster settings. */
export interface ClusterJobsOptions {
  url: string;
  store: ModelStore;
  logger: Logger;
  /** The numerics backend this node chose (workers choose their own). */
  backend: string;
  /** Jobs the queue may hold waiting before `train` answers job_queue_full. */
  maxQueued?: number;
  /** Finished jobs each node keeps in its mirror. */
  history?: number;
}

const WAITING = new Set(['waiting', 'delayed', 'prioritized', 'paused', 'waiting-children']);

/** How often (in refreshes, one a second) unfinished jobs are checked against Redis and the queue. */
const RECONCILE_EVERY = 5;
/** A job younger than this may not be on the queue yet (it is added just after its record). */
const RECONCILE_GRACE_MS = 2000;

export class ClusterJobs extends EventEmitter<JobEvents<MirroredJob>> implements JobService {
  private readonly jobs = new Map<string, MirroredJob>();
  private readonly redis: Redis;
  private readonly sub: Redis;
  private readonly queue: Queue;
  private readonly events: QueueEvents;
  private figures: ClusterFigures = { queue_depth: 0, workers: 0, queue: {}, connected: false };
  private timer: NodeJS.Timeout | null = null;
  private refreshes = 0;
  /** Jobs whose queue failure is being recorded. */
  private readonly failing = new Set<string>();
  private closed = false;
  /** Barriers waiting for their echo on the events channel, by token. */
  private readonly barriers = new Map<string, () => void>();

  private constructor(readonly opts: ClusterJobsOptions) {
    super();
    this.redis = connect(opts.url);
    this.sub = connect(opts.url);
    this.queue = new Queue(QUEUE_NAME, { connection: queueConnection(opts.url) });
    this.events = new QueueEvents(QUEUE_NAME, { connection: queueConnection(opts.url) });
    for (const c of [this.redis, this.sub]) c.on('error', (err) => opts.logger.debug({ err: err.message }, 'redis connection'));
    this.queue.on('error', (err) => opts.logger.debug({ err: err.message }, 'queue connection'));
    this.events.on('error', (err) => opts.logger.debug({ err: err.message }, 'queue events connection'));
  }

  /** Connects, loads every job's record and starts following the cluster. */
  static async open(opts: ClusterJobsOptions): Promise<ClusterJobs> {
    const jobs = new ClusterJobs(opts);
    try {
      await jobs.init();
    } catch (err) {
      await jobs.close();
      throw err;
    }
    return jobs;
  }

  private async init(): Promise<void> {
    // Within Fastify's time for a plugin to start, so the reason reaches the user.
    await reachable(this.redis, this.opts.url, 3000);
    this.sub.on('message', (_channel, text) => {
      if (text.startsWith('barrier:')) {
        this.barriers.get(text)?.();
        this.barriers.delete(text);
        return;
      }
      const m = decode(text);
      if (m) this.apply(m.job, m.event);
    });
    // Subscribed before the records are read, so no change falls between the two.
    await this.sub.subscribe(EVENTS_CHANNEL);
    const records = Object.values(await this.redis.hgetall(JOBS_KEY))
      .map((text) => JSON.parse(text) as JobState)
      .sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
    for (const r of records) if (!this.jobs.has(r.id)) this.apply(r, 'update');
    this.forget();
    this.events.on('failed', ({ jobId, failedReason }) => void this.onQueueFailed(jobId, failedReason));
    this.events.on('stalled', ({ jobId }) => {
      const job = this.jobs.get(jobId);
      this.opts.logger.warn({ job_id: jobId, model: job?.model }, 'job stalled: its worker stopped answering; the queue retries or fails it');
    });
    await this.events.waitUntilReady();
    // Jobs that failed while no node was listening (their worker died, the queue failed them).
    for (const job of this.jobs.values()) {
      if (FINAL.has(job.status)) continue;
      const state = await this.queue.getJobState(job.id);
      if (state === 'failed') await this.onQueueFailed(job.id, (await this.queue.getJob(job.id))?.failedReason ?? 'failed');
      else if (state === 'unknown') await this.onQueueFailed(job.id, 'the job is no longer on the queue');
    }
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), 1000);
    this.timer.unref();
  }

  get store(): ModelStore {
    return this.opts.store;
  }

  get backend(): string {
    return this.opts.backend;
  }

  private newMirror(record: JobState): MirroredJob {
    let settle!: (job: MirroredJob) => void;
    const done = new Promise<MirroredJob>((resolve) => (settle = resolve));
    let endLoop!: () => void;
    const ended = new Promise<void>((resolve) => (endLoop = resolve));
    return {
      ...record,
      done,
      ended,
      endLoop,
      settle: (j) => {
        endLoop();
        settle(j);
      },
    };
  }

  /** Takes a record from the cluster into the mirror and emits what it says happened. */
  private apply(record: JobState, event: ClusterEvent): void {
    let job = this.jobs.get(record.id);
    if (job && FINAL.has(job.status)) return;
    if (!job) {
      job = this.newMirror(record);
      this.jobs.set(job.id, job);
    } else {
      const { trainPlan, evalPlan, ...fields } = record;
      Object.assign(job, fields);
      if (trainPlan) job.trainPlan = trainPlan;
      if (evalPlan && !job.evalPlan) job.evalPlan = evalPlan;
    }
    if (event === 'start') this.emit('start', { job });
    else if (event === 'progress' && job.progress) {
      if (job.kind === 'train') this.emit('progress', { job, kind: 'train', progress: job.progress as never });
      else this.emit('progress', { job, kind: 'evaluate', progress: job.progress as never });
    } else if (event === 'done' && job.result) {
      if (job.kind === 'train') this.emit('done', { job, kind: 'train', result: job.result as never });
      else this.emit('done', { job, kind: 'evaluate', result: job.result as never });
    } else if (event === 'error' && job.error && this.listenerCount('error') > 0) this.emit('error', { job, error: job.error });
    if (job.status === 'saving' || FINAL.has(job.status)) job.endLoop();
    if (FINAL.has(job.status)) {
      job.settle(job);
      this.forget();
    }
  }

  /** A job the queue failed: its worker died (stalled beyond the retries) or failed before it could say so. */
  private async onQueueFailed(id: string, reason: string): Promise<void> {
    const job = this.jobs.get(id);
    // The failure event and the reconciling pass may both find it: the first one ends it.
    if (!job || FINAL.has(job.status) || this.failing.has(id)) return;
    this.failing.add(id);
    try {
      await this.endFailed(job, id, reason);
    } finally {
      this.failing.delete(id);
    }
  }

  /** Fails the job here and on every node, saying whether its worker was lost and after how many retries. */
  private async endFailed(job: MirroredJob, id: string, reason: string): Promise<void> {
    const stalled = /stall/i.test(reason) || /no longer on the queue/.test(reason);
    // Each stall counts once; the last one failed it, the ones before were retries (the workers' --job-retries).
    const stalls = (await this.queue.getJob(id).catch(() => undefined))?.stalledCounter ?? 1;
    const retries = Math.max(0, stalls - 1);
    const err = stalled
      ? new PalestraError(
          'job_failed',
          `The worker running job ${id} stopped (killed, or cut off from Redis) and the job was ` +
            (retries > 0 ? `not finished after ${retries} ${retries === 1 ? 'retry' : 'retries'}` : 'not retried') +
            ` (--job-retries ${retries} on the workers)${job.kind === 'train' ? `; its last checkpoint, if one was saved, is the model ${job.model}` : ''}`,
          { job_id: id, reason: 'worker_lost', retries },
        )
      : new PalestraError('job_failed', `Job ${id} failed: ${reason}`, { job_id: id, reason });
    const record: JobState = { ...recordOf(job), status: 'failed', finished_at: new Date().toISOString(), error: jobError(err) };
    this.apply(record, 'error');
    this.opts.logger.warn({ job_id: id, reason }, 'job failed on the queue');
    await announce(this.redis, 'error', record).catch(() => undefined);
    if (job.kind === 'train') await release(this.redis, job.model, id).catch(() => undefined);
  }

  private async enqueue(job: MirroredJob): Promise<void> {
    const maxQueued = this.opts.maxQueued ?? 64;
    const waiting = this.figures.queue_depth;
    if (waiting >= maxQueued) {
      throw new PalestraError('job_queue_full', `${waiting} jobs are already waiting on the cluster's queue; try again when one has started`, {
        queued: waiting,
        max_queued: maxQueued,
      });
    }
    this.jobs.set(job.id, job);
    const record = recordOf(job);
    await announce(this.redis, 'update', record);
    await this.queue.add(job.kind, { job: record }, { jobId: job.id, attempts: 1, removeOnComplete: 1000, removeOnFail: 1000 });
    this.figures.queue_depth += 1;
  }

  private fresh(kind: JobState['kind'], fields: Pick<JobState, 'env_id' | 'algorithm' | 'model' | 'session' | 'seed' | 'owner'>, id = newJobId()): MirroredJob {
    return this.newMirror({ id, kind, status: 'queued', ...fields, created_at: new Date().toISOString(), started_at: null, finished_at: null, progress: null, result: null, error: null, backend: null });
  }

  async submitTrain(plan: TrainPlan, opts: { name?: string; session?: string | null; owner?: string } = {}): Promise<MirroredJob> {
    if (this.closed) throw new PalestraError('shutting_down', 'The server is shutting down and starts no new jobs');
    await this.store.quota.checkRoom('Cannot start training');
    const id = newJobId();
    const name = opts.name !== undefined ? checkModelName(opts.name) : defaultModelName(plan.env_id, plan.algorithm, id);
    // The name is reserved cluster-wide, so two nodes cannot start jobs that save to one name.
    const reserved = (await this.redis.set(reserveKey(name), id, 'NX')) === 'OK';
    if (!reserved || (await this.store.exists(name))) {
      if (reserved) await this.redis.del(reserveKey(name));
      throw new PalestraError('model_exists', `A model named ${name} already exists (or a job is training it); choose another name`, { model: name });
    }
    const job = this.fresh('train', { env_id: plan.env_id, algorithm: plan.algorithm, model: name, session: opts.session ?? null, seed: plan.seed, owner: opts.owner ?? null }, id);
    job.trainPlan = plan;
    try {
      await this.enqueue(job);
    } catch (err) {
      this.jobs.delete(id);
      await this.redis.del(reserveKey(name));
      throw asPalestraError(err);
    }
    return job;
  }

  async submitEvaluate(model: string, algorithm: string, plan: EvaluationPlan, session: string | null, owner: string | null = null): Promise<MirroredJob> {
    if (this.closed) throw new PalestraError('shutting_down', 'The server is shutting down and starts no new jobs');
    const job = this.fresh('evaluate', { env_id: plan.env_id, algorithm, model, session, seed: plan.seed, owner });
    job.evalPlan = plan;
    try {
      await this.enqueue(job);
    } catch (err) {
      this.jobs.delete(job.id);
      throw asPalestraError(err);
    }
    return job;
  }

  get(id: string): MirroredJob {
    const job = this.jobs.get(id);
    if (!job) throw new PalestraError('job_not_found', `No job ${id}`, { job_id: id });
    return job;
  }

  list(): MirroredJob[] {
    return [...this.jobs.values()];
  }

  queuePosition(job: TrackedJob): number | null {
    if (job.status !== 'queued') return null;
    const queued = this.list().filter((j) => j.status === 'queued');
    const i = queued.findIndex((j) => j.id === job.id);
    return i < 0 ? null : i;
  }

  isFinal(job: TrackedJob): boolean {
    return FINAL.has(job.status);
  }

  info(job: TrackedJob): JobRecord {
    return jobRecord(job, this.queuePosition(job));
  }

  /**
   * Stops a job wherever it is: a queued one is taken off the queue and ends
   * `stopped` here; a running one is marked and its id published, and the
   * worker running it raises its stop flag. Resolves once its loop has ended
   * (or after `waitMs`).
   */
  async stop(id: string, waitMs = 10_000): Promise<MirroredJob> {
    const job = this.get(id);
    if (FINAL.has(job.status) || job.status === 'saving') return job;
    await this.redis.set(stopKey(id), '1', 'EX', 24 * 3600);
    if (job.status === 'queued') {
      const queued = await this.queue.getJob(id);
      let removed = false;
      if (queued && WAITING.has(await queued.getState())) removed = await queued.remove().then(() => true, () => false);
      if (removed || !queued) {
        const record: JobState = { ...recordOf(job), status: 'stopped', finished_at: new Date().toISOString() };
        record.result = job.kind === 'train' ? trainSummary(record, null, 'stopped') : evaluationResult(record, { returns: [], lengths: [] }, 'stopped');
        this.apply(record, 'done');
        await announce(this.redis, 'done', record);
        if (job.kind === 'train') await release(this.redis, job.model, id);
        return job;
      }
    }
    await this.redis.publish(STOP_CHANNEL, id);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([job.ended, new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
    return job;
  }

  /**
   * A message this node publishes on the events channel comes back after every
   * message published before it (one channel keeps its order), so its echo
   * says the mirror has caught up; bounded by a second while Redis is away.
   */
  async caughtUp(): Promise<void> {
    const token = `barrier:${newJobId()}`;
    let timer: NodeJS.Timeout | undefined;
    const echoed = new Promise<void>((resolve) => this.barriers.set(token, resolve));
    await Promise.race([
      this.redis.publish(EVENTS_CHANNEL, token).then(() => echoed),
      new Promise((resolve) => (timer = setTimeout(resolve, 1000))),
    ]);
    clearTimeout(timer);
    this.barriers.delete(token);
  }

  async resumeQueue(): Promise<void> {
    // The queue lives in Redis; nothing waits in this process.
  }

  cluster(): ClusterFigures {
    return { ...this.figures, connected: this.redis.status === 'ready' };
  }

  /** Reads the queue's counts and the workers connected, for health and metrics. */
  private async refresh(): Promise<void> {
    if (this.redis.status !== 'ready') return;
    try {
      const queue = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed');
      const workers = await this.queue.getWorkersCount();
      this.figures = { queue_depth: queue.waiting + queue.delayed + queue.prioritized, workers, queue, connected: true };
      if (++this.refreshes % RECONCILE_EVERY === 0) await this.reconcile();
    } catch (err) {
      this.opts.logger.debug({ err: (err as Error).message }, 'queue figures not read');
    }
  }

  /**
   * Ends here what has ended on the cluster without this node hearing it: an
   * unfinished job whose record in Redis is final takes that record, and one
   * the queue failed or no longer holds fails as the failure event would have
   * made it.
   */
  private async reconcile(): Promise<void> {
    const now = Date.now();
    for (const job of [...this.jobs.values()]) {
      if (FINAL.has(job.status) || now - Date.parse(job.created_at) < RECONCILE_GRACE_MS) continue;
      const text = await this.redis.hget(JOBS_KEY, job.id);
      const stored = text === null ? null : (JSON.parse(text) as JobState);
      if (stored && FINAL.has(stored.status)) {
        this.apply(stored, stored.status === 'failed' ? 'error' : 'done');
        continue;
      }
      const state = await this.queue.getJobState(job.id);
      if (state === 'failed') await this.onQueueFailed(job.id, (await this.queue.getJob(job.id))?.failedReason ?? 'failed');
      else if (state === 'unknown') await this.onQueueFailed(job.id, 'the job is no longer on the queue');
    }
  }

  /** Drops the oldest finished jobs beyond the history limit, here and in Redis (every node keeps the same history). */
  private forget(): void {
    const limit = this.opts.history ?? 200;
    const finished = [...this.jobs.values()].filter((j) => FINAL.has(j.status));
    const dropped = finished.slice(0, Math.max(0, finished.length - limit)).map((j) => j.id);
    for (const id of dropped) this.jobs.delete(id);
    if (dropped.length > 0 && this.redis.status === 'ready') void this.redis.hdel(JOBS_KEY, ...dropped).catch(() => undefined);
  }

  /** Disconnects; jobs carry on in the workers, and every other node still sees them. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    // Closing waits for Redis; with Redis away, the connections are cut after a second instead.
    let timer: NodeJS.Timeout | undefined;
    const closing = Promise.allSettled([this.queue.close(), this.events.close()]);
    const cut = new Promise<void>((resolve) => (timer = setTimeout(resolve, 1000)));
    if ((await Promise.race([closing.then(() => 'closed'), cut])) !== 'closed') {
      void Promise.allSettled([this.queue.disconnect(), this.events.disconnect()]);
    }
    clearTimeout(timer);
    this.sub.disconnect();
    this.redis.disconnect();
  }
}
