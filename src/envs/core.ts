/** Gymnasium's `Env` and `Wrapper`, in TypeScript. */
import { PalestraError } from '../errors';
import type { EnvSpec } from './registration';
import type { Space } from './spaces/space';
import { Generator, Seed, npRandom } from './utils/seeding';

/** Extra information returned by `reset` and `step`. */
export type Info = Record<string, unknown>;

/**
 * Names the keys of an info whose values Gymnasium gives as Python ints (FrozenLake's and
 * CliffWalking's reset `prob`), where JavaScript has only one number type. A vector info
 * batches such a key in an int64 array, so later float values are truncated, as numpy does.
 * Not enumerable: single-environment answers do not show it.
 */
export const INT_INFO_KEYS: unique symbol = Symbol('int_info_keys');

/** `info` with `keys` marked as Python ints (see INT_INFO_KEYS). */
export function withIntKeys(info: Info, keys: readonly string[]): Info {
  Object.defineProperty(info, INT_INFO_KEYS, { value: keys, enumerable: false });
  return info;
}

/** The keys of `info` marked as Python ints, if any. */
export function intKeysOf(info: Info): readonly string[] | undefined {
  return (info as { [INT_INFO_KEYS]?: readonly string[] })[INT_INFO_KEYS];
}

/** What `step` answers: `[obs, reward, terminated, truncated, info]`. */
export type StepResult<O> = [obs: O, reward: number, terminated: boolean, truncated: boolean, info: Info];

/**
 * A vector environment's batch for one step: copy i's observation, reward and
 * flags go to slot i of these arrays; `writeObs` puts an observation, as `step`
 * answers it, into slot i of `observations`.
 */
export interface StepSlots {
  readonly observations: unknown;
  readonly rewards: Float64Array;
  readonly terminations: Uint8Array;
  readonly truncations: Uint8Array;
  readonly writeObs: (observations: unknown, i: number, obs: unknown) => void;
}

/** What `reset` takes, as Gymnasium's keyword arguments. */
export interface ResetArgs {
  seed?: Seed | null;
  options?: Record<string, unknown> | null;
}

/** Render modes and frame rate, as Gymnasium's `metadata`. */
export interface EnvMetadata {
  render_modes: string[];
  render_fps?: number;
  /**
   * True when `step` uses a float Box action as the float64 numbers given (Gymnasium's
   * LunarLander: `np.clip(action, -1, 1).astype(np.float64)`), so the server must not round
   * an action sent over the wire to the space's float32.
   */
  float64_actions?: boolean;
}

/** An environment: Gymnasium's `Env` (reset, step, render, close, spaces, np_random). */
export abstract class Env<O = unknown, A = unknown> {
  abstract readonly observation_space: Space<O>;
  abstract readonly action_space: Space<A>;
  metadata: EnvMetadata = { render_modes: [] };
  render_mode: string | null = null;
  spec: EnvSpec | null = null;
  private _np_random: Generator | null = null;
  private _np_random_seed: bigint | null = null;

  /** The environment's generator; made from fresh entropy on first use, as in Gymnasium. */
  get np_random(): Generator {
    if (this._np_random === null) [this._np_random, this._np_random_seed] = npRandom(null);
    return this._np_random;
  }

  set np_random(generator: Generator) {
    this._np_random = generator;
    this._np_random_seed = null;
  }

  /** The seed the generator was last made from, or null. */
  get np_random_seed(): bigint | null {
    return this._np_random_seed;
  }

  /** What `super().reset(seed=seed)` does in Gymnasium: re-seed when a seed is given. */
  protected seedReset(seed: Seed | null | undefined): void {
    if (seed !== undefined && seed !== null) [this._np_random, this._np_random_seed] = npRandom(seed);
  }

  abstract reset(args?: ResetArgs): [O, Info];
  abstract step(action: A): StepResult<O>;

  /**
   * `step`, with the result written into slot `i` of a vector environment's
   * batch rather than answered; answers the step's info. This default goes
   * through `step`. An environment that can write its observation straight into
   * the batch overrides it so that a step allocates nothing, and then a
   * subclass that overrides `step` must be stepped through `step` (see CartPole's).
   */
  stepInto(action: A, slots: StepSlots, i: number): Info {
    const [obs, reward, terminated, truncated, info] = this.step(action);
    slots.writeObs(slots.observations, i, obs);
    slots.rewards[i] = reward;
    slots.terminations[i] = terminated ? 1 : 0;
    slots.truncations[i] = truncated ? 1 : 0;
    return info;
  }

  /** Renders the current state; toy-text environments answer text in `ansi` mode. */
  render(): unknown {
    throw new PalestraError('not_supported', `${this.toString()} does not render`);
  }

  close(): void {}

  /** The innermost environment, under every wrapper. */
  get unwrapped(): Env<O, A> {
    return this;
  }

  toString(): string {
    return `${this.constructor.name}<${this.spec?.id ?? '?'}>`;
  }
}

/** Gymnasium's `Wrapper`: forwards everything to the environment it wraps. */
export class Wrapper<O = unknown, A = unknown> extends Env<O, A> {
  constructor(readonly env: Env<O, A>) {
    super();
    this.metadata = env.metadata;
    this.render_mode = env.render_mode;
    this.spec = env.spec;
  }

  get observation_space(): Space<O> {
    return this.env.observation_space;
  }

  get action_space(): Space<A> {
    return this.env.action_space;
  }

  override get np_random(): Generator {
    return this.env.np_random;
  }

  override set np_random(generator: Generator) {
    this.env.np_random = generator;
  }

  override get np_random_seed(): bigint | null {
    return this.env.np_random_seed;
  }

  reset(args?: ResetArgs): [O, Info] {
    return this.env.reset(args);
  }

  step(action: A): StepResult<O> {
    return this.env.step(action);
  }

  override render(): unknown {
    return this.env.render();
  }

  override close(): void {
    this.env.close();
  }

  override get unwrapped(): Env<O, A> {
    return this.env.unwrapped;
  }

  override toString(): string {
    return `<${this.constructor.name}${this.env.toString()}>`;
  }
}
