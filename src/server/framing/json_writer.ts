/**
 * Writes canonical values as JSON text: typed arrays as lists, `NDArray`s nested
 * by their shape (`BoolArray`s as lists of booleans), and each non-finite number as the dialect spells it. Each
 * dialect's codec makes its own writer; none of them goes deeper than
 * `MAX_DEPTH` levels (deeper parts, which only an echoed client value can
 * have, are written as the string "...").
 */
import { BoolArray, NDArray } from '../../api/values';

/** Nesting depth past which a writer stops descending. */
export const MAX_DEPTH = 64;

/** Turns a canonical value into JSON text. */
export type JsonWriter = (value: unknown) => string;

/** A writer whose non-finite numbers are spelled by `nonFinite`. */
export function jsonWriter(nonFinite: (x: number) => string): JsonWriter {
  const num = (x: number): string => (x - x === 0 ? String(x) : nonFinite(x));

  const bool = (x: number): string => (x ? 'true' : 'false');

  const nd = (a: NDArray, depth: number): string => {
    const { data, shape } = a;
    const elem = data instanceof BoolArray ? bool : num;
    if (shape.length === 0) return elem(Number(data[0]));
    let offset = 0;
    // Row-major: the outer dimensions open and close lists, the last one holds numbers.
    const level = (d: number): string => {
      const n = shape[d];
      const parts = new Array<string>(n);
      if (d === shape.length - 1) {
        for (let i = 0; i < n; i++) parts[i] = elem(Number(data[offset++]));
      } else {
        for (let i = 0; i < n; i++) parts[i] = level(d + 1);
      }
      return `[${parts.join(',')}]`;
    };
    return depth + shape.length > MAX_DEPTH ? '"..."' : level(0);
  };

  const write = (x: unknown, depth: number): string => {
    switch (typeof x) {
      case 'number':
        return num(x);
      case 'string':
        return JSON.stringify(x);
      case 'boolean':
        return x ? 'true' : 'false';
      case 'bigint':
        return num(Number(x));
      case 'object':
        break;
      default:
        return 'null';
    }
    if (x === null) return 'null';
    if (depth >= MAX_DEPTH) return '"..."';
    if (ArrayBuffer.isView(x)) {
      if (x instanceof DataView) return '{}';
      if (x instanceof BoolArray) return nd(new NDArray(x, [x.length]), depth);
      const a = x as unknown as ArrayLike<number | bigint>;
      const n = a.length;
      if (n === 0) return '[]';
      let out = `[${num(Number(a[0]))}`;
      for (let i = 1; i < n; i++) out += `,${num(Number(a[i]))}`;
      return `${out}]`;
    }
    if (Array.isArray(x)) {
      const n = x.length;
      if (n === 0) return '[]';
      let out = `[${item(x[0], depth)}`;
      for (let i = 1; i < n; i++) out += `,${item(x[i], depth)}`;
      return `${out}]`;
    }
    if (x instanceof NDArray) return nd(x, depth);
    const o = x as Record<string, unknown> & { toJSON?: () => unknown };
    if (typeof o.toJSON === 'function') return write(o.toJSON(), depth);
    let out = '';
    for (const key of Object.keys(o)) {
      const v = o[key];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      out += `${out ? ',' : ''}${JSON.stringify(key)}:${write(v, depth + 1)}`;
    }
    return `{${out}}`;
  };

  // In a list, what JSON cannot hold becomes null, as JSON.stringify does.
  const item = (v: unknown, depth: number): string =>
    v === undefined || typeof v === 'function' || typeof v === 'symbol' ? 'null' : write(v, depth + 1);

  return (value) => write(value, 0);
}
