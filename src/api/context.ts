/** What a method sees: the server's state and the caller's session. */
import type { Logger } from 'pino';
import type { Registry } from '../envs/registration';
import type { Hooks } from '../hooks';
import type { Session } from './sessions';

/** Options of `start()`, with their defaults filled in. */
export interface ServerOptions {
  host: string;
  port: number;
  logLevel: string;
  /** Largest message accepted, in bytes (UTF-8, as it travels). */
  maxMessageBytes: number;
  /** Deepest nesting of lists and objects a message may have (1 to 1000 levels). */
  maxMessageDepth: number;
  /** Most requests one JSON-RPC batch may hold. */
  maxBatchLength: number;
  /** Largest reply the server writes, in bytes; a batch's replies count together. */
  maxReplyBytes: number;
  /** Bytes waiting to be sent to one client past which the server stops reading its requests. */
  maxBufferedBytes: number;
  /** Seconds a client may stay above `maxBufferedBytes` before it is closed with 1013. */
  slowClientSeconds: number;
  /** Most environments one connection may hold at once. */
  maxEnvsPerConnection: number;
  /** Most copies one vector environment (`make_vec`'s `num_envs`) may have. */
  maxVectorEnvs: number;
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
  /** Where TensorBoard event files of every training run are written (one folder per run); empty: none. */
  tensorboardDir: string;
  /** Seconds between checkpoints of a running training job (saved as its model); 0 saves only at the end. */
  checkpointSeconds: number;
  /**
   * Run `train` and `evaluate` on a Redis-backed BullMQ queue shared by many nodes, with
   * `palestra worker` processes running the jobs (absent: the embedded scheduler, in this process).
   * How often a job whose worker died is retried is the workers' setting (`--job-retries`).
   */
  queue?: { url: string };
  /** Browser origins allowed besides the server's own and localhost's (`*`: every origin). */
  allowOrigins: string[];
  /** Names the `Host` header may carry besides the bound ones and localhost (`*`: any). */
  allowHosts: string[];
  /** One API key, for one user (the CLI reads it from `PALESTRA_API_KEY` too). */
  apiKey?: string;
  /** A JSON file of API key → `{name, admin?}`, for several users. */
  apiKeysFile?: string;
  /** A saved model whose policy the root routes `/predict/`, `/distribution/`, ... serve (Pathmind's policy server). */
  serveModel?: string;
  /** A Pathmind `schema.yaml` naming the served model's observation fields (default: derived from its space). */
  observationSchema?: string;
  /** Serve beyond loopback without API keys. */
  insecure: boolean;
  /** Most WebSocket connections open at once. */
  maxConnections: number;
  /** Most environments the server holds at once, over every connection and REST. */
  maxTotalEnvs: number;
  /** Close a WebSocket connection with no message either way for this long; 0 never. */
  idleSeconds: number;
  /** Most running and queued jobs one user (one key's name) may have. */
  maxJobsPerUser: number;
  /** Most saved models one user may own. */
  maxModelsPerUser: number;
  /**
   * Token-bucket rate limits by name: `http` (every HTTP request), and the methods
   * `train`, `evaluate`, `make_vec`; counted per key's name, or per connection without keys.
   */
  rateLimits: Record<string, { perSecond: number; burst: number } | null>;
}

/** One client connection of a transport, counted by `health` (its environments live in its session). */
export interface Connection {
  readonly id: string;
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
  /** Plain counts the metrics read when scraped (a number bumped on the step path costs nothing). */
  readonly counters: { steps: number };
  /** Closes the whole server, as `PalestraServer.close()` does (set once it listens). */
  shutdown?: () => Promise<void>;
  /**
   * Work a room starts only once the port is bound (resuming the last run's queued jobs), so a
   * start that fails to listen starts nothing it would then have to cut; run in order, awaited.
   */
  readonly onListening: (() => Promise<void>)[];
}

/** The first argument of every method. */
export interface MethodContext {
  readonly server: ServerState;
  /** Who is calling: owns the environments this call may see, and receives pushed frames. */
  readonly session: Session;
  /**
   * Whether the caller can take pushed frames beside replies. When it cannot
   * (replies matched by order, or plain HTTP), long methods answer once, when done.
   */
  readonly push: boolean;
  /**
   * Whether the caller's dialect has vector environments (JSON-RPC has; the bare
   * framing and gym-http-api have not): without, a vector instance's id is not found.
   */
  readonly vectors?: boolean;
}

/** A method: a plain function of (context, params). */
export type Method = (ctx: MethodContext, params: any) => unknown;
