/**
 * Where the cluster lives in Redis: the connection a `redis://` URL names,
 * and the keys and channels every node and worker share. BullMQ keeps the
 * queue itself (its keys start with `bull:palestra-jobs`); beside it,
 * Palestra keeps each job's record (one hash, id → JSON, so any node can
 * answer `job` and `jobs`), a model-name reservation per training job, a
 * stop mark per job asked to stop, and one pub/sub channel for what jobs do.
 */
import type { ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { PalestraError } from '../errors';

/** The BullMQ queue's name. */
export const QUEUE_NAME = 'palestra-jobs';
/** Hash: job id → the job's record (JSON). */
export const JOBS_KEY = 'palestra:jobs';
/** Pub/sub channel: job records as they change, and progress. */
export const EVENTS_CHANNEL = 'palestra:events';
/** Pub/sub channel: job ids asked to stop. */
export const STOP_CHANNEL = 'palestra:stop';
/** A model name a queued or running training job will save to (value: its job id). */
export const reserveKey = (model: string) => `palestra:reserve:${model}`;
/** Set when a job is asked to stop, so a worker that picks it up just then sees it too. */
export const stopKey = (id: string) => `palestra:stopped:${id}`;

/** Connection settings from `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS). */
export function redisOptions(url: string): RedisOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new PalestraError('invalid_params', `--queue takes a Redis URL such as redis://127.0.0.1:6379; got ${JSON.stringify(url)}`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new PalestraError('invalid_params', `--queue takes a redis:// or rediss:// URL; got ${JSON.stringify(url)}`);
  }
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: Number.isSafeInteger(db) ? db : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    // BullMQ's blocking calls must wait through a reconnect rather than fail after a few retries.
    maxRetriesPerRequest: null,
    // Reconnect for ever, at most a second apart: a restarted Redis is found again within a second.
    retryStrategy: (times) => Math.min(100 * times, 1000),
  };
}

/** A new connection (pub/sub needs one of its own). */
export function connect(url: string): Redis {
  return new Redis(redisOptions(url));
}

/** The same settings as BullMQ's Queue, QueueEvents and Worker take them (each opens its own connections). */
export function queueConnection(url: string): ConnectionOptions {
  return redisOptions(url) as ConnectionOptions;
}

/** Resolves once `redis` is connected; a server or worker started against an unreachable Redis says so rather than waiting in silence. */
export async function reachable(redis: Redis, url: string, timeoutMs = 5000): Promise<void> {
  if (redis.status === 'ready') return;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      new Promise<void>((resolve) => redis.once('ready', () => resolve())),
      new Promise<void>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Cannot reach Redis at ${url.replace(/\/\/[^@/]*@/, '//')} within ${timeoutMs / 1000} s; is redis-server running there?`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
