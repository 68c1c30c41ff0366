/** The base of every space: a set with a seeded sampler. */
import { Generator, Seed, npRandom } from '../utils/seeding';

/** A space described as plain data: its name and Gymnasium's parameters (`n`, `shape`, `low`, ...). */
export type SpaceDescription = { name: string } & Record<string, unknown>;

/** Why a value is not a member of a space. */
export class NotInSpace extends Error {
  constructor(
    readonly value: unknown,
    readonly space: Space<unknown>,
    readonly reason?: string,
  ) {
    super(`${formatValue(value)} is not in ${space.toString()}${reason ? `: ${reason}` : ''}`);
    this.name = 'NotInSpace';
  }
}

/** A short, bounded rendering of a value for error messages. */
export function formatValue(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Gymnasium's `Space`: sample, contains, seed. */
export abstract class Space<T> {
  private _np_random: Generator | null = null;

  /** The space's own generator, made from fresh entropy on first use as Gymnasium does. */
  get np_random(): Generator {
    if (this._np_random === null) this._np_random = npRandom(null)[0];
    return this._np_random;
  }

  /** Replaces the space's generator (Gymnasium passes one as `seed=` when it batches a space). */
  set np_random(generator: Generator) {
    this._np_random = generator;
  }

  /** `space.seed(seed)`: gives the space its own generator; answers the seeds used. */
  seed(seed?: Seed | null): bigint[] {
    const [generator, used] = npRandom(seed);
    this._np_random = generator;
    return [used];
  }

  /** A random member, numpy-exact given the space's seed. */
  abstract sample(): T;

  /** Whether `x` (an in-process value) is a member. */
  abstract contains(x: unknown): boolean;

  /** Gymnasium's repr, e.g. `Discrete(2)`. */
  abstract toString(): string;
}
