/** Token-bucket rate limits: bursts, refill, one bucket per client, and the error that names the limit. */
import { PalestraError } from '../../../src/errors';
import { RateLimiter, RateLimits, RateSyntaxError, describeRate, parseRate } from '../../../src/server/security/rate_limit';

/** A clock the test moves by hand. */
function clock() {
  let t = 1000;
  return { now: () => t, advance: (s: number) => (t += s) };
}

describe('parseRate', () => {
  it('reads N/s, N/m, N/h with an optional burst; a bare number is per second', () => {
    expect(parseRate('20/s')).toEqual({ perSecond: 20, burst: 20 });
    expect(parseRate('30/m:10')).toEqual({ perSecond: 0.5, burst: 10 });
    expect(parseRate('7200/h')).toEqual({ perSecond: 2, burst: 7200 });
    expect(parseRate('5')).toEqual({ perSecond: 5, burst: 5 });
    expect(parseRate('0.5/s')).toEqual({ perSecond: 0.5, burst: 1 });
  });

  it('reads 0 and off as no limit, and refuses what is not a rate', () => {
    expect(parseRate('0')).toBeNull();
    expect(parseRate('off')).toBeNull();
    for (const bad of ['', 'fast', '10/d', '-1/s', '10/s:0', '0/s', '1e3/s']) expect(() => parseRate(bad)).toThrow(RateSyntaxError);
  });

  it('states a rate in the unit a person would use', () => {
    expect(describeRate({ perSecond: 0.5, burst: 10 })).toBe('30 per minute, bursts of 10');
    expect(describeRate({ perSecond: 20, burst: 40 })).toBe('20 per second, bursts of 40');
    expect(describeRate({ perSecond: 1 / 360, burst: 1 })).toBe('10 per hour, bursts of 1');
  });
});

describe('RateLimiter', () => {
  it('allows a burst, then refuses until tokens refill', () => {
    const c = clock();
    const limiter = new RateLimiter('train', { perSecond: 0.5, burst: 3 }, c.now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBeCloseTo(2);
    c.advance(1);
    expect(limiter.take('a')).toBeCloseTo(1);
    c.advance(1);
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeCloseTo(2);
  });

  it('never holds more than the burst, however long a client was idle', () => {
    const c = clock();
    const limiter = new RateLimiter('http', { perSecond: 10, burst: 2 }, c.now);
    limiter.take('a');
    c.advance(3600);
    expect([limiter.take('a'), limiter.take('a')]).toEqual([0, 0]);
    expect(limiter.take('a')).toBeGreaterThan(0);
  });

  it('keeps one bucket per client', () => {
    const c = clock();
    const limiter = new RateLimiter('train', { perSecond: 1, burst: 1 }, c.now);
    expect(limiter.take('alice')).toBe(0);
    expect(limiter.take('alice')).toBeGreaterThan(0);
    expect(limiter.take('bob')).toBe(0);
    limiter.forget('alice');
    expect(limiter.take('alice')).toBe(0);
  });

  it('refuses with rate_limited, naming the limit and when to retry', () => {
    const c = clock();
    const limiter = new RateLimiter('evaluate', { perSecond: 0.5, burst: 1 }, c.now);
    limiter.consume('a');
    let error: PalestraError | undefined;
    try {
      limiter.consume('a');
    } catch (e) {
      error = e as PalestraError;
    }
    expect(error).toBeInstanceOf(PalestraError);
    expect(error!.errorName).toBe('rate_limited');
    expect(error!.entry.http_status).toBe(429);
    expect(error!.data).toEqual({ limit: 'evaluate', retry_after_s: 2 });
    expect(error!.message).toMatch(/"evaluate".*30 per minute, bursts of 1.*2 s/);
  });

  it('stays bounded in memory when many clients pass by', () => {
    const c = clock();
    const limiter = new RateLimiter('http', { perSecond: 100, burst: 5 }, c.now, 100);
    for (let i = 0; i < 1000; i++) {
      limiter.take(`client-${i}`);
      c.advance(0.001);
    }
    expect(limiter.clients).toBeLessThanOrEqual(100);
  });
});

describe('forgetting idle clients', () => {
  afterEach(() => jest.useRealTimers());

  it('sweep() forgets the buckets that have refilled to full and keeps the ones still refilling', () => {
    const c = clock();
    const limiter = new RateLimiter('train', { perSecond: 1, burst: 2 }, c.now);
    limiter.take('idle');
    limiter.take('busy');
    limiter.take('busy');
    c.advance(1.5);
    // idle is back at 2 tokens (full); busy has 1.5 of 2.
    expect(limiter.sweep()).toBe(1);
    expect(limiter.clients).toBe(1);
    // busy kept its state: one token now, none after it.
    expect(limiter.take('busy')).toBe(0);
    expect(limiter.take('busy')).toBeGreaterThan(0);
  });

  it('a server\'s limits sweep every minute on an unref\'d timer, so buckets follow the active clients; close() stops it', () => {
    jest.useFakeTimers();
    const c = clock();
    const limits = new RateLimits({ train: { perSecond: 1, burst: 1 }, http: { perSecond: 10, burst: 10 } }, c.now);
    for (let i = 0; i < 500; i++) {
      limits.consume('http', `ip:${i}`);
      limits.consume('train', `session:${i}`);
    }
    expect(limits.clients).toBe(1000);
    c.advance(0.5);
    limits.consume('train', 'session:late');
    // A second later every bucket but the late one has refilled (http in 0.1 s, train in 1 s).
    c.advance(0.6);
    jest.advanceTimersByTime(60_000);
    expect(limits.clients).toBe(1);
    expect(() => limits.consume('train', 'session:late')).toThrow(/Rate limit "train"/);
    limits.close();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('no limits set: no timer', () => {
    jest.useFakeTimers();
    const limits = new RateLimits({ http: null });
    expect(jest.getTimerCount()).toBe(0);
    limits.close();
  });
});

describe('RateLimits', () => {
  it('enforces the limits that are set and ignores the others', () => {
    const c = clock();
    const limits = new RateLimits({ train: { perSecond: 1, burst: 1 }, http: null }, c.now);
    expect(limits.has('train')).toBe(true);
    expect(limits.has('http')).toBe(false);
    limits.consume('train', 'a');
    expect(() => limits.consume('train', 'a')).toThrow(/Rate limit "train"/);
    for (let i = 0; i < 100; i++) limits.consume('http', 'a');
    limits.forget('a');
    expect(() => limits.consume('train', 'a')).not.toThrow();
    limits.close();
  });
});
