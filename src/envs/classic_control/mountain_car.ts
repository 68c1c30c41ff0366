/**
 * Gymnasium's MountainCar (discrete actions): Moore's (1990) car in a sinusoidal valley.
 * Same constants, the same float64 arithmetic in the same order, float32 observations.
 */
import { PalestraError } from '../../errors';
import { Env, Info, ResetArgs, StepResult } from '../core';
import { Box } from '../spaces/box';
import { Discrete } from '../spaces/discrete';
import { cos } from '../utils/libm';
import { clip, maybeParseResetBounds } from './utils';

/** Keyword arguments of `make('MountainCar-v0', kwargs)`. */
export interface MountainCarKwargs {
  render_mode?: string | null;
  /** The car must reach the goal at this velocity or faster. */
  goal_velocity?: number;
}

const MIN_POSITION = -1.2;
const MAX_POSITION = 0.6;
const MAX_SPEED = 0.07;
const GOAL_POSITION = 0.5;
const FORCE = 0.001;
const GRAVITY = 0.0025;

export class MountainCarEnv extends Env<Float32Array, number> {
  override metadata = { render_modes: [], render_fps: 30 };
  readonly action_space = new Discrete(3);
  readonly observation_space = new Box<Float32Array>([MIN_POSITION, -MAX_SPEED], [MAX_POSITION, MAX_SPEED], [2], 'float32');
  /** position, velocity in float64, or null before the first reset. */
  state: Float64Array | null = null;
  readonly goal_velocity: number;

  constructor(kwargs: MountainCarKwargs = {}) {
    super();
    this.goal_velocity = kwargs.goal_velocity ?? 0;
    this.render_mode = kwargs.render_mode ?? null;
  }

  step(action: number): StepResult<Float32Array> {
    const state = this.state;
    if (state === null) throw new PalestraError('reset_needed', 'Call reset before using step method.');
    if (action !== 0 && action !== 1 && action !== 2) {
      throw new PalestraError('invalid_action', `${String(action)} invalid: expected 0, 1 or 2`);
    }
    let position = state[0];
    let velocity = state[1];
    // Python's math.cos is glibc's; libm.cos returns the same double.
    velocity += (action - 1) * FORCE + cos(3 * position) * -GRAVITY;
    velocity = clip(velocity, -MAX_SPEED, MAX_SPEED);
    position += velocity;
    position = clip(position, MIN_POSITION, MAX_POSITION);
    // The left wall is inelastic.
    if (position === MIN_POSITION && velocity < 0) velocity = 0;
    const terminated = position >= GOAL_POSITION && velocity >= this.goal_velocity;
    state[0] = position;
    state[1] = velocity;
    const obs = new Float32Array(2);
    obs[0] = position;
    obs[1] = velocity;
    return [obs, -1.0, terminated, false, {}];
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
