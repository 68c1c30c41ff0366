/**
 * Box2D 2.3.0, the C++ engine pybox2d wraps, run as WebAssembly (built by
 * scripts/box2d/build.sh from Box2D's own sources and native/box2d/). One instance serves
 * every world in the process; it is compiled on first use, synchronously, so `make`
 * stays synchronous. Numbers cross as float32, as pybox2d converts Python floats to
 * Box2D's `float32`, so values computed in float64 by an environment are rounded once,
 * where Gymnasium's are.
 */
import { PalestraError } from '../../../errors';
import { BOX2D_WASM_BASE64 } from './box2d_wasm';

type Ptr = number;

interface Exports {
  memory: WebAssembly.Memory;
  _initialize(): void;
  pb_scratch(): Ptr;
  pb_world_create(gx: number, gy: number): Ptr;
  pb_world_destroy(w: Ptr): void;
  pb_world_step(w: Ptr, dt: number, velocityIterations: number, positionIterations: number): void;
  pb_world_game_over(w: Ptr): number;
  pb_world_set_game_over(w: Ptr, value: number): void;
  pb_body_create(w: Ptr, type: number, x: number, y: number, angle: number, endsEpisode: number, tracksGround: number): Ptr;
  pb_body_destroy(w: Ptr, b: Ptr): void;
  pb_fixture_polygon(b: Ptr, n: number, density: number, friction: number, restitution: number, category: number, mask: number): void;
  pb_fixture_box(b: Ptr, hx: number, hy: number, density: number, friction: number, restitution: number, category: number, mask: number): void;
  pb_fixture_edge(b: Ptr, x1: number, y1: number, x2: number, y2: number, density: number, friction: number, restitution: number, category: number, mask: number): void;
  pb_fixture_circle(b: Ptr, radius: number, x: number, y: number, density: number, friction: number, restitution: number, category: number, mask: number): void;
  pb_revolute(w: Ptr, a: Ptr, b: Ptr, ax: number, ay: number, bx: number, by: number, enableMotor: number, enableLimit: number, maxMotorTorque: number, motorSpeed: number, lower: number, upper: number, referenceAngle: number): Ptr;
  pb_joint_state(j: Ptr): void;
  pb_joint_set_motor(j: Ptr, motorSpeed: number, maxMotorTorque: number): void;
  pb_apply_force_to_center(b: Ptr, fx: number, fy: number, wake: number): void;
  pb_apply_linear_impulse(b: Ptr, ix: number, iy: number, px: number, py: number, wake: number): void;
  pb_apply_torque(b: Ptr, torque: number, wake: number): void;
  pb_body_state(b: Ptr): void;
  pb_lidar(w: Ptr, x1: number, y1: number, x2: number, y2: number): number;
  pb_rot(angle: number): void;
}

let instance: Exports | null = null;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const raw = atob(text);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/** The WebAssembly instance, compiled and started on first use. */
function engine(): Exports {
  if (instance !== null) return instance;
  const fail = (): never => {
    throw new PalestraError('env_error', 'Box2D stopped: an internal assertion failed');
  };
  const imports = {
    env: { emscripten_notify_memory_growth: () => undefined },
    // b2Log's printf and abort are the only system calls; neither is reached in normal use.
    wasi_snapshot_preview1: { fd_write: () => 0, proc_exit: fail },
  };
  const module = new WebAssembly.Module(decodeBase64(BOX2D_WASM_BASE64));
  const made = new WebAssembly.Instance(module, imports).exports as unknown as Exports;
  made._initialize();
  instance = made;
  return made;
}

/** Frees the Box2D memory of worlds whose environment was dropped without `close`. */
const unreachable = new FinalizationRegistry<Ptr>((ptr) => instance?.pb_world_destroy(ptr));

/** The scratch floats through which vectors cross; re-made when memory grows. */
function scratch(e: Exports): Float32Array {
  return new Float32Array(e.memory.buffer, e.pb_scratch(), 64);
}

/**
 * [sin, cos] of a float32 angle as Box2D's b2Rot computes them inside the engine: glibc's
 * sinf and cosf (native/box2d/glibc_sincosf.c), the functions pybox2d calls on Linux.
 */
export function rotation(angle: number): [number, number] {
  const e = engine();
  e.pb_rot(angle);
  const s = scratch(e);
  return [s[0], s[1]];
}

/** A fixture's material and collision filter (pybox2d's fixtureDef defaults when absent). */
export interface FixtureDef {
  density?: number;
  friction?: number;
  restitution?: number;
  categoryBits?: number;
  maskBits?: number;
}

function material(f: FixtureDef): [number, number, number, number, number] {
  return [f.density ?? 0, f.friction ?? 0.2, f.restitution ?? 0, f.categoryBits ?? 0x0001, f.maskBits ?? 0xffff];
}

/** A body's state as Box2D holds it, every field a float32 value. */
export interface BodyState {
  x: number;
  y: number;
  angle: number;
  vx: number;
  vy: number;
  angularVelocity: number;
  awake: boolean;
  /** Set by a contact that began with the ground, cleared when one ends (bodies made with `tracksGround`). */
  groundContact: boolean;
}

/** A rigid body in a World. */
export class Body {
  constructor(
    private readonly e: Exports,
    readonly ptr: Ptr,
  ) {}

  /** Adds a convex polygon (Box2D computes its hull and centroid, as `polygonShape(vertices=...)`). */
  polygon(vertices: ReadonlyArray<readonly [number, number]>, def: FixtureDef = {}): void {
    const s = scratch(this.e);
    vertices.forEach(([x, y], i) => {
      s[2 * i] = x;
      s[2 * i + 1] = y;
    });
    this.e.pb_fixture_polygon(this.ptr, vertices.length, ...material(def));
  }

  /** Adds a box of half-widths hx, hy (`polygonShape(box=(hx, hy))`). */
  box(hx: number, hy: number, def: FixtureDef = {}): void {
    this.e.pb_fixture_box(this.ptr, hx, hy, ...material(def));
  }

  /** Adds an edge from (x1, y1) to (x2, y2). */
  edge(x1: number, y1: number, x2: number, y2: number, def: FixtureDef = {}): void {
    this.e.pb_fixture_edge(this.ptr, x1, y1, x2, y2, ...material(def));
  }

  /** Adds a circle of the given radius centred at (x, y) in body coordinates. */
  circle(radius: number, x: number, y: number, def: FixtureDef = {}): void {
    this.e.pb_fixture_circle(this.ptr, radius, x, y, ...material(def));
  }

  applyForceToCenter(fx: number, fy: number, wake: boolean): void {
    this.e.pb_apply_force_to_center(this.ptr, fx, fy, wake ? 1 : 0);
  }

  applyLinearImpulse(ix: number, iy: number, px: number, py: number, wake: boolean): void {
    this.e.pb_apply_linear_impulse(this.ptr, ix, iy, px, py, wake ? 1 : 0);
  }

  applyTorque(torque: number, wake: boolean): void {
    this.e.pb_apply_torque(this.ptr, torque, wake ? 1 : 0);
  }

  /** Position, angle, velocities, awake and ground contact, read in one call. */
  state(): BodyState {
    this.e.pb_body_state(this.ptr);
    const s = scratch(this.e);
    return { x: s[0], y: s[1], angle: s[2], vx: s[3], vy: s[4], angularVelocity: s[5], awake: s[6] !== 0, groundContact: s[7] !== 0 };
  }
}

/** A revolute joint between two bodies. */
export class RevoluteJoint {
  constructor(
    private readonly e: Exports,
    readonly ptr: Ptr,
  ) {}

  /** [angle, speed]: body B's angle and angular velocity less body A's. */
  state(): [number, number] {
    this.e.pb_joint_state(this.ptr);
    const s = scratch(this.e);
    return [s[0], s[1]];
  }

  setMotor(motorSpeed: number, maxMotorTorque: number): void {
    this.e.pb_joint_set_motor(this.ptr, motorSpeed, maxMotorTorque);
  }
}

/** What `World.revolute` takes, as Box2D's b2RevoluteJointDef. */
export interface RevoluteJointDef {
  localAnchorA: readonly [number, number];
  localAnchorB: readonly [number, number];
  enableMotor?: boolean;
  enableLimit?: boolean;
  maxMotorTorque?: number;
  motorSpeed?: number;
  lowerAngle?: number;
  upperAngle?: number;
  /**
   * Body B's angle less body A's when the joint angle is zero. pybox2d sets it to the
   * bodies' angle difference when it is not given, so that is the default here too.
   */
  referenceAngle?: number;
}

/**
 * A Box2D world (b2World) with the contact listener Gymnasium's Box2D environments use:
 * a contact beginning on a body made with `endsEpisode` sets `gameOver`; bodies made with
 * `tracksGround` report whether their last contact began or ended.
 */
export class World {
  private readonly e: Exports;
  private ptr: Ptr;

  constructor(gravityX: number, gravityY: number) {
    this.e = engine();
    this.ptr = this.e.pb_world_create(gravityX, gravityY);
    unreachable.register(this, this.ptr, this);
  }

  get gameOver(): boolean {
    return this.e.pb_world_game_over(this.ptr) !== 0;
  }

  set gameOver(value: boolean) {
    this.e.pb_world_set_game_over(this.ptr, value ? 1 : 0);
  }

  /** A static (`dynamic` false) or dynamic body at (x, y) turned by `angle`. */
  body(dynamic: boolean, x: number, y: number, angle = 0, flags: { endsEpisode?: boolean; tracksGround?: boolean } = {}): Body {
    const ptr = this.e.pb_body_create(this.ptr, dynamic ? 2 : 0, x, y, angle, flags.endsEpisode ? 1 : 0, flags.tracksGround ? 1 : 0);
    return new Body(this.e, ptr);
  }

  destroyBody(body: Body): void {
    this.e.pb_body_destroy(this.ptr, body.ptr);
  }

  revolute(a: Body, b: Body, def: RevoluteJointDef): RevoluteJoint {
    const ptr = this.e.pb_revolute(
      this.ptr,
      a.ptr,
      b.ptr,
      def.localAnchorA[0],
      def.localAnchorA[1],
      def.localAnchorB[0],
      def.localAnchorB[1],
      def.enableMotor ? 1 : 0,
      def.enableLimit ? 1 : 0,
      def.maxMotorTorque ?? 0,
      def.motorSpeed ?? 0,
      def.lowerAngle ?? 0,
      def.upperAngle ?? 0,
      def.referenceAngle ?? b.state().angle - a.state().angle,
    );
    return new RevoluteJoint(this.e, ptr);
  }

  /** b2World::Step. */
  step(dt: number, velocityIterations: number, positionIterations: number): void {
    this.e.pb_world_step(this.ptr, dt, velocityIterations, positionIterations);
  }

  /**
   * Casts a ray and answers the fraction of the way to the nearest fixture whose category
   * includes the ground's bit (1 when none), and the hit point.
   */
  lidar(x1: number, y1: number, x2: number, y2: number): { fraction: number; x: number; y: number } {
    const fraction = this.e.pb_lidar(this.ptr, x1, y1, x2, y2);
    const s = scratch(this.e);
    return { fraction, x: fraction < 1 ? s[0] : x2, y: fraction < 1 ? s[1] : y2 };
  }

  /** Frees the world and everything in it; the object is unusable afterwards. */
  destroy(): void {
    if (this.ptr !== 0) this.e.pb_world_destroy(this.ptr);
    unreachable.unregister(this);
    this.ptr = 0;
  }
}
