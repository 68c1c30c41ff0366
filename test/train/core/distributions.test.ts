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
  sdeLogStd,
  sdePolicyTerms,
  sdeSample,
  sdeSampleWeights,
  SDE_EPSILON,
  softmax,
  tfCategoricalEntropy,
  tfCategoricalLogProb,
  tfGaussianEntropy,
  tfGaussianLogProb,
  tfPolicyTerms,
  tfSdeLogStd,
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

describe('state-dependent Gaussian (gSDE)', () => {
  // Three features, two action dimensions; σ [3, 2] = [[0.2, 1], [0.3, 0.1], [0.1, 0.5]].
  const latent = Float32Array.from([0.5, -1, 2]);
  const sigma = [0.2, 1, 0.3, 0.1, 0.1, 0.5];
  const logStd = Float32Array.from(sigma.map(Math.log));
  // Σ_i latent_i² σ_ij²: 0.25·0.04 + 1·0.09 + 4·0.01 = 0.14 and 0.25·1 + 1·0.01 + 4·0.25 = 1.26.
  const variance = [0.14 + SDE_EPSILON, 1.26 + SDE_EPSILON];
  const mean = Float32Array.from([0.3, -0.2]);
  const action = Float32Array.from([0.5, 1]);

  test('log-density and entropy are those of N(mean, Σ_i latent_i² σ_i²) per dimension', () => {
    const s = sdeLogStd(latent, 0, logStd, 2, new Float32Array(2));
    s.forEach((v, j) => expect(v).toBeCloseTo(0.5 * Math.log(variance[j]), 6));
    const direct = [0, 1].reduce((sum, j) => sum - (0.5 * (action[j] - mean[j]) ** 2) / variance[j] - 0.5 * Math.log(2 * Math.PI * variance[j]), 0);
    const logp = new Float64Array(1);
    const entropy = new Float64Array(1);
    sdePolicyTerms(mean, 1, 2, action, latent, logStd, logp, entropy, new Float32Array(2));
    expect(logp[0]).toBeCloseTo(direct, 5);
    expect(entropy[0]).toBeCloseTo(0.5 * Math.log(2 * Math.PI * Math.E * variance[0]) + 0.5 * Math.log(2 * Math.PI * Math.E * variance[1]), 5);
    expect(gaussianLogProb(mean, 0, s, action)).toBeCloseTo(direct, 5);
  });

  test('a held exploration matrix gives the same action at the same state, and noise proportional to the features', () => {
    const theta = sdeSampleWeights(logStd, new Rng(4));
    const a = sdeSample(mean, 0, latent, 0, theta, 2);
    expect(Array.from(sdeSample(mean, 0, latent, 0, theta, 2))).toEqual(Array.from(a));
    const doubled = sdeSample(mean, 0, latent.map((l) => 2 * l), 0, theta, 2);
    for (let j = 0; j < 2; j++) expect(doubled[j] - mean[j]).toBeCloseTo(2 * (a[j] - mean[j]), 5);
    // No features, no noise: the mean.
    expect(Array.from(sdeSample(mean, 0, new Float32Array(3), 0, theta, 2))).toEqual(Array.from(mean));
  });

  test('over fresh exploration matrices, actions have the mean and the per-state variance', () => {
    const rng = new Rng(5);
    const n = 20000;
    const sum = [0, 0];
    const sq = [0, 0];
    const theta = new Float32Array(6);
    for (let i = 0; i < n; i++) {
      const a = sdeSample(mean, 0, latent, 0, sdeSampleWeights(logStd, rng, theta), 2);
      for (let j = 0; j < 2; j++) {
        sum[j] += a[j];
        sq[j] += a[j] * a[j];
      }
    }
    for (let j = 0; j < 2; j++) {
      const m = sum[j] / n;
      expect(m).toBeCloseTo(mean[j], 1);
      // The sample variance of 20000 normal draws is within 3% of the true one (three standard errors).
      expect(Math.abs(sq[j] / n - m * m - variance[j]) / variance[j]).toBeLessThan(0.03);
    }
  });

  test('TensorFlow.js agrees with plain JS, row by row', () => {
    const latents = [
      [0.5, -1, 2],
      [0, 0.3, -0.7],
    ];
    const means = [
      [0.3, -0.2],
      [1, 0],
    ];
    const acts = [
      [0.5, 1],
      [0.2, -0.4],
    ];
    const [logp, entropy, rowLogStd] = tf.tidy(() => {
      const s = tfSdeLogStd(tf, tf.tensor2d(latents), tf.tensor2d(logStd, [3, 2]));
      const terms = tfPolicyTerms(tf, tf.tensor2d(means), tf.tensor2d(acts), s);
      return [terms.logp.arraySync() as number[], terms.entropy.arraySync() as number, s.arraySync() as number[][]];
    });
    const plainLogp = new Float64Array(2);
    const plainEntropy = new Float64Array(2);
    const plainRows = new Float32Array(4);
    sdePolicyTerms(Float32Array.from(means.flat()), 2, 2, Float32Array.from(acts.flat()), Float32Array.from(latents.flat()), logStd, plainLogp, plainEntropy, plainRows);
    for (let i = 0; i < 2; i++) {
      expect(logp[i]).toBeCloseTo(plainLogp[i], 4);
      for (let j = 0; j < 2; j++) expect(rowLogStd[i][j]).toBeCloseTo(plainRows[i * 2 + j], 5);
    }
    expect(entropy).toBeCloseTo((plainEntropy[0] + plainEntropy[1]) / 2, 4);
  });
});
