/** What a method sees: the server's state, the calling connection, and which framing asked. */
import type { Logger } from 'pino';
import type { Registry } from '../envs/registration';
import type { Hooks } from '../hooks';
import type { EnvInstance } from './instances';

/** Options of `start()`, with their defaults filled in. */
export interface ServerOptions {
  host: string;
  port: number;
  logLevel: string;
  /** Largest message accepted, in bytes. */
  maxMessageBytes: number;
  /** Most environments one connection may hold at once. */
  maxEnvsPerConnection: number;
  /** Where trained models and other saved data live. */
  dataDir: string;
  /** Seconds a gym-http-api (REST) environment may sit unused before it is closed; 0 keeps it forever. */
  restIdleSeconds: number;
  /** Most environments made over REST that the server holds at once. */
  restMaxEnvs: number;
  /** Whether `POST /v1/shutdown/` may stop the server (gym-http-api's test harness uses it). */
  allowShutdown: boolean;
  /** TensorFlow.js backend for training: `auto` (tfjs-node, else wasm, else cpu), or one forced by name. */
  backend: string;
  /** Training and evaluation jobs that run at once; more wait in a queue. */
  maxConcurrentJobs: number;
  /**
   * Modules that register environments (absolute paths once started). They are loaded in the
   * server and in every training worker, so environments a user registers can be trained too.
   */
  envModules: string[];
  /** Largest model a `train` may produce, in bytes of saved weights; larger networks are refused before training. */
  maxModelBytes: number;
  /** Quota of the data directory in bytes (0: none): training is refused at it, and a save that would pass it. */
  dataDirQuotaBytes: number;
  /** How long shutdown waits for running jobs to stop and save, in milliseconds. */
  shutdownGraceMs: number;
  /** Seconds between checkpoints of a running training job (saved as its model); 0 saves only at the end. */
  checkpointSeconds: number;
}

/** One client connection, as the API sees it (no sockets here). */
export interface Connection {
  readonly id: string;
  /** Environments this connection owns, by instance id. */
  readonly envs: Map<string, EnvInstance>;
  /** Pushes a JSON-RPC notification to this client (dropped if it has gone). */
  notify(method: string, params: unknown): void;
  /** False once the client has gone. */
  readonly open: boolean;
}

/** State shared by every connection of one server. */
export interface ServerState {
  readonly options: ServerOptions;
  readonly registry: Registry;
  readonly hooks: Hooks;
  readonly logger: Logger;
  readonly version: string;
  readonly startedAt: number;
  readonly connections: Set<Connection>;
  /** Services added by other rooms (training jobs, models, …), by name. */
  readonly services: Map<string, unknown>;
  /** Closes the whole server, as `PalestraServer.close()` does (set once it listens). */
  shutdown?: () => Promise<void>;
}

/** The first argument of every method. */
export interface MethodContext {
  readonly server: ServerState;
  readonly connection: Connection;
  /** True when the request came in Gymie's legacy framing (bare replies, old gym API). */
  readonly gymie: boolean;
}

/** A method: a plain function of (context, params). */
export type Method = (ctx: MethodContext, params: any) => unknown;

/** A reply the transport sends as text, as it is (Gymie's `make` answers a bare id). */
export class RawReply {
  constructor(readonly text: string) {}
}
