/**
 * Gymnasium's `gymnasium.spaces.utils`: `flatten_space` and `flatten`. A
 * space flattens to a 1-d Box; Discrete and MultiDiscrete values become
 * one-hot vectors, Tuple and Dict members are concatenated in order, and the
 * Box's dtype is numpy's `result_type` of the members'.
 */
import { ARRAYS, Box, BoxArray, BoxDtype } from './box';
import { Dict } from './dict';
import { Discrete } from './discrete';
import { MultiBinary } from './multi_binary';
import { MultiDiscrete } from './multi_discrete';
import type { Space } from './space';
import { Tuple } from './tuple';

const FLOAT_BITS: Partial<Record<BoxDtype, number>> = { float32: 32, float64: 64 };
const INT_BITS: Partial<Record<BoxDtype, [number, boolean]>> = {
  int8: [8, true],
  int16: [16, true],
  int32: [32, true],
  int64: [64, true],
  uint8: [8, false],
  uint16: [16, false],
  uint32: [32, false],
};

/** numpy's `result_type` over array dtypes (the promotions a flattened Tuple or Dict needs). */
export function resultType(dtypes: BoxDtype[]): BoxDtype {
  const floats = dtypes.filter((d) => FLOAT_BITS[d]);
  const ints = dtypes.filter((d) => INT_BITS[d]).map((d) => INT_BITS[d]!);
  let intBits = 0;
  let signed = false;
  let unsignedBits = 0;
  for (const [bits, s] of ints) {
    if (s) {
      signed = true;
      intBits = Math.max(intBits, bits);
    } else unsignedBits = Math.max(unsignedBits, bits);
  }
  // A signed and an unsigned integer need a signed type wider than the unsigned one.
  let needed = signed ? Math.max(intBits, unsignedBits > 0 ? Math.min(64, unsignedBits * 2) : 0) : unsignedBits;
  if (floats.length) {
    const widest = Math.max(...floats.map((d) => FLOAT_BITS[d]!));
    // float32 holds integers of up to 16 bits exactly; wider ones need float64.
    if (ints.length === 0) return widest === 64 ? 'float64' : 'float32';
    return widest === 64 || needed > 16 ? 'float64' : 'float32';
  }
  if (!signed) return (`uint${needed}` as BoxDtype) in ARRAYS ? (`uint${needed}` as BoxDtype) : 'int64';
  needed = [8, 16, 32, 64].find((b) => b >= needed)!;
  return `int${needed}` as BoxDtype;
}

/** The number of elements `flatten` gives for a value of `space`. */
export function flatdim(space: Space<unknown>): number {
  if (space instanceof Box) return space.size;
  if (space instanceof Discrete) return space.n;
  if (space instanceof MultiBinary) return space.shape.reduce((a, b) => a * b, 1);
  if (space instanceof MultiDiscrete) return space.nvec.reduce((a, b) => a + b, 0);
  if (space instanceof Tuple) return space.spaces.reduce((n, s) => n + flatdim(s), 0);
  if (space instanceof Dict) return space.keyList().reduce((n, k) => n + flatdim(space.spaces[k]), 0);
  throw new TypeError(`${space.toString()} cannot be flattened`);
}

function dtypeOf(space: Space<unknown>): BoxDtype {
  if (space instanceof Box) return space.dtype;
  if (space instanceof Discrete || space instanceof MultiDiscrete) return 'int64';
  if (space instanceof MultiBinary) return 'int8';
  if (space instanceof Tuple) return resultType(space.spaces.map(dtypeOf));
  if (space instanceof Dict) return resultType(space.keyList().map((k) => dtypeOf(space.spaces[k])));
  throw new TypeError(`${space.toString()} cannot be flattened`);
}

/** Bounds of the flattened space, written at `at` into `low`/`high`. */
function writeBounds(space: Space<unknown>, low: number[], high: number[]): void {
  if (space instanceof Box) {
    for (let i = 0; i < space.size; i++) {
      low.push(space.bounded_below[i] ? space.low[i] : -Infinity);
      high.push(space.bounded_above[i] ? space.high[i] : Infinity);
    }
  } else if (space instanceof Tuple) space.spaces.forEach((s) => writeBounds(s, low, high));
  else if (space instanceof Dict) space.keyList().forEach((k) => writeBounds(space.spaces[k], low, high));
  else {
    const n = flatdim(space);
    for (let i = 0; i < n; i++) {
      low.push(0);
      high.push(1);
    }
  }
}

/** Gymnasium's `flatten_space`: the 1-d Box that `flatten`'s values live in. */
export function flatten_space(space: Space<unknown>): Box {
  const low: number[] = [];
  const high: number[] = [];
  writeBounds(space, low, high);
  return new Box(low, high, [low.length], dtypeOf(space));
}

/** Writes `flatten(space, x)` into `out` from `at`; answers the next free index. */
function writeFlat(space: Space<unknown>, x: unknown, out: BoxArray, at: number): number {
  if (space instanceof Box) {
    const v = x as ArrayLike<number>;
    for (let i = 0; i < space.size; i++) out[at + i] = v[i];
    return at + space.size;
  }
  if (space instanceof Discrete) {
    out[at + Number(x) - space.start] = 1;
    return at + space.n;
  }
  if (space instanceof MultiBinary) {
    const v = x as ArrayLike<number>;
    for (let i = 0; i < v.length; i++) out[at + i] = v[i];
    return at + v.length;
  }
  if (space instanceof MultiDiscrete) {
    const v = x as ArrayLike<number>;
    let offset = at;
    for (let i = 0; i < space.nvec.length; i++) {
      out[offset + v[i] - space.start[i]] = 1;
      offset += space.nvec[i];
    }
    return offset;
  }
  if (space instanceof Tuple) return space.spaces.reduce((k, s, i) => writeFlat(s, (x as unknown[])[i], out, k), at);
  if (space instanceof Dict) return space.keyList().reduce((k, key) => writeFlat(space.spaces[key], (x as Record<string, unknown>)[key], out, k), at);
  throw new TypeError(`${space.toString()} cannot be flattened`);
}

/** Gymnasium's `flatten(space, x)`: the value as one 1-d array of `flatten_space(space)`'s dtype. */
export function flatten(space: Space<unknown>, x: unknown, dtype: BoxDtype = dtypeOf(space)): BoxArray {
  const out = new ARRAYS[dtype](flatdim(space));
  writeFlat(space, x, out, 0);
  return out;
}
