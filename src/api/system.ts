/** The system methods: hello and health. */
import { PROTOCOL_VERSION, protocol } from '../server/protocol';
import type { Method, ServerState } from './context';

/** The numerics backend, once the training room has chosen one. */
function backendOf(server: ServerState): string | null {
  const backend = server.services.get('backend') as { name: string } | undefined;
  return backend?.name ?? null;
}

/** Counts live environments: every connection's, and those made over REST. */
export function environmentCount(server: ServerState): number {
  let n = (server.services.get('rest') as { size: number } | undefined)?.size ?? 0;
  for (const c of server.connections) n += c.envs.size;
  return n;
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
  };
}

export const health: Method = (ctx) => healthReport(ctx.server);

export const hello: Method = (ctx, p: { client?: string }) => {
  if (p.client) ctx.server.logger.info({ connection: ctx.connection.id, client: p.client }, 'hello');
  return {
    server: 'palestra',
    version: ctx.server.version,
    protocol_version: PROTOCOL_VERSION,
    capabilities: ['gymie', 'jsonrpc', 'batch', 'notifications', ...((ctx.server.services.get('capabilities') as string[]) ?? [])],
    methods: protocol().names(),
    env_ids: ctx.server.registry.ids(),
    backend: backendOf(ctx.server),
    limits: {
      max_message_bytes: ctx.server.options.maxMessageBytes,
      max_envs_per_connection: ctx.server.options.maxEnvsPerConnection,
    },
  };
};
