/** Gymnasium's `Discrete(n, start)`: the integers start, ..., start + n - 1. */
import { formatType } from './box';
import { NotInSpace, Space, SpaceDescription } from './space';

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

  describe(): SpaceDescription {
    return { name: 'Discrete', n: this.n, start: this.start };
  }

  describeGymie(): Record<string, unknown> {
    return { name: 'Discrete', n: this.n };
  }

  toJSONValue(x: number): number {
    return x;
  }

  fromJSONValue(value: unknown): number {
    if (typeof value !== 'number') throw new NotInSpace(value, this, `expected an integer, got ${formatType(value)}`);
    if (Number.isNaN(value)) throw new NotInSpace(value, this, 'NaN is not an integer');
    if (!Number.isInteger(value)) throw new NotInSpace(value, this, 'expected an integer');
    if (!this.contains(value)) throw new NotInSpace(value, this, `expected ${this.start} to ${this.start + this.n - 1}`);
    return value;
  }

  toString(): string {
    return this.start === 0 ? `Discrete(${this.n})` : `Discrete(${this.n}, start=${this.start})`;
  }
}
