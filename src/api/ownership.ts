/**
 * Jobs and models as their owners see them: another user's look as if they
 * did not exist (`job_not_found`, `model_not_found`, never "forbidden", so
 * their names and ids leak nothing), an admin sees all; and the per-user
 * quotas on running jobs and stored models.
 */
import { PalestraError } from '../errors';
import type { ModelStore } from '../models/store';
import type { JobService, TrackedJob as Job } from '../train/jobs/service';
import type { MethodContext } from './context';
import { mayAccess } from './principal';

/** The job with that id if the caller may see it; job_not_found otherwise, as for an id never made. */
export function ownedJob(ctx: MethodContext, manager: JobService, job_id: string): Job {
  const job = manager.get(job_id);
  if (!mayAccess(ctx.session.principal, job.owner)) throw new PalestraError('job_not_found', `No job ${job_id}`, { job_id });
  return job;
}

/** Whether the caller may see a job. */
export function mayAccessJob(ctx: MethodContext, job: Job): boolean {
  return mayAccess(ctx.session.principal, job.owner);
}

/** Refuses when the caller may not see the model (model_not_found, as for a name never saved); a name never saved passes, for the store to refuse. */
export async function checkModelAccess(ctx: MethodContext, store: ModelStore, name: string): Promise<void> {
  if (ctx.session.principal.admin) return;
  const summary = (await store.list()).find((m) => m.name === name);
  if (summary && !mayAccess(ctx.session.principal, summary.owner)) {
    throw new PalestraError('model_not_found', `No saved model named ${name}`, { model: name });
  }
}

/** Refuses a new job when its owner already has the most running and queued jobs, or (training) stored models, allowed. */
export async function checkJobQuota(ctx: MethodContext, manager: JobService, store: ModelStore, kind: 'train' | 'evaluate'): Promise<void> {
  const owner = ctx.session.principal.name;
  const { maxJobsPerUser, maxModelsPerUser } = ctx.server.options;
  const active = manager.list().filter((j) => j.owner === owner && !manager.isFinal(j));
  if (active.length >= maxJobsPerUser) {
    throw new PalestraError('quota_exceeded', `You already have ${active.length} running or queued jobs, the most allowed (--max-jobs-per-user); wait for one to finish or stop one`, {
      limit: 'max_jobs_per_user',
      max_jobs_per_user: maxJobsPerUser,
    });
  }
  if (kind !== 'train') return;
  // Each training job will save a model, so those still training count too.
  const stored = (await store.list()).filter((m) => (m.owner ?? null) === owner).length;
  const training = active.filter((j) => j.kind === 'train').length;
  if (stored + training >= maxModelsPerUser) {
    throw new PalestraError('quota_exceeded', `You already own ${stored} saved models${training ? ` and ${training} in training` : ''}, the most allowed (--max-models-per-user); delete one first`, {
      limit: 'max_models_per_user',
      max_models_per_user: maxModelsPerUser,
    });
  }
}
