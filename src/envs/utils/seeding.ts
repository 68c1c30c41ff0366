/**
 * Gymnasium's `utils/seeding.py`: `np_random(seed)` makes numpy's
 * `Generator(PCG64(SeedSequence(seed)))`, reproduced bit for bit in
 * `numpy_random/`, and the seed check every seeded call goes through.
 */
import { PalestraError } from '../../errors';
import { Generator } from './numpy_random/generator';
import { SeedSequence } from './numpy_random/seed_sequence';

export { Generator } from './numpy_random/generator';
export type { IntWidth } from './numpy_random/generator';
export { PCG64 } from './numpy_random/pcg64';
export { SeedSequence } from './numpy_random/seed_sequence';

/**
 * A seed as Gymnasium accepts it, a non-negative integer: a number up to 2^53 − 1, a bigint,
 * or its decimal digits as a string (how JSON carries a seed past 2^53 without losing it).
 */
export type Seed = number | bigint | string;

/** The longest seed string accepted (numpy takes any size; 100 digits is over 330 bits). */
export const MAX_SEED_DIGITS = 100;

const DIGITS = /^[0-9]+$/;

/**
 * Checks a seed as Gymnasium's `np_random` does (a non-negative integer) and answers it as a
 * number or bigint; anything else is the catalogue's `invalid_seed`.
 */
export function checkSeed(seed: unknown): number | bigint {
  if (typeof seed === 'number') {
    if (Number.isSafeInteger(seed) && seed >= 0) return seed;
    if (Number.isInteger(seed) && seed > 0) {
      throw new PalestraError(
        'invalid_seed',
        `Seed ${String(seed)} is past 2^53 - 1, where JSON numbers lose digits: send it as a string of decimal digits, e.g. "18446744073709551615"`,
      );
    }
  } else if (typeof seed === 'bigint') {
    if (seed >= 0n) return seed;
  } else if (typeof seed === 'string') {
    if (DIGITS.test(seed) && seed.length <= MAX_SEED_DIGITS) return BigInt(seed);
    if (DIGITS.test(seed)) throw new PalestraError('invalid_seed', `A seed string has at most ${MAX_SEED_DIGITS} digits, got ${seed.length}`);
  }
  const shown = typeof seed === 'string' ? JSON.stringify(seed.slice(0, 40)) : String(seed);
  throw new PalestraError('invalid_seed', `A seed must be a non-negative integer (or a string of its decimal digits), got ${shown}`);
}

/** A seed of 128 random bits, as `SeedSequence(None)` draws from the OS. */
function freshEntropy(): bigint {
  const words = new Uint32Array(4);
  globalThis.crypto.getRandomValues(words);
  return words.reduce((acc, w) => (acc << 32n) | BigInt(w), 0n);
}

/** Gymnasium's `seeding.np_random(seed)`: a generator and the seed it was made from. */
export function npRandom(seed?: Seed | null): [Generator, bigint] {
  const entropy = seed === undefined || seed === null ? freshEntropy() : BigInt(checkSeed(seed));
  const sequence = new SeedSequence(entropy);
  return [new Generator(sequence), sequence.entropy];
}
