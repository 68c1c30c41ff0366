/**
 * A vector environment on the server (Gymnasium's `make_vec`): `numEnvs` copies
 * stepped as one batch per message. In `binary` encoding observations, rewards
 * and flags arrive as ArrayViews over the reply's own bytes and actions go out
 * as raw typed arrays; in `json` encoding they are nested arrays.
 */
import { ArrayView, type TypedArray } from './binary.js';
import type { CallOptions } from './rpc.js';
import type { Info, Methods, Seed } from './protocol.js';
import { Random } from './random.js';
import { Box, MultiBinary, MultiDiscrete, Space, parseNumber, spaceFromJSON } from './spaces.js';
import { wireSeed } from './env.js';

/** What `make_vec` answered. */
export type MakeVecResult = Methods['make_vec']['result'];

/** How replies travel: JSON text, or binary frames (protocol/binary-frames.md). */
export type Encoding = 'json' | 'binary';

/** Gymnasium's `AutoresetMode`. */
export type AutoresetMode = 'NextStep' | 'SameStep' | 'Disabled';

/** A batch of numbers or flags: an ArrayView in binary encoding, a list in JSON. */
export type Batch<T> = ArrayView | T[];

/** Gymnasium's vector `step` result. */
export type VectorStepResult<Obs> = [observations: Obs, rewards: Batch<number>, terminations: Batch<boolean>, truncations: Batch<boolean>, infos: Info];

/** Gymnasium's vector `reset` result. */
export type VectorResetResult<Obs> = [observations: Obs, infos: Info];

/** Options of a vector `reset`. */
export interface VectorResetOptions {
  /** Copy i is reset with seed + i. */
  seed?: Seed | bigint;
  /** `reset_mask` (one flag per copy) resets only the copies marked; under `Disabled` autoreset that is how ended copies restart. */
  options?: (Record<string, unknown> & { reset_mask?: boolean[] | Uint8Array | ArrayView }) | null;
}

/** The calls a VectorEnv makes through its client. */
export interface VectorEnvHost {
  call(method: string, params: unknown, options?: CallOptions): Promise<unknown>;
  callBinary(method: string, params: unknown, options?: CallOptions): Promise<unknown>;
  forget(env: VectorEnv<any, any>): void;
}

/**
 * The batched action space, sampled locally. In binary encoding `sample()`
 * fills a typed array (int32 for a `MultiDiscrete` batch of `Discrete` actions,
 * the Box's dtype for a `Box`) in one pass; in JSON it gives nested lists.
 */
export class BatchedActionSpace<Act = unknown> {
  private readonly random = new Random();

  constructor(
    /** The batched space itself. */
    readonly space: Space<unknown>,
    private readonly typed: boolean,
  ) {}

  /** The batched space's description, as the server sent it. */
  get description() {
    return this.space.description;
  }

  /** Seeds the local generator (not numpy's; `env.actionSample(seed)` samples on the server, numpy-exact). */
  seed(seed?: number): void {
    this.random.seed(seed);
    this.space.seed(seed);
  }

  /** A random batch of actions. */
  sample(): Act {
    if (!this.typed) return this.space.sample() as Act;
    const s = this.space;
    if (s instanceof MultiDiscrete) {
      const n = s.nvecFlat.length;
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = s.startFlat[i] + Math.floor((this.random.nextUint32() * s.nvecFlat[i]) / 4294967296);
      return new ArrayView(out, s.shape, 'int32') as Act;
    }
    if (s instanceof MultiBinary) {
      const n = s.shape.reduce((a, b) => a * b, 1);
      const out = new Int8Array(n);
      for (let i = 0; i < n; i++) out[i] = this.random.nextUint32() & 1;
      return new ArrayView(out, s.shape, 'int8') as Act;
    }
    if (s instanceof Box && (s.dtype === 'float32' || s.dtype === 'float64')) {
      const flat = (s.sample() as unknown[]).flat(Infinity) as number[];
      const data = s.dtype === 'float32' ? Float32Array.from(flat) : Float64Array.from(flat);
      return new ArrayView(data, s.shape, s.dtype) as Act;
    }
    return s.sample() as Act;
  }

  toString(): string {
    return this.space.toString();
  }
}

/** Whether a value is an ArrayView or a typed array, which only a binary frame carries as bytes. */
function isBinary(x: unknown): boolean {
  return x instanceof ArrayView || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

/** `n` copies of an environment on the server, stepped together. */
export class VectorEnv<Obs = unknown, Act = unknown> {
  readonly instanceId: string;
  readonly envId: string;
  readonly numEnvs: number;
  readonly autoresetMode: AutoresetMode;
  readonly encoding: Encoding;
  readonly singleObservationSpace: Space<unknown>;
  readonly singleActionSpace: Space<unknown>;
  /** The batched observation space (Gymnasium's `batch_space`). */
  readonly observationSpace: Space<unknown>;
  /** The batched action space; `sample()` draws a batch locally. */
  readonly actionSpace: BatchedActionSpace<Act>;
  readonly maxEpisodeSteps: number | null;
  readonly rewardThreshold: number | null;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly host: VectorEnvHost,
    /** The `make_vec` reply as the server sent it. */
    readonly spec: MakeVecResult,
  ) {
    this.instanceId = spec.instance_id;
    this.envId = spec.env_id;
    this.numEnvs = spec.num_envs;
    this.autoresetMode = spec.autoreset_mode;
    this.encoding = spec.encoding;
    this.singleObservationSpace = spaceFromJSON(spec.single_observation_space);
    this.singleActionSpace = spaceFromJSON(spec.single_action_space);
    this.observationSpace = spaceFromJSON(spec.observation_space);
    this.actionSpace = new BatchedActionSpace<Act>(spaceFromJSON(spec.action_space), this.encoding === 'binary');
    this.maxEpisodeSteps = spec.max_episode_steps;
    this.rewardThreshold = spec.reward_threshold;
  }

  /** True once `close()` was called (or the client closed). */
  get closed(): boolean {
    return this.closing !== null;
  }

  /** Resets every copy (copy i with seed + i), or those `options.reset_mask` marks; answers `[observations, infos]`. */
  async reset({ seed, options }: VectorResetOptions = {}): Promise<VectorResetResult<Obs>> {
    const params: Record<string, unknown> = { instance_id: this.instanceId };
    if (seed !== undefined) params.seed = wireSeed(seed);
    if (options !== undefined) params.options = options;
    const binary = options?.reset_mask !== undefined && isBinary(options.reset_mask);
    const [obs, info] = (await (binary ? this.host.callBinary('reset', params) : this.host.call('reset', params))) as [unknown, Info];
    return [this.observations(obs), info];
  }

  /** Steps every copy with its action; answers `[observations, rewards, terminations, truncations, infos]`. */
  async step(actions: Act): Promise<VectorStepResult<Obs>> {
    const params = { instance_id: this.instanceId, action: actions };
    const reply = (await (isBinary(actions) ? this.host.callBinary('step', params) : this.host.call('step', params))) as unknown[];
    const [obs, rewards, terminations, truncations, info] = reply;
    return [
      this.observations(obs),
      rewards instanceof ArrayView ? rewards : (rewards as unknown[]).map(parseNumber),
      terminations as Batch<boolean>,
      truncations as Batch<boolean>,
      info as Info,
    ];
  }

  /** Samples the batched action space on the server: with a seed, numpy-exact as Gymnasium's `envs.action_space.seed(seed); sample()`. */
  async actionSample(seed?: Seed | bigint): Promise<Act> {
    const params: Record<string, unknown> = { instance_id: this.instanceId };
    if (seed !== undefined) params.seed = wireSeed(seed);
    const sample = await this.host.call('action_sample', params);
    return (sample instanceof ArrayView ? sample : this.actionSpace.space.decode(sample)) as Act;
  }

  /** Closes every copy on the server; calling it again does nothing. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.host.forget(this);
      await this.host.call('close', { instance_id: this.instanceId });
    })();
    return this.closing;
  }

  /** Observations as the encoding gives them: ArrayViews stay, JSON lists get their infinities back. */
  private observations(obs: unknown): Obs {
    return (hasView(obs) ? obs : this.observationSpace.decode(obs)) as Obs;
  }

  toString(): string {
    return `<VectorEnv ${this.envId} num_envs=${this.numEnvs} ${this.instanceId}>`;
  }
}

/** Whether a value holds an ArrayView (a binary reply's observations, or a Tuple/Dict of them). */
function hasView(x: unknown): boolean {
  if (x instanceof ArrayView) return true;
  if (Array.isArray(x)) return x.some(hasView);
  if (x !== null && typeof x === 'object' && !ArrayBuffer.isView(x)) return Object.values(x).some(hasView);
  return false;
}

export type { TypedArray };
