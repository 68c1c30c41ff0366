/** Gymnasium's `MultiBinary(n)`: arrays of 0s and 1s of shape `n` (an int or a shape), dtype int8. */
import { flattenShaped, product } from './box';
import { Space } from './space';

export class MultiBinary extends Space<Int8Array> {
  /** As given: a count, or a shape. */
  readonly n: number | number[];
  readonly shape: number[];
  readonly size: number;
  readonly dtype = 'int8';

  constructor(n: number | readonly number[]) {
    super();
    this.shape = typeof n === 'number' ? [n] : [...n];
    if (!this.shape.every((d) => Number.isSafeInteger(d) && d > 0)) {
      throw new RangeError(`MultiBinary n (counts) have to be positive integers, got ${JSON.stringify(n)}`);
    }
    this.n = typeof n === 'number' ? n : [...n];
    this.size = product(this.shape);
  }

  /** `integers(0, 2, size=n, dtype=int8)`: numpy slices each uint32 into four bytes. */
  sample(): Int8Array {
    return this.np_random.integersFill(new Int8Array(this.size), 0, 2, 8);
  }

  contains(x: unknown): boolean {
    let flat: ArrayLike<unknown>;
    if (ArrayBuffer.isView(x) && !(x instanceof DataView)) flat = x as unknown as ArrayLike<number>;
    else if (Array.isArray(x)) {
      const walked = flattenShaped(x, this.shape);
      if (typeof walked === 'string') return false;
      flat = walked;
    } else return false;
    if (flat.length !== this.size) return false;
    for (let i = 0; i < this.size; i++) if (flat[i] !== 0 && flat[i] !== 1) return false;
    return true;
  }

  toString(): string {
    return `MultiBinary(${typeof this.n === 'number' ? this.n : `[${this.n.join(', ')}]`})`;
  }
}
