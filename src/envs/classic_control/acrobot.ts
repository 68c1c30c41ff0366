/**
 * Gymnasium's Acrobot: a two-link pendulum actuated at the joint between the links
 * (Sutton and Barto's "book" dynamics), integrated with one RK4 step of 0.2 s.
 * Same constants and the same float64 arithmetic in the same order as Gymnasium.
 */
import { PalestraError } from '../../errors';
import { Env, Info, ResetArgs, StepResult } from '../core';
import { Box } from '../spaces/box';
import { Discrete } from '../spaces/discrete';
import { cos, sin, square } from '../utils/libm';
import { maybeParseResetBounds } from './utils';

/** Keyword arguments of `make('Acrobot-v1', kwargs)`. */
export interface AcrobotKwargs {
  render_mode?: string | null;
}

const PI = Math.PI;
const DT = 0.2;
const LINK_LENGTH_1 = 1.0;
const LINK_MASS_1 = 1.0;
const LINK_MASS_2 = 1.0;
const LINK_COM_POS_1 = 0.5;
const LINK_COM_POS_2 = 0.5;
const LINK_MOI = 1.0;
const MAX_VEL_1 = 4 * PI;
const MAX_VEL_2 = 9 * PI;
const AVAIL_TORQUE = [-1.0, 0.0, +1];
const G = 9.8;

/** Gymnasium's `wrap`: shifts x by whole periods (M - m) into [m, M]. */
export function wrap(x: number, m: number, M: number): number {
  const diff = M - m;
  while (x > M) x = x - diff;
  while (x < m) x = x + diff;
  return x;
}

/** Gymnasium's `bound`: `min(max(x, m), M)` with Python's max and min. */
export function bound(x: number, m: number, M: number): number {
  const lower = m > x ? m : x;
  return M < lower ? M : lower;
}

/** The time derivative of (theta1, theta2, dtheta1, dtheta2) under torque `a`, into `out`. */
function dsdt(s: Float64Array, out: Float64Array): void {
  const m1 = LINK_MASS_1;
  const m2 = LINK_MASS_2;
  const l1 = LINK_LENGTH_1;
  const lc1 = LINK_COM_POS_1;
  const lc2 = LINK_COM_POS_2;
  const I1 = LINK_MOI;
  const I2 = LINK_MOI;
  const a = s[4];
  const theta1 = s[0];
  const theta2 = s[1];
  const dtheta1 = s[2];
  const dtheta2 = s[3];
  // Each trigonometric value once: the same arguments give the same doubles as Gymnasium's repeats.
  const cos2 = cos(theta2);
  const sin2 = sin(theta2);
  const d1 = m1 * lc1 ** 2 + m2 * (l1 ** 2 + lc2 ** 2 + 2 * l1 * lc2 * cos2) + I1 + I2;
  const d2 = m2 * (lc2 ** 2 + l1 * lc2 * cos2) + I2;
  const phi2 = m2 * lc2 * G * cos(theta1 + theta2 - PI / 2.0);
  const phi1 =
    -m2 * l1 * lc2 * square(dtheta2) * sin2 -
    2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * sin2 +
    (m1 * lc1 + m2 * l1) * G * cos(theta1 - PI / 2) +
    phi2;
  const ddtheta2 =
    (a + (d2 / d1) * phi1 - m2 * l1 * lc2 * square(dtheta1) * sin2 - phi2) /
    (m2 * lc2 ** 2 + I2 - square(d2) / d1);
  const ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
  out[0] = dtheta1;
  out[1] = dtheta2;
  out[2] = ddtheta1;
  out[3] = ddtheta2;
  out[4] = 0.0;
}

export class AcrobotEnv extends Env<Float32Array, number> {
  override metadata = { render_modes: [], render_fps: 15 };
  readonly action_space = new Discrete(3);
  readonly observation_space = new Box<Float32Array>(
    [-1.0, -1.0, -1.0, -1.0, -MAX_VEL_1, -MAX_VEL_2],
    [1.0, 1.0, 1.0, 1.0, MAX_VEL_1, MAX_VEL_2],
    [6],
    'float32',
  );
  /** theta1, theta2, dtheta1, dtheta2 (float32 values after reset, float64 after a step), or null. */
  state: Float64Array | null = null;
  // Scratch buffers for RK4, reused across steps.
  private readonly y0 = new Float64Array(5);
  private readonly yt = new Float64Array(5);
  private readonly k1 = new Float64Array(5);
  private readonly k2 = new Float64Array(5);
  private readonly k3 = new Float64Array(5);
  private readonly k4 = new Float64Array(5);

  constructor(kwargs: AcrobotKwargs = {}) {
    super();
    this.render_mode = kwargs.render_mode ?? null;
  }

  step(a: number): StepResult<Float32Array> {
    const s = this.state;
    if (s === null) throw new PalestraError('reset_needed', 'Call reset before using AcrobotEnv object.');
    const torque = AVAIL_TORQUE[a];
    if (torque === undefined) throw new PalestraError('invalid_action', `${String(a)} invalid: expected 0, 1 or 2`);
    const y0 = this.y0;
    y0[0] = s[0];
    y0[1] = s[1];
    y0[2] = s[2];
    y0[3] = s[3];
    y0[4] = torque;
    this.rk4(y0, DT);
    s[0] = wrap(y0[0], -PI, PI);
    s[1] = wrap(y0[1], -PI, PI);
    s[2] = bound(y0[2], -MAX_VEL_1, MAX_VEL_1);
    s[3] = bound(y0[3], -MAX_VEL_2, MAX_VEL_2);
    const terminated = -cos(s[0]) - cos(s[1] + s[0]) > 1.0;
    return [this.getOb(), terminated ? 0.0 : -1.0, terminated, false, {}];
  }

  /** One classic RK4 step of length dt from y (updated in place), as Gymnasium's `rk4` over [0, dt]. */
  private rk4(y: Float64Array, dt: number): void {
    const dt2 = dt / 2.0;
    const { yt, k1, k2, k3, k4 } = this;
    dsdt(y, k1);
    for (let i = 0; i < 5; i++) yt[i] = y[i] + dt2 * k1[i];
    dsdt(yt, k2);
    for (let i = 0; i < 5; i++) yt[i] = y[i] + dt2 * k2[i];
    dsdt(yt, k3);
    for (let i = 0; i < 5; i++) yt[i] = y[i] + dt * k3[i];
    dsdt(yt, k4);
    const w = dt / 6.0;
    for (let i = 0; i < 5; i++) y[i] = y[i] + w * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
  }

  reset({ seed, options }: ResetArgs = {}): [Float32Array, Info] {
    this.seedReset(seed);
    const [low, high] = maybeParseResetBounds(options, -0.1, 0.1);
    const rng = this.np_random;
    const state = new Float64Array(4);
    // Gymnasium draws in float64 and keeps the state as float32.
    for (let i = 0; i < 4; i++) state[i] = Math.fround(rng.uniform(low, high));
    this.state = state;
    return [this.getOb(), {}];
  }

  private getOb(): Float32Array {
    const s = this.state!;
    const obs = new Float32Array(6);
    obs[0] = cos(s[0]);
    obs[1] = sin(s[0]);
    obs[2] = cos(s[1]);
    obs[3] = sin(s[1]);
    obs[4] = s[2];
    obs[5] = s[3];
    return obs;
  }
}
