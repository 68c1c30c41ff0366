/** Gymnasium's `Dict`: named subspaces; a value is an object with one value per key. */
import { Seed, checkSeed } from '../utils/seeding';
import { Space } from './space';

const INT32_MAX = 2147483647;

export class Dict extends Space<Record<string, unknown>> {
  readonly spaces: Readonly<Record<string, Space<any>>>;
  private readonly keys: string[];

  /**
   * `Dict(spaces)`: a plain object's keys are sorted, as Gymnasium sorts a dict's;
   * a list of `[key, space]` pairs keeps its order, as an OrderedDict does.
   */
  constructor(spaces: Record<string, Space<any>> | readonly (readonly [string, Space<any>])[] = {}) {
    super();
    const entries = Array.isArray(spaces)
      ? (spaces as readonly (readonly [string, Space<any>])[]).map(([k, v]) => [k, v] as const)
      : Object.entries(spaces as Record<string, Space<any>>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    this.keys = entries.map(([k]) => k);
    if (new Set(this.keys).size !== this.keys.length) throw new RangeError('Dict space keys must be unique');
    const map: Record<string, Space<any>> = {};
    for (const [key, space] of entries) {
      if (!(space instanceof Space)) throw new TypeError(`Dict space element is not a Space: key=${JSON.stringify(key)}`);
      map[key] = space;
    }
    this.spaces = map;
  }

  /** The keys, in the space's order. */
  keyList(): string[] {
    return [...this.keys];
  }

  /**
   * Gymnasium's `Dict.seed`: with an integer, seeds its own generator and draws one
   * `integers(2^31 - 1)` sub-seed per subspace in key order; with an object, one seed
   * per key (the keys must match); with nothing, fresh entropy. Answers the seeds used, flattened.
   */
  override seed(seed?: Seed | null | Readonly<Record<string, Seed | null>>): bigint[] {
    if (seed === undefined || seed === null) return this.keys.flatMap((k) => this.spaces[k].seed(null));
    if (typeof seed === 'object') {
      const given = Object.keys(seed).sort();
      const mine = [...this.keys].sort();
      if (given.length !== mine.length || given.some((k, i) => k !== mine[i])) {
        throw new RangeError(`The seed keys ${JSON.stringify(given)} are not identical to the space keys ${JSON.stringify(mine)}`);
      }
      return this.keys.flatMap((k) => this.spaces[k].seed(seed[k]));
    }
    super.seed(checkSeed(seed));
    const rng = this.np_random;
    const subseeds = this.keys.map(() => rng.integers(INT32_MAX));
    return this.keys.flatMap((k, i) => this.spaces[k].seed(subseeds[i]));
  }

  sample(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of this.keys) out[k] = this.spaces[k].sample();
    return out;
  }

  contains(x: unknown): boolean {
    if (x === null || typeof x !== 'object' || Array.isArray(x) || ArrayBuffer.isView(x)) return false;
    const obj = x as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length !== this.keys.length) return false;
    return this.keys.every((k) => Object.prototype.hasOwnProperty.call(obj, k) && this.spaces[k].contains(obj[k]));
  }

  toString(): string {
    return `Dict(${this.keys.map((k) => `'${k}': ${this.spaces[k].toString()}`).join(', ')})`;
  }
}
