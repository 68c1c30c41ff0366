/** `connect(url)` and the client it gives: Gymnasium environments, training jobs, models and the server's state. */
import { Env, wireSeed } from './env.js';
import { ConnectionClosedError } from './errors.js';
import { TrainJob, jobError, type JobFrame } from './job.js';
import { VectorEnv, type AutoresetMode, type Encoding } from './vector_env.js';
import type { KnownEnvId, KnownEnvs } from './envs.js';
import type { AlgorithmName, Frames, Hyperparameters, Methods, Seed } from './protocol.js';
import { RpcSession, defaultWebSocket, openSocket, type CallOptions, type CloseInfo, type WebSocketConstructor } from './rpc.js';

/** The client library's version, sent in `hello`. */
export const CLIENT_VERSION = '0.1.0';

/** A method's named params, from protocol/ (any object for a method the protocol does not list yet). */
export type Params<M extends string> = M extends keyof Methods ? Methods[M]['params'] : Record<string, unknown>;

/** A method's result, from protocol/ (`Fallback` for a method the protocol does not list yet). */
export type Result<M extends string, Fallback = unknown> = M extends keyof Methods ? Methods[M]['result'] : Fallback;

/** A notification's params, from protocol/frames (`Fallback` for one it does not list yet). */
export type Frame<F extends string, Fallback = JobFrame> = F extends keyof Frames ? Frames[F] : Fallback;

/** A `train.progress` frame. */
export type ProgressFrame = Frame<'train.progress'> & JobFrame;
/** A `train.done` frame: the final summary and the saved model's name. */
export type DoneFrame = Frame<'train.done'> & JobFrame;
/** An `evaluate.progress` frame. */
export type EvaluateProgressFrame = Frame<'evaluate.progress', Record<string, unknown>>;

/** Options of `connect`. */
export interface ConnectOptions {
  /** Milliseconds each call waits for its answer before rejecting with TimeoutError; 0 waits for ever. Default 30 000. */
  timeout?: number;
  /** Milliseconds to wait for the socket to open. Default 10 000. */
  connectTimeout?: number;
  /** The WebSocket class to use; by default `ws` in Node and the global one in browsers. */
  WebSocket?: WebSocketConstructor;
}

/** Options of `make`, as `gymnasium.make(env_id, **kwargs)` plus the seed of the first reset. */
export interface MakeOptions {
  /** A non-negative integer; past 2^53 - 1 give a bigint or a string of decimal digits. */
  seed?: Seed | bigint;
  kwargs?: Record<string, unknown>;
}

/** Options of `makeVec`, as `gymnasium.make_vec(env_id, num_envs, vectorization_mode="sync", ...)`. */
export interface MakeVecOptions {
  /** Copies (at most the server's `--max-vector-envs`, 4096 by default). */
  numEnvs: number;
  /** `NextStep` (the default), `SameStep` or `Disabled`, with Gymnasium's meanings. */
  autoresetMode?: AutoresetMode;
  /** The seed of the first reset given none (copy i gets seed + i). */
  seed?: Seed | bigint;
  kwargs?: Record<string, unknown>;
  /** `binary`: observations, rewards and flags as ArrayViews over raw bytes (the fast path); `json`: nested lists. */
  encoding?: Encoding;
}

/** An algorithm named with the hyperparameters it takes, from its schema in protocol/hyperparameters. */
export type AlgorithmChoice = { [A in AlgorithmName]: { algorithm: A; hyperparameters?: Hyperparameters[A] } }[AlgorithmName];

/**
 * Options of `train`: the `train` params but `env_id` (algorithm, hyperparameters, total_timesteps, seed, name, …).
 * `algorithm` is one the server has, and `hyperparameters` are that algorithm's (with none named, any
 * algorithm's: the server picks one by the environment's spaces).
 */
export type TrainOptions = Omit<Params<'train'>, 'env_id' | 'algorithm' | 'hyperparameters'> &
  (AlgorithmChoice | { algorithm?: undefined; hyperparameters?: Hyperparameters[AlgorithmName] });

/** Options of `evaluate`: the `evaluate` params but `model`, plus a progress callback. */
export type EvaluateOptions = Omit<Params<'evaluate'>, 'model'> & {
  /** Called with each `evaluate.progress` frame of this evaluation. */
  onProgress?: (frame: EvaluateProgressFrame) => void;
  /** Evaluations answer when they finish, so by default they wait for ever. */
  timeout?: number;
};

/** Options of `stop`. */
export interface StopOptions {
  /**
   * `stop` answers as soon as the job's loop has ended: a training job is then `saving` the policy it
   * learned, and its model exists once `train.done` comes. With `wait: true` it answers only after
   * that, with the job in its final state (`stopped`, `completed`, or `failed` if the save failed).
   */
  wait?: boolean;
}

/** Options of `predict`. */
export type PredictOptions = Omit<Params<'predict'>, 'model' | 'observation'>;

/** Frames about jobs this client has no handle for yet (they may beat the `train` reply); bounded. */
const EARLY_JOBS = 32;
const EARLY_FRAMES = 256;

/** A connection to a Palestra server. */
export class PalestraClient {
  private readonly openEnvs = new Set<Env<any, any> | VectorEnv<any, any>>();
  private readonly tracked = new Map<string, TrainJob<any, any>>();
  private readonly early = new Map<string, { method: string; params: JobFrame }[]>();
  private closing: Promise<void> | null = null;

  /** Resolves when the connection has closed, for whatever reason. */
  readonly closed: Promise<CloseInfo>;

  constructor(private readonly session: RpcSession) {
    this.closed = session.closed;
    session.on('train.progress', (p) => this.route('train.progress', p));
    session.on('train.done', (p) => this.route('train.done', p));
    session.on('train.error', (p) => this.route('train.error', p));
    session.onClose((info) => {
      const error = this.lostError(info);
      for (const job of this.tracked.values()) job.fail(error);
      this.tracked.clear();
    });
  }

  /** The server's address. */
  get url(): string {
    return this.session.url;
  }

  /** True while calls can be made. */
  get open(): boolean {
    return this.session.open;
  }

  /** Environments (single and vector) made through this client and not closed yet. */
  get environments(): (Env<any, any> | VectorEnv<any, any>)[] {
    return [...this.openEnvs];
  }

  /** Calls any method by name with named params; resolves its result, rejects with a typed error. */
  call<M extends keyof Methods>(method: M, params?: Methods[M]['params'], options?: CallOptions): Promise<Methods[M]['result']>;
  call<T = unknown>(method: string, params?: unknown, options?: CallOptions): Promise<T>;
  call(method: string, params?: unknown, options?: CallOptions): Promise<unknown> {
    return this.session.call(method, params, options);
  }

  /** Listens to a notification the server pushes; answers a function that stops listening. */
  on<F extends string>(method: F, listener: (params: Frame<F, Record<string, unknown>>) => void): () => void {
    return this.session.on(method, listener as (params: unknown) => void);
  }

  /** Listens for the connection closing; answers a function that stops listening. */
  onClose(listener: (info: CloseInfo) => void): () => void {
    return this.session.onClose(listener);
  }

  /** What the server is and can do: versions, capabilities, methods, environment ids. */
  hello(client = `palestra-client/${CLIENT_VERSION}`): Promise<Methods['hello']['result']> {
    return this.call('hello', { client });
  }

  /** Liveness and load, as `GET /health`. */
  health(): Promise<Methods['health']['result']> {
    return this.call('health', {});
  }

  /** The environment registry, a page at a time: pass `next_cursor` back as `cursor` for the next page. */
  envs(params: Methods['envs']['params'] = {}): Promise<Methods['envs']['result']> {
    return this.call('envs', params);
  }

  /** Makes a built-in environment, its observations and actions typed from its spaces (`CartPole-v1`: `number[]` and `number`). */
  make<Id extends KnownEnvId>(envId: Id, options?: MakeOptions): Promise<Env<KnownEnvs[Id]['observation'], KnownEnvs[Id]['action']>>;
  /** Makes an environment on the server, as `gymnasium.make(envId, **kwargs)`; say its types when you know them. */
  make<Obs = unknown, Act = unknown>(envId: string, options?: MakeOptions): Promise<Env<Obs, Act>>;
  async make<Obs = unknown, Act = unknown>(envId: string, { seed, kwargs }: MakeOptions = {}): Promise<Env<Obs, Act>> {
    const params: Methods['make']['params'] = { env_id: envId };
    if (seed !== undefined) params.seed = wireSeed(seed);
    if (kwargs !== undefined) params.kwargs = kwargs;
    const made = await this.call('make', params);
    const env = new Env<Obs, Act>({ call: (m, p, o) => this.call(m, p, o), forget: (e) => this.openEnvs.delete(e) }, made);
    this.openEnvs.add(env);
    return env;
  }

  /**
   * Makes a vector environment on the server: `numEnvs` copies stepped as one
   * batch per message, as Gymnasium's `make_vec`. With `encoding: 'binary'`
   * replies carry typed arrays (the fast path); say the batch types when you know them.
   */
  async makeVec<Obs = unknown, Act = unknown>(envId: string, { numEnvs, autoresetMode, seed, kwargs, encoding }: MakeVecOptions): Promise<VectorEnv<Obs, Act>> {
    const params: Methods['make_vec']['params'] = { env_id: envId, num_envs: numEnvs };
    if (seed !== undefined) params.seed = wireSeed(seed);
    if (kwargs !== undefined) params.kwargs = kwargs;
    if (autoresetMode !== undefined) params.autoreset_mode = autoresetMode;
    if (encoding !== undefined) params.encoding = encoding;
    const made = await this.call('make_vec', params);
    const env = new VectorEnv<Obs, Act>(
      {
        call: (m, p, o) => this.call(m, p, o),
        callBinary: (m, p, o) => this.session.callBinary(m, p, o),
        forget: (e) => this.openEnvs.delete(e),
      },
      made,
    );
    this.openEnvs.add(env);
    return env;
  }

  /** Starts training on the server; answers at once with a job handle that streams progress. */
  async train<P extends JobFrame = ProgressFrame, D extends JobFrame = DoneFrame>(envId: string, options: TrainOptions = {} as TrainOptions): Promise<TrainJob<P, D>> {
    const started = await this.call('train', { ...options, env_id: envId });
    return this.track<P, D>(started);
  }

  /** Follows a job started elsewhere (another connection, the CLI): subscribes and answers its handle. */
  async watch<P extends JobFrame = ProgressFrame, D extends JobFrame = DoneFrame>(jobId: string): Promise<TrainJob<P, D>> {
    const existing = this.tracked.get(jobId);
    if (existing) return existing as TrainJob<P, D>;
    const reply = (await this.call('subscribe', { job_id: jobId })) as Record<string, unknown>;
    const job = this.track<P, D>({ ...reply, job_id: jobId });
    // A job that has already ended sends no more frames: settle the handle from the reply.
    if (reply.status === 'failed') this.deliver(job, 'train.error', { job_id: jobId, error: reply.error });
    else if ((reply.status === 'completed' || reply.status === 'stopped') && reply.result) this.deliver(job, 'train.done', { ...(reply.result as object), job_id: jobId });
    return job;
  }

  /**
   * Stops a job; it keeps the policy learned so far. Answers once the job's loop has ended (a training
   * job then `saving`, its model written by the time `train.done` comes), or with `wait: true` once the model is saved.
   */
  async stop(jobId: string, { wait = false }: StopOptions = {}): Promise<Result<'stop'>> {
    if (!wait) return this.call('stop', { job_id: jobId });
    // Subscribed before stopping, so the end of the save cannot slip by between the answer and the subscription.
    const job = await this.watch(jobId);
    const answer = await this.call('stop', { job_id: jobId });
    if (answer.kind !== 'train' || (answer.status !== 'saving' && answer.status !== 'stopping')) return answer;
    await job.done.catch(() => undefined);
    return this.job(jobId);
  }

  /** The server's jobs with their status and progress. */
  jobs(params: Params<'jobs'> = {} as Params<'jobs'>): Promise<Result<'jobs'>> {
    return this.call('jobs', params);
  }

  /** One job's status and progress. */
  job(jobId: string): Promise<Result<'job'>> {
    return this.call('job', { job_id: jobId });
  }

  /** Runs a saved policy on fresh seeded episodes; answers mean, std, min, max and the per-episode returns. */
  async evaluate(model: string, options: EvaluateOptions = {} as EvaluateOptions): Promise<Result<'evaluate'>> {
    const { onProgress, timeout = 0, ...rest } = options;
    const stop = onProgress
      ? this.on('evaluate.progress', (frame) => {
          const f = frame as Record<string, unknown>;
          if (f.model === undefined || f.model === model) onProgress(frame as EvaluateProgressFrame);
        })
      : null;
    try {
      return await this.call('evaluate', { ...rest, model }, { timeout });
    } finally {
      stop?.();
    }
  }

  /** The action a saved policy takes for `observation` (plus action probabilities and value where it has them). */
  predict(model: string, observation: unknown, options: PredictOptions = {} as PredictOptions): Promise<Result<'predict'>> {
    return this.call('predict', { ...options, model, observation });
  }

  /** The saved models (optionally of one session). */
  models(options: Params<'models'> = {} as Params<'models'>): Promise<Result<'models'>> {
    return this.call('models', options);
  }

  /** Deletes a saved model. */
  deleteModel(name: string): Promise<Result<'delete_model'>> {
    return this.call('delete_model', { name });
  }

  /** The algorithms `train` takes with their hyperparameter schemas; with `envId`, which fit it and the defaults `train` uses there. */
  algorithms(envId?: string): Promise<Result<'algorithms'>> {
    return this.call('algorithms', envId === undefined ? {} : { env_id: envId });
  }

  /** The recorded runs (training and evaluation), filtered and sorted (newest first by default). */
  runs(options: Params<'runs'> = {} as Params<'runs'>): Promise<Result<'runs'>> {
    return this.call('runs', options);
  }

  /** One recorded run with its series (each thinned to `maxPoints` when given) and evaluations. */
  run(runId: string, maxPoints?: number): Promise<Result<'run'>> {
    return this.call('run', maxPoints === undefined ? { run_id: runId } : { run_id: runId, max_points: maxPoints });
  }

  /** Deletes a finished run's record (its model stays). */
  deleteRun(runId: string): Promise<Result<'delete_run'>> {
    return this.call('delete_run', { run_id: runId });
  }

  /** Closes this client's environments on the server, then the connection; calls still waiting reject. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.session.open && this.openEnvs.size) {
        const closing = Promise.allSettled([...this.openEnvs].map((env) => env.close()));
        // The server frees a connection's environments when it goes anyway; do not hang on a slow one.
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([closing, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
        clearTimeout(timer);
      }
      this.openEnvs.clear();
      await this.session.close();
    })();
    return this.closing;
  }

  private track<P extends JobFrame, D extends JobFrame>(started: { job_id: string } & Record<string, unknown>): TrainJob<P, D> {
    const job = new TrainJob<P, D>(started.job_id, started, (id, options) => this.stop(id, options));
    this.tracked.set(job.id, job);
    const waiting = this.early.get(job.id) ?? [];
    this.early.delete(job.id);
    for (const { method, params } of waiting) this.deliver(job, method, params);
    return job;
  }

  private route(method: string, params: unknown): void {
    if (!params || typeof params !== 'object' || typeof (params as JobFrame).job_id !== 'string') return;
    const frame = params as JobFrame;
    const job = this.tracked.get(frame.job_id);
    if (job) {
      this.deliver(job, method, frame);
      return;
    }
    let queue = this.early.get(frame.job_id);
    if (!queue) {
      if (this.early.size >= EARLY_JOBS) this.early.delete(this.early.keys().next().value as string);
      this.early.set(frame.job_id, (queue = []));
    }
    if (queue.length < EARLY_FRAMES) queue.push({ method, params: frame });
  }

  private deliver(job: TrainJob<any, any>, method: string, frame: JobFrame): void {
    if (method === 'train.progress') job.progress(frame);
    else if (method === 'train.done') {
      job.finish(frame);
      this.tracked.delete(job.id);
    } else {
      job.fail(jobError(frame));
      this.tracked.delete(job.id);
    }
  }

  private lostError(info: CloseInfo): ConnectionClosedError {
    return info.byClient
      ? new ConnectionClosedError('the client was closed', info.code, info.reason)
      : new ConnectionClosedError(`the connection to ${this.url} was lost (code ${info.code}${info.reason ? `: ${info.reason}` : ''})`, info.code, info.reason);
  }
}

/** The server the page was served from, in a browser; the CLI's default address in Node. */
function defaultUrl(): string {
  const location = (globalThis as { location?: { protocol: string; host: string } }).location;
  if (location?.host) return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/`;
  return 'ws://127.0.0.1:5000';
}

/**
 * Connects to a Palestra server (`ws://host:port`; `http://` works too) over JSON-RPC.
 * Rejects with ConnectionClosedError when the server cannot be reached.
 */
export async function connect(url: string = defaultUrl(), options: ConnectOptions = {}): Promise<PalestraClient> {
  const address = url.replace(/^http(s?):/i, 'ws$1:');
  const Ctor = options.WebSocket ?? (await defaultWebSocket());
  const socket = await openSocket(Ctor, address, options.connectTimeout ?? 10_000);
  return new PalestraClient(new RpcSession(socket, address, options.timeout ?? 30_000));
}
