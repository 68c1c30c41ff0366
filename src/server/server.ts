/** The HTTP and WebSocket server: listening, upgrades on `/` and `/gym`, connections, shutdown. */
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import type { Duplex } from 'node:stream';
import { resolve } from 'node:path';
import pino, { Logger } from 'pino';
import { v4 as uuidv4 } from 'uuid';
import { WebSocketServer, WebSocket } from 'ws';
import Fastify, { FastifyBaseLogger, FastifyInstance, LogController } from 'fastify';
import type { ServerOptions, ServerState } from '../api/context';
import { defaultRegistry as globalRegistry, Registry } from '../api';
import { PalestraError } from '../errors';
import { currentHooks } from '../hooks';
import { VERSION } from '../version';
import { environmentCount, jobFigures } from '../api/system';
import { ClientConnection } from './connection';
import { httpPlugin } from './http';
import { clientErrorHandler, errorBody, errorHandler } from './http_errors';
import { IdleSweeper } from './idle';
import { openapiPlugin } from './openapi';
import { attachInstruments } from './instruments';
import { ServerMetrics } from './metrics';
import { LOG_REDACT_PATHS } from './security/api_keys';
import { AccessGate, isRefused, refuseUpgrade } from './security/gate';
import { securityPlugin } from './security/plugin';
import type { Plugin } from './plugin';
import { protocol } from './protocol';
import { batchWrites } from './write_batching';

/** Options of `start()`. */
export interface StartOptions extends Partial<ServerOptions> {
  /** A pino logger to use instead of one made from `logLevel`. */
  logger?: Logger;
  /** The environment registry; the global one by default. */
  registry?: Registry;
  /** Rooms that join the server (training, REST, web page): Fastify plugins, registered in order. */
  plugins?: Plugin[];
}

/** A running server. */
export interface PalestraServer {
  readonly host: string;
  readonly port: number;
  /** `ws://host:port` (JSON-RPC and Gymie both work here; Gymie clients use `/gym`). */
  readonly url: string;
  /** `http://host:port`. */
  readonly httpUrl: string;
  readonly state: ServerState;
  readonly http: Server;
  /** The Fastify instance behind the HTTP routes. */
  readonly app: FastifyInstance;
  /** Closes every connection (freeing its environments), closes the rooms (their onClose hooks), stops listening. */
  close(): Promise<void>;
}

/** Thrown by `start` when the address is taken or cannot be used. */
export class ListenError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ListenError';
  }
}

export const DEFAULTS: ServerOptions = {
  host: '127.0.0.1',
  port: 5000,
  logLevel: 'info',
  maxMessageBytes: 1024 * 1024,
  maxMessageDepth: 64,
  maxBatchLength: 100,
  maxReplyBytes: 8 * 1024 * 1024,
  maxBufferedBytes: 4 * 1024 * 1024,
  slowClientSeconds: 30,
  maxEnvsPerConnection: 64,
  maxVectorEnvs: 4096,
  dataDir: 'palestra-data',
  restIdleSeconds: 600,
  restMaxEnvs: 256,
  allowShutdown: false,
  backend: 'auto',
  // One core stays free for the event loop, so stepping stays fast while jobs train.
  maxConcurrentJobs: Math.max(1, availableParallelism() - 1),
  envModules: [],
  maxModelBytes: 16 * 1024 * 1024,
  dataDirQuotaBytes: 1024 * 1024 * 1024,
  shutdownGraceMs: 30_000,
  checkpointSeconds: 60,
  tensorboardDir: '',
  queue: undefined,
  allowOrigins: [],
  allowHosts: [],
  apiKey: undefined,
  apiKeysFile: undefined,
  serveModel: undefined,
  observationSchema: undefined,
  insecure: false,
  maxConnections: 512,
  maxTotalEnvs: 10_000,
  idleSeconds: 600,
  maxJobsPerUser: 16,
  maxModelsPerUser: 1000,
  rateLimits: {
    http: null,
    train: { perSecond: 1, burst: 20 },
    evaluate: { perSecond: 1, burst: 20 },
    make_vec: { perSecond: 5, burst: 50 },
  },
};

/** The deepest nesting `maxMessageDepth` may allow. */
export const MAX_MESSAGE_DEPTH = 1000;

const WEBSOCKET_PATHS = new Set(['/', '/gym']);

/** How long a client has to answer a close frame before its socket is cut. */
const CLOSE_HANDSHAKE_MS = 1000;

/** Closes every client socket with 1001 ("going away") and a reason, cutting those that do not answer in time. */
async function closeSockets(clients: Map<WebSocket, ClientConnection>, state: ServerState): Promise<void> {
  const waits: Promise<void>[] = [];
  for (const [ws, connection] of clients) {
    connection.dispose();
    state.connections.delete(connection);
    waits.push(
      new Promise<void>((done) => {
        const timer = setTimeout(() => {
          ws.terminate();
          done();
        }, CLOSE_HANDSHAKE_MS);
        ws.once('close', () => {
          clearTimeout(timer);
          done();
        });
        ws.close(1001, 'Server shutting down');
      }),
    );
  }
  await Promise.all(waits);
  clients.clear();
}

/** Starts listening; resolves once the port is bound. */
export async function listen(options: StartOptions = {}): Promise<PalestraServer> {
  const opts: ServerOptions = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS) as (keyof ServerOptions)[]) {
    if (options[key] !== undefined) (opts as unknown as Record<string, unknown>)[key] = options[key];
  }
  opts.rateLimits = { ...DEFAULTS.rateLimits, ...options.rateLimits };
  // Deeper than this, the recursive walkers a message meets (ajv, JSON.stringify, structured clone) risk the stack.
  if (!Number.isInteger(opts.maxMessageDepth) || opts.maxMessageDepth < 1 || opts.maxMessageDepth > MAX_MESSAGE_DEPTH) {
    throw new RangeError(`maxMessageDepth must be an integer from 1 to ${MAX_MESSAGE_DEPTH}, got ${opts.maxMessageDepth}`);
  }
  opts.dataDir = resolve(opts.dataDir);
  // Keys are read and the bind address checked before anything starts.
  const gate = new AccessGate(opts);
  opts.envModules = opts.envModules.map((m) => resolve(m));
  const logger = options.logger ?? pino({ level: opts.logLevel, base: { name: 'palestra' }, redact: LOG_REDACT_PATHS });
  protocol();
  const state: ServerState = {
    options: opts,
    registry: options.registry ?? globalRegistry,
    hooks: currentHooks(),
    logger,
    version: VERSION,
    startedAt: Date.now(),
    connections: new Set(),
    services: new Map(),
    counters: { steps: 0 },
    onListening: [],
  };
  const clients = new Map<WebSocket, ClientConnection>();
  const metrics = new ServerMetrics(
    { connections: () => clients.size, environments: () => environmentCount(state), steps: () => state.counters.steps },
    (method) => protocol().methods.has(method),
  );
  metrics.setJobSource(() => jobFigures(state));
  attachInstruments(state, { gate, metrics });
  const app = createApp(state, options.plugins ?? [], gate, metrics);
  await app.ready();
  const http = app.server;
  const idle = opts.idleSeconds > 0 ? new IdleSweeper(opts.idleSeconds) : null;
  // Both count bytes: a message up to twice the limit is read and refused with message_too_large
  // (a reply the client can act on); past that, ws closes with 1009, message_too_large's close code.
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxMessageBytes * 2 + 1024 });

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?')[0];
    if (!WEBSOCKET_PATHS.has(path)) {
      const body = JSON.stringify(errorBody(new PalestraError('not_found', `No WebSocket endpoint at ${path}; connect to / (JSON-RPC) or /gym (Gymie)`)));
      socket.end(`HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      return;
    }
    const answer = gate.admit(req, `ip:${req.socket.remoteAddress}`);
    if (isRefused(answer)) {
      metrics.refused(answer.reason);
      refuseUpgrade(socket, answer.error);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const full = gate.connectionRefusal(clients.size);
      if (full) {
        // Accepted only to say why in a close frame, which a browser can read and an HTTP status it cannot.
        metrics.refused(full.reason);
        ws.close(full.error.entry.gymie_close, full.error.message);
        return;
      }
      const watch = idle?.watch(ws);
      const connection = new ClientConnection(uuidv4(), ws, state, path, answer.principal, watch);
      metrics.connectionOpened();
      clients.set(ws, connection);
      state.connections.add(connection);
      logger.info({ connection: connection.id, path, remote: req.socket.remoteAddress }, 'connection opened');
      const holdWrites = batchWrites(socket);
      // Text and binary frames alike carry JSON text; ws hands both over as one Buffer.
      ws.on('message', (data) => {
        if (watch) watch.active = true;
        holdWrites();
        connection.onMessage(data as Buffer);
      });
      ws.on('error', (err) => logger.warn({ connection: connection.id, err: err.message }, 'socket error'));
      ws.on('close', (code) => {
        connection.dispose();
        gate.connectionClosed(connection.id);
        clients.delete(ws);
        state.connections.delete(connection);
        logger.info({ connection: connection.id, code }, 'connection closed');
      });
    });
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const where = `${opts.host}:${opts.port}`;
      const message =
        err.code === 'EADDRINUSE'
          ? `Address ${where} is already in use; choose another port with --port`
          : err.code === 'EACCES'
            ? `Not allowed to listen on ${where}`
            : `Cannot listen on ${where}: ${err.message}`;
      rejectListen(new ListenError(message, err.code ?? 'ELISTEN'));
    };
    http.once('error', onError);
    http.listen(opts.port, opts.host, () => {
      http.off('error', onError);
      resolveListen();
    });
  }).catch(async (err) => {
    idle?.stop();
    gate.close();
    await app.close();
    throw err;
  });

  const address = http.address() as AddressInfo;
  gate.bound(address.port);
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  logger.info({ host: address.address, port: address.port }, 'listening');
  for (const begin of state.onListening) {
    await begin().catch((err: Error) => logger.error({ err: err.message }, 'a room could not start its work after listening'));
  }
  let closing: Promise<void> | null = null;

  const server: PalestraServer = {
    host: address.address,
    port: address.port,
    url: `ws://${hostForUrl}:${address.port}`,
    httpUrl: `http://${hostForUrl}:${address.port}`,
    state,
    http,
    app,
    close() {
      closing ??= (async () => {
        // Stop accepting first; the rooms then end their work while clients can still hear of it
        // (a job's owner gets train.done or train.error), and only then do the sockets close, with 1001.
        const closed = new Promise<void>((done) => http.close(() => done()));
        http.closeIdleConnections();
        idle?.stop();
        gate.close();
        // The rooms' onClose hooks run here, before the port is released.
        await app.close();
        await closeSockets(clients, state);
        wss.close();
        http.closeAllConnections();
        await closed;
        logger.info('closed');
      })();
      return closing;
    },
  };
  state.shutdown = () => server.close();
  return server;
}

/**
 * The Fastify instance: the root HTTP plugin, then the rooms. Fastify gets a
 * server made here and never listens itself, so `listen` keeps its own errors
 * and `close` decides the order: stop accepting, the rooms (jobs stop, save and tell their owners), the sockets (1001), the port.
 */
function createApp(state: ServerState, plugins: Plugin[], gate: AccessGate, metrics: ServerMetrics): FastifyInstance {
  const app: FastifyInstance = Fastify({
    serverFactory: (handler) => createServer(handler),
    loggerInstance: state.logger as FastifyBaseLogger,
    // Requests are not logged one by one; errors are, by the error handlers.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: state.options.maxMessageBytes,
    // Requests that arrive while the rooms close still get answers.
    return503OnClosing: false,
    clientErrorHandler,
    // A URL Fastify cannot route (bad percent-encoding, a part too long) is a catalogue error like any other.
    frameworkErrors: (error, request, reply) => void errorHandler()(error, request, reply),
    routerOptions: {
      // gym-http-api clients differ on trailing slashes; every route takes both.
      ignoreTrailingSlash: true,
      ignoreDuplicateSlashes: true,
      // A `contains/:x` value may be long; the URL itself is bounded by Node at 16 KB.
      maxParamLength: 16 * 1024,
    },
  });
  app.decorate('palestra', state);
  // The gate first, so its hooks run before every route of every room.
  app.register(securityPlugin, { gate, metrics });
  // Before every route it documents: it learns of routes as they are added.
  app.register(openapiPlugin);
  app.register(httpPlugin);
  for (const plugin of plugins) app.register(plugin);
  return app;
}
