/**
 * numpy's `Generator`, for the draws Gymnasium makes: `random`, `uniform`,
 * `integers` (numpy's buffered Lemire method), `standard_normal` and
 * `standard_exponential` (numpy's 256-layer ziggurats), `normal`,
 * `exponential` and `choice`, each drawing exactly what numpy draws.
 */
import { PCG64 } from './pcg64';
import type { SeedSequence } from './seed_sequence';
import { FE, FI, KE, KI, WE, WI, ZIGGURAT_EXP_R, ZIGGURAT_NOR_INV_R, ZIGGURAT_NOR_R } from './ziggurat_constants';

// Read once, as in pcg64.ts: a `vm` context (jest's) looks globals up slowly on every use.
const floor = Math.floor;
const imul = Math.imul;

const MASK32 = 0xffffffff;
const TWO32 = 4294967296;
const INV_TWO16 = 1 / 65536;
const INV_TWO32 = 1 / TWO32;

/** High 32 bits of the 64-bit product of two uint32 values (split so every partial stays exact). */
function mulHi32(x: number, r: number): number {
  const a = (x & 0xffff) * r;
  const b = (x >>> 16) * r;
  const bh = floor(b * INV_TWO16);
  return bh + floor(((b - bh * 65536) * 65536 + a) * INV_TWO32);
}

/** The numpy integer widths whose bounded draws differ (8 and 16 bits buffer a uint32 locally). */
export type IntWidth = 8 | 16 | 32 | 64;

/** numpy's `Generator`, for the draws Gymnasium makes. */
export class Generator {
  readonly bitGenerator: PCG64;

  constructor(readonly seedSequence: SeedSequence) {
    this.bitGenerator = new PCG64(seedSequence);
  }

  /** `copy.deepcopy(generator)`: an independent generator that draws what this one would draw next. */
  clone(): Generator {
    const copy = Object.create(Generator.prototype) as { -readonly [K in keyof Generator]: Generator[K] };
    copy.seedSequence = this.seedSequence;
    copy.bitGenerator = this.bitGenerator.clone();
    return copy as Generator;
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
      let hi = floor(m * INV_TWO32);
      let leftover = m - hi * TWO32;
      if (leftover < rngExcl) {
        const threshold = (MASK32 - rng) % rngExcl;
        while (leftover < threshold) {
          m = bits.nextUint32() * rngExcl;
          hi = floor(m * INV_TWO32);
          leftover = m - hi * TWO32;
        }
      }
      return hi;
    }
    let leftover = imul(x, rngExcl) >>> 0;
    if (leftover < rngExcl) {
      const threshold = (MASK32 - rng) % rngExcl;
      while (leftover < threshold) {
        x = bits.nextUint32();
        leftover = imul(x, rngExcl) >>> 0;
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

