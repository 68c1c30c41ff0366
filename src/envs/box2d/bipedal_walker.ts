/**
 * Gymnasium's BipedalWalker: a four-joint walker crossing rough terrain (or, with
 * `hardcore: true`, stumps, stairs and pits), on Box2D 2.3.0 (engine/box2d.ts) with
 * Gymnasium's constants, its arithmetic in its order and its draws from `np_random`
 * (terrain, clouds, initial push) in its order.
 *
 * Action: a float32 Box of 4 in [-1, 1], the torques of hip 1, knee 1, hip 2, knee 2: the
 * sign picks the motor's direction, the magnitude its torque (of at most 80).
 *
 * Observation (float32, 24 values): hull angle, angular velocity, x and y velocity; for each
 * leg the hip angle and speed, knee angle and speed, and ground contact (0 or 1); then 10
 * lidar fractions (1 where a ray hits nothing within range).
 *
 * Reward: 130 per unit of forward progress over the terrain scale (about 300 to the end),
 * less 5 × |hull angle| change, less 0.028 × |torque| per joint; -100 when the hull touches
 * the ground or the walker leaves the left edge. Solved at 300.
 *
 * Episode end: the hull touches the ground, x < 0, or the walker reaches the end of the
 * terrain; 1600 steps at most (2000 for hardcore), by `make`'s TimeLimit.
 *
 * Like Gymnasium's, one Box2D world lives as long as the environment: a reset destroys the
 * bodies and makes new ones in the same world, in Gymnasium's order, so reused Box2D ids
 * give the same contact order as pybox2d.
 */
import { PalestraError } from '../../errors';
import { Env, Info, ResetArgs, StepResult } from '../core';
import { Box } from '../spaces/box';
import { cos, sin } from '../utils/libm';
import { Body, FixtureDef, RevoluteJoint, World } from './engine/box2d';

/** Keyword arguments of `make('BipedalWalker-v3', kwargs)`. */
export interface BipedalWalkerKwargs {
  render_mode?: string | null;
  hardcore?: boolean;
}

export const FPS = 50;
export const SCALE = 30.0; // affects how fast-paced the game is, forces should be adjusted as well

const MOTORS_TORQUE = 80;
const SPEED_HIP = 4;
const SPEED_KNEE = 6;
export const LIDAR_RANGE = 160 / SCALE;

const INITIAL_RANDOM = 5;

export const HULL_POLY: ReadonlyArray<readonly [number, number]> = [
  [-30, +9],
  [+6, +9],
  [+34, +1],
  [+34, -8],
  [-30, -8],
];
export const LEG_DOWN = -8 / SCALE;
export const LEG_W = 8 / SCALE;
export const LEG_H = 34 / SCALE;

export const VIEWPORT_W = 600;
export const VIEWPORT_H = 400;

export const TERRAIN_STEP = 14 / SCALE;
export const TERRAIN_LENGTH = 200; // in steps
export const TERRAIN_HEIGHT = VIEWPORT_H / SCALE / 4;
const TERRAIN_GRASS = 10; // low long are grass spots, in steps
const TERRAIN_STARTPAD = 20; // in steps
const FRICTION = 2.5;

const HULL_FD: FixtureDef = { density: 5.0, friction: 0.1, categoryBits: 0x0020, maskBits: 0x001, restitution: 0.0 };
const LEG_FD: FixtureDef = { density: 1.0, restitution: 0.0, categoryBits: 0x0020, maskBits: 0x001 };
const POLYGON_FD: FixtureDef = { friction: FRICTION };
const EDGE_FD: FixtureDef = { friction: FRICTION, categoryBits: 0x0001 };

const GRASS = 0;
const STUMP = 1;
const STAIRS = 2;
const PIT = 3;
const STATES = 4;

type Point = [number, number];

/** What the page draws: terrain and obstacles (world units), clouds, and the last lidar hits. */
export interface BipedalWalkerScene {
  terrain_x: number[];
  terrain_y: number[];
  /** Stumps, stair steps and pit walls, as polygons. */
  obstacles: Point[][];
  clouds: Point[][];
}

/** numpy's sign for a float: -1, 0 or 1. */
function sign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

export class BipedalWalker extends Env<Float32Array, ArrayLike<number>> {
  override metadata = { render_modes: [], render_fps: FPS };
  readonly observation_space = new Box<Float32Array>(
    [-Math.PI, -5.0, -5.0, -5.0, -Math.PI, -5.0, -Math.PI, -5.0, -0.0, -Math.PI, -5.0, -Math.PI, -5.0, -0.0, ...new Array<number>(10).fill(-1.0)],
    [Math.PI, 5.0, 5.0, 5.0, Math.PI, 5.0, Math.PI, 5.0, 5.0, Math.PI, 5.0, Math.PI, 5.0, 5.0, ...new Array<number>(10).fill(1.0)],
    [24],
    'float32',
  );
  readonly action_space = new Box<Float32Array>(-1, 1, [4], 'float32');
  readonly hardcore: boolean;

  private worldOrNull: World | null = null;
  private terrain: Body[] = [];
  private hull: Body | null = null;
  private legs: Body[] = [];
  private joints: RevoluteJoint[] = [];
  private prevShaping: number | null = null;
  /** The last reset's terrain and clouds, null before the first. */
  scene: BipedalWalkerScene | null = null;
  /** Where each lidar ray ended on the last step (world units). */
  lidar: Point[] = [];

  constructor(kwargs: BipedalWalkerKwargs = {}) {
    super();
    this.hardcore = kwargs.hardcore ?? false;
    this.render_mode = kwargs.render_mode ?? null;
  }

  /** The environment's one world (gravity (0, -10), pybox2d's default), made on first use. */
  private get world(): World {
    if (this.worldOrNull === null) this.worldOrNull = new World(0, -10);
    return this.worldOrNull;
  }

  private destroyBodies(): void {
    if (this.terrain.length === 0) return;
    for (const t of this.terrain) this.world.destroyBody(t);
    this.terrain = [];
    if (this.hull) this.world.destroyBody(this.hull);
    this.hull = null;
    for (const leg of this.legs) this.world.destroyBody(leg);
    this.legs = [];
    this.joints = [];
  }

  private staticPolygon(poly: Point[]): void {
    const t = this.world.body(false, 0, 0);
    t.polygon(poly, POLYGON_FD);
    this.terrain.push(t);
    this.scene!.obstacles.push(poly);
  }

  private generateTerrain(hardcore: boolean): void {
    const rng = this.np_random;
    let state = GRASS;
    let velocity = 0.0;
    let y = TERRAIN_HEIGHT;
    let counter = TERRAIN_STARTPAD;
    let oneshot = false;
    const terrainX: number[] = [];
    const terrainY: number[] = [];
    let stairSteps = 0;
    let stairWidth = 0;
    let stairHeight = 0;
    let originalY = 0;
    for (let i = 0; i < TERRAIN_LENGTH; i++) {
      const x = i * TERRAIN_STEP;
      terrainX.push(x);
      if (state === GRASS && !oneshot) {
        velocity = 0.8 * velocity + 0.01 * sign(TERRAIN_HEIGHT - y);
        if (i > TERRAIN_STARTPAD) velocity += rng.uniform(-1, 1) / SCALE;
        y += velocity;
      } else if (state === PIT && oneshot) {
        counter = rng.integers(3, 5);
        const poly: Point[] = [
          [x, y],
          [x + TERRAIN_STEP, y],
          [x + TERRAIN_STEP, y - 4 * TERRAIN_STEP],
          [x, y - 4 * TERRAIN_STEP],
        ];
        this.staticPolygon(poly);
        this.staticPolygon(poly.map(([px, py]) => [px + TERRAIN_STEP * counter, py]));
        counter += 2;
        originalY = y;
      } else if (state === PIT && !oneshot) {
        y = originalY;
        if (counter > 1) y -= 4 * TERRAIN_STEP;
      } else if (state === STUMP && oneshot) {
        counter = rng.integers(1, 3);
        this.staticPolygon([
          [x, y],
          [x + counter * TERRAIN_STEP, y],
          [x + counter * TERRAIN_STEP, y + counter * TERRAIN_STEP],
          [x, y + counter * TERRAIN_STEP],
        ]);
      } else if (state === STAIRS && oneshot) {
        stairHeight = rng.random() > 0.5 ? +1 : -1;
        stairWidth = rng.integers(4, 5);
        stairSteps = rng.integers(3, 5);
        originalY = y;
        for (let s = 0; s < stairSteps; s++) {
          this.staticPolygon([
            [x + s * stairWidth * TERRAIN_STEP, y + s * stairHeight * TERRAIN_STEP],
            [x + (1 + s) * stairWidth * TERRAIN_STEP, y + s * stairHeight * TERRAIN_STEP],
            [x + (1 + s) * stairWidth * TERRAIN_STEP, y + (-1 + s * stairHeight) * TERRAIN_STEP],
            [x + s * stairWidth * TERRAIN_STEP, y + (-1 + s * stairHeight) * TERRAIN_STEP],
          ]);
        }
        counter = stairSteps * stairWidth;
      } else if (state === STAIRS && !oneshot) {
        const s = stairSteps * stairWidth - counter - stairHeight;
        const n = s / stairWidth;
        y = originalY + n * stairHeight * TERRAIN_STEP;
      }
      oneshot = false;
      terrainY.push(y);
      counter -= 1;
      if (counter === 0) {
        counter = rng.integers(TERRAIN_GRASS / 2, TERRAIN_GRASS);
        if (state === GRASS && hardcore) {
          state = rng.integers(1, STATES);
          oneshot = true;
        } else {
          state = GRASS;
          oneshot = true;
        }
      }
    }
    const edges: Body[] = [];
    for (let i = 0; i < TERRAIN_LENGTH - 1; i++) {
      const t = this.world.body(false, 0, 0);
      t.edge(terrainX[i], terrainY[i], terrainX[i + 1], terrainY[i + 1], EDGE_FD);
      edges.push(t);
    }
    // Gymnasium reverses its list of terrain bodies, so it destroys them in that order.
    this.terrain = [...this.terrain, ...edges].reverse();
    this.scene!.terrain_x = terrainX;
    this.scene!.terrain_y = terrainY;
  }

  private generateClouds(): void {
    const rng = this.np_random;
    const clouds: Point[][] = [];
    for (let c = 0; c < TERRAIN_LENGTH / 20; c++) {
      const x = rng.uniform(0, TERRAIN_LENGTH) * TERRAIN_STEP;
      const y = (VIEWPORT_H / SCALE) * 3 / 4;
      const poly: Point[] = [];
      for (let a = 0; a < 5; a++) {
        const px = x + 15 * TERRAIN_STEP * Math.sin((3.14 * 2 * a) / 5) + rng.uniform(0, 5 * TERRAIN_STEP);
        const py = y + 5 * TERRAIN_STEP * Math.cos((3.14 * 2 * a) / 5) + rng.uniform(0, 5 * TERRAIN_STEP);
        poly.push([px, py]);
      }
      clouds.push(poly);
    }
    this.scene!.clouds = clouds;
  }

  reset({ seed }: ResetArgs = {}): [Float32Array, Info] {
    this.seedReset(seed);
    this.destroyBodies();
    this.world.gameOver = false;
    this.prevShaping = null;
    this.scene = { terrain_x: [], terrain_y: [], obstacles: [], clouds: [] };

    this.generateTerrain(this.hardcore);
    this.generateClouds();

    const initX = (TERRAIN_STEP * TERRAIN_STARTPAD) / 2;
    const initY = TERRAIN_HEIGHT + 2 * LEG_H;
    const hull = this.world.body(true, initX, initY, 0, { endsEpisode: true });
    hull.polygon(
      HULL_POLY.map(([x, y]) => [x / SCALE, y / SCALE] as const),
      HULL_FD,
    );
    this.hull = hull;
    hull.applyForceToCenter(this.np_random.uniform(-INITIAL_RANDOM, INITIAL_RANDOM), 0, true);

    this.legs = [];
    this.joints = [];
    for (const i of [-1, +1]) {
      const leg = this.world.body(true, initX, initY - LEG_H / 2 - LEG_DOWN, i * 0.05);
      leg.box(LEG_W / 2, LEG_H / 2, LEG_FD);
      this.legs.push(leg);
      this.joints.push(
        this.world.revolute(hull, leg, {
          localAnchorA: [0, LEG_DOWN],
          localAnchorB: [0, LEG_H / 2],
          enableMotor: true,
          enableLimit: true,
          maxMotorTorque: MOTORS_TORQUE,
          motorSpeed: i,
          lowerAngle: -0.8,
          upperAngle: 1.1,
        }),
      );
      const lower = this.world.body(true, initX, initY - (LEG_H * 3) / 2 - LEG_DOWN, i * 0.05, { tracksGround: true });
      lower.box((0.8 * LEG_W) / 2, LEG_H / 2, LEG_FD);
      this.legs.push(lower);
      this.joints.push(
        this.world.revolute(leg, lower, {
          localAnchorA: [0, -LEG_H / 2],
          localAnchorB: [0, LEG_H / 2],
          enableMotor: true,
          enableLimit: true,
          maxMotorTorque: MOTORS_TORQUE,
          motorSpeed: 1,
          lowerAngle: -1.6,
          upperAngle: -0.1,
        }),
      );
    }
    return [this.step([0, 0, 0, 0])[0], {}];
  }

  step(action: ArrayLike<number>): StepResult<Float32Array> {
    const hull = this.hull;
    if (hull === null) throw new PalestraError('reset_needed', 'Call reset before using step method.');
    if (action.length !== 4) {
      throw new PalestraError('invalid_action', `${JSON.stringify(Array.from(action))} is not an action of ${this.action_space.toString()}`);
    }
    // The action arrives as float32 values (the Box's dtype); the motor's speed is its sign, the torque its size.
    const a = Array.from(action, (v) => Math.fround(v));
    const speeds = [SPEED_HIP, SPEED_KNEE, SPEED_HIP, SPEED_KNEE];
    a.forEach((v, j) => this.joints[j].setMotor(speeds[j] * sign(v), Math.fround(MOTORS_TORQUE * Math.min(Math.max(Math.abs(v), 0), 1))));

    this.world.step(1.0 / FPS, 6 * 30, 2 * 30);

    const s = hull.state();
    const fractions: number[] = [];
    this.lidar = [];
    for (let i = 0; i < 10; i++) {
      const x2 = s.x + sin((1.5 * i) / 10.0) * LIDAR_RANGE;
      const y2 = s.y - cos((1.5 * i) / 10.0) * LIDAR_RANGE;
      const hit = this.world.lidar(s.x, s.y, x2, y2);
      fractions.push(hit.fraction);
      this.lidar.push([hit.x, hit.y]);
    }
    const j = this.joints.map((joint) => joint.state());
    const state = [
      s.angle, // normally up to 0.5, but more is possible
      (2.0 * s.angularVelocity) / FPS,
      (0.3 * s.vx * (VIEWPORT_W / SCALE)) / FPS, // normalised to about -1..1
      (0.3 * s.vy * (VIEWPORT_H / SCALE)) / FPS,
      j[0][0], // about 1.1 when high up; spikes on hitting the ground are normal too
      j[0][1] / SPEED_HIP,
      j[1][0] + 1.0,
      j[1][1] / SPEED_KNEE,
      this.legs[1].state().groundContact ? 1.0 : 0.0,
      j[2][0],
      j[2][1] / SPEED_HIP,
      j[3][0] + 1.0,
      j[3][1] / SPEED_KNEE,
      this.legs[3].state().groundContact ? 1.0 : 0.0,
      ...fractions,
    ];

    // Moving forward earns about 300 over the whole terrain; keep the head straight.
    let shaping = (130 * s.x) / SCALE;
    shaping -= 5.0 * Math.abs(state[0]);
    let reward = 0;
    if (this.prevShaping !== null) reward = shaping - this.prevShaping;
    this.prevShaping = shaping;
    for (const v of a) reward -= 0.00035 * MOTORS_TORQUE * Math.min(Math.max(Math.abs(v), 0), 1);

    let terminated = false;
    if (this.world.gameOver || s.x < 0) {
      reward = -100;
      terminated = true;
    }
    if (s.x > (TERRAIN_LENGTH - TERRAIN_GRASS) * TERRAIN_STEP) terminated = true;
    return [Float32Array.from(state), reward, terminated, false, {}];
  }

  /** Gymnasium draws with pygame; Palestra has no text (ansi) form of this scene, and the page draws it itself. */
  override render(): unknown {
    throw new PalestraError('not_supported', 'BipedalWalker has no ansi (text) rendering; the web page draws it on a canvas from its observations');
  }

  override close(): void {
    this.worldOrNull?.destroy();
    this.worldOrNull = null;
    this.terrain = [];
    this.hull = null;
    this.legs = [];
    this.joints = [];
  }
}
