/** Gymnasium's `MultiDiscrete(nvec, start)`: integer arrays with element i in [start[i], start[i] + nvec[i]). */
import { flattenShaped, formatType, nestArray } from './box';
import { NotInSpace, Space, SpaceDescription } from './space';

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

  describe(): SpaceDescription {
    return {
      name: 'MultiDiscrete',
      nvec: nestArray(Array.from(this.nvec), this.shape),
      start: nestArray(Array.from(this.start), this.shape),
      shape: this.shape,
      dtype: this.dtype,
    };
  }

  /** Gymie sends only the name for MultiDiscrete; the counts are added so a client can use it. */
  describeGymie(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: 'MultiDiscrete', nvec: nestArray(Array.from(this.nvec), this.shape), shape: this.shape };
    if (!this.startIsZero()) out.start = nestArray(Array.from(this.start), this.shape);
    return out;
  }

  toJSONValue(x: Float64Array): unknown {
    return nestArray(Array.from(x), this.shape);
  }

  fromJSONValue(value: unknown): Float64Array {
    const flat = flattenShaped(value, this.shape);
    if (typeof flat === 'string') throw new NotInSpace(value, this, flat);
    const out = new Float64Array(flat.length);
    for (let i = 0; i < flat.length; i++) {
      const v = flat[i];
      if (typeof v !== 'number') throw new NotInSpace(value, this, `element ${i} is ${formatType(v)}, expected an integer`);
      if (!Number.isInteger(v)) throw new NotInSpace(value, this, `element ${i} (${v}) is not an integer`);
      const lo = this.start[i];
      const hi = lo + this.nvec[i] - 1;
      if (v < lo || v > hi) throw new NotInSpace(value, this, `element ${i} (${v}) is outside ${lo} to ${hi}`);
      out[i] = v;
    }
    return out;
  }

  toString(): string {
    const list = (a: Float64Array): string => JSON.stringify(nestArray(Array.from(a), this.shape)).replace(/,/g, ' ');
    return this.startIsZero() ? `MultiDiscrete(${list(this.nvec)})` : `MultiDiscrete(${list(this.nvec)}, start=${list(this.start)})`;
  }
}
