/**
 * What the API layer asks of jobs, whoever runs them: the embedded job
 * manager (worker threads in this process, the default) or the cluster's
 * queue (`--queue redis://...`: jobs on a Redis-backed BullMQ queue, run by
 * `palestra worker` processes anywhere). Methods, frames and routes are the
 * same over both; only this interface is between them.
 */
import type { EventEmitter } from 'node:events';
import type { ModelStore } from '../../models/store';
import type { EvaluationProgressRecord, EvaluationResult, JobError, JobRecord, JobState, TrainProgressRecord, TrainSummary } from './records';
import type { EvaluationPlan, TrainPlan } from './runner';

/** A job as either backend hands it out: its state, and a promise of its end. */
export interface TrackedJob extends JobState {
  /** Settles when the job reaches a final state. */
  done: Promise<TrackedJob>;
}

/** A job made progress: a training report, or evaluation episodes ended. */
export type JobProgressEvent<J extends TrackedJob = TrackedJob> =
  | { job: J; kind: 'train'; progress: TrainProgressRecord }
  | { job: J; kind: 'evaluate'; progress: EvaluationProgressRecord };
/** A job ended well (completed, or stopped with what it had learned). */
export type JobDoneEvent<J extends TrackedJob = TrackedJob> = { job: J; kind: 'train'; result: TrainSummary } | { job: J; kind: 'evaluate'; result: EvaluationResult };
/** A job failed. */
export interface JobErrorEvent<J extends TrackedJob = TrackedJob> {
  job: J;
  error: JobError;
}

/** A backend's events, by name. */
export interface JobEvents<J extends TrackedJob = TrackedJob> {
  /** A job left the queue and its worker is starting. */
  start: [{ job: J }];
  progress: [JobProgressEvent<J>];
  done: [JobDoneEvent<J>];
  error: [JobErrorEvent<J>];
}

/** Jobs across the cluster, for `health` and `/metrics` (absent for the embedded manager). */
export interface ClusterFigures {
  /** Jobs waiting in the shared queue. */
  queue_depth: number;
  /** `palestra worker` processes connected to the queue. */
  workers: number;
  /** Jobs per BullMQ state (waiting, active, completed, failed, delayed). */
  queue: Record<string, number>;
  /** False while Redis cannot be reached. */
  connected: boolean;
}

/** The jobs of a server, as the API layer sees them. */
export interface JobService extends Pick<EventEmitter<JobEvents>, 'on' | 'off' | 'once'> {
  readonly store: ModelStore;
  /** The numerics backend jobs are run with (as this server chose it). */
  readonly backend: string;
  /** Queues a training job; checks and reserves the model name. */
  submitTrain(plan: TrainPlan, opts?: { name?: string; session?: string | null; owner?: string }): Promise<TrackedJob>;
  /** Queues an evaluation job; `owner` is the key's name that asked for it. */
  submitEvaluate(model: string, algorithm: string, plan: EvaluationPlan, session: string | null, owner?: string | null): TrackedJob | Promise<TrackedJob>;
  /** The job with that id; job_not_found otherwise. */
  get(id: string): TrackedJob;
  /** Every job remembered, oldest first. */
  list(): TrackedJob[];
  /** Position in the queue (0 = next to start), or null if not queued. */
  queuePosition(job: TrackedJob): number | null;
  /** True once the job has reached a state it never leaves. */
  isFinal(job: TrackedJob): boolean;
  /** What `job` and `jobs` answer for one job. */
  info(job: TrackedJob): JobRecord;
  /** Asks a job to stop; resolves once its loop has ended (or after `waitMs`). */
  stop(id: string, waitMs?: number): Promise<TrackedJob>;
  /** Resubmits what the last shutdown left queued (the embedded manager; the cluster's queue keeps its own). */
  resumeQueue(): Promise<unknown>;
  /** Shuts down, giving running jobs `graceMs` to stop and save where they run in this process. */
  close(graceMs?: number): Promise<void>;
  /**
   * Resolves once every change published before the call has reached this
   * process (the cluster: a node learns of other nodes' jobs by pub/sub), so
   * that `job` on one node sees a job another node has just answered for.
   */
  caughtUp?(): Promise<void>;
  /** The cluster's figures, when jobs run on a shared queue. */
  cluster?(): ClusterFigures;
}
