/**
 * numpy's `Generator(PCG64(SeedSequence(seed)))`, reproduced bit for bit.
 *
 * Gymnasium seeds every environment and space with this chain, so matching
 * Gymnasium's observations means matching numpy's integers, doubles and the
 * order in which they are drawn. The 128-bit PCG64 state is kept as eight
 * 16-bit limbs so the hot path (one step per draw) stays in plain doubles,
 * exact and allocation-free; BigInt is used only when seeding.
 */

const MASK32 = 0xffffffff;
const TWO32 = 4294967296;

// SeedSequence hashing constants (O'Neill's seed_seq_fe, as numpy uses them).
const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;
const XSHIFT = 16;
const POOL_SIZE = 4;

/** A seed as Gymnasium accepts it: a non-negative integer. */
export type Seed = number | bigint;

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

  constructor(entropy: Seed) {
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

// PCG64's 128-bit multiplier, 0x2360ED051FC65DA44385DF649FCCF645, as 16-bit limbs, low first.
const MULT = [0xf645, 0x9fcc, 0xdf64, 0x4385, 0x5da4, 0x1fc6, 0xed05, 0x2360];
const MASK128 = (1n << 128n) - 1n;
const MULT_BIG = 0x2360ed051fc65da44385df649fccf645n;

function toLimbs(value: bigint, limbs: Float64Array): void {
  for (let i = 0; i < 8; i++) limbs[i] = Number((value >> BigInt(16 * i)) & 0xffffn);
}

function fromLimbs(limbs: Float64Array): bigint {
  let value = 0n;
  for (let i = 7; i >= 0; i--) value = (value << 16n) | BigInt(limbs[i]);
  return value;
}

/** The PCG64 bit generator (XSL-RR 128/64), with numpy's 32-bit buffering. */
export class PCG64 {
  private readonly s = new Float64Array(8);
  private readonly inc = new Float64Array(8);
  private readonly next = new Float64Array(8);
  /** The high 32 bits of the 64-bit output that numpy keeps for the next 32-bit draw. */
  private buffered = 0;
  private hasBuffered = false;
  /** High and low halves of the last 64-bit output. */
  hi = 0;
  lo = 0;

  constructor(seedSequence: SeedSequence) {
    const [s0, s1, i0, i1] = seedSequence.generateState64(4);
    const initState = (s0 << 64n) | s1;
    const initSeq = (i0 << 64n) | i1;
    const inc = ((initSeq << 1n) | 1n) & MASK128;
    let state = (0n * MULT_BIG + inc) & MASK128;
    state = (state + initState) & MASK128;
    state = (state * MULT_BIG + inc) & MASK128;
    toLimbs(state, this.s);
    toLimbs(inc, this.inc);
  }

  /** The 128-bit state and increment, as numpy's `bit_generator.state` reports them. */
  get state(): { state: bigint; inc: bigint } {
    return { state: fromLimbs(this.s), inc: fromLimbs(this.inc) };
  }

  /** Advances the state and leaves the 64-bit output in `hi`/`lo`. */
  step(): void {
    const s = this.s;
    const n = this.next;
    let carry = 0;
    for (let k = 0; k < 8; k++) {
      let sum = carry + this.inc[k];
      for (let i = 0; i <= k; i++) sum += s[i] * MULT[k - i];
      const limb = sum % 65536;
      n[k] = limb;
      carry = (sum - limb) / 65536;
    }
    s.set(n);
    const hiWord = ((s[7] * 65536 + s[6]) ^ (s[3] * 65536 + s[2])) >>> 0;
    const loWord = ((s[5] * 65536 + s[4]) ^ (s[1] * 65536 + s[0])) >>> 0;
    let rot = s[7] >>> 10;
    let h = hiWord;
    let l = loWord;
    if (rot >= 32) {
      h = loWord;
      l = hiWord;
      rot -= 32;
    }
    if (rot === 0) {
      this.hi = h;
      this.lo = l;
    } else {
      this.hi = ((h >>> rot) | (l << (32 - rot))) >>> 0;
      this.lo = ((l >>> rot) | (h << (32 - rot))) >>> 0;
    }
  }

  /** A fresh 64-bit output as a BigInt (slow; for tests and 64-bit ranges). */
  nextUint64(): bigint {
    this.step();
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** numpy's `next_uint32`: the low half of a fresh output, then the buffered high half. */
  nextUint32(): number {
    if (this.hasBuffered) {
      this.hasBuffered = false;
      return this.buffered;
    }
    this.step();
    this.hasBuffered = true;
    this.buffered = this.hi;
    return this.lo;
  }

  /** numpy's `next_double`: 53 bits of a fresh 64-bit output. */
  nextDouble(): number {
    this.step();
    return (this.hi * 2097152 + (this.lo >>> 11)) * 1.1102230246251565e-16;
  }
}

/** High 32 bits of the 64-bit product of two uint32 values. */
function mulHi32(x: number, r: number): number {
  const a = (x & 0xffff) * r;
  const b = (x >>> 16) * r;
  return Math.floor(b / 65536) + Math.floor(((b % 65536) * 65536 + a) / TWO32);
}

/** numpy's `Generator`, for the draws Gymnasium makes. */
export class Generator {
  readonly bitGenerator: PCG64;

  constructor(readonly seedSequence: SeedSequence) {
    this.bitGenerator = new PCG64(seedSequence);
  }

  /** `Generator.random()`: a double in [0, 1). */
  random(): number {
    return this.bitGenerator.nextDouble();
  }

  /** `Generator.uniform(low, high)` for scalars: `low + (high - low) * random()`. */
  uniform(low: number, high: number): number {
    const range = high - low;
    if (!Number.isFinite(range)) throw new RangeError('high - low range exceeds valid bounds');
    return low + range * this.bitGenerator.nextDouble();
  }

  /**
   * `Generator.integers(low, high)` with int64 dtype: an integer in [low, high).
   * Ranges below 2^32 use numpy's buffered 32-bit Lemire method.
   */
  integers(low: number, high?: number): number {
    if (high === undefined) {
      high = low;
      low = 0;
    }
    if (!(high > low)) throw new RangeError('low >= high');
    const rng = high - 1 - low;
    if (rng === 0) return low;
    if (rng < MASK32) return low + this.boundedUint32(rng);
    if (rng === MASK32) return low + this.bitGenerator.nextUint32();
    return low + Number(this.boundedUint64(BigInt(rng)));
  }

  private boundedUint32(rng: number): number {
    const bits = this.bitGenerator;
    const rngExcl = rng + 1;
    let x = bits.nextUint32();
    let leftover = Math.imul(x, rngExcl) >>> 0;
    if (leftover < rngExcl) {
      const threshold = (MASK32 - rng) % rngExcl;
      while (leftover < threshold) {
        x = bits.nextUint32();
        leftover = Math.imul(x, rngExcl) >>> 0;
      }
    }
    return mulHi32(x, rngExcl);
  }

  private boundedUint64(rng: bigint): bigint {
    const mask64 = (1n << 64n) - 1n;
    const rngExcl = rng + 1n;
    let m = this.bitGenerator.nextUint64() * rngExcl;
    let leftover = m & mask64;
    if (leftover < rngExcl) {
      const threshold = (mask64 - rng) % rngExcl;
      while (leftover < threshold) {
        m = this.bitGenerator.nextUint64() * rngExcl;
        leftover = m & mask64;
      }
    }
    return m >> 64n;
  }
}

/** Checks a seed as Gymnasium's `np_random` does: a non-negative integer. */
export function checkSeed(seed: unknown): Seed {
  if (typeof seed === 'bigint' && seed >= 0n) return seed;
  if (typeof seed === 'number' && Number.isSafeInteger(seed) && seed >= 0) return seed;
  throw new RangeError(`Seed must be a non-negative integer, got ${String(seed)}`);
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
