/** Gymnasium's `MultiDiscrete(nvec, start)`: integer arrays with element i in [start[i], start[i] + nvec[i]). */
import { flattenShaped, nestArray } from './box';
import { Space } from './space';

/** A nested list of counts (any depth), as numpy would take it. */
export type NestedInts = number | NestedInts[];

function shapeOf(value: NestedInts): number[] {
  const shape: number[] = [];
  let v: NestedInts = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

export class MultiDiscrete extends Space<Float64Array> {
  readonly shape: number[];
  /** Counts and starts, flat in row-major order. */
  readonly nvec: Float64Array;
  readonly start: Float64Array;
  readonly dtype = 'int64';

  /** `MultiDiscrete(nvec, start?)` with nvec and start as (nested) lists of the same shape. */
  constructor(nvec: NestedInts, start?: NestedInts) {
    super();
    this.shape = shapeOf(nvec);
    const flatN = flattenShaped(nvec, this.shape);
    if (typeof flatN === 'string') throw new RangeError(`MultiDiscrete nvec is ragged: ${flatN}`);
    this.nvec = Float64Array.from(flatN as number[]);
    if (start === undefined) this.start = new Float64Array(this.nvec.length);
    else {
      const flatS = flattenShaped(start, this.shape);
      if (typeof flatS === 'string') throw new RangeError(`start and nvec (counts) should have the same shape: ${flatS}`);
      this.start = Float64Array.from(flatS as number[]);
    }
    for (let i = 0; i < this.nvec.length; i++) {
      if (!Number.isSafeInteger(this.nvec[i]) || this.nvec[i] <= 0) throw new RangeError('nvec (counts) have to be positive integers');
      if (!Number.isSafeInteger(this.start[i])) throw new RangeError('start values have to be integers');
    }
  }

  /** Gymnasium's `(random(shape) * nvec).astype(int64) + start`. */
  sample(): Float64Array {
    const rng = this.np_random;
    const n = this.nvec.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.trunc(rng.random() * this.nvec[i]) + this.start[i];
    return out;
  }

  contains(x: unknown): boolean {
    let flat: ArrayLike<unknown>;
    if (ArrayBuffer.isView(x) && !(x instanceof DataView)) flat = x as unknown as ArrayLike<number>;
    else if (Array.isArray(x)) {
      const walked = flattenShaped(x, this.shape);
      if (typeof walked === 'string') return false;
      flat = walked;
    } else return false;
    if (flat.length !== this.nvec.length) return false;
    for (let i = 0; i < flat.length; i++) {
      const v = flat[i];
      if (typeof v !== 'number' || !Number.isInteger(v)) return false;
      if (v < this.start[i] || v > this.start[i] + this.nvec[i] - 1) return false;
    }
    return true;
  }

  private startIsZero(): boolean {
    return this.start.every((s) => s === 0);
  }

  toString(): string {
    const list = (a: Float64Array): string => JSON.stringify(nestArray(Array.from(a), this.shape)).replace(/,/g, ' ');
    return this.startIsZero() ? `MultiDiscrete(${list(this.nvec)})` : `MultiDiscrete(${list(this.nvec)}, start=${list(this.start)})`;
  }
}
