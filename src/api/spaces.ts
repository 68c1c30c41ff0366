/**
 * Spaces as the API shows them: a canonical description of each space, its
 * members as canonical values, and the one converter from a plain JSON-like
 * value (what any dialect decodes) to the space's in-process value. Every walk
 * here follows the space's own structure, never the depth of the client's value.
 */
import { Box, Dict, Discrete, MultiBinary, MultiDiscrete, NotInSpace, Space, Tuple, formatValue } from '../envs/spaces';
import type { BoxArray } from '../envs/spaces';
import type { SpaceDescription } from '../envs/spaces/space';
import { ARRAYS as BOX_ARRAYS, INT_RANGES, flattenShaped, reprNumber } from '../envs/spaces/box';
import { NDArray, isTypedArray, product } from './values';

/** A space described in Gymnasium's terms; bounds and counts are `NDArray`s, infinities are numbers. */
export type { SpaceDescription };

const described = new WeakMap<Space<unknown>, SpaceDescription>();

/** The canonical description of a space (cached: spaces do not change). */
export function describeSpace(space: Space<unknown>): SpaceDescription {
  let d = described.get(space);
  if (!d) {
    d = describeUncached(space);
    described.set(space, d);
  }
  return d;
}

function describeUncached(space: Space<unknown>): SpaceDescription {
  if (space instanceof Discrete) return { name: 'Discrete', n: space.n, start: space.start };
  if (space instanceof Box) {
    return { name: 'Box', shape: [...space.shape], dtype: space.dtype, low: new NDArray(space.low, space.shape), high: new NDArray(space.high, space.shape) };
  }
  if (space instanceof MultiBinary) return { name: 'MultiBinary', n: space.n, shape: [...space.shape], dtype: space.dtype };
  if (space instanceof MultiDiscrete) {
    return { name: 'MultiDiscrete', nvec: new NDArray(space.nvec, space.shape), start: new NDArray(space.start, space.shape), shape: [...space.shape], dtype: space.dtype };
  }
  if (space instanceof Tuple) return { name: 'Tuple', spaces: space.spaces.map(describeSpace) };
  if (space instanceof Dict) {
    const spaces: Record<string, SpaceDescription> = {};
    for (const k of space.keyList()) spaces[k] = describeSpace(space.spaces[k]);
    return { name: 'Dict', spaces };
  }
  return { name: space.constructor.name };
}

/**
 * A member of `space` as a canonical value: a 1-d typed array stays as it is
 * (the hot path), one of another shape becomes an `NDArray`, Tuple and Dict
 * members are converted per subspace (Dict keys in the space's order).
 */
export function canonicalValue(space: Space<unknown>, x: unknown): unknown {
  if (space instanceof Box || space instanceof MultiBinary || space instanceof MultiDiscrete) {
    if (space.shape.length === 1 || !isTypedArray(x) || x.length !== product(space.shape)) return x;
    return new NDArray(x, space.shape);
  }
  if (space instanceof Tuple) {
    if (!Array.isArray(x) || x.length !== space.spaces.length) return x;
    return space.spaces.map((s, i) => canonicalValue(s, x[i]));
  }
  if (space instanceof Dict) {
    if (x === null || typeof x !== 'object' || Array.isArray(x) || isTypedArray(x)) return x;
    const obj = x as Record<string, unknown>;
    const keys = space.keyList();
    if (Object.keys(obj).length !== keys.length || !keys.every((k) => Object.prototype.hasOwnProperty.call(obj, k))) return x;
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = canonicalValue(space.spaces[k], obj[k]);
    return out;
  }
  return x;
}

/** How strictly `fromPlainValue` reads a value. */
export interface ReadOptions {
  /**
   * Whether a Box value must lie within the bounds. Gymnasium's environments
   * clip an out-of-range Box action themselves, so actions are read with
   * `false`: shape, type and finiteness are checked, range is the environment's.
   */
  boxRange?: boolean;
  /**
   * Whether a float32 Box value keeps the float64 numbers sent (a Float64Array) instead of
   * their float32 rounding: for environments that, like Gymnasium's LunarLander, compute
   * with the action as the client gave it (`EnvMetadata.float64_actions`).
   */
  float64?: boolean;
}

/** Reads a number, accepting the spellings of non-finite numbers that JSON dialects use. */
export function readNumber(x: unknown): number | undefined {
  if (typeof x === 'number') return x;
  if (x === 'Infinity' || x === 'inf') return Infinity;
  if (x === '-Infinity' || x === '-inf') return -Infinity;
  if (x === 'NaN' || x === 'nan') return NaN;
  return undefined;
}

/** A short name for the type of a plain value, for messages. */
export function formatType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v).slice(0, 40)}`;
  return `a ${typeof v}`;
}

function readBox(space: Box, value: unknown, boxRange: boolean, float64 = false): BoxArray {
  const flat = flattenShaped(value, space.shape);
  if (typeof flat === 'string') throw new NotInSpace(value, space, flat);
  const { dtype, low, high } = space;
  const isFloat = dtype === 'float32' || dtype === 'float64';
  const keep = float64 && dtype === 'float32';
  const out = keep ? new Float64Array(space.size) : new BOX_ARRAYS[dtype](space.size);
  for (let i = 0; i < space.size; i++) {
    const v = readNumber(flat[i]);
    if (v === undefined) throw new NotInSpace(value, space, `element ${i} is ${formatType(flat[i])}, expected a number`);
    if (Number.isNaN(v)) throw new NotInSpace(value, space, `element ${i} is NaN`);
    if (!isFloat && !Number.isInteger(v)) throw new NotInSpace(value, space, `element ${i} (${v}) is not an integer (${dtype})`);
    const cast = dtype === 'float32' && !keep ? Math.fround(v) : v;
    const inBounds = cast >= low[i] && cast <= high[i];
    if (!inBounds) {
      const range = `[${reprNumber(low[i], dtype)}, ${reprNumber(high[i], dtype)}]`;
      if (boxRange) throw new NotInSpace(value, space, `element ${i} (${v}) is outside ${range}`);
      if (!Number.isFinite(cast)) throw new NotInSpace(value, space, `element ${i} (${v}) is not finite`);
      // An integer typed array would wrap a value beyond its dtype: that is a wrong type, not a range for the env to clip.
      const dtypeRange = INT_RANGES[dtype];
      if (dtypeRange && (v < dtypeRange[0] || v > dtypeRange[1])) throw new NotInSpace(value, space, `element ${i} (${v}) does not fit ${dtype}`);
    }
    out[i] = cast;
  }
  return out;
}

function readDiscrete(space: Discrete, value: unknown): number {
  if (typeof value !== 'number') throw new NotInSpace(value, space, `expected an integer, got ${formatType(value)}`);
  if (Number.isNaN(value)) throw new NotInSpace(value, space, 'NaN is not an integer');
  if (!Number.isInteger(value)) throw new NotInSpace(value, space, 'expected an integer');
  if (!space.contains(value)) throw new NotInSpace(value, space, `expected ${space.start} to ${space.start + space.n - 1}`);
  return value;
}

function readMultiBinary(space: MultiBinary, value: unknown): Int8Array {
  const flat = flattenShaped(value, space.shape);
  if (typeof flat === 'string') throw new NotInSpace(value, space, flat);
  const out = new Int8Array(space.size);
  for (let i = 0; i < space.size; i++) {
    const v = flat[i];
    if (typeof v !== 'number') throw new NotInSpace(value, space, `element ${i} is ${formatType(v)}, expected 0 or 1`);
    if (v !== 0 && v !== 1) throw new NotInSpace(value, space, `element ${i} (${v}) is not 0 or 1`);
    out[i] = v;
  }
  return out;
}

function readMultiDiscrete(space: MultiDiscrete, value: unknown): Float64Array {
  const flat = flattenShaped(value, space.shape);
  if (typeof flat === 'string') throw new NotInSpace(value, space, flat);
  const out = new Float64Array(flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v !== 'number') throw new NotInSpace(value, space, `element ${i} is ${formatType(v)}, expected an integer`);
    if (!Number.isInteger(v)) throw new NotInSpace(value, space, `element ${i} (${v}) is not an integer`);
    const lo = space.start[i];
    const hi = lo + space.nvec[i] - 1;
    if (v < lo || v > hi) throw new NotInSpace(value, space, `element ${i} (${v}) is outside ${lo} to ${hi}`);
    out[i] = v;
  }
  return out;
}

/** The reason part of a NotInSpace message, to nest it in a parent's message. */
function reasonOf(err: NotInSpace): string {
  return err.reason ? `: ${err.reason}` : '';
}

function readTuple(space: Tuple, value: unknown, options: ReadOptions): unknown[] {
  const n = space.spaces.length;
  if (!Array.isArray(value)) throw new NotInSpace(value, space, `expected a list of ${n} values`);
  if (value.length !== n) throw new NotInSpace(value, space, `expected ${n} values, got ${value.length}`);
  return space.spaces.map((s, i) => {
    try {
      return fromPlainValue(s, value[i], options);
    } catch (err) {
      if (!(err instanceof NotInSpace)) throw err;
      throw new NotInSpace(value, space, `element ${i}: ${formatValue(value[i])} is not in ${s.toString()}${reasonOf(err)}`);
    }
  });
}

function readDict(space: Dict, value: unknown, options: ReadOptions): Record<string, unknown> {
  const keys = space.keyList();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new NotInSpace(value, space, `expected an object with keys ${keys.join(', ')}`);
  }
  const obj = value as Record<string, unknown>;
  const missing = keys.filter((k) => !Object.prototype.hasOwnProperty.call(obj, k));
  if (missing.length) throw new NotInSpace(value, space, `missing key(s) ${missing.join(', ')}`);
  const extra = Object.keys(obj).filter((k) => !Object.prototype.hasOwnProperty.call(space.spaces, k));
  if (extra.length) throw new NotInSpace(value, space, `unknown key(s) ${extra.join(', ')}`);
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    try {
      out[k] = fromPlainValue(space.spaces[k], obj[k], options);
    } catch (err) {
      if (!(err instanceof NotInSpace)) throw err;
      throw new NotInSpace(value, space, `key ${JSON.stringify(k)}: ${formatValue(obj[k])} is not in ${space.spaces[k].toString()}${reasonOf(err)}`);
    }
  }
  return out;
}

/**
 * Reads a member of `space` from a plain JSON-like value (nested lists of
 * numbers, objects; non-finite numbers also as `"Infinity"`-style strings),
 * giving the in-process value (a `Float32Array` for a float32 Box, ...).
 * Throws NotInSpace, naming the space and the value, when it is not one.
 */
export function fromPlainValue(space: Space<unknown>, value: unknown, options: ReadOptions = {}): unknown {
  if (space instanceof Box) return readBox(space, value, options.boxRange ?? true, options.float64 ?? false);
  if (space instanceof Discrete) return readDiscrete(space, value);
  if (space instanceof MultiBinary) return readMultiBinary(space, value);
  if (space instanceof MultiDiscrete) return readMultiDiscrete(space, value);
  if (space instanceof Tuple) return readTuple(space, value, options);
  if (space instanceof Dict) return readDict(space, value, options);
  // A user's own space: it judges its members itself.
  if (!space.contains(value)) throw new NotInSpace(value, space);
  return value;
}
