import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cos, expm1, fma, pow, sin, square, tanh } from '../../src/envs/utils/libm';

const ref: { x: number[]; sin: number[]; cos: number[]; pow2: number[] } = JSON.parse(
  readFileSync(join(__dirname, 'fixtures/glibc_ref.json'), 'utf8'),
);

/** Indices where f disagrees with the reference, with the values. */
function mismatches(f: (x: number) => number, want: number[]): [number, number, number][] {
  return ref.x.flatMap((x, i) => (f(x) === want[i] ? [] : [[x, f(x), want[i]] as [number, number, number]]));
}

describe('glibc-exact sin, cos and pow (what numpy computes on Linux)', () => {
  test('sin matches glibc on every reference input, where Math.sin does not', () => {
    expect(mismatches(sin, ref.sin)).toEqual([]);
    expect(mismatches(Math.sin, ref.sin).length).toBeGreaterThan(0);
  });

  test('cos matches glibc on every reference input', () => {
    expect(mismatches(cos, ref.cos)).toEqual([]);
  });

  test('square is glibc\'s pow(x, 2), which is not always x * x', () => {
    expect(mismatches(square, ref.pow2)).toEqual([]);
    expect(mismatches((x) => pow(x, 2), ref.pow2)).toEqual([]);
    expect(mismatches((x) => x * x, ref.pow2).length).toBeGreaterThan(100);
  });

  test('special arguments', () => {
    expect(sin(0)).toBe(0);
    expect(Object.is(sin(-0), -0)).toBe(true);
    expect(cos(0)).toBe(1);
    expect(Number.isNaN(sin(Infinity))).toBe(true);
    expect(square(0)).toBe(0);
    expect(square(-3)).toBe(9);
    expect(pow(2, 10)).toBe(1024);
    expect(pow(-2, 3)).toBe(-8);
  });

  test('fma rounds once', () => {
    // (1 + 2^-30)^2 - 1 needs the 2^-60 term that a separate multiply would round away.
    const a = 1 + 2 ** -30;
    expect(fma(a, a, -1)).toBe(2 ** -29 + 2 ** -60);
    expect(a * a - 1).toBe(2 ** -29);
    expect(fma(0.1, 10, -1)).toBe(5.551115123125783e-17);
  });
});

describe("glibc-exact tanh and expm1 (LunarLander's wind)", () => {
  const tanhRef: { x: number[]; tanh: number[]; e: number[]; expm1: number[]; wind_first: number; wind_count: number; wind_sha256: string } = JSON.parse(
    readFileSync(join(__dirname, 'fixtures/tanh_ref.json'), 'utf8'),
  );
  const differing = (f: (x: number) => number, xs: number[], want: number[]) => xs.flatMap((x, i) => (Object.is(f(x), want[i]) ? [] : [[x, f(x), want[i]]]));

  test('tanh and expm1 match glibc on every sampled argument', () => {
    expect(differing(tanh, tanhRef.x, tanhRef.tanh)).toEqual([]);
    expect(differing(expm1, tanhRef.e, tanhRef.expm1)).toEqual([]);
  });

  test("every wind value LunarLander can use is glibc's, bit for bit, where Math.tanh's are not", () => {
    const table = (f: (x: number) => number) => {
      const out = new Float64Array(tanhRef.wind_count);
      for (let k = 0; k < out.length; k++) {
        const i = tanhRef.wind_first + k;
        out[k] = f(sin(0.02 * i) + sin(Math.PI * 0.01 * i));
      }
      return createHash('sha256').update(Buffer.from(out.buffer)).digest('hex');
    };
    expect(table(tanh)).toBe(tanhRef.wind_sha256);
    expect(table(Math.tanh)).not.toBe(tanhRef.wind_sha256);
  });

  test('special arguments', () => {
    expect(Object.is(tanh(-0), -0)).toBe(true);
    expect(tanh(Infinity)).toBe(1);
    expect(tanh(-40)).toBe(-1);
    expect(Number.isNaN(tanh(NaN))).toBe(true);
    expect(expm1(0)).toBe(0);
    expect(expm1(-Infinity)).toBe(-1);
    expect(expm1(1000)).toBe(Infinity);
  });
});
