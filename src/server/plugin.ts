/**
 * A room of the project (training, REST, the web page) joins the server as a
 * Fastify plugin: it adds routes, puts what it serves in `state.services`, and
 * lets go of it in an `onClose` hook, which runs after every WebSocket
 * connection has gone and before the port is released. Work that must not
 * begin unless the port is bound goes in `state.onListening`.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ServerState } from '../api/context';

declare module 'fastify' {
  interface FastifyInstance {
    /** The server's shared state: options, registry, hooks, logger, services. */
    readonly palestra: ServerState;
  }
}

/** A room that joins the server: a Fastify plugin that reads the server's state at `app.palestra`. */
export type Plugin = FastifyPluginAsync;
