/**
 * Gymnasium's LunarLander: land a rocket on the pad between the flags, on Box2D 2.3.0
 * (engine/box2d.ts), with Gymnasium's constants, its float64 arithmetic in its order,
 * and the terrain, initial push and engine dispersion drawn from `np_random` in the
 * order Gymnasium draws them.
 *
 * Actions (discrete, default): 0 do nothing, 1 fire the left orientation engine, 2 fire
 * the main engine, 3 fire the right orientation engine. With `continuous: true`, a Box of
 * two values in [-1, 1], used as float64 after clipping: `[main, lateral]`; the main engine
 * is off below 0 and runs at 50%..100% power from 0 to 1; the lateral engines fire left
 * below -0.5 and right above 0.5, at 50%..100%.
 *
 * Observation (float32), bounds of the Box:
 *   0 x, 1 y relative to the pad in [-2.5, 2.5]; 2 vx, 3 vy in [-10, 10];
 *   4 angle in [-2π, 2π]; 5 angular velocity in [-10, 10];
 *   6, 7 whether the left and right legs touch the ground, 0 or 1.
 *
 * Reward: the change of a shaping term (closer to the pad, slower, level, legs down is
 * better), less 0.3 per frame of the main engine and 0.03 of a side engine; -100 on a
 * crash or leaving the screen, +100 on coming to rest. Solved at 200.
 *
 * Start: at the top centre with a random force on the lander. Episode end: the lander's
 * body touches the ground, |x| >= 1, or it falls asleep at rest; 1000 steps at most
 * (`make`'s TimeLimit).
 *
 * Arguments: `continuous`, `gravity` in (-12, 0) (default -10), `enable_wind`,
 * `wind_power` (0..20 recommended, default 15), `turbulence_power` (0..2 recommended,
 * default 1.5). Gymnasium warns outside the recommended ranges; Palestra accepts them.
 *
 * Versions: v3 (Gymnasium 1.0) fixed the deterministic reset and wider observation
 * bounds; `LunarLander-v2` is kept as an alias of v3 for older clients.
 *
 * Engine particles are drawn by Gymnasium only when it renders, and then take part in the
 * physics; Palestra never renders on the server, so there are none, as in Gymnasium with
 * `render_mode=None`.
 */
import { PalestraError } from '../../errors';
import { Env, Info, ResetArgs, StepResult } from '../core';
import { Box } from '../spaces/box';
import { Discrete } from '../spaces/discrete';
import { cos, sin, tanh } from '../utils/libm';
import { Body, RevoluteJoint, World } from './engine/box2d';

/** Keyword arguments of `make('LunarLander-v3', kwargs)`. */
export interface LunarLanderKwargs {
  render_mode?: string | null;
  continuous?: boolean;
  gravity?: number;
  enable_wind?: boolean;
  wind_power?: number;
  turbulence_power?: number;
}

export const FPS = 50;
export const SCALE = 30.0; // affects how fast-paced the game is, forces should be adjusted as well

const MAIN_ENGINE_POWER = 13.0;
const SIDE_ENGINE_POWER = 0.6;

const INITIAL_RANDOM = 1000.0;

export const LANDER_POLY: ReadonlyArray<readonly [number, number]> = [
  [-14, +17],
  [-17, 0],
  [-17, -10],
  [+17, -10],
  [+17, 0],
  [+14, +17],
];
export const LEG_AWAY = 20;
export const LEG_DOWN = 18;
export const LEG_W = 2;
export const LEG_H = 8;
const LEG_SPRING_TORQUE = 40;

const SIDE_ENGINE_HEIGHT = 14;
const SIDE_ENGINE_AWAY = 12;
const MAIN_ENGINE_Y_LOCATION = 4;

export const VIEWPORT_W = 600;
export const VIEWPORT_H = 400;

const CHUNKS = 11;

type Action = number | ArrayLike<number>;

/** The terrain and pad, for drawing: chunk x positions and smoothed heights, in world units. */
export interface LunarLanderTerrain {
  chunk_x: number[];
  smooth_y: number[];
  helipad_x1: number;
  helipad_x2: number;
  helipad_y: number;
}

export class LunarLander extends Env<Float32Array, Action> {
  override metadata = { render_modes: [], render_fps: FPS, float64_actions: true };
  readonly observation_space = new Box<Float32Array>(
    [-2.5, -2.5, -10.0, -10.0, -2 * Math.PI, -10.0, -0.0, -0.0],
    [2.5, 2.5, 10.0, 10.0, 2 * Math.PI, 10.0, 1.0, 1.0],
    [8],
    'float32',
  );
  readonly action_space: Box<Float32Array> | Discrete;
  readonly continuous: boolean;
  readonly gravity: number;
  readonly enable_wind: boolean;
  readonly wind_power: number;
  readonly turbulence_power: number;

  private world: World | null = null;
  private lander: Body | null = null;
  private legs: Body[] = [];
  private joints: RevoluteJoint[] = [];
  private prevShaping: number | null = null;
  private windIdx = 0;
  private torqueIdx = 0;
  /** The last reset's terrain, null before the first. */
  terrain: LunarLanderTerrain | null = null;

  constructor(kwargs: LunarLanderKwargs = {}) {
    super();
    const gravity = kwargs.gravity ?? -10.0;
    if (!(-12.0 < gravity && gravity < 0.0)) {
      throw new PalestraError('invalid_params', `gravity (current value: ${gravity}) must be between -12 and 0`, { gravity });
    }
    this.gravity = gravity;
    this.wind_power = kwargs.wind_power ?? 15.0;
    this.turbulence_power = kwargs.turbulence_power ?? 1.5;
    this.enable_wind = kwargs.enable_wind ?? false;
    this.continuous = kwargs.continuous ?? false;
    this.render_mode = kwargs.render_mode ?? null;
    this.action_space = this.continuous ? new Box<Float32Array>(-1, +1, [2], 'float32') : new Discrete(4);
  }

  reset({ seed }: ResetArgs = {}): [Float32Array, Info] {
    this.seedReset(seed);
    const rng = this.np_random;
    // A new world each reset, as Gymnasium makes one (its workaround for Gymnasium issue 728).
    this.world?.destroy();
    const world = new World(0, this.gravity);
    this.world = world;
    this.prevShaping = null;

    const W = VIEWPORT_W / SCALE;
    const H = VIEWPORT_H / SCALE;

    // Terrain
    const height: number[] = [];
    for (let i = 0; i < CHUNKS + 1; i++) height.push(rng.uniform(0, H / 2));
    const chunkX: number[] = [];
    for (let i = 0; i < CHUNKS; i++) chunkX.push((W / (CHUNKS - 1)) * i);
    const helipadY = H / 4;
    for (let k = -2; k <= 2; k++) height[Math.floor(CHUNKS / 2) + k] = helipadY;
    // Python's height[i - 1] at i = 0 is the last element.
    const at = (i: number): number => height[(i + height.length) % height.length];
    const smoothY: number[] = [];
    for (let i = 0; i < CHUNKS; i++) smoothY.push(0.33 * (at(i - 1) + at(i + 0) + at(i + 1)));
    this.terrain = {
      chunk_x: chunkX,
      smooth_y: smoothY,
      helipad_x1: chunkX[Math.floor(CHUNKS / 2) - 1],
      helipad_x2: chunkX[Math.floor(CHUNKS / 2) + 1],
      helipad_y: helipadY,
    };

    const moon = world.body(false, 0, 0);
    moon.edge(0, 0, W, 0);
    for (let i = 0; i < CHUNKS - 1; i++) {
      moon.edge(chunkX[i], smoothY[i], chunkX[i + 1], smoothY[i + 1], { density: 0, friction: 0.1 });
    }

    // Lander
    const initialY = VIEWPORT_H / SCALE;
    const initialX = VIEWPORT_W / SCALE / 2;
    const lander = world.body(true, initialX, initialY, 0.0, { endsEpisode: true });
    lander.polygon(
      LANDER_POLY.map(([x, y]) => [x / SCALE, y / SCALE] as const),
      { density: 5.0, friction: 0.1, categoryBits: 0x0010, maskBits: 0x001, restitution: 0.0 },
    );
    this.lander = lander;
    const fx = rng.uniform(-INITIAL_RANDOM, INITIAL_RANDOM);
    const fy = rng.uniform(-INITIAL_RANDOM, INITIAL_RANDOM);
    lander.applyForceToCenter(fx, fy, true);

    if (this.enable_wind) {
      this.windIdx = rng.integers(-9999, 9999);
      this.torqueIdx = rng.integers(-9999, 9999);
    }

    // Legs
    this.legs = [];
    this.joints = [];
    for (const i of [-1, +1]) {
      const leg = world.body(true, initialX - (i * LEG_AWAY) / SCALE, initialY, i * 0.05, { tracksGround: true });
      leg.box(LEG_W / SCALE, LEG_H / SCALE, { density: 1.0, restitution: 0.0, categoryBits: 0x0020, maskBits: 0x001 });
      const joint = world.revolute(lander, leg, {
        localAnchorA: [0, 0],
        localAnchorB: [(i * LEG_AWAY) / SCALE, LEG_DOWN / SCALE],
        enableMotor: true,
        enableLimit: true,
        maxMotorTorque: LEG_SPRING_TORQUE,
        motorSpeed: +0.3 * i, // low enough not to jump back into the sky
        // The most esoteric numbers here: angled legs have freedom to travel within.
        lowerAngle: i === -1 ? +0.9 - 0.5 : -0.9,
        upperAngle: i === -1 ? +0.9 : -0.9 + 0.5,
      });
      this.legs.push(leg);
      this.joints.push(joint);
    }

    return [this.step(this.continuous ? [0, 0] : 0)[0], {}];
  }

  step(action: Action): StepResult<Float32Array> {
    const world = this.world;
    const lander = this.lander;
    if (world === null || lander === null) throw new PalestraError('reset_needed', 'Call reset before using step method.');
    const rng = this.np_random;

    // Wind and turbulence, while no leg touches the ground.
    if (this.enable_wind && !(this.legs[0].state().groundContact || this.legs[1].state().groundContact)) {
      const windMag = tanh(sin(0.02 * this.windIdx) + sin(Math.PI * 0.01 * this.windIdx)) * this.wind_power;
      this.windIdx += 1;
      lander.applyForceToCenter(windMag, 0.0, true);
      const torqueMag = tanh(sin(0.02 * this.torqueIdx) + sin(Math.PI * 0.01 * this.torqueIdx)) * this.turbulence_power;
      this.torqueIdx += 1;
      lander.applyTorque(torqueMag, true);
    }

    let a0 = 0;
    let a1 = 0;
    let discrete = 0;
    if (this.continuous) {
      const given = typeof action === 'number' ? [action] : Array.from(action as ArrayLike<number>);
      if (given.length !== 2 || !given.every((v) => typeof v === 'number' && !Number.isNaN(v))) {
        throw new PalestraError('invalid_action', `${JSON.stringify(action)} is not an action of ${this.action_space.toString()}`);
      }
      a0 = Math.min(Math.max(given[0], -1), 1);
      a1 = Math.min(Math.max(given[1], -1), 1);
    } else {
      if (!this.action_space.contains(action)) {
        throw new PalestraError('invalid_action', `${JSON.stringify(action)} invalid`, { space: this.action_space.toString() });
      }
      discrete = action as number;
    }

    const body = lander.state();
    // Tip is the (x, y) of the lander's up direction; side is perpendicular to it.
    const tip = [sin(body.angle), cos(body.angle)];
    const side = [-tip[1], tip[0]];
    const dispersion = [rng.uniform(-1.0, +1.0) / SCALE, rng.uniform(-1.0, +1.0) / SCALE];

    let mPower = 0.0;
    if ((this.continuous && a0 > 0.0) || (!this.continuous && discrete === 2)) {
      mPower = this.continuous ? (Math.min(Math.max(a0, 0.0), 1.0) + 1.0) * 0.5 : 1.0;
      // 4 moves the engine a bit down; the dispersion adds noise.
      const ox = tip[0] * (MAIN_ENGINE_Y_LOCATION / SCALE + 2 * dispersion[0]) + side[0] * dispersion[1];
      const oy = -tip[1] * (MAIN_ENGINE_Y_LOCATION / SCALE + 2 * dispersion[0]) - side[1] * dispersion[1];
      lander.applyLinearImpulse(-ox * MAIN_ENGINE_POWER * mPower, -oy * MAIN_ENGINE_POWER * mPower, body.x + ox, body.y + oy, true);
    }

    let sPower = 0.0;
    if ((this.continuous && Math.abs(a1) > 0.5) || (!this.continuous && (discrete === 1 || discrete === 3))) {
      let direction: number;
      if (this.continuous) {
        direction = Math.sign(a1);
        sPower = Math.min(Math.max(Math.abs(a1), 0.5), 1.0);
      } else {
        direction = discrete - 2;
        sPower = 1.0;
      }
      const ox = tip[0] * dispersion[0] + side[0] * (3 * dispersion[1] + (direction * SIDE_ENGINE_AWAY) / SCALE);
      const oy = -tip[1] * dispersion[0] - side[1] * (3 * dispersion[1] + (direction * SIDE_ENGINE_AWAY) / SCALE);
      // Gymnasium uses 17 here where SIDE_ENGINE_HEIGHT (14) was presumably meant, so the
      // side thrust's lever depends on the lander's angle; kept for the same episodes.
      const px = body.x + ox - (tip[0] * 17) / SCALE;
      const py = body.y + oy + (tip[1] * SIDE_ENGINE_HEIGHT) / SCALE;
      lander.applyLinearImpulse(-ox * SIDE_ENGINE_POWER * sPower, -oy * SIDE_ENGINE_POWER * sPower, px, py, true);
    }

    world.step(1.0 / FPS, 6 * 30, 2 * 30);

    const s = lander.state();
    const state = [
      (s.x - VIEWPORT_W / SCALE / 2) / (VIEWPORT_W / SCALE / 2),
      (s.y - (this.terrain!.helipad_y + LEG_DOWN / SCALE)) / (VIEWPORT_H / SCALE / 2),
      (s.vx * (VIEWPORT_W / SCALE / 2)) / FPS,
      (s.vy * (VIEWPORT_H / SCALE / 2)) / FPS,
      s.angle,
      (20.0 * s.angularVelocity) / FPS,
      this.legs[0].state().groundContact ? 1.0 : 0.0,
      this.legs[1].state().groundContact ? 1.0 : 0.0,
    ];

    let reward = 0;
    const shaping =
      -100 * Math.sqrt(state[0] * state[0] + state[1] * state[1]) -
      100 * Math.sqrt(state[2] * state[2] + state[3] * state[3]) -
      100 * Math.abs(state[4]) +
      10 * state[6] +
      10 * state[7];
    if (this.prevShaping !== null) reward = shaping - this.prevShaping;
    this.prevShaping = shaping;
    reward -= mPower * 0.3; // less fuel spent is better, about -30 for a heuristic landing
    reward -= sPower * 0.03;

    let terminated = false;
    if (world.gameOver || Math.abs(state[0]) >= 1.0) {
      terminated = true;
      reward = -100;
    }
    if (!s.awake) {
      terminated = true;
      reward = +100;
    }
    return [Float32Array.from(state), reward, terminated, false, {}];
  }

  /** Gymnasium draws with pygame; Palestra has no text (ansi) form of this scene, and the page draws it itself. */
  override render(): unknown {
    throw new PalestraError(
      'not_supported',
      'LunarLander has no ansi (text) rendering; the web page draws it on a canvas from its observations and terrain',
    );
  }

  override close(): void {
    this.world?.destroy();
    this.world = null;
    this.lander = null;
    this.legs = [];
    this.joints = [];
  }
}
