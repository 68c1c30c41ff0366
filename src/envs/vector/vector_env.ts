/** Gymnasium's `VectorEnv`: the interface of every vector environment, and its `AutoresetMode`. */
import type { EnvMetadata } from '../core';
import type { EnvSpec } from '../registration';
import type { Space } from '../spaces/space';
import type { Seed } from '../utils/seeding';
import type { VectorInfo } from './infos';
import type { BoolArray } from './utils/bool_array';

/**
 * When a copy whose episode ended starts its next one (Gymnasium's `AutoresetMode` values):
 * `NextStep` on the next `step` call, which answers the reset observation with reward 0 and
 * flags false and ignores that copy's action; `SameStep` within the same `step`, the ended
 * episode's last observation and info going to `final_obs`/`final_info` in the info;
 * `Disabled` never by itself: the caller resets ended copies with `options.reset_mask`.
 */
export type AutoresetMode = 'NextStep' | 'SameStep' | 'Disabled';

/** Gymnasium's `AutoresetMode` enum members, by their Python names. */
export const AutoresetMode = {
  NEXT_STEP: 'NextStep',
  SAME_STEP: 'SameStep',
  DISABLED: 'Disabled',
} as const satisfies Record<string, AutoresetMode>;

/** Every autoreset mode, in Gymnasium's order. */
export const AUTORESET_MODES: readonly AutoresetMode[] = ['NextStep', 'SameStep', 'Disabled'];

/**
 * What a vector `reset` takes: `seed` as one integer (copy i gets `seed + i`) or
 * one seed (or null) per copy; `options` goes to every copy reset, except
 * `reset_mask` (one boolean per copy), which resets only the copies marked.
 */
export interface VectorResetArgs {
  seed?: Seed | null | readonly (Seed | null | undefined)[];
  options?: (Record<string, unknown> & { reset_mask?: readonly boolean[] | Uint8Array }) | null;
}

/** What a vector `step` answers: batched observations, rewards (float64), terminations, truncations and the vector info. */
export type VectorStepResult<O = unknown> = [obs: O, rewards: Float64Array, terminations: BoolArray, truncations: BoolArray, infos: VectorInfo];

/** Gymnasium's `VectorEnv`: n copies of an environment behind one batched interface. */
export abstract class VectorEnv<O = unknown, A = unknown> {
  abstract readonly num_envs: number;
  abstract readonly single_observation_space: Space<any>;
  abstract readonly single_action_space: Space<any>;
  /** The batched spaces (`batch_space` of the single ones). */
  abstract readonly observation_space: Space<any>;
  abstract readonly action_space: Space<any>;
  metadata: EnvMetadata & { autoreset_mode?: AutoresetMode } = { render_modes: [] };
  render_mode: string | null = null;
  spec: EnvSpec | null = null;
  closed = false;

  abstract reset(args?: VectorResetArgs): [O, VectorInfo];
  abstract step(actions: A): VectorStepResult<O>;

  /** Each copy's rendering. */
  abstract render(): unknown[];

  /** Closes every copy; closing twice does nothing. */
  close(): void {
    if (this.closed) return;
    this.close_extras();
    this.closed = true;
  }

  /** What a subclass frees on close. */
  protected close_extras(): void {}

  toString(): string {
    return this.spec === null ? `${this.constructor.name}(num_envs=${this.num_envs})` : `${this.constructor.name}(${this.spec.id}, num_envs=${this.num_envs})`;
  }
}
