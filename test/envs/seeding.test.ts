import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Box } from '../../src/envs/spaces/box';
import { Discrete } from '../../src/envs/spaces/discrete';
import { PalestraError } from '../../src/errors';
import { Generator, MAX_SEED_DIGITS, SeedSequence, checkSeed, npRandom } from '../../src/envs/utils/seeding';
import { FE, FI, KI, WE, WI, ZIGGURAT_NOR_R } from '../../src/envs/utils/numpy_random/ziggurat_constants';
import { CONFORMANCE_DIR } from '../helpers/conformance';

interface RngCase {
  seed: number;
  generate_state_uint32x8: number[];
  generate_state_uint64x4: string[];
  pcg64_state_after_init: { state: string; inc: string };
  random_raw_uint64: string[];
  random_double: number[];
  integers_int64: Record<string, number[]>;
  'uniform_scalar_-0.6_-0.4': number[];
  'uniform_size4_-0.05_0.05': number[];
  interleaved: [string, number][];
  'Box(-1,1,(1,),float32).sample': number[][];
  'Discrete(4).sample': number[];
  'choice(blackjack_deck)': number[];
}

const cases: RngCase[] = JSON.parse(
  readFileSync(join(CONFORMANCE_DIR, 'rng.json'), 'utf8'),
).seeds;
const fresh = (seed: number): Generator => npRandom(seed)[0];

describe.each(cases.map((c) => [c.seed, c] as const))('numpy RNG chain, seed %s', (seed, c) => {
  test('SeedSequence.generate_state matches numpy', () => {
    const seq = new SeedSequence(seed);
    expect(Array.from(seq.generateState32(8))).toEqual(c.generate_state_uint32x8);
    expect(seq.generateState64(4).map(String)).toEqual(c.generate_state_uint64x4);
  });

  test('PCG64 state after seeding and its raw outputs match numpy', () => {
    const g = fresh(seed);
    const { state, inc } = g.bitGenerator.state;
    expect(state.toString()).toBe(c.pcg64_state_after_init.state);
    expect(inc.toString()).toBe(c.pcg64_state_after_init.inc);
    const raw = c.random_raw_uint64.map(() => g.bitGenerator.nextUint64().toString());
    expect(raw).toEqual(c.random_raw_uint64);
  });

  test('random() doubles match numpy exactly', () => {
    const g = fresh(seed);
    expect(c.random_double.map(() => g.random())).toEqual(c.random_double);
  });

  test('integers(n) match numpy for every n', () => {
    for (const [n, expected] of Object.entries(c.integers_int64)) {
      const g = fresh(seed);
      expect(expected.map(() => g.integers(Number(n)))).toEqual(expected);
    }
  });

  test('uniform draws match numpy (MountainCar and CartPole resets)', () => {
    let g = fresh(seed);
    const mc = c['uniform_scalar_-0.6_-0.4'];
    expect(mc.map(() => g.uniform(-0.6, -0.4))).toEqual(mc);
    g = fresh(seed);
    const cp = c['uniform_size4_-0.05_0.05'];
    expect(cp.map(() => g.uniform(-0.05, 0.05))).toEqual(cp);
  });

  test('interleaved 32-bit and 64-bit draws share the buffered half as numpy does', () => {
    const g = fresh(seed);
    for (const [call, expected] of c.interleaved) {
      const m = /^integers\((\d+)\)$/.exec(call);
      const value = m ? g.integers(Number(m[1])) : g.random();
      expect([call, value]).toEqual([call, expected]);
    }
  });
});

describe.each(cases.map((c) => [c.seed, c] as const))('numpy draws Gymnasium makes, seed %s', (seed, c) => {
  test('choice over Blackjack\'s deck matches numpy', () => {
    const deck = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 10, 10];
    const g = fresh(seed);
    const expected = c['choice(blackjack_deck)'];
    expect(expected.map(() => g.choice(deck))).toEqual(expected);
  });

  test('a seeded Discrete(4) samples what Gymnasium samples', () => {
    const space = new Discrete(4);
    space.seed(seed);
    const expected = c['Discrete(4).sample'];
    expect(expected.map(() => space.sample())).toEqual(expected);
  });

  test('a seeded float32 Box(-1, 1, (1,)) samples what Gymnasium samples', () => {
    const space = new Box(-1, 1, [1], 'float32');
    space.seed(seed);
    const expected = c['Box(-1,1,(1,),float32).sample'];
    expect(expected.map(() => Array.from(space.sample()))).toEqual(expected);
  });
});

// Reference draws from numpy's Generator(PCG64(SeedSequence(seed))); the ziggurat
// algorithms and tables have been unchanged since numpy 1.17, so these hold for 1.24.
describe('standard_normal and standard_exponential are numpy\'s ziggurats', () => {
  test('the first normal draws match numpy for seeds 0 and 42', () => {
    let g = fresh(0);
    expect(Array.from({ length: 8 }, () => g.standard_normal())).toEqual([
      0.1257302210933933, -0.1321048632913019, 0.6404226504432821, 0.10490011715303971, -0.535669373161111,
      0.36159505490948474, 1.3040000451301372, 0.9470809631292422,
    ]);
    g = fresh(42);
    expect(Array.from({ length: 8 }, () => g.standard_normal())).toEqual([
      0.30471707975443135, -1.0399841062404955, 0.7504511958064572, 0.9405647163912139, -1.9510351886538364,
      -1.302179506862318, 0.12784040316728537, -0.3162425923435822,
    ]);
  });

  test('the first exponential draws match numpy for seeds 0 and 42', () => {
    let g = fresh(0);
    expect(Array.from({ length: 8 }, () => g.standard_exponential())).toEqual([
      0.6799319039689096, 1.0195971014658647, 0.019806662589055352, 0.0022693266812281823, 0.5503428726390482,
      1.6299404346583852, 0.6735829526672319, 0.7553013578253913,
    ]);
    g = fresh(42);
    expect(Array.from({ length: 8 }, () => g.standard_exponential())).toEqual([
      2.4042086039659947, 2.3361896558244535, 2.384760999874255, 0.2797942898515832, 0.08643739969837702,
      1.4526605157061507, 1.4099606942575735, 3.1242959565494974,
    ]);
  });

  test('200000 normals: the tail and wedge paths land where numpy\'s do', () => {
    const g = fresh(7);
    let sum = 0;
    let max = -Infinity;
    let argmax = -1;
    let min = Infinity;
    let argmin = -1;
    let sumSq = 0;
    let last = 0;
    for (let i = 0; i < 200000; i++) {
      const x = g.standard_normal();
      sum += x;
      sumSq += x * x;
      last = x;
      if (x > max) [max, argmax] = [x, i];
      if (x < min) [min, argmin] = [x, i];
    }
    // Beyond r = 3.654 the draw comes from the tail sampler, so these exercise it.
    expect({ max, argmax, min, argmin, last }).toEqual({
      max: 4.522829666849905,
      argmax: 100929,
      min: -4.502222241099144,
      argmin: 33110,
      last: 0.5342501005320923,
    });
    const mean = sum / 200000;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(sumSq / 200000 - mean * mean - 1)).toBeLessThan(0.01);
  });

  test('200000 exponentials: tail included, mean and variance 1', () => {
    const g = fresh(7);
    let sum = 0;
    let sumSq = 0;
    let max = -Infinity;
    let argmax = -1;
    let last = 0;
    let min = Infinity;
    for (let i = 0; i < 200000; i++) {
      const x = g.standard_exponential();
      min = Math.min(min, x);
      sum += x;
      sumSq += x * x;
      last = x;
      if (x > max) [max, argmax] = [x, i];
    }
    expect({ max, argmax, last }).toEqual({ max: 11.45871735227823, argmax: 117793, last: 0.15523181503418448 });
    expect(min).toBeGreaterThanOrEqual(0);
    const mean = sum / 200000;
    expect(Math.abs(mean - 1)).toBeLessThan(0.01);
    expect(Math.abs(sumSq / 200000 - mean * mean - 1)).toBeLessThan(0.03);
  });

  test('the transcribed tables satisfy the ziggurat relations', () => {
    // Each layer edge x_i = WI[i] * 2^52 has density FI[i] = exp(-x_i^2 / 2), and the
    // acceptance threshold is the ratio of neighbouring edges scaled to 52 bits.
    for (let i = 1; i < 256; i++) {
      const x = WI[i] * 2 ** 52;
      expect(FI[i]).toBeCloseTo(Math.exp(-0.5 * x * x), 12);
      if (i < 255) expect(KI[i + 1] / 2 ** 52).toBeCloseTo(WI[i] / WI[i + 1], 12);
      const xe = WE[i] * 2 ** 53;
      expect(FE[i]).toBeCloseTo(Math.exp(-xe), 12);
    }
    // The outermost edge is where the tail begins.
    expect(WI[255] * 2 ** 52).toBeCloseTo(ZIGGURAT_NOR_R, 12);
  });
});

describe('choice and int8 integers', () => {
  test('choice with probabilities matches numpy (generate_random_map draws)', () => {
    let g = fresh(0);
    expect(g.choices(['F', 'H'], 16, [0.8, 0.2]).join('')).toBe('FFFFHHFFFHHFHFFF');
    g = fresh(42);
    expect(g.choices(['F', 'H'], 16, [0.8, 0.2]).join('')).toBe('FFHFFHFFFFFHFHFF');
  });

  test('choice refuses probabilities that are negative or do not sum to 1', () => {
    const g = fresh(0);
    expect(() => g.choice([1, 2], [0.5, 0.6])).toThrow(/sum to 1/);
    expect(() => g.choice([1, 2], [-0.5, 1.5])).toThrow(/non-negative/);
    expect(() => g.choice([1, 2], [1])).toThrow(/same size/);
    expect(() => g.choice([])).toThrow(/empty/);
  });

  test('integers(0, 2, size, dtype=int8) slices each uint32 into bytes as numpy does', () => {
    let g = fresh(0);
    const first = [...g.integersFill(new Int8Array(11), 0, 2, 8), ...g.integersFill(new Int8Array(3), 0, 2, 8)];
    expect(first).toEqual([0, 1, 1, 1, 1, 1, 0, 1, 0, 1, 1, 1, 1, 0]);
    g = fresh(42);
    const second = [...g.integersFill(new Int8Array(11), 0, 2, 8), ...g.integersFill(new Int8Array(3), 0, 2, 8)];
    expect(second).toEqual([1, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 0]);
  });
});

/** The catalogue name and message a bad seed is refused with. */
function refusal(seed: unknown): { name: string; message: string } {
  try {
    checkSeed(seed);
  } catch (err) {
    return { name: (err as PalestraError).errorName, message: (err as Error).message };
  }
  throw new Error(`seed ${String(seed)} was accepted`);
}

test.each([-1, 1.5, NaN, Infinity, -0.5, '', '-1', '1.5', '1e3', ' 7', '0x10', 'seven', '1'.repeat(MAX_SEED_DIGITS + 1), true, [1], {}])(
  'seed %p is refused with invalid_seed',
  (seed) => {
    expect(refusal(seed).name).toBe('invalid_seed');
    expect(() => npRandom(seed as never)).toThrow(PalestraError);
  },
);

test.each([2 ** 53, 1e20, 1e300])('the unsafe JSON number %p is refused with a message to send it as a string', (seed) => {
  expect(refusal(seed)).toEqual({ name: 'invalid_seed', message: expect.stringMatching(/send it as a string/) });
});

test('a seed as decimal digits is the same seed as the number or bigint', () => {
  expect(checkSeed('18446744073709551615')).toBe(18446744073709551615n);
  expect(checkSeed('007')).toBe(7n);
  expect(checkSeed(2 ** 53 - 1)).toBe(2 ** 53 - 1);
  const draws = (seed: string | number | bigint) => {
    const [g, used] = npRandom(seed);
    return [used, g.random(), g.integers(1000)];
  };
  expect(draws('123')).toEqual(draws(123));
  expect(draws('123')).toEqual(draws(123n));
  expect(draws('1'.repeat(MAX_SEED_DIGITS))).toEqual(draws(BigInt('1'.repeat(MAX_SEED_DIGITS))));
});

test('integers over ranges wider than 32 bits stay in range', () => {
  const g = fresh(3);
  for (let i = 0; i < 100; i++) {
    const v = g.integers(2 ** 40);
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThan(2 ** 40);
  }
});
