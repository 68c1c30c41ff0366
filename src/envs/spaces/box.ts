/** Gymnasium's `Box`: a (possibly unbounded) box in R^shape with a numpy dtype. */
import { Space } from './space';

/** The numpy dtypes a Box can have. */
export type BoxDtype = 'float32' | 'float64' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32';

/** The typed array that holds one Box value (int64 values are kept in a Float64Array). */
export type BoxArray = Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;

/** The typed array that holds each dtype's values (int64 as float64, as JavaScript numbers can). */
export const ARRAYS: Record<BoxDtype, new (n: number) => BoxArray> = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  int64: Float64Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
};

/** Each integer dtype's range; int64 is held in doubles, so its usable range is that of safe integers. */
export const INT_RANGES: Partial<Record<BoxDtype, [number, number]>> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
};

/** The number of elements of an array of this shape. */
export function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Row-major nesting of a flat list into `shape` (a scalar for shape []). */
export function nestArray<T>(flat: readonly T[], shape: readonly number[]): unknown {
  if (shape.length === 0) return flat[0];
  let nested: unknown[] = flat as unknown[];
  for (let d = shape.length - 1; d > 0; d--) {
    const width = shape[d];
    const next: unknown[] = [];
    for (let i = 0; i < nested.length; i += width) next.push(nested.slice(i, i + width));
    nested = next;
  }
  return nested;
}

/**
 * Flattens a nested array of exactly `shape` in row-major order, or returns a
 * reason why it has another shape. A bare scalar stands for a one-element array.
 */
export function flattenShaped(value: unknown, shape: readonly number[]): unknown[] | string {
  const flat: unknown[] = [];
  if (!Array.isArray(value) && product(shape) === 1 && shape.length <= 1) return [value];
  let problem: string | null = null;
  const walk = (v: unknown, depth: number): void => {
    if (problem) return;
    if (depth === shape.length) {
      if (Array.isArray(v)) problem = `expected shape [${shape}], got a deeper array`;
      else flat.push(v);
      return;
    }
    if (!Array.isArray(v)) {
      problem = `expected shape [${shape}], got ${v === null ? 'null' : typeof v} at depth ${depth}`;
      return;
    }
    if (v.length !== shape[depth]) {
      problem = `expected shape [${shape}], got length ${v.length} at depth ${depth}`;
      return;
    }
    for (const item of v) walk(item, depth + 1);
  };
  walk(value, 0);
  return problem ?? flat;
}

/** A number as numpy prints a scalar of this dtype, for Gymnasium's repr of a Box. */
export function reprNumber(v: number, dtype: string): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (!dtype.startsWith('float')) return String(v);
  let text = String(v);
  if (dtype === 'float32') {
    for (let p = 1; p <= 9; p++) {
      const candidate = Number(v.toPrecision(p));
      if (Math.fround(candidate) === v) {
        text = String(candidate);
        break;
      }
    }
  }
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/** A bound as Gymnasium's repr shows it: one number when all are equal, else the list. */
function boundRepr(b: BoxArray, dtype: BoxDtype): string {
  const first = b[0];
  if (b.length > 0 && b.every((v) => v === first)) return reprNumber(first, dtype);
  return `[${Array.from(b, (v) => reprNumber(v, dtype)).join(' ')}]`;
}

/** A Box whose values are typed arrays of type `T` (pick the one that matches `dtype`, e.g. `Box<Float32Array>`). */
export class Box<T extends BoxArray = BoxArray> extends Space<T> {
  readonly shape: number[];
  readonly size: number;
  readonly low: BoxArray;
  readonly high: BoxArray;
  /** Per element: whether the interval is bounded below / above (Gymnasium's names). */
  readonly bounded_below: boolean[];
  readonly bounded_above: boolean[];
  private readonly isFloat: boolean;
  // Indices of each kind of interval, in the order Box.sample draws them.
  private readonly unboundedIdx: number[] = [];
  private readonly lowBoundedIdx: number[] = [];
  private readonly uppBoundedIdx: number[] = [];
  private readonly boundedIdx: number[] = [];
  /** The upper bound sampling uses: `high` for floats, `high + 1` for integers (as int64). */
  private readonly sampleHigh: Float64Array;

  /**
   * `Box(low, high, shape?, dtype)`: scalar bounds are broadcast to `shape`;
   * array bounds are given flat, in row-major order. Bounds are cast to the dtype;
   * an infinite bound of a signed integer Box becomes the dtype's extreme, as in Gymnasium.
   */
  constructor(
    low: number | ArrayLike<number>,
    high: number | ArrayLike<number>,
    shape?: readonly number[],
    readonly dtype: BoxDtype = 'float32',
  ) {
    super();
    if (!(dtype in ARRAYS)) throw new RangeError(`Invalid Box dtype (${String(dtype)})`);
    const given = typeof low === 'number' ? (typeof high === 'number' ? undefined : high.length) : low.length;
    if (!shape && given === undefined) throw new RangeError('Box needs a shape when both bounds are scalars');
    this.shape = shape ? [...shape] : [given!];
    if (!this.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new RangeError(`Box shape must be non-negative integers, got [${this.shape}]`);
    }
    this.size = product(this.shape);
    this.isFloat = dtype === 'float32' || dtype === 'float64';
    this.bounded_below = new Array<boolean>(this.size);
    this.bounded_above = new Array<boolean>(this.size);
    this.low = this.cast(low, 'low', this.bounded_below);
    this.high = this.cast(high, 'high', this.bounded_above);
    this.sampleHigh = new Float64Array(this.size);
    for (let i = 0; i < this.size; i++) {
      if (this.low[i] > this.high[i]) {
        throw new RangeError(`Box all low values must be less than or equal to high, low[${i}]=${this.low[i]} > high[${i}]=${this.high[i]}`);
      }
      this.sampleHigh[i] = this.isFloat ? this.high[i] : this.high[i] + 1;
      const below = this.bounded_below[i];
      const above = this.bounded_above[i];
      if (!below && !above) this.unboundedIdx.push(i);
      else if (below && !above) this.lowBoundedIdx.push(i);
      else if (!below && above) this.uppBoundedIdx.push(i);
      else this.boundedIdx.push(i);
    }
  }

  private cast(bound: number | ArrayLike<number>, which: 'low' | 'high', bounded: boolean[]): BoxArray {
    const out = new ARRAYS[this.dtype](this.size);
    if (typeof bound !== 'number' && bound.length !== this.size) {
      throw new RangeError(`Box ${which} has ${bound.length} values for shape [${this.shape}]`);
    }
    const range = INT_RANGES[this.dtype];
    const infinite = which === 'low' ? -Infinity : Infinity;
    for (let i = 0; i < this.size; i++) {
      let v = typeof bound === 'number' ? bound : bound[i];
      if (typeof v !== 'number' || Number.isNaN(v)) throw new RangeError(`No ${which} value can be NaN`);
      bounded[i] = v !== infinite;
      if (range) {
        if (v === infinite) {
          if (this.dtype.startsWith('uint')) throw new RangeError(`Box unsigned int dtype don't support ${v}`);
          v = which === 'low' ? range[0] : range[1];
        } else if (v < range[0] || v > range[1]) {
          throw new RangeError(`Box ${which} is out of bounds of the dtype range, ${which}=${v}, dtype=${this.dtype}`);
        }
      }
      out[i] = v;
    }
    return out;
  }

  /** Gymnasium's `is_bounded(manner)`. */
  is_bounded(manner: 'both' | 'below' | 'above' = 'both'): boolean {
    const below = this.bounded_below.every(Boolean);
    const above = this.bounded_above.every(Boolean);
    if (manner === 'below') return below;
    if (manner === 'above') return above;
    return below && above;
  }

  /**
   * Gymnasium's `Box.sample`, numpy-exact: normal draws for unbounded elements, then
   * exponential ones shifted by `low` for those bounded below only, then negated ones
   * shifted by `high` for those bounded above only, then uniform for bounded ones;
   * integer dtypes take the floor of a draw over [low, high + 1) and are clipped.
   */
  sample(): T {
    const rng = this.np_random;
    const out = new ARRAYS[this.dtype](this.size) as T;
    if (this.isFloat && this.boundedIdx.length === this.size) {
      // The common case: every element bounded, no floor or clip needed.
      const low = this.low;
      const high = this.sampleHigh;
      for (let i = 0; i < this.size; i++) {
        if (!Number.isFinite(high[i] - low[i])) throw new RangeError('Range exceeds valid bounds');
      }
      for (let i = 0; i < this.size; i++) out[i] = rng.uniform(low[i], high[i]);
      return out;
    }
    const draw = new Float64Array(this.size);
    // normal(loc=0, scale=1) and exponential(scale=1) compute loc + scale * x and scale * x.
    for (const i of this.unboundedIdx) draw[i] = 0.0 + 1.0 * rng.standard_normal();
    for (const i of this.lowBoundedIdx) draw[i] = 1.0 * rng.standard_exponential() + this.low[i];
    for (const i of this.uppBoundedIdx) draw[i] = -(1.0 * rng.standard_exponential()) + this.sampleHigh[i];
    for (const i of this.boundedIdx) {
      if (!Number.isFinite(this.sampleHigh[i] - this.low[i])) throw new RangeError('Range exceeds valid bounds');
    }
    for (const i of this.boundedIdx) draw[i] = rng.uniform(this.low[i], this.sampleHigh[i]);
    const range = INT_RANGES[this.dtype];
    for (let i = 0; i < this.size; i++) {
      let v = draw[i];
      if (range) v = Math.min(Math.max(Math.floor(v), range[0]), range[1]);
      out[i] = v;
    }
    return out;
  }

  /** Whether `x` is a value of this Box: a typed array or (nested) number array of its shape, in bounds. */
  contains(x: unknown): boolean {
    let flat: ArrayLike<unknown>;
    if (ArrayBuffer.isView(x)) {
      if ((x as BoxArray).length !== this.size || x instanceof DataView) return false;
      flat = x as BoxArray;
    } else if (Array.isArray(x)) {
      const walked = flattenShaped(x, this.shape);
      if (typeof walked === 'string') return false;
      flat = walked;
    } else {
      return false;
    }
    for (let i = 0; i < this.size; i++) {
      const v = flat[i];
      if (typeof v !== 'number' && typeof v !== 'bigint') return false;
      const n = Number(v);
      if (!this.isFloat && !Number.isInteger(n)) return false;
      if (!(n >= this.low[i] && n <= this.high[i])) return false;
    }
    return true;
  }

  toString(): string {
    const shape = `(${this.shape.join(', ')}${this.shape.length === 1 ? ',' : ''})`;
    return `Box(${boundRepr(this.low, this.dtype)}, ${boundRepr(this.high, this.dtype)}, ${shape}, ${this.dtype})`;
  }
}

