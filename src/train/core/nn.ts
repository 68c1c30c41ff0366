/**
 * Small multilayer perceptrons whose parameters live in one flat Float32Array.
 *
 * Why flat and in plain JavaScript: acting needs a forward pass for a handful
 * of observations every environment step, where TensorFlow.js's per-op
 * overhead (~30 µs) dwarfs the arithmetic, so acting runs here in plain loops.
 * Small networks learn here too (`backward`): a PPO minibatch of 256 through
 * two 64-unit layers is about a hundred TensorFlow.js ops, whose overhead
 * costs more than the arithmetic. Other learners hand the same numbers to
 * TensorFlow.js as tensors and get gradients back in one read per tensor.
 * Either way Adam updates the flat vector in place.
 */
import type { Tensor } from '@tensorflow/tfjs';
import type { Tf } from './backend';
import type { Rng } from './random';
import { PalestraError } from '../../errors';

/** Hidden-layer nonlinearity. */
export type Activation = 'tanh' | 'relu';

/** One slot of a parameter vector: where a weight or bias starts and its shape. */
interface Slot {
  offset: number;
  shape: number[];
  size: number;
}

/** A flat parameter vector carved into named tensors (weights and biases). */
export class ParamSet {
  private readonly slots: Slot[] = [];
  private total = 0;
  /** The parameters; allocated by `allocate()` once every slot is added. */
  params = new Float32Array(0);

  /** Reserves a tensor of `shape`; answers its slot index. */
  add(shape: number[]): number {
    const size = shape.reduce((a, b) => a * b, 1);
    this.slots.push({ offset: this.total, shape, size });
    this.total += size;
    return this.slots.length - 1;
  }

  /** Allocates the vector (zeros) after every `add`. */
  allocate(): Float32Array {
    this.params = new Float32Array(this.total);
    return this.params;
  }

  get size(): number {
    return this.total;
  }

  /** Where slot `i` starts in the flat vector. */
  offset(i: number): number {
    return this.slots[i].offset;
  }

  /** The values of slot `i`, as a view into the flat vector. */
  view(i: number, params: Float32Array = this.params): Float32Array {
    const s = this.slots[i];
    return params.subarray(s.offset, s.offset + s.size);
  }

  /**
   * One tensor per slot, copied from the current parameters (or from another vector of the same layout);
   * given `only`, just those slots (the others left empty), to upload no more than a loss reads.
   */
  tensors(tf: Tf, params: Float32Array = this.params, only?: readonly number[]): Tensor[] {
    const make = (s: Slot) => tf.tensor(params.subarray(s.offset, s.offset + s.size), s.shape, 'float32');
    if (!only) return this.slots.map(make);
    const out: Tensor[] = new Array(this.slots.length);
    for (const i of only) out[i] = make(this.slots[i]);
    return out;
  }

  /** Reads one gradient tensor per slot into a flat gradient vector (absent ones count as zero). */
  readGrads(grads: (Tensor | null | undefined)[], out: Float32Array): Float32Array {
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i];
      const g = grads[i];
      if (g) out.set(g.dataSync() as Float32Array, s.offset);
      else out.fill(0, s.offset, s.offset + s.size);
    }
    return out;
  }
}

/**
 * Layers of at most this many weights (in × out) learn faster in plain JS (`MLP.backward`) than
 * through TensorFlow.js. Measured on CartPole's PPO loss, batch 256, CPU ms per gradient step,
 * plain JS / wasm: 32 units 1.6 / 2.7, 64 units 4.9 / 5.0, 128 units 19 / 8.2, 256 units 62 / 18.
 * 64×64 layers stay on TensorFlow.js: DQN on Acrobot (64 units, batch 128) took 3.3 ms of CPU per
 * environment step in plain JS against 1.3 ms on wasm (`bench/train.ts all --envs Acrobot-v1 --seeds 4`).
 */
export const PLAIN_MAX_LAYER = 32 * 64;

/**
 * Larger layers still learn faster in plain JS when the minibatch is small: TensorFlow.js's cost per
 * op hardly shrinks with the batch, plain JS's arithmetic does. An actor-critic's gradient step (PPO's
 * loss, tanh layers, 2 inputs, Box action, wasm; `ActorCriticBatch` against `tf.grads`), CPU ms plain
 * JS / wasm at load 2–3: 64 units, batch 8: 0.24 / 1.8, 16: 0.37 / 1.5, 32: 0.72 / 2.1, 64: 1.4 / 2.4;
 * 128 units, batch 8: 0.60 / 2.0, 32: 2.1 / 2.8, 64: 4.2 / 3.9. So plain JS when batch × the largest
 * layer's weights is at most this (64 units at batch 32, 128 at 8): at least 3× faster there, and
 * every row measured before (batch 128 and more at 64 units) stays where it was.
 */
export const PLAIN_MAX_WORK = 32 * 64 * 64;

/** A fully connected network `sizes[0] → … → sizes[n]` with `activation` between layers. */
export class MLP {
  /** Slot indices of each layer's weight [in, out] and bias [out]. */
  readonly layers: { w: number; b: number; inSize: number; outSize: number }[] = [];

  constructor(
    readonly set: ParamSet,
    readonly sizes: number[],
    readonly activation: Activation,
  ) {
    for (let l = 0; l + 1 < sizes.length; l++) {
      const w = set.add([sizes[l], sizes[l + 1]]);
      const b = set.add([sizes[l + 1]]);
      // `| 0` makes the sizes small integers to V8 (see `forward`).
      this.layers.push({ w, b, inSize: sizes[l] | 0, outSize: sizes[l + 1] | 0 });
    }
  }

  get inSize(): number {
    return this.layers[0].inSize;
  }

  get outSize(): number {
    return this.layers[this.layers.length - 1].outSize;
  }

  /** Whether every layer is small enough (`PLAIN_MAX_LAYER`) that `backward` beats TensorFlow.js. */
  get learnsPlain(): boolean {
    return this.layers.every((l) => l.inSize * l.outSize <= PLAIN_MAX_LAYER);
  }

  /** The most weights any one layer holds. */
  get largestLayer(): number {
    return Math.max(...this.layers.map((l) => l.inSize * l.outSize));
  }

  /** Whether `backward` beats TensorFlow.js on minibatches of `batch` rows: small layers, or little work in all (`PLAIN_MAX_WORK`). */
  learnsPlainAt(batch: number): boolean {
    return this.learnsPlain || batch * this.largestLayer <= PLAIN_MAX_WORK;
  }

  /**
   * The last hidden layer's output for `x`, read from the layers' outputs `forward` kept for it
   * (`x` itself when the network has no hidden layer): the features a state-dependent Gaussian's noise is made of.
   */
  static lastHidden(x: Float32Array, kept: readonly Float32Array[]): Float32Array {
    return kept.length > 1 ? kept[kept.length - 2] : x;
  }

  /**
   * CleanRL's `layer_init`: orthogonal weights with gain √2 in hidden layers
   * and `outGain` in the last, zero biases.
   */
  init(rng: Rng, outGain: number, stopping?: () => boolean): void {
    this.layers.forEach((layer, l) => {
      const gain = l === this.layers.length - 1 ? outGain : Math.SQRT2;
      orthogonal(this.set.view(layer.w), layer.inSize, layer.outSize, gain, rng, stopping);
      this.set.view(layer.b).fill(0);
    });
  }

  /** PyTorch's default for a linear layer: weights and biases uniform in ±1/√(inputs) (SB3's `ortho_init=False`). */
  initUniform(rng: Rng): void {
    for (const layer of this.layers) {
      const bound = 1 / Math.sqrt(layer.inSize);
      for (const slot of [layer.w, layer.b]) {
        const v = this.set.view(slot);
        for (let i = 0; i < v.length; i++) v[i] = bound * (2 * rng.random() - 1);
      }
    }
  }

  /**
   * The forward pass in plain JavaScript for `batch` rows of `x`; answers [batch, out] row-major.
   * Given `keep`, each layer's output (after its activation) is pushed onto it, for `backward`.
   */
  forward(x: Float32Array, batch: number, params: Float32Array = this.set.params, keep?: Float32Array[]): Float32Array {
    // Hyperparameters (a batch size, layer widths) often reach here as heap numbers: V8 then compiles the
    // loops' index arithmetic in floating point, about 1.5 times as slow. `| 0` makes them small integers.
    batch |= 0;
    let input = x;
    for (let l = 0; l < this.layers.length; l++) {
      const { w, b, inSize, outSize } = this.layers[l];
      const W = this.set.view(w, params);
      const B = this.set.view(b, params);
      const out = new Float32Array(batch * outSize);
      const last = l === this.layers.length - 1;
      if (l === 0) {
        // One-hot inputs are mostly zeros; row by row, skipping them, is then the fast way.
        for (let r = 0; r < batch; r++) {
          const row = r * outSize;
          out.set(B, row);
          const xr = r * inSize;
          for (let i = 0; i < inSize; i++) {
            const xi = input[xr + i];
            if (xi === 0) continue;
            const wr = i * outSize;
            for (let j = 0; j < outSize; j++) out[row + j] += xi * W[wr + j];
          }
        }
      } else {
        gemm(input, inSize, 1, W, outSize, 1, out, batch, outSize, inSize);
        for (let r = 0; r < batch; r++) for (let j = 0; j < outSize; j++) out[r * outSize + j] += B[j];
      }
      if (!last) {
        if (this.activation === 'tanh') for (let k = 0; k < out.length; k++) out[k] = Math.tanh(out[k]);
        else for (let k = 0; k < out.length; k++) if (out[k] < 0) out[k] = 0;
      }
      keep?.push(out);
      input = out;
    }
    return input;
  }

  /**
   * Backpropagation in plain JavaScript, after `forward(x, batch, params, outs)`: given dL/d(output)
   * for each row (`dOut`, [batch, out]), writes dL/d(weights and biases) into `grads` at their slots'
   * places in the flat vector (none if `grads` is null) and, given `dInput` ([batch, in]), dL/d(input)
   * there (a critic's gradient with respect to its action input, for an actor). `dOut` is overwritten.
   */
  backward(
    x: Float32Array,
    outs: Float32Array[],
    dOut: Float32Array,
    batch: number,
    grads: Float32Array | null,
    params: Float32Array = this.set.params,
    dInput?: Float32Array,
  ): void {
    batch |= 0; // a small integer to V8, as in `forward`
    let dz = dOut;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const { w, b, inSize, outSize } = this.layers[l];
      if (l < this.layers.length - 1) {
        // Through the activation, from its output y: tanh' = 1 − y², relu' = [y > 0].
        const y = outs[l];
        if (this.activation === 'tanh') for (let k = 0; k < dz.length; k++) dz[k] *= 1 - y[k] * y[k];
        else for (let k = 0; k < dz.length; k++) if (y[k] <= 0) dz[k] = 0;
      }
      const W = this.set.view(w, params);
      if (grads) {
        const input = l === 0 ? x : outs[l - 1];
        const dW = grads.subarray(this.set.offset(w), this.set.offset(w) + inSize * outSize);
        const dB = grads.subarray(this.set.offset(b), this.set.offset(b) + outSize);
        dB.fill(0);
        for (let r = 0; r < batch; r++) for (let j = 0; j < outSize; j++) dB[j] += dz[r * outSize + j];
        if (l === 0) {
          // dW = xᵀ·dz, skipping zero inputs (one-hot observations).
          dW.fill(0);
          for (let r = 0; r < batch; r++) {
            const xr = r * inSize;
            const dr = r * outSize;
            for (let i = 0; i < inSize; i++) {
              const xi = input[xr + i];
              if (xi === 0) continue;
              const wr = i * outSize;
              for (let j = 0; j < outSize; j++) dW[wr + j] += xi * dz[dr + j];
            }
          }
        } else {
          gemm(input, 1, inSize, dz, outSize, 1, dW, inSize, outSize, batch);
        }
      }
      // dx = dz·Wᵀ, the gradient reaching the layer below (or the input, if asked for).
      if (l === 0) {
        if (dInput) gemm(dz, outSize, 1, W, 1, outSize, dInput, batch, inSize, outSize);
        break;
      }
      const dx = new Float32Array(batch * inSize);
      gemm(dz, outSize, 1, W, 1, outSize, dx, batch, inSize, outSize);
      dz = dx;
    }
  }

  /**
   * The forward pass in TensorFlow.js, differentiable, given the tensors of `set.tensors(tf)`.
   * `inputGrad` lets gradients reach `x` (a critic's action input, for an actor's loss).
   */
  apply(tf: Tf, tensors: Tensor[], x: Tensor, inputGrad = false): Tensor {
    let h = x;
    this.layers.forEach((layer, l) => {
      const last = l === this.layers.length - 1;
      h = dense(tf, last ? 'linear' : this.activation, l === 0 && !inputGrad)(h, tensors[layer.w], tensors[layer.b]);
    });
    return h;
  }

  /** The slots of its weights and biases, in order. */
  get slots(): number[] {
    return this.layers.flatMap((l) => [l.w, l.b]);
  }
}

/**
 * Contiguous slots of a parameter set trained by their own Adam: the actor,
 * the critics or the entropy coefficient of SAC and TD3, each of which
 * learns from its own loss.
 */
export class ParamGroup {
  /** Where the group starts and ends in the flat vector. */
  readonly from: number;
  readonly to: number;
  private readonly adam: Adam;
  private readonly grads: Float32Array;

  /** `optimizer` makes the group's Adam for its size (a job's `ctx.optimizer`, so its state is saved and continued). */
  constructor(
    readonly set: ParamSet,
    readonly slots: number[],
    optimizer: (size: number) => Adam = (size) => new Adam(size),
  ) {
    this.from = set.offset(slots[0]);
    this.to = set.offset(slots[slots.length - 1]) + set.view(slots[slots.length - 1]).length;
    const size = slots.reduce((n, s) => n + set.view(s).length, 0);
    if (size !== this.to - this.from) throw new Error('a parameter group must be contiguous slots');
    this.adam = optimizer(size);
    this.grads = new Float32Array(size);
  }

  /** The group's own tensors out of a whole set's. */
  pick(all: Tensor[]): Tensor[] {
    return this.slots.map((s) => all[s]);
  }

  /** A whole set's tensors with the group's replaced by `mine` (the variables of a `tf.grads` call). */
  merge(all: Tensor[], mine: Tensor[]): Tensor[] {
    const out = all.slice();
    this.slots.forEach((s, i) => (out[s] = mine[i]));
    return out;
  }

  /** One Adam step on the group's parameters from a gradient laid out as the whole set (its range read). */
  stepFlat(grads: Float32Array, lr: number, maxGradNorm = Infinity): void {
    this.adam.step(this.set.params.subarray(this.from, this.to), grads.subarray(this.from, this.to), lr, maxGradNorm);
  }

  /** One Adam step on the group's parameters from its gradient tensors (in `slots` order). */
  step(grads: Tensor[], lr: number, maxGradNorm = Infinity): void {
    grads.forEach((g, i) => this.grads.set(g.dataSync() as Float32Array, this.set.offset(this.slots[i]) - this.from));
    this.adam.step(this.set.params.subarray(this.from, this.to), this.grads, lr, maxGradNorm);
  }
}

/** Polyak averaging, `target ← τ·online + (1 − τ)·target`, over `[from, to)` of two vectors of one layout. */
export function polyak(target: Float32Array, online: Float32Array, tau: number, from = 0, to = online.length): void {
  for (let i = from; i < to; i++) target[i] += tau * (online[i] - target[i]);
}

type DenseFn = (x: Tensor, w: Tensor, b: Tensor) => Tensor;
const denseCache = new WeakMap<Tf, Map<string, DenseFn>>();

/**
 * A dense layer with a hand-written gradient. Why: the WebAssembly backend
 * multiplies transposed operands on a slow path (5–7× slower than transposing
 * first), and the stock matMul gradient asks for exactly those products.
 * The first layer's input needs no gradient, which saves a product too.
 */
function dense(tf: Tf, activation: Activation | 'linear', first: boolean): DenseFn {
  let cache = denseCache.get(tf);
  if (!cache) denseCache.set(tf, (cache = new Map()));
  const key = `${activation}:${first}`;
  let fn = cache.get(key);
  if (fn) return fn;
  fn = tf.customGrad((...args: unknown[]) => {
    const [x, w, b, save] = args as [Tensor, Tensor, Tensor, (t: Tensor[]) => void];
    const y =
      activation === 'tanh'
        ? tf.tanh(tf.add(tf.matMul(x, w), b))
        : tf.fused.matMul({ a: x, b: w, bias: b, activation: activation === 'relu' ? 'relu' : 'linear' });
    save([x, w, y]);
    return {
      value: y,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [xs, ws, ys] = saved;
        const dz =
          activation === 'tanh'
            ? tf.mul(dy, tf.sub(1, tf.square(ys)))
            : activation === 'relu'
              ? tf.mul(dy, tf.step(ys))
              : dy;
        const dx = first ? tf.zerosLike(xs) : tf.matMul(dz, tf.transpose(ws));
        return [dx, tf.matMul(tf.transpose(xs), dz), tf.sum(dz, 0)];
      },
    };
  }) as unknown as DenseFn;
  cache.set(key, fn);
  return fn;
}

/**
 * C = A·B for C [rows, cols] row-major, where A[r][k] = `a[r·ars + k·aks]` and B[k][c] = `b[k·bks + c·bcs]`
 * (the strides make transposed operands free). Two rows by four columns at a time, summed in
 * registers: about three times as fast in V8 as one multiply-add per stored element.
 */
export function gemm(a: Float32Array, ars: number, aks: number, b: Float32Array, bks: number, bcs: number, c: Float32Array, rows: number, cols: number, inner: number): void {
  let r = 0;
  for (; r + 2 <= rows; r += 2) {
    const a0 = r * ars;
    const a1 = a0 + ars;
    const c0 = r * cols;
    const c1 = c0 + cols;
    let col = 0;
    for (; col + 4 <= cols; col += 4) {
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0; // prettier-ignore
      for (let k = 0, pa = 0, pb = col * bcs; k < inner; k++, pa += aks, pb += bks) {
        const x0 = a[a0 + pa];
        const x1 = a[a1 + pa];
        const w0 = b[pb];
        const w1 = b[pb + bcs];
        const w2 = b[pb + 2 * bcs];
        const w3 = b[pb + 3 * bcs];
        s00 += x0 * w0; s01 += x0 * w1; s02 += x0 * w2; s03 += x0 * w3; // prettier-ignore
        s10 += x1 * w0; s11 += x1 * w1; s12 += x1 * w2; s13 += x1 * w3; // prettier-ignore
      }
      c[c0 + col] = s00; c[c0 + col + 1] = s01; c[c0 + col + 2] = s02; c[c0 + col + 3] = s03; // prettier-ignore
      c[c1 + col] = s10; c[c1 + col + 1] = s11; c[c1 + col + 2] = s12; c[c1 + col + 3] = s13; // prettier-ignore
    }
    for (; col < cols; col++) {
      let s0 = 0;
      let s1 = 0;
      for (let k = 0, pa = 0, pb = col * bcs; k < inner; k++, pa += aks, pb += bks) {
        s0 += a[a0 + pa] * b[pb];
        s1 += a[a1 + pa] * b[pb];
      }
      c[c0 + col] = s0;
      c[c1 + col] = s1;
    }
  }
  for (; r < rows; r++) {
    const a0 = r * ars;
    for (let col = 0; col < cols; col++) {
      let s = 0;
      for (let k = 0, pa = 0, pb = col * bcs; k < inner; k++, pa += aks, pb += bks) s += a[a0 + pa] * b[pb];
      c[r * cols + col] = s;
    }
  }
}

/** Fills `w` ([rows, cols] row-major) with a scaled random orthogonal matrix, as torch's `orthogonal_`. */
export function orthogonal(w: Float32Array, rows: number, cols: number, gain: number, rng: Rng, stopping?: () => boolean): void {
  // Orthonormalise the columns of a tall normal matrix (modified Gram–Schmidt), then lay it out.
  // O(n³): seconds for 1024×1024, so a job asked to stop meanwhile leaves `w` as it is (its run ends before any step).
  const n = Math.max(rows, cols);
  const m = Math.min(rows, cols);
  const q: Float64Array[] = [];
  for (let c = 0; c < m; c++) {
    if (stopping?.()) return;
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = rng.normal();
    for (const u of q) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += u[i] * v[i];
      for (let i = 0; i < n; i++) v[i] -= dot * u[i];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < n; i++) v[i] /= norm;
    q.push(v);
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // Tall: column c of Q is column c of w; wide: column r of Q is row r of w.
      w[r * cols + c] = gain * (rows >= cols ? q[c][r] : q[r][c]);
    }
  }
}

/** Adam's moments and step count: what a resumed run needs to continue where it stopped. */
export interface AdamState {
  t: number;
  m: Float32Array;
  v: Float32Array;
}

/** Adam (Kingma & Ba) on a flat vector, with optional global-norm gradient clipping. */
export class Adam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;

  constructor(
    size: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }

  /** A copy of the moments and step count. */
  state(): AdamState {
    return { t: this.t, m: Float32Array.from(this.m), v: Float32Array.from(this.v) };
  }

  /** Continues from a saved state of an optimiser of the same size. */
  restore(s: AdamState): void {
    if (s.m.length !== this.m.length || s.v.length !== this.v.length) {
      throw new PalestraError('model_corrupt', `The saved optimiser state holds ${s.m.length} moments, the network ${this.m.length} parameters`);
    }
    this.m.set(s.m);
    this.v.set(s.v);
    this.t = s.t;
  }

  /** One update of `params` from `grads` at learning rate `lr`; answers the gradient norm before clipping. */
  step(params: Float32Array, grads: Float32Array, lr: number, maxGradNorm = Infinity): number {
    let sq = 0;
    for (let i = 0; i < grads.length; i++) sq += grads[i] * grads[i];
    const norm = Math.sqrt(sq);
    const scale = norm > maxGradNorm ? maxGradNorm / (norm + 1e-6) : 1;
    this.t += 1;
    const { beta1, beta2, eps, m, v } = this;
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    const stepSize = lr / c1;
    const sqrtC2 = Math.sqrt(c2);
    for (let i = 0; i < params.length; i++) {
      const g = grads[i] * scale;
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      params[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) / sqrtC2 + eps);
    }
    return norm;
  }
}

/**
 * RMSprop on a flat vector, as PyTorch defines it (ε added outside the square
 * root), with optional global-norm gradient clipping. A2C's usual optimiser.
 */
export class RMSprop {
  private readonly sq: Float32Array;

  constructor(
    size: number,
    private readonly alpha = 0.99,
    private readonly eps = 1e-5,
  ) {
    this.sq = new Float32Array(size);
  }

  /** One update of `params` from `grads` at learning rate `lr`; answers the gradient norm before clipping. */
  step(params: Float32Array, grads: Float32Array, lr: number, maxGradNorm = Infinity): number {
    let sum = 0;
    for (let i = 0; i < grads.length; i++) sum += grads[i] * grads[i];
    const norm = Math.sqrt(sum);
    const scale = norm > maxGradNorm ? maxGradNorm / (norm + 1e-6) : 1;
    const { alpha, eps, sq } = this;
    for (let i = 0; i < params.length; i++) {
      const g = grads[i] * scale;
      sq[i] = alpha * sq[i] + (1 - alpha) * g * g;
      params[i] -= (lr * g) / (Math.sqrt(sq[i]) + eps);
    }
    return norm;
  }
}
