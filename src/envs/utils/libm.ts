/**
 * glibc's double-precision `sin`, `cos`, `pow`, `expm1` and `tanh`, step for step.
 *
 * Gymnasium's Pendulum and Acrobot call numpy's scalar `sin`/`cos` and `x ** 2`, and
 * LunarLander's wind calls Python's `math.tanh`; on Linux all are glibc's. V8's `Math.sin`,
 * `Math.tanh` (fdlibm) and `x * x` differ from glibc in the last bit for a few inputs in a
 * thousand, and those bits reach the observations and rewards. These functions follow
 * glibc's algorithms (IBM's table-based sin/cos, Szabolcs Nagy's pow, fdlibm's expm1 and
 * tanh) and its x86-64 FMA build, so they return glibc's doubles.
 */
import {
  EXP_INVLN2N,
  EXP_NEGLN2HIN,
  EXP_NEGLN2LON,
  EXP_POLY,
  EXP_SCALE,
  EXP_SHIFT,
  EXP_TAIL,
  POW_LN2HI,
  POW_LN2LO,
  POW_LOG_INVC,
  POW_LOG_LOGC,
  POW_LOG_LOGCTAIL,
  POW_LOG_POLY,
  SINCOSTAB,
} from './libm_constants';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Little-endian words of a double.
const LO = 0;
const HI = 1;

function highWord(x: number): number {
  f64[0] = x;
  return u32[HI];
}

// Veltkamp's splitter for 53-bit doubles.
const SPLITTER = 134217729; // 2^27 + 1

/**
 * Fused multiply-add, correctly rounded: `a * b + c` with one rounding. Exact product by
 * Dekker's method, exact sum, then rounding to odd before the last rounding, which makes
 * the double rounding correct (Boldo and Melquiond). Assumes no overflow or underflow.
 */
export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  if (!Number.isFinite(p) || p === 0 || a === 0 || b === 0) return p + c;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const pe = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  // (th, tl) = c + p exactly.
  const th = c + p;
  const bv = th - c;
  const tl = (c - (th - bv)) + (p - bv);
  // a * b + c = th + v + ve exactly.
  let v = tl + pe;
  const vb = v - tl;
  const ve = (tl - (v - vb)) + (pe - vb);
  if (ve === 0) return th + v;
  const r = th + v;
  const rb = r - th;
  const re = (th - (r - rb)) + (v - rb);
  // Far from a rounding midpoint of r (half an ulp is at least |r| * 2^-54), r is the answer.
  if (Math.abs(re) + Math.abs(ve) < Math.abs(r) * 5.551115123125783e-17) return r;
  // Otherwise round v to odd, which makes the final rounding exact (Boldo and Melquiond).
  f64[0] = v;
  if ((u32[LO] & 1) === 0) {
    const up = (ve > 0) === (v > 0);
    let lo = u32[LO];
    let hi = u32[HI];
    if (up) {
      lo = (lo + 1) >>> 0;
      if (lo === 0) hi = (hi + 1) >>> 0;
    } else {
      if (lo === 0) hi = (hi - 1) >>> 0;
      lo = (lo - 1) >>> 0;
    }
    u32[LO] = lo;
    u32[HI] = hi;
    v = f64[0];
  }
  return th + v;
}

// sin/cos constants (glibc's usncs.h).
const S1 = -0.16666666666666666;
const S2 = 0.008333333333332329;
const S3 = -0.00019841269834414642;
const S4 = 2.755729806860771e-06;
const S5 = -2.5022014848318398e-08;
const BIG = 52776558133248.0;
const HP0 = 1.5707963267948966;
const HP1 = 6.123233995736766e-17;
const MP1 = 1.5707963407039642;
const MP2 = -1.3909067564377153e-08;
const PP3 = -4.97899623147991e-17;
const PP4 = -1.9034889620193266e-25;
const HPINV = 0.6366197723675814;
const TOINT = 6755399441055744.0;
const SN3 = -1.66666666666664880952546298448555e-1;
const SN5 = 8.33333214285722277379541354343671e-3;
const CS2 = 4.99999999999999999999950396842453e-1;
const CS4 = -4.16666666666664434524222570944589e-2;
const CS6 = 1.38888874007937613028114285595617e-3;

/** sin(x + dx) for |x| < 0.126 by its Taylor series. */
function taylorSin(xx: number, a: number, da: number): number {
  const poly = fma(fma(fma(fma(S5, xx, S4), xx, S3), xx, S2), xx, S1);
  return a + fma(fma(poly, a, -(0.5 * da)), xx, da);
}

function doCos(x: number, dx: number): number {
  if (x < 0) dx = -dx;
  const ux = BIG + Math.abs(x);
  const k = (ux - BIG) * 128 * 4;
  x = Math.abs(x) - (ux - BIG) + dx;
  const xx = x * x;
  const s = fma(x * xx, fma(xx, SN5, SN3), x);
  const c = xx * fma(xx, fma(xx, CS6, CS4), CS2);
  const sn = SINCOSTAB[k];
  const ssn = SINCOSTAB[k + 1];
  const cs = SINCOSTAB[k + 2];
  const ccs = SINCOSTAB[k + 3];
  const cor = fma(-sn, s, fma(-cs, c, fma(-s, ssn, ccs)));
  return cs + cor;
}

function doSin(x: number, dx: number): number {
  const xold = x;
  if (Math.abs(x) < 0.126) return taylorSin(x * x, x, dx);
  if (x <= 0) dx = -dx;
  const ux = BIG + Math.abs(x);
  const k = (ux - BIG) * 128 * 4;
  x = Math.abs(x) - (ux - BIG);
  const xx = x * x;
  const s = x + fma(x * xx, fma(xx, SN5, SN3), dx);
  const c = fma(x, dx, xx * fma(xx, fma(xx, CS6, CS4), CS2));
  const sn = SINCOSTAB[k];
  const ssn = SINCOSTAB[k + 1];
  const cs = SINCOSTAB[k + 2];
  const ccs = SINCOSTAB[k + 3];
  const cor = fma(cs, s, fma(-sn, c, fma(s, ccs, ssn)));
  const r = sn + cor;
  return xold < 0 || (xold === 0 && 1 / xold < 0) ? -Math.abs(r) : Math.abs(r);
}

/** Reduces x (|x| < 105414350) by multiples of pi/2: [quadrant, a, da]. */
function reduceSincos(x: number, out: Float64Array): number {
  const t = fma(x, HPINV, TOINT);
  const xn = t - TOINT;
  const y = fma(-xn, MP2, fma(-xn, MP1, x));
  const n = ((xn % 4) + 4) % 4;
  // GCC fuses each use of xn * pp3 and xn * pp4 into its own FMA.
  const t2 = fma(-xn, PP3, y);
  let db = fma(-xn, PP3, y - t2);
  const b = fma(-xn, PP4, t2);
  db += fma(-xn, PP4, t2 - b);
  out[0] = b;
  out[1] = db;
  return n;
}

function doSincos(a: number, da: number, n: number): number {
  const r = n & 1 ? doCos(a, da) : doSin(a, da);
  return n & 2 ? -r : r;
}

const reduced = new Float64Array(2);

/** glibc's `sin`. Arguments beyond 105414350 in magnitude fall back to `Math.sin`. */
export function sin(x: number): number {
  const k = highWord(x) & 0x7fffffff;
  if (k < 0x3e500000) return x;
  if (k < 0x3feb6000) return doSin(x, 0);
  if (k < 0x400368fd) {
    const t = HP0 - Math.abs(x);
    const r = doCos(t, HP1);
    return x < 0 ? -Math.abs(r) : Math.abs(r);
  }
  if (k < 0x419921fb) {
    const n = reduceSincos(x, reduced);
    return doSincos(reduced[0], reduced[1], n);
  }
  return Math.sin(x);
}

/** glibc's `cos`. Arguments beyond 105414350 in magnitude fall back to `Math.cos`. */
export function cos(x: number): number {
  const k = highWord(x) & 0x7fffffff;
  if (k < 0x3e400000) return 1.0;
  if (k < 0x3feb6000) return doCos(x, 0);
  if (k < 0x400368fd) {
    const y = HP0 - Math.abs(x);
    const a = y + HP1;
    const da = (y - a) + HP1;
    return doSin(a, da);
  }
  if (k < 0x419921fb) {
    const n = reduceSincos(x, reduced);
    return doSincos(reduced[0], reduced[1], n + 1);
  }
  return Math.cos(x);
}

const POW_OFF_HI = 0x3fe69555; // OFF = 0x3fe6955500000000

/** log(x) for finite x > 0 as hi + tail, following glibc's pow `log_inline` (FMA build). */
function logInline(x: number, tail: Float64Array): number {
  f64[0] = x;
  let hi = u32[HI];
  const lo = u32[LO];
  // tmp = ix - OFF (the low word of OFF is 0).
  const tmpHi = (hi - POW_OFF_HI) | 0;
  const i = (tmpHi >>> (52 - 32 - 7)) & 127;
  const k = tmpHi >> 20;
  // iz = ix - (tmp & 0xfff << 52): subtract k from the exponent.
  hi = (hi - (k << 20)) >>> 0;
  u32[HI] = hi;
  u32[LO] = lo;
  const z = f64[0];
  const kd = k;
  const invc = POW_LOG_INVC[i];
  const logc = POW_LOG_LOGC[i];
  const logctail = POW_LOG_LOGCTAIL[i];
  const r = fma(z, invc, -1.0);
  const t1 = fma(kd, POW_LN2HI, logc);
  const t2 = t1 + r;
  const lo1 = fma(kd, POW_LN2LO, logctail);
  const lo2 = t1 - t2 + r;
  const A = POW_LOG_POLY;
  const ar = A[0] * r;
  const ar2 = r * ar;
  const ar3 = r * ar2;
  const hiSum = t2 + ar2;
  const lo3 = fma(ar, r, -ar2);
  const lo4 = t2 - hiSum + ar2;
  const p = ar3 * fma(ar2, fma(ar2, fma(r, A[6], A[5]), fma(r, A[4], A[3])), fma(r, A[2], A[1]));
  const loSum = lo1 + lo2 + lo3 + lo4 + p;
  const y = hiSum + loSum;
  tail[0] = hiSum - y + loSum;
  return y;
}

/** exp(x + xtail) for |x| well inside the double range, following glibc's `exp_inline`. */
function expInline(x: number, xtail: number): number {
  let kd = fma(EXP_INVLN2N, x, EXP_SHIFT);
  f64[0] = kd;
  const ki = u32[LO] | 0;
  kd -= EXP_SHIFT;
  let r = fma(kd, EXP_NEGLN2LON, fma(kd, EXP_NEGLN2HIN, x));
  r += xtail;
  const idx = ki & 127;
  const scale = EXP_SCALE[idx] * 2 ** ((ki - idx) / 128);
  const tail = EXP_TAIL[idx];
  const r2 = r * r;
  const tmp = fma(r2 * r2, fma(r, EXP_POLY[3], EXP_POLY[2]), fma(r2, fma(r, EXP_POLY[1], EXP_POLY[0]), tail + r));
  return fma(scale, tmp, scale);
}

const logTail = new Float64Array(1);

/**
 * glibc's `pow(x, y)` for finite x != 0 and results well inside the double range, which
 * is all the environments need (`x ** 2`); other arguments fall back to `Math.pow`.
 */
export function pow(x: number, y: number): number {
  if (!Number.isFinite(x) || !Number.isFinite(y) || x === 0 || y === 0) return Math.pow(x, y);
  let sign = 1;
  if (x < 0) {
    if (!Number.isInteger(y)) return NaN;
    if (Math.abs(y) < 2 ** 53 && Math.abs(y) % 2 === 1) sign = -1;
    x = -x;
  }
  if (x < 2 ** -1000 || x > 2 ** 1000 || Math.abs(y) > 2 ** 20) return Math.pow(sign * x, y);
  const hi = logInline(x, logTail);
  const lo = logTail[0];
  const ehi = y * hi;
  const elo = fma(y, lo, fma(y, hi, -ehi));
  if (Math.abs(ehi) > 700) return Math.pow(sign * x, y);
  return sign * expInline(ehi, elo);
}

/**
 * `x ** 2` as numpy computes it for a float64 scalar: glibc's pow(x, 2). glibc's pow is
 * within 0.54 ulp of the exact square, so when x * x is within 0.45 ulp of it (almost
 * always) no other double qualifies and the full pow is skipped.
 */
export function square(x: number): number {
  const p = x * x;
  if (!Number.isFinite(p) || p === 0) return pow(x, 2);
  let t = SPLITTER * x;
  const xh = t - (t - x);
  const xl = x - xh;
  t = ((xh * xh - p) + 2 * xh * xl) + xl * xl;
  f64[0] = p;
  const exponent = (u32[HI] >>> 20) & 0x7ff;
  if (exponent > 53 && Math.abs(t) < 0.45 * 2 ** (exponent - 1075)) return p;
  return pow(x, 2);
}

// glibc's expm1 constants (fdlibm's): ln 2 split in two, 1/ln 2, and the scaled rational coefficients.
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.44269504088896338700;
const Q1 = -3.33333333333331316428e-2;
const Q2 = 1.58730158725481460165e-3;
const Q3 = -7.93650757867487942473e-5;
const Q4 = 4.00821782732936239552e-6;
const Q5 = -2.01099218183624371326e-7;

/** A double with `k` added to its binary exponent (no overflow or underflow: |k| stays small here). */
function addExponent(y: number, k: number): number {
  f64[0] = y;
  u32[HI] += k << 20;
  return f64[0];
}

/** A double whose high word is `hi` and low word 0. */
function fromHighWord(hi: number): number {
  u32[HI] = hi;
  u32[LO] = 0;
  return f64[0];
}

/**
 * exp(x) − 1 as glibc computes it on x86-64 with FMA (`s_expm1.c` compiled with
 * contraction, the variant its dispatcher picks there): every `a * b + c` is fused.
 */
export function expm1(x: number): number {
  if (Number.isNaN(x)) return x;
  const negative = x < 0 || Object.is(x, -0);
  const hx = highWord(x) & 0x7fffffff;
  if (hx >= 0x4043687a) {
    // |x| >= 56 ln 2: exp(x) - 1 is -1 below, and past 709.78 it overflows.
    if (x === Infinity) return Infinity;
    if (x === -Infinity) return -1;
    if (x > 7.09782712893383973096e2) return Infinity;
    if (negative) return -1;
  }
  let k = 0;
  let c = 0;
  if (hx > 0x3fd62e42) {
    // |x| > ln 2 / 2: x = k ln 2 + r with |r| <= ln 2 / 2, r = hi - lo carried as x and c.
    let hi: number;
    let lo: number;
    if (hx < 0x3ff0a2b2) {
      if (!negative) {
        hi = x - LN2_HI;
        lo = LN2_LO;
        k = 1;
      } else {
        hi = x + LN2_HI;
        lo = -LN2_LO;
        k = -1;
      }
    } else {
      k = Math.trunc(fma(INV_LN2, x, negative ? -0.5 : 0.5));
      hi = fma(-k, LN2_HI, x);
      lo = k * LN2_LO;
    }
    x = hi - lo;
    c = hi - x - lo;
  } else if (hx < 0x3c900000) {
    return x;
  }
  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const r1 = fma(hxs * hxs * (hxs * hxs), fma(hxs, Q5, Q4), fma(hxs * hxs, fma(hxs, Q3, Q2), fma(hxs, Q1, 1)));
  const t = fma(-r1, hfx, 3.0);
  let e = hxs * ((r1 - t) / fma(-x, t, 6.0));
  if (k === 0) return x - fma(x, e, -hxs);
  e = fma(x, e - c, -c);
  e -= hxs;
  if (k === -1) return fma(0.5, x - e, -0.5);
  if (k === 1) return x < -0.25 ? -2.0 * (e - (x + 0.5)) : fma(2.0, x - e, 1);
  if (k <= -2 || k > 56) return addExponent(1 - (e - x), k) - 1;
  if (k < 20) return addExponent(fromHighWord(0x3ff00000 - (0x200000 >> k)) - (e - x), k);
  return addExponent(x - (e + fromHighWord((0x3ff - k) << 20)) + 1, k);
}

/** tanh(x) as glibc computes it (`s_tanh.c`, through its FMA-built expm1). */
export function tanh(x: number): number {
  if (Number.isNaN(x)) return x;
  const ax = Math.abs(x);
  if (ax === Infinity) return x > 0 ? 1 : -1;
  if (ax >= 22) return x > 0 ? 1 : -1;
  if (x === 0) return x;
  if (ax < 2 ** -55) return x * (1 + x);
  let z: number;
  if (ax >= 1) z = 1 - 2 / (expm1(2 * ax) + 2);
  else {
    const t = expm1(-2 * ax);
    z = -t / (t + 2);
  }
  return x >= 0 ? z : -z;
}
