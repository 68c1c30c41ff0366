/**
 * Gymnasium's CartPole: the cart-pole system of Barto, Sutton and Anderson (1983).
 * Same constants, the same float64 arithmetic in the same order, float32 observations.
 */
import { Env, Info, ResetArgs, StepResult, StepSlots } from '../core';
import { Box, BoxArray } from '../spaces/box';
import { Discrete } from '../spaces/discrete';
import { PalestraError } from '../../errors';
import { maybeParseResetBounds } from './utils';

/** Keyword arguments of `make('CartPole-v1', kwargs)`. */
export interface CartPoleKwargs {
  sutton_barto_reward?: boolean;
}

const GRAVITY = 9.8;
const MASSCART = 1.0;
const MASSPOLE = 0.1;
const TOTAL_MASS = MASSPOLE + MASSCART;
const LENGTH = 0.5; // half the pole's length
const POLEMASS_LENGTH = MASSPOLE * LENGTH;
const FORCE_MAG = 10.0;
const TAU = 0.02;
const THETA_THRESHOLD_RADIANS = (12 * 2 * Math.PI) / 360;
const X_THRESHOLD = 2.4;

/** The info of every step: CartPole reports nothing (shared, never written). */
const NO_INFO: Info = Object.freeze({});

export class CartPoleEnv extends Env<BoxArray, number> {
  override metadata = { render_modes: [], render_fps: 50 };
  readonly action_space = new Discrete(2);
  readonly observation_space = new Box<Float32Array>(
    [-X_THRESHOLD * 2, -Infinity, -THETA_THRESHOLD_RADIANS * 2, -Infinity],
    [X_THRESHOLD * 2, Infinity, THETA_THRESHOLD_RADIANS * 2, Infinity],
    [4],
    'float32',
  );
  /** x, x_dot, theta, theta_dot in float64, or null before the first reset. */
  state: Float64Array | null = null;
  private stepsBeyondTerminated: number | null = null;
  private readonly suttonBartoReward: boolean;

  constructor(kwargs: CartPoleKwargs = {}) {
    super();
    this.suttonBartoReward = kwargs.sutton_barto_reward ?? false;
  }

  step(action: number): StepResult<Float32Array> {
    const terminated = this.advance(action);
    const reward = this.rewardFor(terminated);
    // A fresh array per step (callers may keep observations); filled directly, as
    // Float32Array.from is several times slower on this hot path.
    const state = this.state!;
    const obs = new Float32Array(4);
    obs[0] = state[0];
    obs[1] = state[1];
    obs[2] = state[2];
    obs[3] = state[3];
    return [obs, reward, terminated, false, {}];
  }

  /** `step` written straight into a vector environment's batch: no observation, result or info is allocated. */
  override stepInto(action: number, slots: StepSlots, i: number): Info {
    // A subclass that changes step() is stepped through it.
    if (this.step !== CartPoleEnv.prototype.step) return super.stepInto(action, slots, i);
    const terminated = this.advance(action);
    slots.rewards[i] = this.rewardFor(terminated);
    slots.terminations[i] = terminated ? 1 : 0;
    slots.truncations[i] = 0;
    const state = this.state!;
    const obs = slots.observations as Float32Array;
    const at = 4 * i;
    obs[at] = state[0];
    obs[at + 1] = state[1];
    obs[at + 2] = state[2];
    obs[at + 3] = state[3];
    return NO_INFO;
  }

  /** One step of the dynamics (Euler, as Gymnasium's default): updates the state and answers whether the episode has terminated. */
  private advance(action: number): boolean {
    const state = this.state;
    if (state === null) throw new PalestraError('reset_needed', 'Call reset before using step method.');
    let x = state[0];
    let xDot = state[1];
    let theta = state[2];
    let thetaDot = state[3];
    const force = action === 1 ? FORCE_MAG : -FORCE_MAG;
    // V8's Math.cos/sin, not glibc's (libm.ts) as Python's math module uses: they differ in the
    // last bit for ~1% of angles, which no recorded episode shows in a float32 observation, and
    // glibc's are four times slower on this hot path.
    const costheta = Math.cos(theta);
    const sintheta = Math.sin(theta);
    const temp = (force + POLEMASS_LENGTH * (thetaDot * thetaDot) * sintheta) / TOTAL_MASS;
    const thetaacc =
      (GRAVITY * sintheta - costheta * temp) / (LENGTH * (4.0 / 3.0 - (MASSPOLE * (costheta * costheta)) / TOTAL_MASS));
    const xacc = temp - (POLEMASS_LENGTH * thetaacc * costheta) / TOTAL_MASS;
    x = x + TAU * xDot;
    xDot = xDot + TAU * xacc;
    theta = theta + TAU * thetaDot;
    thetaDot = thetaDot + TAU * thetaacc;
    state[0] = x;
    state[1] = xDot;
    state[2] = theta;
    state[3] = thetaDot;
    return x < -X_THRESHOLD || x > X_THRESHOLD || theta < -THETA_THRESHOLD_RADIANS || theta > THETA_THRESHOLD_RADIANS;
  }

  /** The step's reward, counting the steps taken after the episode terminated (Gymnasium warns of those). */
  private rewardFor(terminated: boolean): number {
    if (!terminated) return this.suttonBartoReward ? 0.0 : 1.0;
    if (this.stepsBeyondTerminated === null) {
      this.stepsBeyondTerminated = 0;
      return this.suttonBartoReward ? -1.0 : 1.0;
    }
    this.stepsBeyondTerminated += 1;
    return this.suttonBartoReward ? -1.0 : 0.0;
  }

  reset({ seed, options }: ResetArgs = {}): [Float32Array, Info] {
    this.seedReset(seed);
    const [low, high] = maybeParseResetBounds(options, -0.05, 0.05);
    const rng = this.np_random;
    const state = new Float64Array(4);
    for (let i = 0; i < 4; i++) state[i] = rng.uniform(low, high);
    this.state = state;
    this.stepsBeyondTerminated = null;
    const obs = new Float32Array(4);
    obs.set(state);
    return [obs, {}];
  }
}
