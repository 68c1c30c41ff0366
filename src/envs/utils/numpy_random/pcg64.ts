/**
 * numpy's `PCG64` bit generator (XSL-RR 128/64), with numpy's 32-bit buffering.
 * The 128-bit state is kept as eight 16-bit limbs so the hot path (one step per
 * draw) stays in plain int32 arithmetic, exact and allocation-free; BigInt is
 * used only when seeding.
 */
import type { SeedSequence } from './seed_sequence';

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

// Read once: code run in a `vm` context (jest runs every test file in one) looks up each
// global through an interceptor on every use, which made a draw a hundred times slower there.
const imul = Math.imul;

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

  /** An independent generator in the same state, as `copy.deepcopy` of numpy's bit generator gives. */
  clone(): PCG64 {
    // Every field is a number or boolean, so a shallow copy is a deep one.
    return Object.assign(Object.create(PCG64.prototype) as PCG64, this);
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
    let p = imul(s0, M0);
    c0 += p & 0xffff;
    c1 += p >>> 16;
    p = imul(s0, M1);
    c1 += p & 0xffff;
    c2 += p >>> 16;
    p = imul(s1, M0);
    c1 += p & 0xffff;
    c2 += p >>> 16;
    p = imul(s0, M2);
    c2 += p & 0xffff;
    c3 += p >>> 16;
    p = imul(s1, M1);
    c2 += p & 0xffff;
    c3 += p >>> 16;
    p = imul(s2, M0);
    c2 += p & 0xffff;
    c3 += p >>> 16;
    p = imul(s0, M3);
    c3 += p & 0xffff;
    c4 += p >>> 16;
    p = imul(s1, M2);
    c3 += p & 0xffff;
    c4 += p >>> 16;
    p = imul(s2, M1);
    c3 += p & 0xffff;
    c4 += p >>> 16;
    p = imul(s3, M0);
    c3 += p & 0xffff;
    c4 += p >>> 16;
    p = imul(s0, M4);
    c4 += p & 0xffff;
    c5 += p >>> 16;
    p = imul(s1, M3);
    c4 += p & 0xffff;
    c5 += p >>> 16;
    p = imul(s2, M2);
    c4 += p & 0xffff;
    c5 += p >>> 16;
    p = imul(s3, M1);
    c4 += p & 0xffff;
    c5 += p >>> 16;
    p = imul(s4, M0);
    c4 += p & 0xffff;
    c5 += p >>> 16;
    p = imul(s0, M5);
    c5 += p & 0xffff;
    c6 += p >>> 16;
    p = imul(s1, M4);
    c5 += p & 0xffff;
    c6 += p >>> 16;
    p = imul(s2, M3);
    c5 += p & 0xffff;
    c6 += p >>> 16;
    p = imul(s3, M2);
    c5 += p & 0xffff;
    c6 += p >>> 16;
    p = imul(s4, M1);
    c5 += p & 0xffff;
    c6 += p >>> 16;
    p = imul(s5, M0);
    c5 += p & 0xffff;
    c6 += p >>> 16;
    // Column 7 keeps only its low 16 bits, so plain wrapping int32 sums will do.
    let c7 =
      imul(s0, M7) + imul(s1, M6) + imul(s2, M5) + imul(s3, M4) +
      imul(s4, M3) + imul(s5, M2) + imul(s6, M1) + imul(s7, M0);
    p = imul(s0, M6);
    c6 += p & 0xffff;
    c7 += p >>> 16;
    p = imul(s1, M5);
    c6 += p & 0xffff;
    c7 += p >>> 16;
    p = imul(s2, M4);
    c6 += p & 0xffff;
    c7 += p >>> 16;
    p = imul(s3, M3);
    c6 += p & 0xffff;
    c7 += p >>> 16;
    p = imul(s4, M2);
    c6 += p & 0xffff;
    c7 += p >>> 16;
    p = imul(s5, M1);
    c6 += p & 0xffff;
    c7 += p >>> 16;
    p = imul(s6, M0);
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

