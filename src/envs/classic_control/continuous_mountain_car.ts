/**
 * Gymnasium's MountainCarContinuous: the mountain car with a continuous force in [-1, 1],
 * rewarded 100 at the goal less 0.1 * action^2 per step. The state is kept as float32
 * after every step, as Gymnasium keeps it.
 */
import { PalestraError } from '../../errors';
import { Env, Info, ResetArgs, StepResult } from '../core';
import { Box } from '../spaces/box';
import { cos } from '../utils/libm';
import { maybeParseResetBounds } from './utils';

/** Keyword arguments of `make('MountainCarContinuous-v0', kwargs)`. */
export interface ContinuousMountainCarKwargs {
  render_mode?: string | null;
  /** The car must reach the goal at this velocity or faster. */
  goal_velocity?: number;
}

const MIN_ACTION = -1.0;
const MAX_ACTION = 1.0;
const MIN_POSITION = -1.2;
const MAX_POSITION = 0.6;
const MAX_SPEED = 0.07;
const GOAL_POSITION = 0.45;
const POWER = 0.0015;

export class Continuous_MountainCarEnv extends Env<Float32Array, ArrayLike<number>> {
  override metadata = { render_modes: [], render_fps: 30 };
  readonly action_space = new Box<Float32Array>(MIN_ACTION, MAX_ACTION, [1], 'float32');
  readonly observation_space = new Box<Float32Array>([MIN_POSITION, -MAX_SPEED], [MAX_POSITION, MAX_SPEED], [2], 'float32');
  /** position, velocity (float64 after reset, float32 values after a step), or null before reset. */
  state: Float64Array | null = null;
  readonly goal_velocity: number;

  constructor(kwargs: ContinuousMountainCarKwargs = {}) {
    super();
    this.goal_velocity = kwargs.goal_velocity ?? 0;
    this.render_mode = kwargs.render_mode ?? null;
  }

  /** Steps with `action[0]` as the force; like Gymnasium, out-of-range actions are clipped, not refused. */
  step(action: ArrayLike<number>): StepResult<Float32Array> {
    const state = this.state;
    if (state === null) throw new PalestraError('reset_needed', 'Call reset before using step method.');
    const a = action[0];
    let position = state[0];
    let velocity = state[1];
    const force = Math.min(Math.max(a, MIN_ACTION), MAX_ACTION);
    velocity += force * POWER - 0.0025 * cos(3 * position);
    if (velocity > MAX_SPEED) velocity = MAX_SPEED;
    if (velocity < -MAX_SPEED) velocity = -MAX_SPEED;
    position += velocity;
    if (position > MAX_POSITION) position = MAX_POSITION;
    if (position < MIN_POSITION) position = MIN_POSITION;
    if (position === MIN_POSITION && velocity < 0) velocity = 0;
    const terminated = position >= GOAL_POSITION && velocity >= this.goal_velocity;
    let reward = terminated ? 100.0 : 0;
    reward -= a * a * 0.1;
    const obs = new Float32Array(2);
    obs[0] = position;
    obs[1] = velocity;
    // Gymnasium stores the new state as float32, so the next step starts from rounded values.
    state[0] = obs[0];
    state[1] = obs[1];
    return [obs, reward, terminated, false, {}];
  }

  reset({ seed, options }: ResetArgs = {}): [Float32Array, Info] {
    this.seedReset(seed);
    const [low, high] = maybeParseResetBounds(options, -0.6, -0.4);
    const state = new Float64Array(2);
    state[0] = this.np_random.uniform(low, high);
    this.state = state;
    return [Float32Array.from(state), {}];
  }
}
