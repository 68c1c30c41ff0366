/** The base of every space: a set with a seeded sampler and a JSON form at the edge. */
import { Generator, Seed, npRandom } from '../utils/seeding';

/** A JSON-RPC space description, as in `../shared/conformance` (complete and recursive). */
export type SpaceDescription = { name: string } & Record<string, unknown>;

/** Why a wire value is not a member of a space. */
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

/** A short, bounded rendering of a wire value for error messages. */
export function formatValue(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Gymnasium's `Space`: sample, contains, seed, plus conversion to and from JSON. */
export abstract class Space<T> {
  private _np_random: Generator | null = null;

  /** The space's own generator, made from fresh entropy on first use as Gymnasium does. */
  get np_random(): Generator {
    if (this._np_random === null) this._np_random = npRandom(null)[0];
    return this._np_random;
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

  /** The complete description sent over JSON-RPC. */
  abstract describe(): SpaceDescription;

  /** The description Gymie clients expect. */
  abstract describeGymie(): Record<string, unknown>;

  /** A member as JSON (numbers always valid JSON). */
  abstract toJSONValue(x: T, gymie?: boolean): unknown;

  /** Reads a member from JSON; throws NotInSpace when it is not one. */
  abstract fromJSONValue(value: unknown): T;

  /** Gymnasium's repr, e.g. `Discrete(2)`. */
  abstract toString(): string;
}
