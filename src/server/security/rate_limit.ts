/**
 * Token buckets: each client (a key's name, or a connection when there are
 * no keys) holds up to `burst` tokens that refill at `perSecond`; a request
 * takes one, and with none left it is refused with `rate_limited`, naming
 * the limit and when to try again. A bucket that has refilled to full says
 * nothing a fresh one would not, so such buckets are swept away every minute:
 * memory follows the clients active in the last refill period, not every
 * client ever seen.
 */
import { PalestraError } from '../../errors';

/** The limits a server knows: every HTTP request, and the methods that start costly work. */
export const RATE_LIMIT_NAMES = ['http', 'train', 'evaluate', 'make_vec'];

/** A rate: `perSecond` tokens refill each second, up to `burst` held at once. */
export interface Rate {
  perSecond: number;
  burst: number;
}

/** Seconds between sweeps of full buckets. */
const SWEEP_SECONDS = 60;

const UNITS: Record<string, number> = { s: 1, sec: 1, second: 1, m: 60, min: 60, minute: 60, h: 3600, hour: 3600 };

/** Thrown by `parseRate` for text that is not a rate. */
export class RateSyntaxError extends Error {
  constructor(text: string) {
    super(`${JSON.stringify(text)} is not a rate: write N/s, N/m or N/h, optionally :BURST (e.g. 30/m:10), or 0 for no limit`);
    this.name = 'RateSyntaxError';
  }
}

/**
 * Reads `N/UNIT[:BURST]` (`20/s`, `30/m:10`, `100/h`); a bare number is per second.
 * The burst defaults to N, at least 1. `0` (or `off`) means no limit and gives null.
 */
export function parseRate(text: string): Rate | null {
  const t = text.trim().toLowerCase();
  if (t === '0' || t === 'off') return null;
  const m = /^(\d+(?:\.\d+)?)(?:\/([a-z]+))?(?::(\d+))?$/.exec(t);
  if (!m) throw new RateSyntaxError(text);
  const count = Number(m[1]);
  const unit = m[2] === undefined ? 1 : UNITS[m[2]];
  if (unit === undefined || !(count > 0)) throw new RateSyntaxError(text);
  const burst = m[3] === undefined ? Math.max(1, Math.floor(count)) : Number(m[3]);
  if (!(burst >= 1)) throw new RateSyntaxError(text);
  return { perSecond: count / unit, burst };
}

/** `{perSecond: 0.5, burst: 10}` → `30 per minute, bursts of 10`: how an error message states a rate. */
export function describeRate(rate: Rate): string {
  const [count, unit] =
    rate.perSecond >= 1 ? [rate.perSecond, 'second'] : rate.perSecond * 60 >= 1 ? [rate.perSecond * 60, 'minute'] : [rate.perSecond * 3600, 'hour'];
  return `${Number(count.toPrecision(4))} per ${unit}, bursts of ${rate.burst}`;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Seconds on a monotonic clock. */
function monotonicSeconds(): number {
  return performance.now() / 1000;
}

/** One named limit with a bucket per client. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /**
   * @param name what the limit is called in errors (`train`, `http`, …)
   * @param rate its rate
   * @param now a clock in seconds (tests pass their own)
   * @param maxClients buckets kept before full ones are forgotten, so many clients cannot grow it without end
   */
  constructor(
    readonly name: string,
    readonly rate: Rate,
    private readonly now: () => number = monotonicSeconds,
    private readonly maxClients = 10_000,
  ) {}

  /** Takes `cost` tokens from `client`'s bucket: 0 when allowed, otherwise the seconds until it would be. */
  take(client: string, cost = 1): number {
    const now = this.now();
    let bucket = this.buckets.get(client);
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxClients) this.prune(now);
      bucket = { tokens: this.rate.burst, at: now };
      this.buckets.set(client, bucket);
    } else {
      bucket.tokens = Math.min(this.rate.burst, bucket.tokens + (now - bucket.at) * this.rate.perSecond);
      bucket.at = now;
    }
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return 0;
    }
    return (cost - bucket.tokens) / this.rate.perSecond;
  }

  /** Takes a token, or throws `rate_limited` naming this limit. */
  consume(client: string, cost = 1): void {
    const wait = this.take(client, cost);
    if (wait === 0) return;
    const retry = Math.ceil(wait * 10) / 10;
    throw new PalestraError('rate_limited', `Rate limit "${this.name}" reached (${describeRate(this.rate)}); try again in ${retry} s`, {
      limit: this.name,
      retry_after_s: retry,
    });
  }

  /** Drops a client's bucket (its connection closed). */
  forget(client: string): void {
    this.buckets.delete(client);
  }

  /** How many clients have a bucket. */
  get clients(): number {
    return this.buckets.size;
  }

  /** Forgets the buckets that have refilled to full (their clients are idle); answers how many went. */
  sweep(now = this.now()): number {
    const before = this.buckets.size;
    for (const [client, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.rate.perSecond >= this.rate.burst) this.buckets.delete(client);
    }
    return before - this.buckets.size;
  }

  private prune(now: number): void {
    this.sweep(now);
    // Still full of busy clients: forget the oldest, who at worst get a fresh burst.
    for (const client of this.buckets.keys()) {
      if (this.buckets.size < this.maxClients) break;
      this.buckets.delete(client);
    }
  }
}

/** The limits a server enforces, by name; a name absent has no limit. */
export class RateLimits {
  private readonly limiters = new Map<string, RateLimiter>();
  private sweeper: NodeJS.Timeout | null = null;

  /** `sweepSeconds`: how often full buckets are forgotten (0: only when a limiter holds its most clients). */
  constructor(rates: Record<string, Rate | null | undefined>, now?: () => number, sweepSeconds = SWEEP_SECONDS) {
    for (const [name, rate] of Object.entries(rates)) if (rate) this.limiters.set(name, new RateLimiter(name, rate, now));
    if (this.limiters.size > 0 && sweepSeconds > 0) {
      this.sweeper = setInterval(() => this.sweep(), sweepSeconds * 1000);
      // The sweeper alone must not keep a process alive.
      this.sweeper.unref();
    }
  }

  /** Forgets every limit's full buckets. */
  sweep(): void {
    for (const limiter of this.limiters.values()) limiter.sweep();
  }

  /** Buckets held over all limits. */
  get clients(): number {
    let n = 0;
    for (const limiter of this.limiters.values()) n += limiter.clients;
    return n;
  }

  /** Stops the sweeper (the server is closing). */
  close(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }

  /** Throws `rate_limited` when `client` has used up the limit called `name`; does nothing for a name without one. */
  consume(name: string, client: string): void {
    this.limiters.get(name)?.consume(client);
  }

  /** Whether a limit by that name is set. */
  has(name: string): boolean {
    return this.limiters.has(name);
  }

  /** Forgets a client everywhere. */
  forget(client: string): void {
    for (const limiter of this.limiters.values()) limiter.forget(client);
  }
}
