import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Generator, SeedSequence, npRandom } from '../../src/envs/utils/seeding';

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
}

const cases: RngCase[] = JSON.parse(
  readFileSync(join(__dirname, '../../../shared/conformance/rng.json'), 'utf8'),
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

test('a seed that is not a non-negative integer is refused', () => {
  expect(() => npRandom(-1)).toThrow(RangeError);
  expect(() => npRandom(1.5)).toThrow(RangeError);
});

test('integers over ranges wider than 32 bits stay in range', () => {
  const g = fresh(3);
  for (let i = 0; i < 100; i++) {
    const v = g.integers(2 ** 40);
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThan(2 ** 40);
  }
});
