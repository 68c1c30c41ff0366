/** The training methods: train, stop, jobs, job, subscribe, evaluate. */
import { PalestraError } from '../errors';
import type { Job } from '../train/jobs';
import { trainingServices, TrainingServices } from '../train/plugin';
import { EvaluationRequest, planEvaluation, planTraining } from '../train/runner';
import type { Method, MethodContext } from './context';

/** The training room's services; not_supported when the server runs without it. */
export function training(ctx: MethodContext): TrainingServices {
  const services = trainingServices(ctx.server);
  if (!services) throw new PalestraError('not_supported', 'Training is not available on this server');
  return services;
}

/** A finished job's outcome, or job_failed with its reason. */
function outcome(job: Job): unknown {
  if (job.status === 'failed') {
    const reason = job.error?.message ?? 'unknown';
    throw new PalestraError('job_failed', `Job ${job.id} failed: ${reason}`, { job_id: job.id, reason, error: job.error });
  }
  return job.result;
}

interface TrainParams {
  env_id: string;
  algorithm?: string;
  hyperparameters?: Record<string, unknown>;
  total_timesteps?: number;
  seed?: number;
  name?: string;
  session?: string;
  early_stop?: boolean;
  env_kwargs?: Record<string, unknown>;
}

/**
 * Starts (or queues) a training job and answers at once with its id; the
 * caller is subscribed to its frames. A caller that takes no pushed frames
 * (replies matched by order) gets one answer, when the job is done.
 */
export const train: Method = async (ctx, p: TrainParams) => {
  const { jobs } = training(ctx);
  const plan = planTraining(ctx.server.registry, p);
  const job = await jobs.submitTrain(plan, { name: p.name, session: p.session, subscriber: ctx.push ? ctx.session : undefined });
  if (!ctx.push) return outcome(await job.done);
  return {
    job_id: job.id,
    status: job.status,
    queue_position: jobs.queuePosition(job),
    model: job.model,
    env_id: plan.env_id,
    algorithm: plan.algorithm,
    hyperparameters: plan.hyperparameters,
    total_timesteps: plan.total_timesteps,
    seed: plan.seed,
    early_stop: plan.early_stop,
    session: job.session,
  };
};

/** Stops a job and answers once it has ended; a training job keeps (and saves) what it has learned. */
export const stop: Method = async (ctx, p: { job_id: string }) => {
  const { jobs } = training(ctx);
  return jobs.info(await jobs.stop(p.job_id));
};

/** Every job this server remembers, optionally filtered. */
export const jobs: Method = (ctx, p: { status?: string; kind?: string; session?: string }) => {
  const manager = training(ctx).jobs;
  const list = manager
    .list()
    .filter((j) => (p.status === undefined || j.status === p.status) && (p.kind === undefined || j.kind === p.kind))
    .filter((j) => p.session === undefined || j.session === p.session);
  return { jobs: list.map((j) => manager.info(j)) };
};

/** One job. */
export const job: Method = (ctx, p: { job_id: string }) => {
  const manager = training(ctx).jobs;
  return manager.info(manager.get(p.job_id));
};

/** Subscribes this connection to a job's frames (any connection may watch any job). */
export const subscribe: Method = (ctx, p: { job_id: string }) => {
  const manager = training(ctx).jobs;
  const j = ctx.push ? manager.subscribe(p.job_id, ctx.session) : manager.get(p.job_id);
  return { ...manager.info(j), subscribed: ctx.push && j.subscribers.has(ctx.session) };
};

interface EvaluateParams extends EvaluationRequest {
  model: string;
}

/** Runs a saved policy on fresh seeded episodes in a worker, streaming `evaluate.progress`; answers the statistics. */
export const evaluate: Method = async (ctx, p: EvaluateParams) => {
  const { jobs, store } = training(ctx);
  const { meta, params } = await store.load(p.model);
  const plan = planEvaluation(ctx.server.registry, meta, params, p);
  const job = jobs.submitEvaluate(meta.name, meta.algorithm, plan, meta.session, ctx.push ? ctx.session : undefined);
  return outcome(await job.done);
};
