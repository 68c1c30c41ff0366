/** Gymnasium's `Tuple`: a product of spaces; a value is an array with one value per subspace. */
import { Seed, checkSeed } from '../utils/seeding';
import { Space } from './space';

const INT32_MAX = 2147483647;

/** A Tuple whose values have type `T` (e.g. `Tuple<[number, number]>` for two Discrete spaces). */
export class Tuple<T extends unknown[] = unknown[]> extends Space<T> {
  readonly spaces: readonly Space<any>[];

  constructor(spaces: Iterable<Space<any>>) {
    super();
    this.spaces = [...spaces];
    for (const space of this.spaces) {
      if (!(space instanceof Space)) throw new TypeError(`${String(space)} is not a Space`);
    }
  }

  /**
   * Gymnasium's `Tuple.seed`: with an integer, seeds its own generator and draws one
   * `integers(2^31 - 1)` sub-seed per subspace; with a list, one seed per subspace;
   * with nothing, every subspace from fresh entropy. Answers the seeds used, flattened.
   */
  override seed(seed?: Seed | null | readonly (Seed | null)[]): bigint[] {
    if (seed === undefined || seed === null) return this.spaces.flatMap((s) => s.seed(null));
    if (Array.isArray(seed)) {
      if (seed.length !== this.spaces.length) {
        throw new RangeError(`Expects one seed per subspace: got ${seed.length} seeds for ${this.spaces.length} subspaces`);
      }
      return this.spaces.flatMap((s, i) => s.seed(seed[i]));
    }
    super.seed(checkSeed(seed));
    const rng = this.np_random;
    const subseeds = this.spaces.map(() => rng.integers(INT32_MAX));
    return this.spaces.flatMap((s, i) => s.seed(subseeds[i]));
  }

  sample(): T {
    return this.spaces.map((s) => s.sample()) as T;
  }

  contains(x: unknown): boolean {
    return Array.isArray(x) && x.length === this.spaces.length && this.spaces.every((s, i) => s.contains(x[i]));
  }

  toString(): string {
    return `Tuple(${this.spaces.map((s) => s.toString()).join(', ')})`;
  }
}
