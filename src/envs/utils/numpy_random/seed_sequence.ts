/**
 * numpy's `SeedSequence` for an integer entropy (no spawn key), as numpy's
 * `bit_generator.pyx` has it: the entropy is hashed into a 4-word pool, and
 * `generate_state` draws the words a bit generator is seeded with.
 */

// SeedSequence hashing constants (O'Neill's seed_seq_fe, as numpy uses them).
const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;
const XSHIFT = 16;
const POOL_SIZE = 4;

/** Splits a non-negative integer into little-endian 32-bit words, as numpy does for entropy. */
function toUint32Words(value: bigint): number[] {
  if (value === 0n) return [0];
  const words: number[] = [];
  while (value > 0n) {
    words.push(Number(value & 0xffffffffn));
    value >>= 32n;
  }
  return words;
}

/** numpy's SeedSequence for an integer entropy (no spawn key). */
export class SeedSequence {
  readonly entropy: bigint;
  readonly pool: Uint32Array;

  constructor(entropy: number | bigint) {
    this.entropy = BigInt(entropy);
    if (this.entropy < 0n) throw new RangeError('SeedSequence entropy must be non-negative');
    this.pool = new Uint32Array(POOL_SIZE);
    this.mixEntropy(toUint32Words(this.entropy));
  }

  private mixEntropy(entropy: number[]): void {
    let hashConst = INIT_A;
    const hashmix = (value: number): number => {
      value = (value ^ hashConst) >>> 0;
      hashConst = Math.imul(hashConst, MULT_A) >>> 0;
      value = Math.imul(value, hashConst) >>> 0;
      return (value ^ (value >>> XSHIFT)) >>> 0;
    };
    const mix = (x: number, y: number): number => {
      let result = (Math.imul(MIX_MULT_L, x) - Math.imul(MIX_MULT_R, y)) >>> 0;
      result = (result ^ (result >>> XSHIFT)) >>> 0;
      return result;
    };
    const pool = this.pool;
    for (let i = 0; i < POOL_SIZE; i++) pool[i] = hashmix(i < entropy.length ? entropy[i] : 0);
    for (let src = 0; src < POOL_SIZE; src++) {
      for (let dst = 0; dst < POOL_SIZE; dst++) {
        if (src !== dst) pool[dst] = mix(pool[dst], hashmix(pool[src]));
      }
    }
    for (let src = POOL_SIZE; src < entropy.length; src++) {
      for (let dst = 0; dst < POOL_SIZE; dst++) pool[dst] = mix(pool[dst], hashmix(entropy[src]));
    }
  }

  /** `generate_state(n, np.uint32)`. */
  generateState32(nWords: number): Uint32Array {
    const out = new Uint32Array(nWords);
    let hashConst = INIT_B;
    for (let i = 0; i < nWords; i++) {
      let value = (this.pool[i % POOL_SIZE] ^ hashConst) >>> 0;
      hashConst = Math.imul(hashConst, MULT_B) >>> 0;
      value = Math.imul(value, hashConst) >>> 0;
      out[i] = (value ^ (value >>> XSHIFT)) >>> 0;
    }
    return out;
  }

  /** `generate_state(n, np.uint64)`: pairs of 32-bit words, low word first. */
  generateState64(nWords: number): bigint[] {
    const words = this.generateState32(nWords * 2);
    const out: bigint[] = [];
    for (let i = 0; i < nWords; i++) out.push((BigInt(words[2 * i + 1]) << 32n) | BigInt(words[2 * i]));
    return out;
  }
}

