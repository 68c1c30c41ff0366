/**
 * numpy's `Generator(PCG64(SeedSequence(seed)))`, reproduced bit for bit.
 *
 * Gymnasium seeds every environment and space with this chain, so matching
 * Gymnasium's observations means matching numpy's integers, doubles and the
 * order in which they are drawn. The 128-bit PCG64 state is kept as eight
 * 16-bit limbs so the hot path (one step per draw) stays in plain doubles,
 * exact and allocation-free; BigInt is used only when seeding.
 */

import { FE, FI, KE, KI, WE, WI, ZIGGURAT_EXP_R, ZIGGURAT_NOR_INV_R, ZIGGURAT_NOR_R } from './ziggurat_constants';

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
const M0 = 0xf645;
const M1 = 0x9fcc;
const M2 = 0xdf64;
const M3 = 0x4385;
const M4 = 0x5da4;
const M5 = 0x1fc6;
const M6 = 0xed05;
const M7 = 0x2360;
const MASK128 = (1n << 128n) - 1n;
const MULT_BIG = 0x2360ed051fc65da44385df649fccf645n;

function limb(value: bigint, i: number): number {
  return Number((value >> BigInt(16 * i)) & 0xffffn);
}

/**
 * The PCG64 bit generator (XSL-RR 128/64), with numpy's 32-bit buffering.
 *
 * The 128-bit state and increment live in 16-bit limbs held as small-integer
 * fields, so one step is 36 `Math.imul`s and shifts in int32 registers: no
 * BigInt, no allocation, no floating `%` (which V8 calls out of line).
 */
export class PCG64 {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private s4 = 0;
  private s5 = 0;
  private s6 = 0;
  private s7 = 0;
  private i0 = 0;
  private i1 = 0;
  private i2 = 0;
  private i3 = 0;
  private i4 = 0;
  private i5 = 0;
  private i6 = 0;
  private i7 = 0;
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
    this.setState(state);
    this.i0 = limb(inc, 0);
    this.i1 = limb(inc, 1);
    this.i2 = limb(inc, 2);
    this.i3 = limb(inc, 3);
    this.i4 = limb(inc, 4);
    this.i5 = limb(inc, 5);
    this.i6 = limb(inc, 6);
    this.i7 = limb(inc, 7);
  }

  private setState(state: bigint): void {
    this.s0 = limb(state, 0);
    this.s1 = limb(state, 1);
    this.s2 = limb(state, 2);
    this.s3 = limb(state, 3);
    this.s4 = limb(state, 4);
    this.s5 = limb(state, 5);
    this.s6 = limb(state, 6);
    this.s7 = limb(state, 7);
  }

  /** The 128-bit state and increment, as numpy's `bit_generator.state` reports them. */
  get state(): { state: bigint; inc: bigint } {
    const join = (l: number[]): bigint => l.reduceRight((acc, v) => (acc << 16n) | BigInt(v), 0n);
    return {
      state: join([this.s0, this.s1, this.s2, this.s3, this.s4, this.s5, this.s6, this.s7]),
      inc: join([this.i0, this.i1, this.i2, this.i3, this.i4, this.i5, this.i6, this.i7]),
    };
  }

  /** Advances the state (`state * MULT + inc`) and leaves the 64-bit output in `hi`/`lo`. */
  step(): void {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2;
    const s3 = this.s3;
    const s4 = this.s4;
    const s5 = this.s5;
    const s6 = this.s6;
    const s7 = this.s7;
    // Schoolbook product mod 2^128 in 16-bit columns: each 16x16-bit limb product
    // (exact in Math.imul's low 32 bits) adds its low half to its column and its
    // high half to the next; column sums stay far below 2^31.
    let c0 = 0;
    let c1 = 0;
    let c2 = 0;
    let c3 = 0;
    let c4 = 0;
    let c5 = 0;
    let c6 = 0;
    let p = Math.imul(s0, M0);
    c0 += p & 0xffff;
    c1 += p >>> 16;
    p = Math.imul(s0, M1);
    c1 += p & 0xffff;
    c2 += p >>> 16;
    p = Math.imul(s1, M0);
    c1 += p & 0xffff;
    c2 += p >>> 16;
    p = Math.imul(s0, M2);
    c2 += p & 0xffff;
    c3 += p >>> 16;
    p = Math.imul(s1, M1);
    c2 += p & 0xffff;
    c3 += p >>> 16;
    p = Math.imul(s2, M0);
    c2 += p & 0xffff;
    c3 += p >>> 16;
    p = Math.imul(s0, M3);
    c3 += p & 0xffff;
    c4 += p >>> 16;
    p = Math.imul(s1, M2);
    c3 += p & 0xffff;
    c4 += p >>> 16;
    p = Math.imul(s2, M1);
    c3 += p & 0xffff;
    c4 += p >>> 16;
    p = Math.imul(s3, M0);
    c3 += p & 0xffff;
    c4 += p >>> 16;
    p = Math.imul(s0, M4);
    c4 += p & 0xffff;
    c5 += p >>> 16;
    p = Math.imul(s1, M3);
    c4 += p & 0xffff;
    c5 += p >>> 16;
    p = Math.imul(s2, M2);
    c4 += p & 0xffff;
    c5 += p >>> 16;
    p = Math.imul(s3, M1);
    c4 += p & 0xffff;
    c5 += p >>> 16;
    p = Math.imul(s4, M0);
    c4 += p & 0xffff;
    c5 += p >>> 16;
    p = Math.imul(s0, M5);
    c5 += p & 0xffff;
    c6 += p >>> 16;
    p = Math.imul(s1, M4);
    c5 += p & 0xffff;
    c6 += p >>> 16;
    p = Math.imul(s2, M3);
    c5 += p & 0xffff;
    c6 += p >>> 16;
    p = Math.imul(s3, M2);
    c5 += p & 0xffff;
    c6 += p >>> 16;
    p = Math.imul(s4, M1);
    c5 += p & 0xffff;
    c6 += p >>> 16;
    p = Math.imul(s5, M0);
    c5 += p & 0xffff;
    c6 += p >>> 16;
    // Column 7 keeps only its low 16 bits, so plain wrapping int32 sums will do.
    let c7 =
      Math.imul(s0, M7) + Math.imul(s1, M6) + Math.imul(s2, M5) + Math.imul(s3, M4) +
      Math.imul(s4, M3) + Math.imul(s5, M2) + Math.imul(s6, M1) + Math.imul(s7, M0);
    p = Math.imul(s0, M6);
    c6 += p & 0xffff;
    c7 += p >>> 16;
    p = Math.imul(s1, M5);
    c6 += p & 0xffff;
    c7 += p >>> 16;
    p = Math.imul(s2, M4);
    c6 += p & 0xffff;
    c7 += p >>> 16;
    p = Math.imul(s3, M3);
    c6 += p & 0xffff;
    c7 += p >>> 16;
    p = Math.imul(s4, M2);
    c6 += p & 0xffff;
    c7 += p >>> 16;
    p = Math.imul(s5, M1);
    c6 += p & 0xffff;
    c7 += p >>> 16;
    p = Math.imul(s6, M0);
    c6 += p & 0xffff;
    c7 += p >>> 16;
    let t = c0 + this.i0;
    const n0 = t & 0xffff;
    t = (t >>> 16) + c1 + this.i1;
    const n1 = t & 0xffff;
    t = (t >>> 16) + c2 + this.i2;
    const n2 = t & 0xffff;
    t = (t >>> 16) + c3 + this.i3;
    const n3 = t & 0xffff;
    t = (t >>> 16) + c4 + this.i4;
    const n4 = t & 0xffff;
    t = (t >>> 16) + c5 + this.i5;
    const n5 = t & 0xffff;
    t = (t >>> 16) + c6 + this.i6;
    const n6 = t & 0xffff;
    t = (t >>> 16) + c7 + this.i7;
    const n7 = t & 0xffff;
    this.s0 = n0;
    this.s1 = n1;
    this.s2 = n2;
    this.s3 = n3;
    this.s4 = n4;
    this.s5 = n5;
    this.s6 = n6;
    this.s7 = n7;
    // XSL-RR: xor the high and low 64-bit halves, rotate right by the top 6 bits.
    const h = ((n7 << 16) | n6) ^ ((n3 << 16) | n2);
    const l = ((n5 << 16) | n4) ^ ((n1 << 16) | n0);
    const rot = n7 >>> 10;
    if (rot === 0) {
      this.hi = h >>> 0;
      this.lo = l >>> 0;
    } else if (rot < 32) {
      this.hi = ((h >>> rot) | (l << (32 - rot))) >>> 0;
      this.lo = ((l >>> rot) | (h << (32 - rot))) >>> 0;
    } else if (rot === 32) {
      this.hi = l >>> 0;
      this.lo = h >>> 0;
    } else {
      const r = rot - 32;
      this.hi = ((l >>> r) | (h << (32 - r))) >>> 0;
      this.lo = ((h >>> r) | (l << (32 - r))) >>> 0;
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

const INV_TWO16 = 1 / 65536;
const INV_TWO32 = 1 / TWO32;

/** High 32 bits of the 64-bit product of two uint32 values (split so every partial stays exact). */
function mulHi32(x: number, r: number): number {
  const a = (x & 0xffff) * r;
  const b = (x >>> 16) * r;
  const bh = Math.floor(b * INV_TWO16);
  return bh + Math.floor(((b - bh * 65536) * 65536 + a) * INV_TWO32);
}

/** The numpy integer widths whose bounded draws differ (8 and 16 bits buffer a uint32 locally). */
export type IntWidth = 8 | 16 | 32 | 64;

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

  /**
   * `Generator.integers(low, high, size=out.length, dtype=...)`: fills `out` in order.
   * For 8- and 16-bit dtypes numpy slices one uint32 into bytes or halves within a call,
   * so the width changes which draws are made.
   */
  integersFill<T extends { length: number; [i: number]: number }>(out: T, low: number, high: number, width: IntWidth = 64): T {
    if (!(high > low)) throw new RangeError('low >= high');
    const rng = high - 1 - low;
    const n = out.length;
    if (rng === 0) {
      for (let i = 0; i < n; i++) out[i] = low;
      return out;
    }
    if (width === 8 || width === 16) {
      const bitsPer = width;
      const full = bitsPer === 8 ? 0xff : 0xffff;
      if (rng > full) throw new RangeError(`range ${rng + 1} does not fit int${bitsPer}`);
      const perWord = 32 / bitsPer;
      const bits = this.bitGenerator;
      let buf = 0;
      let bcnt = 0;
      const next = (): number => {
        if (bcnt === 0) {
          buf = bits.nextUint32();
          bcnt = perWord - 1;
        } else {
          buf >>>= bitsPer;
          bcnt -= 1;
        }
        return buf & full;
      };
      for (let i = 0; i < n; i++) {
        if (rng === full) {
          out[i] = low + next();
          continue;
        }
        const rngExcl = rng + 1;
        let m = next() * rngExcl;
        let leftover = m & full;
        if (leftover < rngExcl) {
          const threshold = (full - rng) % rngExcl;
          while (leftover < threshold) {
            m = next() * rngExcl;
            leftover = m & full;
          }
        }
        out[i] = low + (m >>> bitsPer);
      }
      return out;
    }
    for (let i = 0; i < n; i++) out[i] = this.integers(low, high);
    return out;
  }

  private boundedUint32(rng: number): number {
    const bits = this.bitGenerator;
    const rngExcl = rng + 1;
    let x = bits.nextUint32();
    if (rngExcl <= 0x200000) {
      // x * rngExcl < 2^53: the whole 64-bit product is exact in a double.
      let m = x * rngExcl;
      let hi = Math.floor(m * INV_TWO32);
      let leftover = m - hi * TWO32;
      if (leftover < rngExcl) {
        const threshold = (MASK32 - rng) % rngExcl;
        while (leftover < threshold) {
          m = bits.nextUint32() * rngExcl;
          hi = Math.floor(m * INV_TWO32);
          leftover = m - hi * TWO32;
        }
      }
      return hi;
    }
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

  /** `Generator.standard_normal()`: numpy's 256-layer ziggurat on one 64-bit draw (rarely more). */
  standard_normal(): number {
    const bits = this.bitGenerator;
    for (;;) {
      bits.step();
      const hi = bits.hi;
      const lo = bits.lo;
      // numpy's layout of the 64-bit draw: 8 bits of layer, 1 sign bit, 52 bits of magnitude.
      const idx = lo & 0xff;
      const rabs = (hi & 0x1fffffff) * 8388608 + (lo >>> 9);
      let x = rabs * WI[idx];
      if ((lo >>> 8) & 1) x = -x;
      if (rabs < KI[idx]) return x;
      if (idx === 0) {
        // The tail beyond r, by Marsaglia's method; 1 - U keeps log away from 0.
        for (;;) {
          const xx = -ZIGGURAT_NOR_INV_R * Math.log1p(-bits.nextDouble());
          const yy = -Math.log1p(-bits.nextDouble());
          if (yy + yy > xx * xx) return (lo >>> 17) & 1 ? -(ZIGGURAT_NOR_R + xx) : ZIGGURAT_NOR_R + xx;
        }
      }
      if ((FI[idx - 1] - FI[idx]) * bits.nextDouble() + FI[idx] < Math.exp(-0.5 * x * x)) return x;
    }
  }

  /** `Generator.standard_exponential()` (method 'zig'): numpy's 256-layer exponential ziggurat. */
  standard_exponential(): number {
    const bits = this.bitGenerator;
    for (;;) {
      bits.step();
      const hi = bits.hi;
      const lo = bits.lo;
      // After dropping 3 bits: 8 bits of layer, then the top 53 bits as the magnitude.
      const idx = (lo >>> 3) & 0xff;
      const ri = hi * 2097152 + (lo >>> 11);
      const x = ri * WE[idx];
      if (ri < KE[idx]) return x;
      if (idx === 0) return ZIGGURAT_EXP_R - Math.log1p(-bits.nextDouble());
      if ((FE[idx - 1] - FE[idx]) * bits.nextDouble() + FE[idx] < Math.exp(-x)) return x;
      // numpy draws afresh (a tail call there, a loop here).
    }
  }

  /** `Generator.normal(loc, scale)` for scalars: `loc + scale * standard_normal()`. */
  normal(loc = 0.0, scale = 1.0): number {
    if (!(scale >= 0)) throw new RangeError('scale < 0');
    return loc + scale * this.standard_normal();
  }

  /** `Generator.exponential(scale)` for a scalar: `scale * standard_exponential()`. */
  exponential(scale = 1.0): number {
    if (!(scale >= 0)) throw new RangeError('scale < 0');
    return scale * this.standard_exponential();
  }

  /**
   * `Generator.choice(a)` or `choice(a, p=p)` with replacement, one draw: uniform choice uses
   * `integers(0, len)`; with probabilities, numpy's cumulative sum searched with one `random()`.
   */
  choice<T>(a: readonly T[], p?: ArrayLike<number> | null): T {
    if (a.length === 0) throw new RangeError('a cannot be empty unless no samples are taken');
    if (p === undefined || p === null) return a[this.integers(0, a.length)];
    return a[searchRight(choiceCdf(p, a.length), this.bitGenerator.nextDouble())];
  }

  /** `Generator.choice(a, size=n, p=p)`: n draws with replacement, in order. */
  choices<T>(a: readonly T[], n: number, p?: ArrayLike<number> | null): T[] {
    if (a.length === 0 && n > 0) throw new RangeError('a cannot be empty unless no samples are taken');
    const out = new Array<T>(n);
    if (p === undefined || p === null) {
      for (let i = 0; i < n; i++) out[i] = a[this.integers(0, a.length)];
      return out;
    }
    const cdf = choiceCdf(p, a.length);
    for (let i = 0; i < n; i++) out[i] = a[searchRight(cdf, this.bitGenerator.nextDouble())];
    return out;
  }
}

/** numpy's checks on `p` and its normalised cumulative sum (`cdf /= cdf[-1]`). */
function choiceCdf(p: ArrayLike<number>, n: number): Float64Array {
  if (p.length !== n) throw new RangeError('a and p must have same size');
  // Kahan summation, as numpy checks the total.
  let sum = 0;
  let comp = 0;
  for (let i = 0; i < n; i++) {
    const y = p[i] - comp;
    const t = sum + y;
    comp = t - sum - y;
    sum = t;
  }
  if (Number.isNaN(sum)) throw new RangeError('Probabilities contain NaN');
  for (let i = 0; i < n; i++) if (p[i] < 0) throw new RangeError('Probabilities are not non-negative');
  if (Math.abs(sum - 1) > Math.sqrt(Number.EPSILON)) throw new RangeError('Probabilities do not sum to 1');
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) cdf[i] = acc += p[i];
  const last = cdf[n - 1];
  for (let i = 0; i < n; i++) cdf[i] /= last;
  return cdf;
}

/** `searchsorted(cdf, u, side='right')`: how many entries are <= u. */
function searchRight(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] <= u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
