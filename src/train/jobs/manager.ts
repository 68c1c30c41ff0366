/**
 * The job manager: training and evaluation jobs, each in its own worker
 * thread, at most `maxConcurrent` at once and the rest queued in order.
 * It relays progress to subscribers as JSON-RPC notifications, saves the
 * policy of every finished or stopped training job, and keeps a bounded
 * history of finished jobs for `jobs` and `job`.
 */
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { v4 as uuidv4 } from 'uuid';
import { ERRORS, PalestraError } from '../../errors';
import { ModelMeta, ModelStore, checkModelName, MODEL_FORMAT } from '../../models/store';
import { VERSION } from '../../version';
import { EvaluationRun, EvaluationSummary, summarise } from '../core/evaluation';
import type { EvaluationPlan, TrainPlan, TrainResult } from './runner';
import type { TrainProgress } from '../core/trainer';
import type { WorkerInput, WorkerMessage } from './worker';

/** A job's state; `stopping` lasts until the worker has handed back its policy. */
export type JobStatus = 'queued' | 'running' | 'stopping' | 'completed' | 'stopped' | 'failed';

/** Anything that can receive pushed frames: a client connection, or the CLI. */
export interface Subscriber {
  readonly open: boolean;
  notify(method: string, params: unknown): void;
}

/** What `evaluate` answers. */
export interface EvaluationResult extends EvaluationSummary {
  job_id: string;
  model: string;
  env_id: string;
  status: JobStatus;
  deterministic: boolean;
  seed: number;
  returns: number[];
  lengths: number[];
  elapsed_s: number;
}

/** What `train.done` carries. */
export interface TrainSummary {
  job_id: string;
  status: JobStatus;
  stop_reason: string;
  model: string;
  env_id: string;
  algorithm: string;
  timesteps: number;
  episodes: number;
  elapsed_s: number;
  steps_per_second: number;
  mean_return_100: number | null;
  last_return: number | null;
  evaluation: Record<string, unknown> | null;
}

interface JobError {
  code: number;
  name: string;
  message: string;
  data: Record<string, unknown>;
}

/** One job, as the manager keeps it. */
export interface Job {
  id: string;
  kind: 'train' | 'evaluate';
  status: JobStatus;
  env_id: string;
  algorithm: string;
  /** The model a training job saves to, or the model an evaluation runs. */
  model: string;
  session: string | null;
  seed: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  trainPlan?: TrainPlan;
  evalPlan?: EvaluationPlan;
  progress: Record<string, unknown> | null;
  result: TrainSummary | EvaluationResult | null;
  error: JobError | null;
  backend: string | null;
  subscribers: Set<Subscriber>;
  worker: Worker | null;
  stopFlag: SharedArrayBuffer;
  seq: number;
  /** True while the job counts against the concurrency cap. */
  holdsSlot: boolean;
  /** Settles when the job reaches a final state. */
  done: Promise<Job>;
  settle: (job: Job) => void;
}

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
  /** Minimum gap between progress frames of one job. */
  progressIntervalMs?: number;
  /** Modules that register environments, loaded by every worker. */
  envModules?: string[];
}

const FINAL: ReadonlySet<JobStatus> = new Set(['completed', 'stopped', 'failed']);

/** Starts a worker on the job body; TypeScript sources (tests, benchmarks) are compiled on the fly by swc. */
function spawnWorker(input: WorkerInput): Worker {
  const ext = extname(__filename);
  const file = join(__dirname, `worker${ext}`);
  if (ext === '.ts') {
    const register = require.resolve('@swc-node/register');
    const code = `require(${JSON.stringify(register)}); require(${JSON.stringify(file)});`;
    return new Worker(code, { eval: true, workerData: input });
  }
  return new Worker(file, { workerData: input });
}

/** A fresh job id: 32 hex digits. */
function newJobId(): string {
  return uuidv4().replace(/-/g, '');
}

/** A model name for a job that was given none. */
function defaultModelName(envId: string, algorithm: string, jobId: string): string {
  const env = envId.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '');
  return `${env}-${algorithm}-${jobId.slice(0, 8)}`.slice(0, 64);
}

export class JobManager {
  private readonly jobs = new Map<string, Job>();
  private readonly queue: Job[] = [];
  private running = 0;
  /** Model names that running or queued jobs will save to. */
  private readonly reserved = new Set<string>();
  private closed = false;

  constructor(readonly opts: JobManagerOptions) {}

  get store(): ModelStore {
    return this.opts.store;
  }

  private newJob(kind: Job['kind'], fields: Pick<Job, 'env_id' | 'algorithm' | 'model' | 'session' | 'seed'>, id = newJobId()): Job {
    let settle!: (job: Job) => void;
    const done = new Promise<Job>((resolve) => (settle = resolve));
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
      subscribers: new Set(),
      worker: null,
      stopFlag: new SharedArrayBuffer(4),
      seq: 0,
      holdsSlot: false,
      done,
      settle,
    };
  }

  private admit(job: Job, subscriber?: Subscriber): Job {
    if (this.closed) throw new PalestraError('job_queue_full', 'The server is shutting down');
    const maxQueued = this.opts.maxQueued ?? 64;
    if (this.running >= this.opts.maxConcurrent && this.queue.length >= maxQueued) {
      throw new PalestraError('job_queue_full', `${this.queue.length} jobs are already waiting; try again when one has finished`, {
        queued: this.queue.length,
        max_queued: maxQueued,
      });
    }
    if (subscriber) job.subscribers.add(subscriber);
    this.jobs.set(job.id, job);
    this.queue.push(job);
    this.pump();
    this.forget();
    return job;
  }

  /** Queues a training job (it starts at once if a slot is free); checks and reserves the model name. */
  async submitTrain(plan: TrainPlan, opts: { name?: string; session?: string; subscriber?: Subscriber } = {}): Promise<Job> {
    const id = newJobId();
    const name = opts.name !== undefined ? checkModelName(opts.name) : defaultModelName(plan.env_id, plan.algorithm, id);
    if (this.reserved.has(name) || (await this.store.exists(name))) {
      throw new PalestraError('model_exists', `A model named ${name} already exists (or a job is training it); choose another name`, { model: name });
    }
    const job = this.newJob('train', { env_id: plan.env_id, algorithm: plan.algorithm, model: name, session: opts.session ?? null, seed: plan.seed }, id);
    job.trainPlan = plan;
    this.reserved.add(name);
    try {
      return this.admit(job, opts.subscriber);
    } catch (err) {
      this.reserved.delete(name);
      throw err;
    }
  }

  /** Queues an evaluation job. */
  submitEvaluate(model: string, algorithm: string, plan: EvaluationPlan, session: string | null, subscriber?: Subscriber): Job {
    const job = this.newJob('evaluate', { env_id: plan.env_id, algorithm, model, session, seed: plan.seed });
    job.evalPlan = plan;
    return this.admit(job, subscriber);
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

  /** Adds a subscriber to a job's frames. */
  subscribe(id: string, subscriber: Subscriber): Job {
    const job = this.get(id);
    if (!FINAL.has(job.status)) job.subscribers.add(subscriber);
    return job;
  }

  /** Asks a job to stop; resolves once it has ended (a running job keeps what it has learned). */
  async stop(id: string, waitMs = 5000): Promise<Job> {
    const job = this.get(id);
    if (FINAL.has(job.status)) return job;
    if (job.status === 'queued') {
      this.queue.splice(this.queue.indexOf(job), 1);
      this.finishWithoutWorker(job, 'stopped');
      return job;
    }
    job.status = 'stopping';
    Atomics.store(new Int32Array(job.stopFlag), 0, 1);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([job.done, new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
    return job;
  }

  private finishWithoutWorker(job: Job, status: JobStatus): void {
    job.status = status;
    job.finished_at = new Date().toISOString();
    this.reserved.delete(job.model);
    if (job.kind === 'train') {
      const summary = this.trainSummary(job, null, status);
      job.result = summary;
      this.broadcast(job, 'train.done', summary);
    } else {
      job.result = this.evaluationResult(job, { returns: [], lengths: [] });
    }
    job.subscribers.clear();
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

  private broadcast(job: Job, method: string, params: unknown): void {
    for (const s of job.subscribers) {
      if (!s.open) job.subscribers.delete(s);
      else s.notify(method, params);
    }
  }

  private run(job: Job): void {
    this.running += 1;
    job.holdsSlot = true;
    job.status = 'running';
    job.started_at = new Date().toISOString();
    const common = { backend: this.opts.backend, stop: job.stopFlag, env_modules: this.opts.envModules ?? [] };
    const input: WorkerInput =
      job.kind === 'train'
        ? { kind: 'train', plan: job.trainPlan!, progress_interval_ms: this.opts.progressIntervalMs ?? 100, ...common }
        : { kind: 'evaluate', plan: job.evalPlan!, ...common };
    let worker: Worker;
    try {
      worker = spawnWorker(input);
    } catch (err) {
      this.fail(job, err);
      return;
    }
    job.worker = worker;
    this.opts.logger.info({ job_id: job.id, kind: job.kind, env_id: job.env_id, algorithm: job.algorithm, model: job.model }, 'job started');
    const evalState = { done: 0, sum: 0, lastEmit: 0, pending: null as Record<string, unknown> | null, timer: null as NodeJS.Timeout | null };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'ready') job.backend = m.backend;
      else if (m.type === 'progress') this.onProgress(job, m.progress as TrainProgress);
      else if (m.type === 'episode') this.onEpisode(job, m, evalState);
      else if (m.type === 'error') this.fail(job, new PalestraError(m.error.name as never, m.error.message, m.error.data));
      else if (m.type === 'done') {
        if (evalState.timer) clearTimeout(evalState.timer);
        this.onDone(job, m.result).catch((err) => this.fail(job, err));
      }
    });
    worker.on('error', (err) => this.fail(job, err));
    worker.on('exit', (code) => {
      job.worker = null;
      if (!FINAL.has(job.status) && !this.saving.has(job)) this.fail(job, new Error(`the job's worker exited with code ${code}`));
    });
  }

  private readonly saving = new Set<Job>();

  private onProgress(job: Job, p: TrainProgress): void {
    if (FINAL.has(job.status)) return;
    job.seq += 1;
    const frame = { job_id: job.id, seq: job.seq, status: job.status, ...p };
    job.progress = frame;
    this.broadcast(job, 'train.progress', frame);
  }

  /** Evaluation progress, at most one frame per progress interval (many episodes end together). */
  private onEpisode(
    job: Job,
    m: { episode: number; return: number; length: number },
    state: { done: number; sum: number; lastEmit: number; pending: Record<string, unknown> | null; timer: NodeJS.Timeout | null },
  ): void {
    state.done += 1;
    state.sum += m.return;
    const frame = {
      job_id: job.id,
      model: job.model,
      episodes_done: state.done,
      episodes: job.evalPlan!.episodes,
      episode: m.episode,
      return: m.return,
      length: m.length,
      mean_return: state.sum / state.done,
    };
    job.progress = frame;
    const gap = this.opts.progressIntervalMs ?? 100;
    const send = () => {
      state.timer = null;
      state.lastEmit = Date.now();
      if (!FINAL.has(job.status)) this.broadcast(job, 'evaluate.progress', job.progress);
    };
    if (Date.now() - state.lastEmit >= gap) send();
    else state.timer ??= setTimeout(send, gap - (Date.now() - state.lastEmit));
  }

  private async onDone(job: Job, result: unknown): Promise<void> {
    if (FINAL.has(job.status)) return;
    if (job.kind === 'evaluate') {
      const status: JobStatus = job.status === 'stopping' ? 'stopped' : 'completed';
      job.result = this.evaluationResult(job, result as EvaluationRun);
      (job.result as EvaluationResult).status = status;
      this.finish(job, status);
      return;
    }
    const r = result as TrainResult;
    const status: JobStatus = r.stop_reason === 'stopped' ? 'stopped' : 'completed';
    this.saving.add(job);
    try {
      await this.store.save(this.modelMeta(job, r), r.policy.params);
    } finally {
      this.saving.delete(job);
    }
    job.progress = { job_id: job.id, seq: ++job.seq, status, ...r.progress };
    const summary = this.trainSummary(job, r, status);
    job.result = summary;
    this.opts.logger.info({ job_id: job.id, model: job.model, stop_reason: r.stop_reason, timesteps: r.progress.timesteps }, 'job finished');
    this.broadcast(job, 'train.done', summary);
    this.finish(job, status);
  }

  private finish(job: Job, status: JobStatus): void {
    job.status = status;
    job.finished_at = new Date().toISOString();
    this.reserved.delete(job.model);
    job.subscribers.clear();
    this.release(job);
    job.settle(job);
  }

  private release(job: Job): void {
    if (job.worker) {
      const w = job.worker;
      job.worker = null;
      w.terminate().catch(() => undefined);
    }
    if (job.holdsSlot) {
      job.holdsSlot = false;
      this.running -= 1;
      this.pump();
    }
    this.forget();
  }

  private fail(job: Job, err: unknown): void {
    if (FINAL.has(job.status)) return;
    const e = err instanceof PalestraError ? err : new PalestraError('job_failed', `The job failed: ${err instanceof Error ? err.message : String(err)}`);
    const error: JobError =
      e.errorName === 'internal_error' || e.errorName === 'job_failed'
        ? { code: ERRORS.job_failed.code, name: 'job_failed', message: e.message, data: { reason: e.message } }
        : { code: e.code, name: e.errorName, message: e.message, data: e.data };
    job.error = error;
    job.status = 'failed';
    job.finished_at = new Date().toISOString();
    this.reserved.delete(job.model);
    this.opts.logger.warn({ job_id: job.id, error: error.message }, 'job failed');
    if (job.kind === 'train') this.broadcast(job, 'train.error', { job_id: job.id, status: 'failed', error });
    job.subscribers.clear();
    this.release(job);
    job.settle(job);
  }

  private modelMeta(job: Job, r: TrainResult): ModelMeta {
    const plan = job.trainPlan!;
    const last = r.evaluations[r.evaluations.length - 1] ?? null;
    return {
      format: MODEL_FORMAT,
      name: job.model,
      algorithm: plan.algorithm,
      env_id: plan.env_id,
      env_kwargs: plan.env_kwargs,
      hyperparameters: plan.hyperparameters,
      seed: plan.seed,
      session: job.session,
      job_id: job.id,
      total_timesteps: plan.total_timesteps,
      timesteps: r.progress.timesteps,
      episodes: r.progress.episodes,
      stop_reason: r.stop_reason,
      created_at: new Date().toISOString(),
      started_at: job.started_at,
      finished_at: new Date().toISOString(),
      elapsed_s: r.progress.elapsed_s,
      mean_return_100: r.progress.mean_return_100,
      evaluation: last as unknown as Record<string, unknown> | null,
      backend: job.backend,
      palestra_version: VERSION,
      policy: r.policy.spec,
      curve: r.curve,
      evaluations: r.evaluations,
    };
  }

  private trainSummary(job: Job, r: TrainResult | null, status: JobStatus): TrainSummary {
    const p = r?.progress;
    return {
      job_id: job.id,
      status,
      stop_reason: r?.stop_reason ?? 'stopped',
      model: r ? job.model : '',
      env_id: job.env_id,
      algorithm: job.algorithm,
      timesteps: p?.timesteps ?? 0,
      episodes: p?.episodes ?? 0,
      elapsed_s: p?.elapsed_s ?? 0,
      steps_per_second: p?.steps_per_second ?? 0,
      mean_return_100: p?.mean_return_100 ?? null,
      last_return: p?.last_return ?? null,
      evaluation: (r?.evaluations[r.evaluations.length - 1] as unknown as Record<string, unknown>) ?? null,
    };
  }

  private evaluationResult(job: Job, run: EvaluationRun): EvaluationResult {
    const plan = job.evalPlan!;
    const started = job.started_at ? Date.parse(job.started_at) : Date.now();
    return {
      job_id: job.id,
      model: job.model,
      env_id: plan.env_id,
      status: job.status,
      deterministic: plan.deterministic,
      seed: plan.seed,
      ...summarise(run),
      returns: run.returns,
      lengths: run.lengths,
      elapsed_s: (Date.now() - started) / 1000,
    };
  }

  /** The JSON `job` and `jobs` answer for one job. */
  info(job: Job): Record<string, unknown> {
    const plan = job.trainPlan;
    return {
      job_id: job.id,
      kind: job.kind,
      status: job.status,
      env_id: job.env_id,
      algorithm: job.algorithm,
      model: job.model,
      session: job.session,
      seed: job.seed,
      total_timesteps: plan?.total_timesteps ?? null,
      hyperparameters: plan?.hyperparameters ?? null,
      early_stop: plan?.early_stop ?? null,
      created_at: job.created_at,
      started_at: job.started_at,
      finished_at: job.finished_at,
      queue_position: this.queuePosition(job),
      backend: job.backend,
      progress: job.progress,
      result: job.result,
      error: job.error,
    };
  }

  /**
   * Shuts down: queued jobs are dropped, running ones asked to stop and given
   * `graceMs` to save what they learned, then their workers are terminated.
   */
  async close(graceMs = 2000): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.finishWithoutWorker(job, 'stopped');
    const running = [...this.jobs.values()].filter((j) => !FINAL.has(j.status));
    for (const job of running) {
      job.status = 'stopping';
      Atomics.store(new Int32Array(job.stopFlag), 0, 1);
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(running.map((j) => j.done)), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    for (const job of running) if (!FINAL.has(job.status)) this.fail(job, new Error('the server shut down'));
  }
}
