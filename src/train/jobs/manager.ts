/**
 * The job manager: schedules training and evaluation jobs, each in its own
 * worker thread, at most `maxConcurrent` at once and the rest queued in
 * order; saves the policy of every finished or stopped training job, and a
 * checkpoint of every running one as it goes; keeps a bounded history of
 * finished jobs. It tells what happens as typed events (`progress`, `done`,
 * `error`) and knows nothing of frames or connections.
 *
 * A training job's life: `queued`, `running`, (`stopping` once asked to stop,)
 * `saving` from the moment its worker hands back the policy until the model is
 * written, then `completed`/`stopped` (or `failed`). `stop` answers at the end
 * of the loop, not of the save, so it is quick whatever the network's size.
 *
 * At shutdown running jobs are stopped and saved (within a grace period; a
 * save already under way is always let finish), and queued training jobs are
 * written to `<dataDir>/queue.json`, which the next start reads back and
 * resubmits (with new job ids).
 */
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { PalestraError, asPalestraError } from '../../errors';
import { ModelStore, checkModelName } from '../../models/store';
import { tempPath } from '../../models/temp_files';
import { EvaluationPlan, TrainCheckpoint, TrainPlan, TrainResult, continueFromCheckpoint, planFromJSON, planToJSON } from './runner';
import {
  EvaluationProgressRecord,
  EvaluationResult,
  FINAL,
  JobError,
  JobRecord,
  JobState,
  JobStatus,
  TrainProgressRecord,
  TrainSummary,
  bestModelName,
  checkpointName,
  defaultModelName,
  evaluationProgress,
  evaluationResult,
  jobError,
  jobRecord,
  modelMeta,
  newJobId,
  trainProgress,
  trainSummary,
} from './records';
import type { JobDoneEvent as ServiceDoneEvent, JobErrorEvent as ServiceErrorEvent, JobEvents as ServiceEvents, JobProgressEvent as ServiceProgressEvent, JobService } from './service';
import { WorkerHost, WorkerResult } from './worker_host';
import type { WorkerInput } from './worker';

export type { EvaluationResult, JobStatus, TrainSummary };

/** One job, as the manager keeps it. */
export interface Job extends JobState {
  worker: WorkerHost | null;
  stopFlag: SharedArrayBuffer;
  seq: number;
  /** True while the job counts against the concurrency cap. */
  holdsSlot: boolean;
  /** The checkpoint being written, if any (the final save waits for it). */
  checkpointing: Promise<void> | null;
  /** True once a checkpoint of this job is on disk (the final save then replaces it). */
  checkpointed: boolean;
  /** Numbered and best checkpoints, written one after another; the final save waits for them. */
  extraSaves: Promise<void>;
  /** When the stop flag was raised (performance.now()), to log how long the loop took to see it. */
  stopAskedAt: number | null;
  /** Settles when the job's loop has ended: its worker handed back its result (a save may follow), or the job is final. */
  ended: Promise<void>;
  endLoop: () => void;
  /** Settles when the job reaches a final state. */
  done: Promise<Job>;
  settle: (job: Job) => void;
}

/** The manager's events, by name (its jobs are `Job`s). */
export type JobEvents = ServiceEvents<Job>;
export type JobProgressEvent = ServiceProgressEvent<Job>;
export type JobDoneEvent = ServiceDoneEvent<Job>;
export type JobErrorEvent = ServiceErrorEvent<Job>;

/** Job manager settings. */
export interface JobManagerOptions {
  store: ModelStore;
  logger: Logger;
  /** The backend every worker loads (the name the main thread chose). */
  backend: string;
  maxConcurrent: number;
  maxQueued?: number;
  /** Finished jobs remembered for `jobs` and `job`. */
  history?: number;
  /** Minimum gap between progress reports of one job. */
  progressIntervalMs?: number;
  /** Modules that register environments, loaded by every worker. */
  envModules?: string[];
  /** Seconds between checkpoints of a running training job; 0 or absent: none. */
  checkpointSeconds?: number;
}

/** A queued training job as `queue.json` keeps it across a restart. */
interface QueuedTrain {
  plan: TrainPlan;
  name: string;
  session: string | null;
  /** The key's name that owns it (absent in files from before keys). */
  owner?: string | null;
}

export class JobManager extends EventEmitter<JobEvents> implements JobService {
  private readonly jobs = new Map<string, Job>();
  private readonly queue: Job[] = [];
  private running = 0;
  /** Model names that running or queued jobs will save to. */
  private readonly reserved = new Set<string>();
  /** Training jobs whose model is being written (their worker may exit meanwhile). */
  private readonly saving = new Set<Job>();
  private closed = false;
  /** Jobs the shutdown stopped, so their records can say so. */
  private readonly shutdownStops = new Set<string>();

  constructor(readonly opts: JobManagerOptions) {
    super();
  }

  get store(): ModelStore {
    return this.opts.store;
  }

  get backend(): string {
    return this.opts.backend;
  }

  private newJob(kind: Job['kind'], fields: Pick<Job, 'env_id' | 'algorithm' | 'model' | 'session' | 'seed' | 'owner'>, id = newJobId()): Job {
    let settle!: (job: Job) => void;
    const done = new Promise<Job>((resolve) => (settle = resolve));
    let endLoop!: () => void;
    const ended = new Promise<void>((resolve) => (endLoop = resolve));
    return {
      id,
      kind,
      status: 'queued',
      ...fields,
      created_at: new Date().toISOString(),
      started_at: null,
      finished_at: null,
      progress: null,
      result: null,
      error: null,
      backend: null,
      worker: null,
      stopFlag: new SharedArrayBuffer(4),
      seq: 0,
      holdsSlot: false,
      checkpointing: null,
      checkpointed: false,
      extraSaves: Promise.resolve(),
      stopAskedAt: null,
      ended,
      endLoop,
      done,
      settle: (j) => {
        endLoop();
        settle(j);
      },
    };
  }

  private admit(job: Job): Job {
    if (this.closed) throw new PalestraError('shutting_down', 'The server is shutting down and starts no new jobs');
    const maxQueued = this.opts.maxQueued ?? 64;
    if (this.running >= this.opts.maxConcurrent && this.queue.length >= maxQueued) {
      throw new PalestraError('job_queue_full', `${this.queue.length} jobs are already waiting; try again when one has finished`, {
        queued: this.queue.length,
        max_queued: maxQueued,
      });
    }
    this.jobs.set(job.id, job);
    this.queue.push(job);
    this.pump();
    this.forget();
    return job;
  }

  /** Queues a training job (it starts at once if a slot is free); checks and reserves the model name. */
  async submitTrain(plan: TrainPlan, opts: { name?: string; session?: string | null; owner?: string } = {}): Promise<Job> {
    if (this.closed) throw new PalestraError('shutting_down', 'The server is shutting down and starts no new jobs');
    await this.store.quota.checkRoom('Cannot start training');
    const id = newJobId();
    const name = opts.name !== undefined ? checkModelName(opts.name) : defaultModelName(plan.env_id, plan.algorithm, id);
    if (this.reserved.has(name) || (await this.store.exists(name))) {
      throw new PalestraError('model_exists', `A model named ${name} already exists (or a job is training it); choose another name`, { model: name });
    }
    // The names checkpoints will take must be valid model names (the longest numbered one included).
    if (plan.checkpoint_freq) checkModelName(checkpointName(name, (plan.init?.timesteps ?? 0) + plan.total_timesteps));
    if (plan.save_best) {
      const best = checkModelName(bestModelName(name));
      if (this.reserved.has(best) || (await this.store.exists(best))) {
        throw new PalestraError('model_exists', `A model named ${best} already exists (or a job is training it), where save_best would keep this job's best policy; choose another name`, { model: best });
      }
    }
    const job = this.newJob('train', { env_id: plan.env_id, algorithm: plan.algorithm, model: name, session: opts.session ?? null, seed: plan.seed, owner: opts.owner ?? null }, id);
    job.trainPlan = plan;
    this.reserved.add(name);
    try {
      return this.admit(job);
    } catch (err) {
      this.reserved.delete(name);
      throw err;
    }
  }

  /**
   * Runs a job another process admitted and recorded (a cluster node; this is
   * a `palestra worker`): its id, model name, owner and dates are kept. A
   * model by that name saved by this same job (the checkpoint of an attempt
   * whose worker died) is replaced by this run's saves, never duplicated; one
   * saved by any other job is model_exists.
   */
  async adopt(state: JobState): Promise<Job> {
    const job = this.newJob(state.kind, { env_id: state.env_id, algorithm: state.algorithm, model: state.model, session: state.session, seed: state.seed, owner: state.owner }, state.id);
    job.created_at = state.created_at;
    if (state.kind === 'train') {
      job.trainPlan = state.trainPlan;
      if (this.reserved.has(state.model)) throw new PalestraError('model_exists', `A job here is already training ${state.model}`, { model: state.model });
      const earlier = await this.store.load(state.model).catch(() => null);
      if (earlier && earlier.meta.job_id !== state.id) {
        throw new PalestraError('model_exists', `A model named ${state.model} already exists (saved by another job)`, { model: state.model });
      }
      job.checkpointed = earlier !== null;
      // A job whose worker died goes on from the checkpoint it saved, not from its first step.
      const resumed = earlier && state.trainPlan ? continueFromCheckpoint(state.trainPlan, earlier) : null;
      if (resumed) job.trainPlan = resumed;
      this.reserved.add(state.model);
    } else {
      job.evalPlan = state.evalPlan;
    }
    try {
      return this.admit(job);
    } catch (err) {
      if (state.kind === 'train') this.reserved.delete(state.model);
      throw err;
    }
  }

  /** Queues an evaluation job; `owner` is the key's name that asked for it. */
  submitEvaluate(model: string, algorithm: string, plan: EvaluationPlan, session: string | null, owner: string | null = null): Job {
    const job = this.newJob('evaluate', { env_id: plan.env_id, algorithm, model, session, seed: plan.seed, owner });
    job.evalPlan = plan;
    return this.admit(job);
  }

  /** The job with that id; job_not_found otherwise. */
  get(id: string): Job {
    const job = this.jobs.get(id);
    if (!job) throw new PalestraError('job_not_found', `No job ${id}`, { job_id: id });
    return job;
  }

  /** Every job remembered, oldest first. */
  list(): Job[] {
    return [...this.jobs.values()];
  }

  /** Position in the queue (0 = next to start), or null if not queued. */
  queuePosition(job: Job): number | null {
    const i = this.queue.indexOf(job);
    return i < 0 ? null : i;
  }

  /** True once the job has reached a state it never leaves. */
  isFinal(job: Job): boolean {
    return FINAL.has(job.status);
  }

  /** What `job` and `jobs` answer for one job. */
  info(job: Job): JobRecord {
    return jobRecord(job, this.queuePosition(job));
  }

  /**
   * Asks a job to stop; resolves once its loop has ended (or after `waitMs`,
   * the job then still `stopping`). A training job is then `saving` what it
   * has learned, and `done` (with `train.done`) follows once its model is
   * written; a job whose loop had already ended (finished, or saving) is
   * answered as it is.
   */
  async stop(id: string, waitMs = 10_000): Promise<Job> {
    const job = this.get(id);
    if (FINAL.has(job.status) || job.status === 'saving') return job;
    if (job.status === 'queued') {
      this.queue.splice(this.queue.indexOf(job), 1);
      this.finishWithoutWorker(job);
      return job;
    }
    this.askToStop(job);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([job.ended, new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
    return job;
  }

  /** True for a job the server's shutdown asked to stop (not a caller). */
  stoppedByShutdown(job: Job): boolean {
    return this.shutdownStops.has(job.id);
  }

  /** Raises a running job's stop flag; its worker reads it within one step. */
  private askToStop(job: Job): void {
    job.stopAskedAt ??= performance.now();
    job.status = 'stopping';
    Atomics.store(new Int32Array(job.stopFlag), 0, 1);
  }

  /** A queued job stopped before it ran. */
  private finishWithoutWorker(job: Job): void {
    job.status = 'stopped';
    job.finished_at = new Date().toISOString();
    this.reserved.delete(job.model);
    if (job.kind === 'train') {
      const summary = trainSummary(job, null, 'stopped');
      job.result = summary;
      this.emit('done', { job, kind: 'train', result: summary });
    } else {
      const result = evaluationResult(job, { returns: [], lengths: [] }, 'stopped');
      job.result = result;
      this.emit('done', { job, kind: 'evaluate', result });
    }
    job.settle(job);
  }

  private pump(): void {
    while (!this.closed && this.running < this.opts.maxConcurrent && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.run(job);
    }
  }

  /** Drops the oldest finished jobs beyond the history limit. */
  private forget(): void {
    const limit = this.opts.history ?? 200;
    const finished = [...this.jobs.values()].filter((j) => FINAL.has(j.status));
    for (let i = 0; i < finished.length - limit; i++) this.jobs.delete(finished[i].id);
  }

  private run(job: Job): void {
    this.running += 1;
    job.holdsSlot = true;
    job.status = 'running';
    job.started_at = new Date().toISOString();
    const common = {
      backend: this.opts.backend,
      stop: job.stopFlag,
      env_modules: this.opts.envModules ?? [],
      progress_interval_ms: this.opts.progressIntervalMs ?? 100,
    };
    const input: WorkerInput =
      job.kind === 'train'
        ? { kind: 'train', plan: job.trainPlan!, checkpoint_interval_ms: (this.opts.checkpointSeconds ?? 0) * 1000, ...common }
        : { kind: 'evaluate', plan: job.evalPlan!, ...common };
    try {
      job.worker = new WorkerHost(input, {
        ready: (backend) => (job.backend = backend),
        progress: (p) => {
          if (FINAL.has(job.status)) return;
          const progress = trainProgress(job, ++job.seq, p);
          job.progress = progress;
          this.emit('progress', { job, kind: 'train', progress });
        },
        checkpoint: (c, kind) => (kind === 'interval' ? this.checkpoint(job, c) : this.extraCheckpoint(job, c, kind)),
        episode: (e) => {
          if (FINAL.has(job.status)) return;
          const progress = evaluationProgress(job, e);
          job.progress = progress;
          this.emit('progress', { job, kind: 'evaluate', progress });
        },
        done: (r) => this.onDone(job, r).catch((err) => this.fail(job, err)),
        error: (err) => {
          if (!this.saving.has(job)) this.fail(job, err);
        },
      });
    } catch (err) {
      this.fail(job, err);
      return;
    }
    this.opts.logger.info({ job_id: job.id, kind: job.kind, env_id: job.env_id, algorithm: job.algorithm, model: job.model }, 'job started');
    this.emit('start', { job });
  }

  private async onDone(job: Job, r: WorkerResult): Promise<void> {
    if (FINAL.has(job.status)) return;
    if (r.kind === 'evaluate') {
      const result = evaluationResult(job, r.result, job.status === 'stopping' ? 'stopped' : 'completed');
      job.result = result;
      this.finish(job, result.status);
      this.emit('done', { job, kind: 'evaluate', result });
      return;
    }
    // The loop has ended and the policy is here: a `stop` waiting for this answers now, with the final
    // step count, and the save follows. The worker's thread (and its tensors) can go at once.
    job.status = 'saving';
    job.progress = trainProgress(job, ++job.seq, r.result.progress);
    this.saving.add(job);
    job.worker?.terminate();
    job.worker = null;
    job.endLoop();
    const stopMs = job.stopAskedAt === null ? undefined : Math.round(performance.now() - job.stopAskedAt);
    this.opts.logger.info({ job_id: job.id, model: job.model, timesteps: r.result.progress.timesteps, stop_ms: stopMs }, 'job loop ended; saving its model');
    await this.saveTrained(job, r.result);
  }

  /** Saves a running job's checkpoint as its model; one at a time (a checkpoint that comes meanwhile is skipped). */
  private checkpoint(job: Job, c: TrainCheckpoint): void {
    if (job.status !== 'running' || job.checkpointing) return;
    job.checkpointing = this.store
      .save(modelMeta(job, { ...c, stop_reason: 'checkpoint' }), c.policy.params, true, c.policy.optimizers)
      .then(() => {
        job.checkpointed = true;
        this.opts.logger.debug({ job_id: job.id, model: job.model, timesteps: c.progress.timesteps }, 'checkpoint saved');
      })
      .catch((err) => this.opts.logger.warn({ job_id: job.id, model: job.model, err: asPalestraError(err).message }, 'checkpoint not saved'))
      .finally(() => (job.checkpointing = null));
  }

  /**
   * Saves a numbered checkpoint (`<model>-<timesteps>`, never over an existing model) or the best
   * policy so far (`<model>-best`, replacing the previous best); all of them, in order.
   */
  private extraCheckpoint(job: Job, c: TrainCheckpoint, kind: 'numbered' | 'best'): void {
    const name = kind === 'best' ? bestModelName(job.model) : checkpointName(job.model, c.progress.timesteps);
    job.extraSaves = job.extraSaves
      .then(() => this.store.save(modelMeta(job, { ...c, stop_reason: kind === 'best' ? 'best' : 'checkpoint' }, undefined, name), c.policy.params, kind === 'best', c.policy.optimizers))
      .then(() => this.opts.logger.debug({ job_id: job.id, model: name, timesteps: c.progress.timesteps }, `${kind} checkpoint saved`))
      .catch((err) => this.opts.logger.warn({ job_id: job.id, model: name, err: asPalestraError(err).message }, `${kind} checkpoint not saved`));
  }

  private async saveTrained(job: Job, r: TrainResult): Promise<void> {
    const status = r.stop_reason === 'stopped' ? 'stopped' : 'completed';
    try {
      // A checkpoint under way lands first, so the final save replaces it rather than racing it;
      // if the final save fails, the last checkpoint stays as the model.
      await job.checkpointing;
      await job.extraSaves;
      await this.store.save(modelMeta(job, r), r.policy.params, job.checkpointed, r.policy.optimizers);
    } finally {
      this.saving.delete(job);
    }
    if (FINAL.has(job.status)) return;
    job.progress = trainProgress({ ...job, status }, ++job.seq, r.progress);
    const summary = trainSummary(job, r, status);
    job.result = summary;
    this.opts.logger.info({ job_id: job.id, model: job.model, stop_reason: r.stop_reason, timesteps: r.progress.timesteps }, 'job finished');
    this.emit('done', { job, kind: 'train', result: summary });
    this.finish(job, status);
  }

  private finish(job: Job, status: JobStatus): void {
    job.status = status;
    job.finished_at = new Date().toISOString();
    this.reserved.delete(job.model);
    this.release(job);
    job.settle(job);
  }

  private release(job: Job): void {
    job.worker?.terminate();
    job.worker = null;
    if (job.holdsSlot) {
      job.holdsSlot = false;
      this.running -= 1;
      this.pump();
    }
    this.forget();
  }

  private fail(job: Job, err: unknown): void {
    if (FINAL.has(job.status)) return;
    const error = jobError(err instanceof PalestraError ? err : new PalestraError('job_failed', `The job failed: ${asPalestraError(err).message}`));
    job.error = error;
    job.status = 'failed';
    job.finished_at = new Date().toISOString();
    this.reserved.delete(job.model);
    this.opts.logger.warn({ job_id: job.id, error: error.message }, 'job failed');
    // An EventEmitter throws an `error` nobody listens to; a failure is already recorded on the job.
    if (this.listenerCount('error') > 0) this.emit('error', { job, error });
    this.release(job);
    job.settle(job);
  }

  /** Where queued training jobs wait across a restart. */
  get queueFile(): string {
    return join(this.store.dataDir, 'queue.json');
  }

  /**
   * Resubmits the training jobs a previous shutdown left queued (new job ids,
   * same model names), then forgets the file; answers the jobs started.
   */
  async resumeQueue(): Promise<Job[]> {
    let saved: QueuedTrain[];
    try {
      saved = JSON.parse(await fs.readFile(this.queueFile, 'utf8')) as QueuedTrain[];
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.opts.logger.warn({ err: (err as Error).message }, 'queue.json unreadable; its jobs are dropped');
      await fs.rm(this.queueFile, { force: true });
      return [];
    }
    await fs.rm(this.queueFile, { force: true });
    const resumed: Job[] = [];
    for (const q of Array.isArray(saved) ? saved : []) {
      try {
        resumed.push(await this.submitTrain(planFromJSON(q.plan), { name: q.name, session: q.session, owner: q.owner ?? undefined }));
      } catch (err) {
        this.opts.logger.warn({ model: q?.name, err: asPalestraError(err).message }, 'queued job from the last run dropped');
      }
    }
    if (resumed.length > 0) this.opts.logger.info({ jobs: resumed.length }, 'queued jobs from the last run resubmitted');
    return resumed;
  }

  /** Writes the queued training jobs where `resumeQueue` finds them (atomically). */
  private async persistQueue(jobs: Job[]): Promise<void> {
    const queued: QueuedTrain[] = jobs.map((j) => ({ plan: planToJSON(j.trainPlan!) as TrainPlan, name: j.model, session: j.session, owner: j.owner }));
    if (queued.length === 0) return;
    await fs.mkdir(this.store.dataDir, { recursive: true });
    const tmp = tempPath(this.store.dataDir, 'queue.json');
    await fs.writeFile(tmp, JSON.stringify(queued));
    await fs.rename(tmp, this.queueFile);
  }

  /**
   * Shuts down: queued training jobs are written to `queue.json` for the next
   * start and end here with `shutting_down` (queued evaluations are dropped
   * the same way); running ones are asked to stop and given `graceMs` to save
   * what they learned (a job whose loop is still running after that fails, and
   * its last checkpoint stays as its model; a save under way is let finish).
   */
  async close(graceMs = 30_000): Promise<void> {
    this.closed = true;
    const queued = this.queue.splice(0);
    const kept = queued.filter((j) => j.kind === 'train');
    let persisted = false;
    try {
      await this.persistQueue(kept);
      persisted = true;
    } catch (err) {
      this.opts.logger.error({ err: (err as Error).message }, 'queued jobs could not be kept for the next start');
    }
    for (const job of queued) {
      const keptHere = persisted && job.kind === 'train';
      this.fail(
        job,
        new PalestraError(
          'shutting_down',
          keptHere
            ? 'The server shut down before this job started; it is kept and starts again (with a new job id) when the server restarts'
            : 'The server shut down before this job started; it was dropped',
          { kept: keptHere },
        ),
      );
    }
    const running = [...this.jobs.values()].filter((j) => !FINAL.has(j.status));
    for (const job of running) {
      if (job.status === 'stopping' || job.status === 'saving') continue;
      this.shutdownStops.add(job.id);
      this.askToStop(job);
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(running.map((j) => j.done)), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    for (const job of running) {
      // A job saving has its policy in hand and its loop over: cutting the write would throw away what it learned.
      if (FINAL.has(job.status) || job.status === 'saving') continue;
      const note = job.checkpointed ? '; its last checkpoint is saved as the model' : '';
      this.fail(job, new PalestraError('shutting_down', `The server shut down before the job could stop and save within ${graceMs} ms${note}`, { checkpoint: job.checkpointed }));
    }
    await Promise.all(running.map((j) => j.done));
  }
}
