/**
 * Writes canonical values as JSON text: typed arrays as lists, `NDArray`s nested
 * by their shape, and each non-finite number as the dialect spells it. Each
 * dialect's codec makes its own writer; none of them goes deeper than
 * `MAX_DEPTH` levels (deeper parts, which only an echoed client value can
 * have, are written as the string "...").
 *
 * The value is first turned into plain JSON values (lists for typed arrays,
 * the dialect's stand-in for each non-finite number) and then written by one
 * `JSON.stringify` call: the engine writes numbers straight into its output,
 * where building the text in JavaScript would make a string per number (a
 * step reply took half as long again that way).
 */
import { NDArray } from '../../api/values';

/** Nesting depth past which a writer stops descending. */
export const MAX_DEPTH = 64;

/** Turns a canonical value into JSON text. */
export type JsonWriter = (value: unknown) => string;

/** What a dialect writes in place of a non-finite number: a JSON string or a finite number. */
export type NonFinite = (x: number) => string | number;

/** A writer whose non-finite numbers are written as `nonFinite` gives them. */
export function jsonWriter(nonFinite: NonFinite): JsonWriter {
  const num = (x: number): string | number => (x - x === 0 ? x : nonFinite(x));

  /** A typed array's elements as a list; integer arrays cannot hold a non-finite number. */
  const list = (a: ArrayLike<number | bigint>, float: boolean): unknown[] => {
    const n = a.length;
    const out = new Array<unknown>(n);
    if (typeof a[0] === 'bigint') for (let i = 0; i < n; i++) out[i] = num(Number(a[i]));
    else if (float) for (let i = 0; i < n; i++) out[i] = num(a[i] as number);
    else for (let i = 0; i < n; i++) out[i] = a[i];
    return out;
  };

  const nd = (a: NDArray, depth: number): unknown => {
    const { data, shape } = a;
    if (shape.length === 0) return num(Number(data[0]));
    if (depth + shape.length > MAX_DEPTH) return '...';
    let offset = 0;
    // Row-major: the outer dimensions are lists of lists, the last one holds numbers.
    const level = (d: number): unknown[] => {
      const n = shape[d];
      const out = new Array<unknown>(n);
      if (d === shape.length - 1) {
        for (let i = 0; i < n; i++) out[i] = num(Number(data[offset++]));
      } else {
        for (let i = 0; i < n; i++) out[i] = level(d + 1);
      }
      return out;
    };
    return level(0);
  };

  // What JSON cannot hold (undefined, functions, symbols) is passed on as it is:
  // JSON.stringify leaves it out of objects and writes null for it in lists.
  const plain = (x: unknown, depth: number): unknown => {
    switch (typeof x) {
      case 'number':
        return num(x);
      case 'bigint':
        return num(Number(x));
      case 'object':
        break;
      default:
        return x;
    }
    if (x === null) return null;
    if (depth >= MAX_DEPTH) return '...';
    if (ArrayBuffer.isView(x)) {
      if (x instanceof DataView) return {};
      return list(x as unknown as ArrayLike<number | bigint>, x instanceof Float32Array || x instanceof Float64Array);
    }
    if (Array.isArray(x)) {
      const n = x.length;
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) out[i] = plain(x[i], depth + 1);
      return out;
    }
    if (x instanceof NDArray) return nd(x, depth);
    const o = x as Record<string, unknown> & { toJSON?: () => unknown };
    if (typeof o.toJSON === 'function') return plain(o.toJSON(), depth);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(o)) out[key] = plain(o[key], depth + 1);
    return out;
  };

  return (value) => JSON.stringify(plain(value, 0)) ?? 'null';
}
