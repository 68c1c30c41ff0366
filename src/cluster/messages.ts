/**
 * What crosses Redis about a job: its record (the job's state without its
 * worker, as JSON; an evaluation's weights stay out, the worker reads them
 * from the shared model store), and the message published each time it
 * changes, naming what happened so every node can emit the same event its
 * own job manager would have.
 */
import type { Redis } from 'ioredis';
import type { JobState } from '../train/jobs/records';
import { type TrainPlan, planToJSON } from '../train/jobs/runner';
import { EVENTS_CHANNEL, JOBS_KEY, reserveKey } from './connection';

/** What happened to a job; `update` is a change of state with no frame of its own (stopping, saving, requeued). */
export type ClusterEvent = 'update' | 'start' | 'progress' | 'done' | 'error';

/** One message on the events channel. */
export interface ClusterMessage {
  event: ClusterEvent;
  job: JobState;
}

/** A job's record as Redis keeps it: its state, and an evaluation's plan without the weights. */
export function recordOf(job: JobState): JobState {
  const { id, kind, status, env_id, algorithm, model, session, owner, seed, created_at, started_at, finished_at, trainPlan, evalPlan, progress, result, error, backend } = job;
  const record: JobState = { id, kind, status, env_id, algorithm, model, session, owner, seed, created_at, started_at, finished_at, progress, result, error, backend };
  // A run that continues a saved model carries its weights: as base64, which JSON keeps (planFromJSON reads it back).
  if (trainPlan) record.trainPlan = planToJSON(trainPlan) as TrainPlan;
  if (evalPlan) record.evalPlan = { ...evalPlan, policy: { spec: evalPlan.policy.spec, params: null as unknown as Float32Array } };
  return record;
}

/** A message from the channel, or null if it is not one of ours. */
export function decode(text: string): ClusterMessage | null {
  try {
    const m = JSON.parse(text) as ClusterMessage;
    return m && typeof m.event === 'string' && m.job && typeof m.job.id === 'string' ? m : null;
  } catch {
    return null;
  }
}

/** Records a job's new state in the jobs hash and tells every node, in one round trip. */
export async function announce(redis: Redis, event: ClusterEvent, job: JobState): Promise<void> {
  const record = recordOf(job);
  await redis
    .multi()
    .hset(JOBS_KEY, job.id, JSON.stringify(record))
    .publish(EVENTS_CHANNEL, JSON.stringify({ event, job: record } satisfies ClusterMessage))
    .exec();
}

/** Frees a training job's model name, if it is still this job's. */
export async function release(redis: Redis, model: string, jobId: string): Promise<void> {
  if ((await redis.get(reserveKey(model))) === jobId) await redis.del(reserveKey(model));
}
