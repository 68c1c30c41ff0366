/**
 * A small seedable generator (xoshiro128**) for sampling spaces in the client.
 * It is not numpy's: for Gymnasium-exact samples ask the server (`env.actionSample(seed)`).
 */
export class Random {
  private s = new Uint32Array(4);
  private spare: number | null = null;

  constructor(seed?: number) {
    this.seed(seed);
  }

  /** Restarts the stream from `seed` (any number; fresh entropy when absent). */
  seed(seed?: number): void {
    let x = seed === undefined ? Math.floor(Math.random() * 2 ** 32) ^ Date.now() : Math.floor(Math.abs(seed));
    // splitmix32 spreads a small seed over the whole state, as xoshiro needs.
    const hi = Math.floor(x / 2 ** 32);
    x = (x ^ hi) >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    this.spare = null;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A uniform float in [0, 1) with 53 random bits. */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** A uniform integer in [0, n). */
  integer(n: number): number {
    return Math.floor(this.random() * n);
  }

  /** A standard normal draw (Box–Muller). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** An exponential draw with mean 1. */
  exponential(): number {
    return -Math.log(1 - this.random());
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
