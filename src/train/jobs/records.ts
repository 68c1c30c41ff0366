/**
 * Jobs as records: the pure functions that turn a job and what its worker
 * handed back into what `job`/`jobs` answer, what `train.done` carries, what
 * `evaluate` answers, and what is saved with a model. Their shapes are the
 * protocol's, generated from `protocol/`.
 */
import { v4 as uuidv4 } from 'uuid';
import { ERRORS, PalestraError } from '../../errors';
import type { Frames, Job as JobRecord, JobError, JobStatus, Methods } from '../../generated/protocol';
import { ModelMeta, MODEL_FORMAT } from '../../models/store';
import { VERSION } from '../../version';
import { EvaluationRun, summarise } from '../core/evaluation';
import type { EvaluationPlan, TrainCheckpoint, TrainPlan, TrainResult } from './runner';

export type { JobError, JobRecord, JobStatus };

/** What `train.done` carries. */
export type TrainSummary = Frames['train.done'];
/** A `train.progress` frame's content. */
export type TrainProgressRecord = Frames['train.progress'];
/** What `evaluate` answers. */
export type EvaluationResult = Methods['evaluate']['result'];
/** An `evaluate.progress` frame's content. */
export type EvaluationProgressRecord = Frames['evaluate.progress'];

/** One job's state as the manager keeps it (the worker and its bookkeeping aside). */
export interface JobState {
  id: string;
  kind: 'train' | 'evaluate';
  status: JobStatus;
  env_id: string;
  algorithm: string;
  /** The model a training job saves to, or the model an evaluation runs. */
  model: string;
  session: string | null;
  /** The name of the API key that made the job; null when made without one (the CLI). */
  owner: string | null;
  seed: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  trainPlan?: TrainPlan;
  evalPlan?: EvaluationPlan;
  progress: TrainProgressRecord | EvaluationProgressRecord | null;
  result: TrainSummary | EvaluationResult | null;
  error: JobError | null;
  backend: string | null;
}

/** The states a job never leaves. */
export const FINAL: ReadonlySet<JobStatus> = new Set(['completed', 'stopped', 'failed']);

/** A fresh job id: 32 hex digits. */
export function newJobId(): string {
  return uuidv4().replace(/-/g, '');
}

/** A model name for a job that was given none. */
export function defaultModelName(envId: string, algorithm: string, jobId: string): string {
  const env = envId.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '');
  return `${env}-${algorithm}-${jobId.slice(0, 8)}`.slice(0, 64);
}

/** The name of a job's numbered checkpoint: the model's name and the step count, as `CartPole-v1-ppo-1a2b3c4d-20000`. */
export function checkpointName(model: string, timesteps: number): string {
  return `${model}-${timesteps}`;
}

/** The name under which `save_best` keeps a job's best evaluated policy. */
export function bestModelName(model: string): string {
  return `${model}-best`;
}

/** What `job` and `jobs` answer for one job. */
export function jobRecord(job: JobState, queuePosition: number | null): JobRecord {
  const plan = job.trainPlan;
  return {
    job_id: job.id,
    kind: job.kind,
    status: job.status,
    env_id: job.env_id,
    algorithm: job.algorithm,
    model: job.model,
    session: job.session,
    owner: job.owner,
    seed: job.seed,
    total_timesteps: plan?.total_timesteps ?? null,
    hyperparameters: plan?.hyperparameters ?? null,
    early_stop: plan?.early_stop ?? null,
    created_at: job.created_at,
    started_at: job.started_at,
    finished_at: job.finished_at,
    queue_position: queuePosition,
    backend: job.backend,
    progress: job.progress,
    result: job.result,
    error: job.error,
  };
}

/** A training job's progress frame content. */
export function trainProgress(job: JobState, seq: number, p: TrainResult['progress']): TrainProgressRecord {
  return { job_id: job.id, seq, status: job.status, ...p };
}

/** What `train.done` carries; `r` is null for a job stopped before it started. */
export function trainSummary(job: JobState, r: TrainResult | null, status: 'completed' | 'stopped'): TrainSummary {
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
    evaluation: r?.evaluations[r.evaluations.length - 1] ?? null,
  };
}

/** What `evaluate` answers, from the episodes run so far. */
export function evaluationResult(job: JobState, run: EvaluationRun, status: 'completed' | 'stopped', now = Date.now()): EvaluationResult {
  const plan = job.evalPlan!;
  const started = job.started_at ? Date.parse(job.started_at) : now;
  return {
    job_id: job.id,
    model: job.model,
    env_id: plan.env_id,
    status,
    deterministic: plan.deterministic,
    seed: plan.seed,
    ...summarise(run),
    returns: run.returns,
    lengths: run.lengths,
    elapsed_s: (now - started) / 1000,
  };
}

/** An evaluation's progress frame content. */
export function evaluationProgress(job: JobState, e: { episode: number; return: number; length: number; episodes_done: number; mean_return: number }): EvaluationProgressRecord {
  return { job_id: job.id, model: job.model, episodes: job.evalPlan!.episodes, ...e };
}

/** The record saved with a trained model. */
export function modelMeta(job: JobState, r: TrainCheckpoint & { stop_reason: string }, now = new Date().toISOString(), name = job.model): ModelMeta {
  const plan = job.trainPlan!;
  const last = r.evaluations[r.evaluations.length - 1] ?? null;
  const extra: Partial<ModelMeta> = {};
  if (r.policy.wrappers?.length) extra.wrappers = r.policy.wrappers;
  // A run taken over from its own checkpoint has an init but no init_model: it started from nothing.
  if (plan.init && plan.init_model) {
    extra.init_model = plan.init_model;
    extra.lineage = plan.init.lineage;
  }
  return {
    format: MODEL_FORMAT,
    name,
    algorithm: plan.algorithm,
    env_id: plan.env_id,
    env_kwargs: plan.env_kwargs,
    hyperparameters: plan.hyperparameters,
    seed: plan.seed,
    session: job.session,
    owner: job.owner,
    job_id: job.id,
    total_timesteps: plan.total_timesteps,
    timesteps: r.progress.timesteps,
    episodes: r.progress.episodes,
    stop_reason: r.stop_reason,
    created_at: now,
    started_at: job.started_at,
    finished_at: now,
    elapsed_s: r.progress.elapsed_s,
    mean_return_100: r.progress.mean_return_100,
    evaluation: last,
    backend: job.backend,
    palestra_version: VERSION,
    policy: r.policy.spec,
    observation_names: plan.observation_names ?? null,
    curve: r.curve,
    evaluations: r.evaluations,
    ...extra,
  };
}

/** How a failure is recorded: catalogue errors as they are; internal ones as job_failed with the reason. */
export function jobError(e: PalestraError): JobError {
  if (e.errorName === 'internal_error' || e.errorName === 'job_failed') {
    return { code: ERRORS.job_failed.code, name: 'job_failed', message: e.message, data: { reason: e.message } };
  }
  return { code: e.code, name: e.errorName, message: e.message, data: e.data };
}
