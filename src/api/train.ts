/**
 * The training methods: train, stop, jobs, job, subscribe, evaluate. Here the
 * job manager's events become frames (`train.progress`, `train.done`,
 * `train.error`, `evaluate.progress`) for the callers that watch a job; the
 * frame names live in this file only.
 */
import { PalestraError } from '../errors';
import type { Methods } from '../generated/protocol';
import type { StoredModel } from '../models/store';
import type { JobService, TrackedJob as Job } from '../train/jobs/service';
import { trainingServices, TrainingServices } from '../train/plugin';
import { TrainPlan, TrainRequest, planEvaluation, planTraining } from '../train/jobs/runner';
import type { MethodContext } from './context';
import { checkJobQuota, checkModelAccess, mayAccessJob, ownedJob } from './ownership';
import { LIST_PAGE, pageOf } from './pages';

type Params<M extends keyof Methods> = Methods[M]['params'];
type Result<M extends keyof Methods> = Methods[M]['result'];

/** Anything that can receive pushed frames: a client connection, or the CLI. */
export interface Subscriber {
  readonly open: boolean;
  notify(method: string, params: unknown): void;
}

/** Who watches which job; one relay per job manager, listening to its events once. */
class FrameRelay {
  private readonly watchers = new Map<string, Set<Subscriber>>();

  constructor(manager: JobService) {
    manager.on('progress', (e) => this.send(e.job, e.kind === 'train' ? 'train.progress' : 'evaluate.progress', e.progress));
    manager.on('done', (e) => {
      if (e.kind === 'train') this.send(e.job, 'train.done', e.result);
      this.watchers.delete(e.job.id);
    });
    manager.on('error', (e) => {
      if (e.job.kind === 'train') this.send(e.job, 'train.error', { job_id: e.job.id, status: 'failed', error: e.error });
      this.watchers.delete(e.job.id);
    });
  }

  add(job: Job, subscriber: Subscriber): void {
    let set = this.watchers.get(job.id);
    if (!set) this.watchers.set(job.id, (set = new Set()));
    set.add(subscriber);
  }

  has(job: Job, subscriber: Subscriber): boolean {
    return this.watchers.get(job.id)?.has(subscriber) ?? false;
  }

  private send(job: Job, method: string, params: unknown): void {
    const set = this.watchers.get(job.id);
    if (!set) return;
    for (const s of set) {
      if (!s.open) set.delete(s);
      else s.notify(method, params);
    }
  }
}

const relays = new WeakMap<JobService, FrameRelay>();

function relayOf(manager: JobService): FrameRelay {
  let relay = relays.get(manager);
  if (!relay) relays.set(manager, (relay = new FrameRelay(manager)));
  return relay;
}

/** Sends a job's frames to `subscriber` until the job ends (nothing once it has ended). */
export function watch(manager: JobService, job: Job, subscriber: Subscriber): boolean {
  if (manager.isFinal(job)) return false;
  relayOf(manager).add(job, subscriber);
  return true;
}

/** The training room's services; not_supported when the server runs without it. */
export function training(ctx: MethodContext): TrainingServices {
  const services = trainingServices(ctx.server);
  if (!services) throw new PalestraError('not_supported', 'Training is not available on this server');
  return services;
}

/** A finished job's outcome, or job_failed with its reason. */
function outcome(job: Job): Job['result'] {
  if (job.status === 'failed') {
    const reason = job.error?.message ?? 'unknown';
    throw new PalestraError('job_failed', `Job ${job.id} failed: ${reason}`, { job_id: job.id, reason, error: job.error });
  }
  return job.result;
}

/**
 * Checks a training request (quotas included) and submits the job, owned by the caller;
 * answers at once with the job (queued or running) and its plan. Other surfaces (HTTP) start jobs here too.
 */
export async function submitTraining(ctx: MethodContext, p: TrainRequest & { name?: string; session?: string }): Promise<{ job: Job; plan: TrainPlan }> {
  const { jobs, store } = training(ctx);
  let init: StoredModel | undefined;
  if (p.init_model !== undefined) {
    await checkModelAccess(ctx, store, p.init_model);
    init = await store.load(p.init_model);
  }
  const plan = planTraining(ctx.server.registry, p, { maxModelBytes: ctx.server.options.maxModelBytes }, init);
  await checkJobQuota(ctx, jobs, store, 'train');
  const job = await jobs.submitTrain(plan, { name: p.name, session: p.session, owner: ctx.session.principal.name });
  return { job, plan };
}

/**
 * Starts (or queues) a training job and answers at once with its id; the
 * caller is subscribed to its frames. A caller that takes no pushed frames
 * (`ctx.push` false: replies matched by order) gets one answer, when it is done.
 */
export async function train(ctx: MethodContext, p: Params<'train'>): Promise<Result<'train'> | Job['result']> {
  const { jobs } = training(ctx);
  const { job, plan } = await submitTraining(ctx, p);
  if (!ctx.push) return outcome(await job.done);
  watch(jobs, job, ctx.session);
  return {
    job_id: job.id,
    status: job.status === 'queued' ? 'queued' : 'running',
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
}

/** Stops a job and answers once it has ended; a training job keeps (and saves) what it has learned. */
export async function stop(ctx: MethodContext, p: Params<'stop'>): Promise<Result<'stop'>> {
  const { jobs } = training(ctx);
  await jobs.caughtUp?.();
  ownedJob(ctx, jobs, p.job_id);
  return jobs.info(await jobs.stop(p.job_id));
}

/** The jobs this server remembers that the caller may see, optionally filtered, a page at a time. */
export async function jobs(ctx: MethodContext, p: Params<'jobs'>): Promise<Result<'jobs'>> {
  const manager = training(ctx).jobs;
  await manager.caughtUp?.();
  const statuses = p.status === undefined ? null : new Set<string>(Array.isArray(p.status) ? p.status : [p.status]);
  const list = manager
    .list()
    .filter((j) => (statuses === null || statuses.has(j.status)) && (p.kind === undefined || j.kind === p.kind))
    .filter((j) => (p.session === undefined || j.session === p.session) && mayAccessJob(ctx, j));
  const page = pageOf(list, p, LIST_PAGE);
  return { jobs: page.items.map((j) => manager.info(j)), next_cursor: page.next_cursor };
}

/** One job. */
export async function job(ctx: MethodContext, p: Params<'job'>): Promise<Result<'job'>> {
  const manager = training(ctx).jobs;
  await manager.caughtUp?.();
  return manager.info(ownedJob(ctx, manager, p.job_id));
}

/** Subscribes this connection to a job's frames (any connection of the job's owner, so a reloaded page finds its jobs). */
export async function subscribe(ctx: MethodContext, p: Params<'subscribe'>): Promise<Result<'subscribe'>> {
  const manager = training(ctx).jobs;
  await manager.caughtUp?.();
  const j = ownedJob(ctx, manager, p.job_id);
  const subscribed = ctx.push && watch(manager, j, ctx.session);
  return { ...manager.info(j), subscribed };
}

/** Runs a saved policy on fresh seeded episodes in a worker, streaming `evaluate.progress`; answers the statistics. */
export async function evaluate(ctx: MethodContext, p: Params<'evaluate'>): Promise<Job['result']> {
  const { jobs, store } = training(ctx);
  await checkModelAccess(ctx, store, p.model);
  const { meta, params } = await store.load(p.model);
  const plan = planEvaluation(ctx.server.registry, meta, params, p);
  await checkJobQuota(ctx, jobs, store, 'evaluate');
  const job = await jobs.submitEvaluate(meta.name, meta.algorithm, plan, meta.session, ctx.session.principal.name);
  if (ctx.push) watch(jobs, job, ctx.session);
  return outcome(await job.done);
}
