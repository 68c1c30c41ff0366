/** The action distributions: closed-form values, sampling frequencies, and the JS and TF.js versions agreeing. */
import { loadBackend, Tf } from '../../../src/train/core/backend';
import {
  argmax,
  categoricalEntropy,
  categoricalLogProb,
  categoricalMode,
  categoricalSample,
  gaussianEntropy,
  gaussianLogProb,
  gaussianMode,
  gaussianSample,
  softmax,
  tfCategoricalEntropy,
  tfCategoricalLogProb,
  tfGaussianEntropy,
  tfGaussianLogProb,
} from '../../../src/train/core/distributions';
import { Rng } from '../../../src/train/core/random';

let tf: Tf;
beforeAll(async () => {
  tf = (await loadBackend()).tf;
});

describe('categorical', () => {
  // Logits log(0.1), log(0.2), log(0.7) plus a constant: the probabilities are 0.1, 0.2, 0.7.
  const probs = [0.1, 0.2, 0.7];
  const logits = Float32Array.from([99, ...probs.map((p) => Math.log(p) + 3), 99]);

  test('log-probabilities, entropy and mode match the closed form (offset rows read in place)', () => {
    for (let a = 0; a < 3; a++) expect(categoricalLogProb(logits, 1, 3, a)).toBeCloseTo(Math.log(probs[a]), 5);
    expect(categoricalEntropy(logits, 1, 3)).toBeCloseTo(-probs.reduce((h, p) => h + p * Math.log(p), 0), 5);
    expect(softmax(logits, 1, 3).map((p) => +p.toFixed(5))).toEqual(probs);
    expect(categoricalMode(logits, 1, 3)).toBe(2);
    expect(argmax([1, 3, 3], 0, 3)).toBe(1);
  });

  test('large logits do not overflow', () => {
    const big = [1000, 1000];
    expect(categoricalLogProb(big, 0, 2, 0)).toBeCloseTo(Math.log(0.5), 6);
    expect(categoricalEntropy(big, 0, 2)).toBeCloseTo(Math.log(2), 6);
  });

  test('samples follow the probabilities', () => {
    const rng = new Rng(1);
    const counts = [0, 0, 0];
    const n = 20000;
    for (let i = 0; i < n; i++) counts[categoricalSample(logits, 1, 3, rng)] += 1;
    // Three standard deviations of a binomial proportion at n = 20000 are under 0.01.
    counts.forEach((c, a) => expect(Math.abs(c / n - probs[a])).toBeLessThan(0.01));
  });

  test('TensorFlow.js log-probabilities and entropies agree with the plain-JS ones', () => {
    const rows = [
      [0.3, -1.2, 2.0],
      [0, 0, 0],
      [5, -5, 1],
    ];
    const actions = [2, 1, 0];
    const [logp, ent] = tf.tidy(() => {
      const l = tf.tensor2d(rows);
      const onehot = tf.oneHot(tf.tensor1d(actions, 'int32'), 3);
      return [tfCategoricalLogProb(tf, l, onehot).arraySync() as number[], tfCategoricalEntropy(tf, l).arraySync() as number[]];
    });
    rows.forEach((r, i) => {
      expect(logp[i]).toBeCloseTo(categoricalLogProb(r, 0, 3, actions[i]), 5);
      expect(ent[i]).toBeCloseTo(categoricalEntropy(r, 0, 3), 5);
    });
    expect(ent[1]).toBeCloseTo(Math.log(3), 5);
  });
});

describe('diagonal Gaussian', () => {
  const mean = Float32Array.from([7, 0.5, -1]);
  const logStd = Float32Array.from([Math.log(2), Math.log(0.5)]);

  test('log-density, entropy and mode match the closed form', () => {
    const a = [1.5, 0];
    // N(1.5; 0.5, 2²) · N(0; −1, 0.5²): z = 0.5 and 2.
    const expected = -0.5 * 0.25 - Math.log(2) - 0.5 * Math.log(2 * Math.PI) + (-0.5 * 4 - Math.log(0.5) - 0.5 * Math.log(2 * Math.PI));
    expect(gaussianLogProb(mean, 1, logStd, a)).toBeCloseTo(expected, 5);
    expect(gaussianEntropy(logStd)).toBeCloseTo(0.5 * Math.log(2 * Math.PI * Math.E * 4) + 0.5 * Math.log(2 * Math.PI * Math.E * 0.25), 5);
    expect(Array.from(gaussianMode(mean, 1, 2))).toEqual([0.5, -1]);
  });

  test('samples have the mean and standard deviation asked for', () => {
    const rng = new Rng(2);
    const n = 20000;
    const sum = [0, 0];
    const sq = [0, 0];
    for (let i = 0; i < n; i++) {
      const a = gaussianSample(mean, 1, logStd, rng);
      for (let j = 0; j < 2; j++) {
        sum[j] += a[j];
        sq[j] += a[j] * a[j];
      }
    }
    const m = sum.map((s) => s / n);
    const sd = sq.map((s, j) => Math.sqrt(s / n - m[j] * m[j]));
    expect(m[0]).toBeCloseTo(0.5, 1);
    expect(m[1]).toBeCloseTo(-1, 1);
    expect(sd[0]).toBeCloseTo(2, 1);
    expect(sd[1]).toBeCloseTo(0.5, 1);
  });

  test('TensorFlow.js agrees with plain JS, for a shared and a per-row log standard deviation', () => {
    const means = [
      [0.5, -1],
      [0, 0],
    ];
    const acts = [
      [1.5, 0],
      [-0.3, 2],
    ];
    const perRow = [
      [0.1, -0.4],
      [-2, 1],
    ];
    const [shared, rowwise, entShared, entRows] = tf.tidy(() => {
      const m = tf.tensor2d(means);
      const a = tf.tensor2d(acts);
      return [
        tfGaussianLogProb(tf, m, tf.tensor1d(logStd), a).arraySync() as number[],
        tfGaussianLogProb(tf, m, tf.tensor2d(perRow), a).arraySync() as number[],
        tfGaussianEntropy(tf, tf.tensor1d(logStd)).arraySync() as number,
        tfGaussianEntropy(tf, tf.tensor2d(perRow)).arraySync() as number[],
      ];
    });
    means.forEach((m, i) => {
      expect(shared[i]).toBeCloseTo(gaussianLogProb(m, 0, logStd, acts[i]), 4);
      expect(rowwise[i]).toBeCloseTo(gaussianLogProb(m, 0, perRow[i], acts[i]), 4);
      expect(entRows[i]).toBeCloseTo(gaussianEntropy(perRow[i]), 5);
    });
    expect(entShared).toBeCloseTo(gaussianEntropy(logStd), 5);
  });
});
