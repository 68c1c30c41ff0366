/**
 * Gymnasium's Pendulum: swing a frictionless pendulum up and keep it upright, with a torque
 * in [-2, 2]. The reward is minus the cost angle^2 + 0.1 * speed^2 + 0.001 * torque^2.
 */
import { PalestraError } from '../../errors';
import { Env, Info, ResetArgs, StepResult } from '../core';
import { Box } from '../spaces/box';
import { cos, sin, square } from '../utils/libm';
import { clip, verifyNumberAndCast } from './utils';

/** Keyword arguments of `make('Pendulum-v1', kwargs)`. */
export interface PendulumKwargs {
  render_mode?: string | null;
  /** Gravity, in m/s^2. */
  g?: number;
}

const DEFAULT_X = Math.PI;
const DEFAULT_Y = 1.0;
const MAX_SPEED = 8;
const MAX_TORQUE = 2.0;
const DT = 0.05;
const M = 1.0;
const L = 1.0;

/** Gymnasium's `angle_normalize`: `(x + pi) % (2 * pi) - pi` with Python's (numpy's) modulo. */
export function angle_normalize(x: number): number {
  const b = 2 * Math.PI;
  let mod = (x + Math.PI) % b;
  // numpy's remainder takes the divisor's sign; a zero remainder is +0 for a positive divisor.
  if (mod !== 0) {
    if (mod < 0) mod += b;
  } else {
    mod = 0;
  }
  return mod - Math.PI;
}

export class PendulumEnv extends Env<Float32Array, ArrayLike<number>> {
  override metadata = { render_modes: [], render_fps: 30 };
  readonly action_space = new Box<Float32Array>(-MAX_TORQUE, MAX_TORQUE, [1], 'float32');
  readonly observation_space = new Box<Float32Array>([-1.0, -1.0, -MAX_SPEED], [1.0, 1.0, MAX_SPEED], [3], 'float32');
  /** theta, theta_dot in float64, or null before the first reset. */
  state: Float64Array | null = null;
  /** The torque of the last step (after clipping), or null. */
  last_u: number | null = null;
  readonly g: number;

  constructor(kwargs: PendulumKwargs = {}) {
    super();
    this.g = kwargs.g ?? 10.0;
    this.render_mode = kwargs.render_mode ?? null;
  }

  /** Steps with `u[0]` as the torque, clipped to [-2, 2]; like Gymnasium, it never refuses an action. */
  step(u: ArrayLike<number>): StepResult<Float32Array> {
    const state = this.state;
    if (state === null) throw new PalestraError('reset_needed', 'Call reset before using step method.');
    const th = state[0];
    const thdot = state[1];
    const torque = clip(u[0], -MAX_TORQUE, MAX_TORQUE);
    this.last_u = torque;
    const an = angle_normalize(th);
    // numpy's float64 `** 2` is glibc's pow, which is not always x * x.
    const costs = square(an) + 0.1 * square(thdot) + 0.001 * (torque * torque);
    let newthdot = thdot + (((3 * this.g) / (2 * L)) * sin(th) + (3.0 / (M * L * L)) * torque) * DT;
    newthdot = clip(newthdot, -MAX_SPEED, MAX_SPEED);
    const newth = th + newthdot * DT;
    state[0] = newth;
    state[1] = newthdot;
    return [this.getObs(), -costs, false, false, {}];
  }

  /**
   * Starts at a uniform angle in [-x_init, x_init] and speed in [-y_init, y_init]
   * (options `x_init`, default pi, and `y_init`, default 1).
   */
  reset({ seed, options }: ResetArgs = {}): [Float32Array, Info] {
    this.seedReset(seed);
    let x = DEFAULT_X;
    let y = DEFAULT_Y;
    if (options) {
      if ('x_init' in options) x = verifyNumberAndCast(options.x_init, 'x_init');
      if ('y_init' in options) y = verifyNumberAndCast(options.y_init, 'y_init');
    }
    const rng = this.np_random;
    if (!Number.isFinite(x - -x) || !Number.isFinite(y - -y)) throw new RangeError('Range exceeds valid bounds');
    const state = new Float64Array(2);
    state[0] = rng.uniform(-x, x);
    state[1] = rng.uniform(-y, y);
    this.state = state;
    this.last_u = null;
    return [this.getObs(), {}];
  }

  private getObs(): Float32Array {
    const state = this.state!;
    const obs = new Float32Array(3);
    obs[0] = cos(state[0]);
    obs[1] = sin(state[0]);
    obs[2] = state[1];
    return obs;
  }
}
