/**
 * JSON as gym-http-api's Flask server wrote it, read by Python's `json`:
 * a float stays a float (`1.0`, not `1`, so `type(reward) == float` holds
 * in a Python client), and every number is valid JSON. Infinities become
 * ±3.4028234663852886e38 (float32's largest value, what old gym's CartPole
 * had as its bounds and what Palestra's Gymie framing sends): typed clients
 * (Go's `[]float64`, C++'s `asFloat()`, Rust's `as_f64()`) read it as a
 * number where the string "Infinity" would break them. NaN becomes 0, as
 * in the Gymie framing.
 */
import { NDArray } from '../api/values';
import { pythonFloatRepr } from '../server/framing/python_repr';

/** float32's largest finite value: what an infinity is sent as. */
export const FLOAT32_MAX = 3.4028234663852886e38;

// Nesting depth past which the walks here stop (deeper parts are written as "...").
const MAX_DEPTH = 64;

/** A number as valid JSON: infinities as float32's extremes, NaN as 0. */
export function finite(x: number): number {
  if (Number.isFinite(x)) return x;
  return Number.isNaN(x) ? 0 : x > 0 ? FLOAT32_MAX : -FLOAT32_MAX;
}

/** A number that Python should read back as a float. */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** Marks every number in a (nested) list as a float; other values pass through. */
export function floats(value: unknown, depth = 0): unknown {
  if (typeof value === 'number') return new PyFloat(value);
  if (depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v) => floats(v, depth + 1));
  if (value instanceof NDArray) return floats(nested(value), depth);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, (v) => new PyFloat(v));
  return value;
}

/** An NDArray as nested lists of numbers (a number for shape []). */
function nested(a: NDArray): unknown {
  if (a.shape.length === 0) return a.data[0];
  let out: unknown[] = Array.from(a.data);
  for (let d = a.shape.length - 1; d > 0; d--) {
    const width = a.shape[d];
    const next: unknown[] = [];
    for (let i = 0; i < out.length; i += width) next.push(out.slice(i, i + width));
    out = next;
  }
  return out;
}

/** The same value with the float marks taken off (for comparing and storing). */
export function unmarked(value: unknown, depth = 0): unknown {
  if (value instanceof PyFloat) return value.value;
  if (depth >= MAX_DEPTH) return value;
  if (value instanceof NDArray) return nested(value);
  if (Array.isArray(value)) return value.map((v) => unmarked(v, depth + 1));
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    const out: Record<string, unknown> = {};
    for (const key in value) out[key] = unmarked((value as Record<string, unknown>)[key], depth + 1);
    return out;
  }
  return value;
}

function numberText(x: number, float: boolean): string {
  const v = finite(x);
  // Flask's json writes a float as Python's repr (`1.0`, `1e+20`, `1e-05`), where JavaScript would
  // write `1`, `100000000000000000000` and `0.00001`; whole numbers not marked as floats stay integers.
  return float || !Number.isInteger(v) ? pythonFloatRepr(v) : String(v);
}

/** Writes `value` as JSON text, floats as floats and every number finite. */
export function pyJSON(value: unknown, depth = 0): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return numberText(value, false);
  if (value instanceof PyFloat) return numberText(value.value, true);
  if (typeof value === 'bigint') return numberText(Number(value), false);
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (depth >= MAX_DEPTH) return '"..."';
  if (value instanceof NDArray) return pyJSON(nested(value), depth);
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined || typeof v === 'function' ? 'null' : pyJSON(v, depth + 1))).join(',')}]`;
  if (ArrayBuffer.isView(value)) {
    const float = value instanceof Float32Array || value instanceof Float64Array;
    return `[${Array.from(value as unknown as ArrayLike<number>, (v) => numberText(v, float)).join(',')}]`;
  }
  if (typeof value === 'object') {
    const parts: string[] = [];
    for (const key in value) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined || typeof v === 'function') continue;
      parts.push(`${JSON.stringify(key)}:${pyJSON(v, depth + 1)}`);
    }
    return `{${parts.join(',')}}`;
  }
  return 'null';
}
