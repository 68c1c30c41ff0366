/** Exploration noise: independent Gaussian draws against the slowly drifting Ornstein–Uhlenbeck process. */
import { actionNoise } from '../../../src/train/core/action_noise';
import { Rng } from '../../../src/train/core/random';

/** `steps` draws of `dims` independent processes of one kind, σ = 0.5. */
function draws(kind: 'normal' | 'ornstein_uhlenbeck', dims: number, steps: number): Float32Array[] {
  const noise = actionNoise(kind, dims, 0.5);
  const rng = new Rng(3);
  return Array.from({ length: steps }, () => Float32Array.from(noise.sample(rng)));
}

const std = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
};

/** Correlation of each value with the next one, pooled over dimensions. */
function lag1(series: Float32Array[]): number {
  let xy = 0;
  let xx = 0;
  for (let t = 1; t < series.length; t++) {
    for (let j = 0; j < series[t].length; j++) {
      xy += series[t - 1][j] * series[t][j];
      xx += series[t - 1][j] ** 2;
    }
  }
  return xy / xx;
}

test('normal noise has standard deviation σ and no memory', () => {
  const d = draws('normal', 50, 400);
  expect(std(d.flatMap((x) => Array.from(x)))).toBeCloseTo(0.5, 1);
  expect(Math.abs(lag1(d))).toBeLessThan(0.05);
});

test('Ornstein–Uhlenbeck noise moves little per step and settles near σ/√(2θ)', () => {
  const d = draws('ornstein_uhlenbeck', 200, 4000);
  expect(lag1(d)).toBeGreaterThan(0.99);
  // Per step the process moves by σ√dt = 0.05 at most a few times over.
  const steps = d.slice(1).flatMap((x, t) => Array.from(x, (v, j) => v - d[t][j]));
  expect(std(steps)).toBeCloseTo(0.05, 2);
  // After 4000 steps (six relaxation times 1/(θ·dt)) the spread is the stationary one, 0.5/√0.3 ≈ 0.91.
  const spread = std(Array.from(d[d.length - 1]));
  expect(spread).toBeGreaterThan(0.75);
  expect(spread).toBeLessThan(1.1);
});

test('reset brings the Ornstein–Uhlenbeck process back to 0', () => {
  const noise = actionNoise('ornstein_uhlenbeck', 3, 0.5);
  const rng = new Rng(1);
  for (let i = 0; i < 1000; i++) noise.sample(rng);
  noise.reset();
  const first = noise.sample(rng);
  for (const v of first) expect(Math.abs(v)).toBeLessThan(0.25);
});
