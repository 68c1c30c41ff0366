/**
 * The action distributions every policy uses: categorical (over logits),
 * diagonal Gaussian (a mean and a log standard deviation per dimension), and
 * its state-dependent form (gSDE, whose standard deviations follow the state).
 *
 * Each comes twice. The plain-JavaScript functions act: they read one row of
 * a network's output (`head[from .. from + n)`) and sample, score or pick the
 * mode, since a forward pass for a handful of observations is cheaper in plain
 * loops than in TensorFlow.js ops. The `tf*` functions compute the same
 * log-probabilities and entropies on tensors, differentiably, for losses;
 * `policyTerms` and `policyTermsBackward` compute them, and their gradient,
 * in plain JS for a batch, for learners that backpropagate without TensorFlow.js.
 * The two agree to float32 precision (test/train/core/distributions.test.ts).
 *
 * Sampling draws one `rng.random()` per categorical sample and one
 * `rng.normal()` per Gaussian dimension, so a seed gives the same actions.
 */
import type { Tensor } from '@tensorflow/tfjs';
import type { Tf } from './backend';
import type { Rng } from './random';

/** log(2π), in the Gaussian's normalising constant. */
export const LOG_2PI = Math.log(2 * Math.PI);

// ---------------------------------------------------------------- categorical, plain JS

/** Index of the largest of `a[from .. from + n)` (first on ties): the categorical's mode. */
export function argmax(a: ArrayLike<number>, from: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (a[from + j] > a[from + best]) best = j;
  return best;
}

/** log Σ exp(logits[from .. from + n)), computed stably. */
function logSumExp(logits: ArrayLike<number>, from: number, n: number): number {
  let max = -Infinity;
  for (let j = 0; j < n; j++) max = Math.max(max, logits[from + j]);
  let sum = 0;
  for (let j = 0; j < n; j++) sum += Math.exp(logits[from + j] - max);
  return max + Math.log(sum);
}

/** Softmax of `a[from .. from + n)`: the categorical's probabilities. */
export function softmax(a: ArrayLike<number>, from: number, n: number): number[] {
  const lse = logSumExp(a, from, n);
  const p = new Array<number>(n);
  for (let j = 0; j < n; j++) p[j] = Math.exp(a[from + j] - lse);
  return p;
}

/** Samples an index from the categorical with logits `a[from .. from + n)` (one `rng.random()`). */
export function categoricalSample(logits: ArrayLike<number>, from: number, n: number, rng: Rng): number {
  const lse = logSumExp(logits, from, n);
  let u = rng.random();
  for (let j = 0; j < n - 1; j++) {
    u -= Math.exp(logits[from + j] - lse);
    if (u < 0) return j;
  }
  return n - 1;
}

/** log p(action) under the categorical with logits `logits[from .. from + n)`. */
export function categoricalLogProb(logits: ArrayLike<number>, from: number, n: number, action: number): number {
  return logits[from + action] - logSumExp(logits, from, n);
}

/** −Σ p log p of the categorical with logits `logits[from .. from + n)`, in nats. */
export function categoricalEntropy(logits: ArrayLike<number>, from: number, n: number): number {
  const lse = logSumExp(logits, from, n);
  let h = 0;
  for (let j = 0; j < n; j++) {
    const logp = logits[from + j] - lse;
    h -= Math.exp(logp) * logp;
  }
  return h;
}

/** The most likely index (first on ties). */
export const categoricalMode = argmax;

// ---------------------------------------------------------------- diagonal Gaussian, plain JS

/** A draw from N(mean[from .. from + d), exp(logStd)²), d = logStd.length (one `rng.normal()` per dimension). */
export function gaussianSample(mean: ArrayLike<number>, from: number, logStd: ArrayLike<number>, rng: Rng): Float32Array {
  const d = logStd.length;
  const a = new Float32Array(d);
  for (let j = 0; j < d; j++) a[j] = mean[from + j] + Math.exp(logStd[j]) * rng.normal();
  return a;
}

/** log N(action; mean[from .. from + d), exp(logStd)²), summed over the d = logStd.length dimensions. */
export function gaussianLogProb(mean: ArrayLike<number>, from: number, logStd: ArrayLike<number>, action: ArrayLike<number>): number {
  let sum = 0;
  for (let j = 0; j < logStd.length; j++) {
    const z = (action[j] - mean[from + j]) / Math.exp(logStd[j]);
    sum += -0.5 * z * z - logStd[j] - 0.5 * LOG_2PI;
  }
  return sum;
}

/** Entropy of the diagonal Gaussian, Σ (log σ + ½ log 2πe); it depends on the standard deviations only. */
export function gaussianEntropy(logStd: ArrayLike<number>): number {
  let h = 0;
  for (let j = 0; j < logStd.length; j++) h += logStd[j] + 0.5 + 0.5 * LOG_2PI;
  return h;
}

/** The mode (the mean): a copy of `mean[from .. from + d)`. */
export function gaussianMode(mean: ArrayLike<number>, from: number, d: number): Float32Array {
  const a = new Float32Array(d);
  for (let j = 0; j < d; j++) a[j] = mean[from + j];
  return a;
}

// ---------------------------------------------------------------- a batch's terms and their gradient, plain JS

/**
 * What `tfPolicyTerms` computes, for `n` rows of a policy head [n, width] in plain JS: each row's
 * log-probability of its action into `logp` and its entropy into `entropy`. Categorical rows
 * (`logStd` null) take action indices; Gaussian rows take action vectors of `width`.
 */
export function policyTerms(
  head: Float32Array,
  n: number,
  width: number,
  actions: Float32Array,
  logStd: Float32Array | null,
  logp: Float64Array,
  entropy: Float64Array,
): void {
  if (logStd) {
    const h = gaussianEntropy(logStd);
    for (let i = 0; i < n; i++) {
      logp[i] = gaussianLogProb(head, i * width, logStd, actions.subarray(i * width, (i + 1) * width));
      entropy[i] = h;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    logp[i] = categoricalLogProb(head, i * width, width, actions[i]);
    entropy[i] = categoricalEntropy(head, i * width, width);
  }
}

/**
 * The backward pass of `policyTerms`: given dL/d(log p) of each row (`dLogp`) and dL/d(entropy),
 * the same for every row (`dEntropy`), writes dL/d(head) into `dHead` [n, width] and, for a
 * Gaussian, dL/d(log σ) into `dLogStd`.
 *
 *   categorical: ∂ log p(a)/∂z_k = [k = a] − p_k,  ∂H/∂z_k = −p_k (log p_k + H)
 *   Gaussian:    ∂ log p/∂μ = (a − μ)/σ²,  ∂ log p/∂ log σ = ((a − μ)/σ)² − 1,  ∂H/∂ log σ = 1
 */
export function policyTermsBackward(
  head: Float32Array,
  n: number,
  width: number,
  actions: Float32Array,
  logStd: Float32Array | null,
  dLogp: Float64Array,
  dEntropy: number,
  dHead: Float32Array,
  dLogStd: Float32Array | null,
): void {
  if (logStd) {
    const ls = dLogStd!;
    ls.fill(0);
    for (let j = 0; j < width; j++) {
      const inv = Math.exp(-logStd[j]);
      let g = 0;
      for (let i = 0; i < n; i++) {
        const z = (actions[i * width + j] - head[i * width + j]) * inv;
        dHead[i * width + j] = dLogp[i] * z * inv;
        g += dLogp[i] * (z * z - 1);
      }
      ls[j] = g + n * dEntropy;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const from = i * width;
    const lse = logSumExp(head, from, width);
    let h = 0;
    for (let k = 0; k < width; k++) {
      const lp = head[from + k] - lse;
      h -= Math.exp(lp) * lp;
    }
    for (let k = 0; k < width; k++) {
      const lp = head[from + k] - lse;
      const p = Math.exp(lp);
      dHead[from + k] = dLogp[i] * ((k === actions[i] ? 1 : 0) - p) - dEntropy * p * (lp + h);
    }
  }
}

// ---------------------------------------------------------------- state-dependent noise (gSDE), plain JS

/**
 * Generalized State-Dependent Exploration (Raffin et al., 2022), as Stable-Baselines3 defines it.
 * The noise of an action is `latent · θ`, `latent` the actor's last hidden layer (k units) at the
 * state and θ [k, d] a matrix drawn from N(0, exp(logStd)²) entry by entry and held for several
 * steps, so the noise changes smoothly with the state instead of at every step. For one θ the
 * action is certain; over θ it is Gaussian, N(mean, σ²) with σ_j² = Σ_i latent_i² exp(2 logStd_ij)
 * (+ ε), the distribution that scores actions and whose entropy is rewarded. The latent is a
 * constant in that variance (no gradient reaches the features through it). The mode is the mean.
 */

/** Added to each variance, as SB3 does, so a state whose features vanish keeps a finite log-density. */
export const SDE_EPSILON = 1e-6;

/**
 * Each action dimension's log standard deviation at a state, ½ log(Σ_i latent_i² exp(2 logStd[i, j]) + ε),
 * for `latent[lFrom .. lFrom + k)` and `logStd` [k, d] row-major; written to `out[oFrom .. oFrom + d)`.
 */
export function sdeLogStd(latent: ArrayLike<number>, lFrom: number, logStd: ArrayLike<number>, d: number, out: Float32Array, oFrom = 0): Float32Array {
  const k = logStd.length / d;
  for (let j = 0; j < d; j++) {
    let v = SDE_EPSILON;
    for (let i = 0; i < k; i++) {
      const l = latent[lFrom + i];
      v += l * l * Math.exp(2 * logStd[i * d + j]);
    }
    out[oFrom + j] = 0.5 * Math.log(v);
  }
  return out;
}

/** A fresh exploration matrix θ [k, d], θ_ij ~ N(0, exp(logStd_ij)²) (one `rng.normal()` per entry, row-major). */
export function sdeSampleWeights(logStd: ArrayLike<number>, rng: Rng, out = new Float32Array(logStd.length)): Float32Array {
  for (let i = 0; i < logStd.length; i++) out[i] = Math.exp(logStd[i]) * rng.normal();
  return out;
}

/** The action `mean[from .. from + d) + latent[lFrom .. lFrom + k) · θ` for an exploration matrix θ [k, d]. */
export function sdeSample(mean: ArrayLike<number>, from: number, latent: ArrayLike<number>, lFrom: number, theta: ArrayLike<number>, d: number): Float32Array {
  const k = theta.length / d;
  const a = new Float32Array(d);
  for (let j = 0; j < d; j++) {
    let noise = 0;
    for (let i = 0; i < k; i++) noise += latent[lFrom + i] * theta[i * d + j];
    a[j] = mean[from + j] + noise;
  }
  return a;
}

/**
 * What `tfPolicyTerms` computes for a state-dependent Gaussian, for `n` rows in plain JS: the means
 * `head` [n, d], the actor's last hidden layer `latent` [n, k], the log-std matrix `logStd` [k, d];
 * each row's log-probability of its action (`actions` [n, d]) into `logp`, its entropy into
 * `entropy`, and its per-dimension log standard deviations into `rowLogStd` [n, d] (for the backward pass).
 */
export function sdePolicyTerms(
  head: Float32Array,
  n: number,
  d: number,
  actions: Float32Array,
  latent: Float32Array,
  logStd: Float32Array,
  logp: Float64Array,
  entropy: Float64Array,
  rowLogStd: Float32Array,
): void {
  const k = logStd.length / d;
  for (let r = 0; r < n; r++) {
    sdeLogStd(latent, r * k, logStd, d, rowLogStd, r * d);
    const s = rowLogStd.subarray(r * d, (r + 1) * d);
    logp[r] = gaussianLogProb(head, r * d, s, actions.subarray(r * d, (r + 1) * d));
    entropy[r] = gaussianEntropy(s);
  }
}

/**
 * The backward pass of `sdePolicyTerms`: from dL/d(log p) per row and dL/d(entropy) for every row,
 * dL/d(means) into `dHead` [n, d] and dL/d(logStd) into `dLogStd` [k, d]. With s_j a row's log std
 * and v_j = exp(2 s_j) its variance, ∂ log p/∂μ_j = (a_j − μ_j)/v_j, ∂ log p/∂s_j = ((a_j − μ_j)/σ_j)² − 1,
 * ∂H/∂s_j = 1, and ∂s_j/∂logStd_ij = latent_i² exp(2 logStd_ij) / v_j.
 */
export function sdePolicyTermsBackward(
  head: Float32Array,
  n: number,
  d: number,
  actions: Float32Array,
  latent: Float32Array,
  logStd: Float32Array,
  rowLogStd: Float32Array,
  dLogp: Float64Array,
  dEntropy: number,
  dHead: Float32Array,
  dLogStd: Float32Array,
): void {
  const k = logStd.length / d;
  dLogStd.fill(0);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < d; j++) {
      const inv = Math.exp(-rowLogStd[r * d + j]);
      const z = (actions[r * d + j] - head[r * d + j]) * inv;
      dHead[r * d + j] = dLogp[r] * z * inv;
      const dS = dLogp[r] * (z * z - 1) + dEntropy;
      const scale = dS * inv * inv;
      for (let i = 0; i < k; i++) {
        const l = latent[r * k + i];
        dLogStd[i * d + j] += scale * l * l * Math.exp(2 * logStd[i * d + j]);
      }
    }
  }
}

// ---------------------------------------------------------------- TensorFlow.js, for losses

/** log p(a) per row, [batch], for logits [batch, n] and one-hot actions [batch, n]. */
export function tfCategoricalLogProb(tf: Tf, logits: Tensor, onehot: Tensor): Tensor {
  return tf.sum(tf.mul(tf.logSoftmax(logits), onehot), 1);
}

/** Entropy per row, [batch], for logits [batch, n]. */
export function tfCategoricalEntropy(tf: Tf, logits: Tensor): Tensor {
  const logp = tf.logSoftmax(logits);
  return tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 1));
}

/**
 * log N(a; mean, exp(logStd)²) per row, [batch], for mean and actions
 * [batch, d]; `logStd` is [d] (state-independent) or [batch, d].
 */
export function tfGaussianLogProb(tf: Tf, mean: Tensor, logStd: Tensor, actions: Tensor): Tensor {
  const z = tf.div(tf.sub(actions, mean), tf.exp(logStd));
  return tf.sum(tf.sub(tf.mul(-0.5, tf.square(z)), tf.add(logStd, 0.5 * LOG_2PI)), -1);
}

/** Entropy of the diagonal Gaussian: a scalar for `logStd` [d], one per row for [batch, d]. */
export function tfGaussianEntropy(tf: Tf, logStd: Tensor): Tensor {
  return tf.sum(tf.add(logStd, 0.5 + 0.5 * LOG_2PI), -1);
}

/**
 * A state-dependent Gaussian's log standard deviations per row, [batch, d]: ½ log(latent² · exp(2 logStd) + ε)
 * for the actor's last hidden layer `latent` [batch, k] (a constant here: give it as an input, not
 * computed from the variables) and the log-std matrix `logStd` [k, d].
 */
export function tfSdeLogStd(tf: Tf, latent: Tensor, logStd: Tensor): Tensor {
  return tf.mul(0.5, tf.log(tf.add(tf.matMul(tf.square(latent), tf.exp(tf.mul(2, logStd))), SDE_EPSILON)));
}

/**
 * What a policy-gradient loss needs from the policy head: each row's log-probability of its
 * action (one-hot rows for a categorical head) and the mean entropy. With `logStd` the head
 * holds a diagonal Gaussian's means (`logStd` [d], or [batch, d] per row, as `tfSdeLogStd`
 * answers); without, a categorical's logits.
 */
export function tfPolicyTerms(tf: Tf, head: Tensor, actions: Tensor, logStd: Tensor | null): { logp: Tensor; entropy: Tensor } {
  if (logStd) return { logp: tfGaussianLogProb(tf, head, logStd, actions), entropy: tf.mean(tfGaussianEntropy(tf, logStd)) };
  return { logp: tfCategoricalLogProb(tf, head, actions), entropy: tf.mean(tfCategoricalEntropy(tf, head)) };
}

// ---------------------------------------------------------------- tanh-squashed diagonal Gaussian (SAC)

/** Bounds of a squashed Gaussian's log standard deviation, as CleanRL's SAC keeps them. */
export const LOG_STD_MIN = -5;
export const LOG_STD_MAX = 2;

/** A network's raw log-std output mapped into [LOG_STD_MIN, LOG_STD_MAX] by tanh (smooth, where a clamp would stop gradients). */
export function boundedLogStd(raw: number): number {
  return LOG_STD_MIN + 0.5 * (LOG_STD_MAX - LOG_STD_MIN) * (Math.tanh(raw) + 1);
}

/**
 * A draw of tanh(x), x ~ N(mean, exp(logStd)²), or tanh(mean) when
 * `deterministic`: an action in (-1, 1)^d. `head[from .. from + 2d)` holds the
 * d means then the d raw log-stds (mapped by `boundedLogStd`).
 */
export function squashedGaussianSample(head: ArrayLike<number>, from: number, d: number, deterministic: boolean, rng: Rng): Float32Array {
  const u = new Float32Array(d);
  for (let j = 0; j < d; j++) {
    const x = deterministic ? head[from + j] : head[from + j] + Math.exp(boundedLogStd(head[from + d + j])) * rng.normal();
    u[j] = Math.tanh(x);
  }
  return u;
}

/**
 * log-density of u = tanh(x) at the pre-squash point `x`, x ~ N(mean[from .. from + d), exp(logStd)²):
 * the Gaussian's, less Σ log(1 − tanh²x) = Σ 2(log 2 − x − softplus(−2x)).
 */
export function squashedGaussianLogProb(mean: ArrayLike<number>, from: number, logStd: ArrayLike<number>, x: ArrayLike<number>): number {
  let logDetJacobian = 0;
  for (let j = 0; j < logStd.length; j++) {
    const t = -2 * x[j];
    const softplus = t > 30 ? t : Math.log1p(Math.exp(t));
    logDetJacobian += 2 * (Math.LN2 - x[j] - softplus);
  }
  return gaussianLogProb(mean, from, logStd, x) - logDetJacobian;
}

/** `boundedLogStd` on a tensor. */
export function tfBoundedLogStd(tf: Tf, raw: Tensor): Tensor {
  return tf.add(LOG_STD_MIN, tf.mul(0.5 * (LOG_STD_MAX - LOG_STD_MIN), tf.add(tf.tanh(raw), 1)));
}

/**
 * A reparameterised draw u = tanh(mean + σ·eps) per row, [batch, d], and its
 * log-density [batch]: the Gaussian's, less Σ log(1 − tanh²x) for the change
 * of variables, with log(1 − tanh²x) = 2(log 2 − x − softplus(−2x)) (stable
 * where tanh saturates). `eps` is standard normal noise of the same shape.
 */
export function tfSquashedGaussianSample(tf: Tf, mean: Tensor, logStd: Tensor, eps: Tensor): { action: Tensor; logProb: Tensor } {
  const x = tf.add(mean, tf.mul(tf.exp(logStd), eps));
  const gaussian = tf.sum(tf.sub(tf.mul(-0.5, tf.square(eps)), tf.add(logStd, 0.5 * LOG_2PI)), -1);
  const logDetJacobian = tf.sum(tf.mul(2, tf.sub(tf.sub(Math.LN2, x), tf.softplus(tf.mul(-2, x)))), -1);
  return { action: tf.tanh(x), logProb: tf.sub(gaussian, logDetJacobian) };
}
