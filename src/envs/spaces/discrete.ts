/** Gymnasium's `Discrete(n, start)`: the integers start, ..., start + n - 1. */
import { Space } from './space';

export class Discrete extends Space<number> {
  /** `Discrete(n, start=0)`. */
  constructor(
    readonly n: number,
    readonly start = 0,
  ) {
    super();
    if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError('Discrete n must be a positive integer');
    if (!Number.isSafeInteger(start)) throw new RangeError('Discrete start must be an integer');
  }

  readonly shape: number[] = [];
  readonly dtype = 'int64';

  sample(): number {
    return this.start + this.np_random.integers(this.n);
  }

  contains(x: unknown): boolean {
    return typeof x === 'number' && Number.isInteger(x) && x >= this.start && x < this.start + this.n;
  }

  toString(): string {
    return this.start === 0 ? `Discrete(${this.n})` : `Discrete(${this.n}, start=${this.start})`;
  }
}
