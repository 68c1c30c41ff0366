/** The system methods: hello and health. */
import { PROTOCOL_VERSION, protocol } from '../server/protocol';
import type { Method, ServerState } from './context';
import { sessionsOf } from './sessions';
import { trainingServices } from '../train/plugin';

/** The numerics backend, once the training room has chosen one. */
function backendOf(server: ServerState): string | null {
  const backend = server.services.get('backend') as { name: string } | undefined;
  return backend?.name ?? null;
}

/** Counts live environments: every session's (sockets, REST, ...). */
export function environmentCount(server: ServerState): number {
  return sessionsOf(server).envCount();
}

/**
 * Jobs by state, the queue's depth and the running training jobs' steps per second, for the metrics; null
 * without training. On a cluster the jobs are every node's (each node mirrors them all), the depth is the
 * shared queue's, and the workers connected to it are counted.
 */
export function jobFigures(server: ServerState): { byState: Record<string, number>; queueDepth: number; stepsPerSecond: number; workers?: number } | null {
  const services = trainingServices(server);
  if (!services) return null;
  const byState: Record<string, number> = {};
  let stepsPerSecond = 0;
  for (const job of services.jobs.list()) {
    byState[job.status] = (byState[job.status] ?? 0) + 1;
    if (job.status !== 'running' || job.kind !== 'train' || !job.progress) continue;
    const rate = (job.progress as { steps_per_second?: unknown }).steps_per_second;
    if (typeof rate === 'number') stepsPerSecond += rate;
  }
  const cluster = services.jobs.cluster?.();
  if (cluster) return { byState, queueDepth: cluster.queue_depth, stepsPerSecond, workers: cluster.workers };
  return { byState, queueDepth: byState.queued ?? 0, stepsPerSecond };
}

/** The JSON that `health` and `GET /health` answer. */
export function healthReport(server: ServerState): Record<string, unknown> {
  return {
    status: 'ok',
    version: server.version,
    protocol_version: PROTOCOL_VERSION,
    uptime_s: (Date.now() - server.startedAt) / 1000,
    connections: server.connections.size,
    environments: environmentCount(server),
    backend: backendOf(server),
    ...clusterReport(server),
  };
}

/** With a cluster queue, what `health` adds: the queue's depth, the workers connected, jobs per state over the cluster. */
function clusterReport(server: ServerState): { cluster?: Record<string, unknown> } {
  const services = trainingServices(server);
  const figures = services?.jobs.cluster?.();
  if (!services || !figures) return {};
  const jobs: Record<string, number> = {};
  for (const job of services.jobs.list()) jobs[job.status] = (jobs[job.status] ?? 0) + 1;
  return { cluster: { connected: figures.connected, queue_depth: figures.queue_depth, workers: figures.workers, jobs, queue: figures.queue } };
}

/**
 * What `GET /health` answers: the `health` report with the fields the GRPO training API's
 * clients read (`status: "healthy"`, `timestamp`, running jobs, models in memory).
 */
export function httpHealthReport(server: ServerState): Record<string, unknown> {
  const services = trainingServices(server);
  return {
    ...healthReport(server),
    status: 'healthy',
    timestamp: new Date().toISOString(),
    active_jobs: services ? services.jobs.list().filter((j) => j.status === 'running' || j.status === 'stopping').length : 0,
    loaded_models: services ? services.cache.size : 0,
  };
}

export const health: Method = (ctx) => healthReport(ctx.server);

export const hello: Method = (ctx, p: { client?: string; encoding?: 'json' | 'binary' }) => {
  if (p.encoding) ctx.session.encoding = p.encoding;
  if (p.client) ctx.server.logger.info({ session: ctx.session.id, client: p.client }, 'hello');
  return {
    server: 'palestra',
    version: ctx.server.version,
    protocol_version: PROTOCOL_VERSION,
    capabilities: [...ctx.session.capabilities, ...((ctx.server.services.get('capabilities') as string[]) ?? [])],
    methods: protocol().names(),
    env_ids: ctx.server.registry.ids(),
    backend: backendOf(ctx.server),
    limits: {
      max_message_bytes: ctx.server.options.maxMessageBytes,
      max_envs_per_connection: ctx.server.options.maxEnvsPerConnection,
      max_vector_envs: ctx.server.options.maxVectorEnvs,
    },
  };
};
