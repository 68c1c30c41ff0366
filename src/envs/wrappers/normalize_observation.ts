/**
 * Gymnasium's `NormalizeObservation`: each observation is centred on the
 * running mean and scaled by the running standard deviation of the
 * observations seen, `(obs − mean) / √(var + ε)`, as float32; the space
 * becomes an unbounded float32 Box of the same shape. `update_running_mean`
 * false freezes the statistics (for evaluation), and `obs_rms` can be shared
 * by several copies of an environment so that they learn one set.
 */
import { PalestraError } from '../../errors';
import { Env, Info, ResetArgs, StepResult, Wrapper } from '../core';
import { Box } from '../spaces/box';
import type { Space } from '../spaces/space';
import { RunningMeanStd } from './running_mean_std';

export class NormalizeObservation extends Wrapper<any, any> {
  private readonly wrappedObservationSpace: Box;

  /** The space as wrapped. */
  override get observation_space(): Box {
    return this.wrappedObservationSpace;
  }
  readonly obs_rms: RunningMeanStd;
  update_running_mean = true;

  constructor(
    env: Env<any, any>,
    readonly epsilon = 1e-8,
    obsRms?: RunningMeanStd,
  ) {
    super(env);
    const space = env.observation_space as Space<unknown>;
    if (!(space instanceof Box)) {
      throw new PalestraError('invalid_wrapper', `NormalizeObservation needs a Box observation space, not ${space.toString()}`);
    }
    if (!(epsilon > 0)) throw new PalestraError('invalid_wrapper', `NormalizeObservation's epsilon must be positive, got ${epsilon}`);
    this.wrappedObservationSpace = new Box(-Infinity, Infinity, space.shape, 'float32');
    // numpy keeps the statistics in the new space's dtype, float32.
    this.obs_rms = obsRms ?? new RunningMeanStd(space.size, 'float32');
  }

  /** The normalised observation (and the statistics updated first, unless frozen). */
  observation(obs: ArrayLike<number>): Float32Array {
    if (this.update_running_mean) this.obs_rms.update(obs);
    return normalizeWith(this.obs_rms, obs, this.epsilon);
  }

  override reset(args?: ResetArgs): [Float32Array, Info] {
    const [obs, info] = this.env.reset(args);
    return [this.observation(obs), info];
  }

  override step(action: unknown): StepResult<Float32Array> {
    const [obs, reward, terminated, truncated, info] = this.env.step(action);
    return [this.observation(obs), reward, terminated, truncated, info];
  }
}

/** `(obs − mean) / √(var + ε)` in float32 arithmetic, as numpy computes it with float32 statistics. */
export function normalizeWith(rms: { mean: ArrayLike<number>; var: ArrayLike<number> }, obs: ArrayLike<number>, epsilon: number): Float32Array {
  const f = Math.fround;
  const out = new Float32Array(obs.length);
  for (let i = 0; i < obs.length; i++) out[i] = f(f(obs[i] - rms.mean[i]) / f(Math.sqrt(f(rms.var[i] + f(epsilon)))));
  return out;
}
