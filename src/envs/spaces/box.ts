/** Gymnasium's `Box`: a (possibly unbounded) box in R^shape with a numpy dtype. */
import { NotInSpace, Space, SpaceDescription } from './space';

/** The numpy dtypes a Box can have. */
export type BoxDtype = 'float32' | 'float64' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32';

/** The typed array that holds one Box value (int64 values are kept in a Float64Array). */
export type BoxArray = Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;

const ARRAYS: Record<BoxDtype, new (n: number) => BoxArray> = {
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

const INT_RANGES: Partial<Record<BoxDtype, [number, number]>> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
};

/** float32's largest finite value: old gym's stand-in for infinity on the Gymie wire. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** A JSON-safe number: infinities and NaN become strings (JSON-RPC) or float32's extremes (Gymie). */
export function jsonNumber(x: number, gymie = false): number | string {
  if (Number.isFinite(x)) return x;
  if (gymie) return Number.isNaN(x) ? 0 : x > 0 ? FLOAT32_MAX : -FLOAT32_MAX;
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

/** Reads a number sent as JSON, accepting the string forms `jsonNumber` writes. */
export function parseJSONNumber(x: unknown): number | undefined {
  if (typeof x === 'number') return x;
  if (x === 'Infinity' || x === 'inf') return Infinity;
  if (x === '-Infinity' || x === '-inf') return -Infinity;
  if (x === 'NaN' || x === 'nan') return NaN;
  return undefined;
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export class Box extends Space<BoxArray> {
  readonly shape: number[];
  readonly size: number;
  readonly low: BoxArray;
  readonly high: BoxArray;
  private readonly isFloat: boolean;

  /**
   * `Box(low, high, shape?, dtype)`: scalar bounds are broadcast to `shape`;
   * array bounds are given flat, in row-major order. Bounds are cast to the dtype.
   */
  constructor(
    low: number | ArrayLike<number>,
    high: number | ArrayLike<number>,
    shape?: readonly number[],
    readonly dtype: BoxDtype = 'float32',
  ) {
    super();
    const given = typeof low === 'number' ? (typeof high === 'number' ? undefined : high.length) : low.length;
    this.shape = shape ? [...shape] : [given ?? 1];
    if (!shape && given === undefined) throw new RangeError('Box needs a shape when both bounds are scalars');
    this.size = product(this.shape);
    this.isFloat = dtype === 'float32' || dtype === 'float64';
    this.low = this.cast(low, 'low');
    this.high = this.cast(high, 'high');
    for (let i = 0; i < this.size; i++) {
      if (this.low[i] > this.high[i]) throw new RangeError(`Box low[${i}] > high[${i}]`);
    }
  }

  private cast(bound: number | ArrayLike<number>, which: string): BoxArray {
    const out = new ARRAYS[this.dtype](this.size);
    if (typeof bound !== 'number' && bound.length !== this.size) {
      throw new RangeError(`Box ${which} has ${bound.length} values for shape [${this.shape}]`);
    }
    const range = INT_RANGES[this.dtype];
    for (let i = 0; i < this.size; i++) {
      let v = typeof bound === 'number' ? bound : bound[i];
      // Integer boxes clip infinite bounds to the dtype's range, as Gymnasium does.
      if (range) v = Math.min(Math.max(v, range[0]), range[1]);
      out[i] = v;
    }
    return out;
  }

  /** Dims bounded below and above, as Gymnasium's `bounded_below`/`bounded_above`. */
  get boundedBelow(): boolean[] {
    return Array.from(this.low, (v) => v > -Infinity);
  }

  get boundedAbove(): boolean[] {
    return Array.from(this.high, (v) => v < Infinity);
  }

  /** Gymnasium's `Box.sample`, numpy-exact for bounded dimensions. */
  sample(): BoxArray {
    const out = new ARRAYS[this.dtype](this.size);
    const rng = this.np_random;
    for (let i = 0; i < this.size; i++) {
      if (!(this.low[i] > -Infinity) || !(this.high[i] < Infinity)) {
        throw new RangeError('sampling an unbounded Box dimension is not supported yet');
      }
    }
    for (let i = 0; i < this.size; i++) {
      const high = this.isFloat ? this.high[i] : this.high[i] + 1;
      const x = rng.uniform(this.low[i], high);
      out[i] = this.isFloat ? x : Math.floor(x);
    }
    return out;
  }

  contains(x: unknown): boolean {
    if (!ArrayBuffer.isView(x) || (x as BoxArray).length !== this.size) return false;
    const arr = x as BoxArray;
    for (let i = 0; i < this.size; i++) {
      if (!(arr[i] >= this.low[i] && arr[i] <= this.high[i])) return false;
    }
    return true;
  }

  private nest(flat: ArrayLike<number>, gymie: boolean): unknown {
    const values = Array.from(flat, (v) => jsonNumber(v, gymie));
    if (this.shape.length === 0) return values[0];
    let nested: unknown[] = values;
    for (let d = this.shape.length - 1; d > 0; d--) {
      const width = this.shape[d];
      const next: unknown[] = [];
      for (let i = 0; i < nested.length; i += width) next.push(nested.slice(i, i + width));
      nested = next;
    }
    return nested;
  }

  describe(): SpaceDescription {
    return { name: 'Box', shape: this.shape, dtype: this.dtype, low: this.nest(this.low, false), high: this.nest(this.high, false) };
  }

  describeGymie(): Record<string, unknown> {
    return { name: 'Box', shape: this.shape, low: this.nest(this.low, true), high: this.nest(this.high, true) };
  }

  toJSONValue(x: BoxArray, gymie = false): unknown {
    if (this.shape.length === 1) {
      const out = new Array<number | string>(x.length);
      for (let i = 0; i < x.length; i++) {
        const v = x[i];
        out[i] = Number.isFinite(v) ? v : jsonNumber(v, gymie);
      }
      return out;
    }
    return this.nest(x, gymie);
  }

  fromJSONValue(value: unknown): BoxArray {
    const flat: unknown[] = [];
    if (typeof value === 'number' && this.size === 1) {
      flat.push(value);
    } else {
      const walk = (v: unknown, depth: number): void => {
        if (depth === this.shape.length) {
          flat.push(v);
          return;
        }
        if (!Array.isArray(v) || v.length !== this.shape[depth]) {
          throw new NotInSpace(value, this, `expected shape [${this.shape}]`);
        }
        for (const item of v) walk(item, depth + 1);
      };
      walk(value, 0);
    }
    const out = new ARRAYS[this.dtype](this.size);
    for (let i = 0; i < this.size; i++) {
      const v = parseJSONNumber(flat[i]);
      if (v === undefined) throw new NotInSpace(value, this, 'expected numbers');
      if (Number.isNaN(v)) throw new NotInSpace(value, this, 'NaN is not a member');
      if (!this.isFloat && !Number.isInteger(v)) throw new NotInSpace(value, this, `expected integers (${this.dtype})`);
      out[i] = v;
      if (!(out[i] >= this.low[i] && out[i] <= this.high[i])) {
        throw new NotInSpace(value, this, `element ${i} (${v}) is outside [${this.low[i]}, ${this.high[i]}]`);
      }
    }
    return out;
  }

  toString(): string {
    const bound = (b: BoxArray): string => {
      const first = b[0];
      return b.every((v) => v === first) ? String(first).replace('Infinity', 'inf') : `[${Array.from(b).join(' ')}]`;
    };
    return `Box(${bound(this.low)}, ${bound(this.high)}, (${this.shape.join(', ')}${this.shape.length === 1 ? ',' : ''}), ${this.dtype})`;
  }
}
