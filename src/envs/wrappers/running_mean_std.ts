/**
 * Gymnasium's `RunningMeanStd`: mean, variance and count of the values seen,
 * merged a batch at a time (Chan et al.'s parallel algorithm). The count
 * starts at 1e-4 so the first division is defined; the mean and variance keep
 * the dtype they were made with, and with float32 every operation rounds to
 * float32 as numpy's does, so the statistics match Gymnasium's bit for bit.
 */

/** The statistics as saved with a policy and restored into a wrapper. */
export interface RunningMeanStdState {
  mean: number[];
  var: number[];
  count: number;
}

export class RunningMeanStd {
  mean: Float32Array | Float64Array;
  var: Float32Array | Float64Array;
  count: number;
  private readonly round: (x: number) => number;

  constructor(
    readonly size: number,
    readonly dtype: 'float32' | 'float64' = 'float64',
    epsilon = 1e-4,
  ) {
    const Ctor = dtype === 'float32' ? Float32Array : Float64Array;
    this.mean = new Ctor(size);
    this.var = new Ctor(size).fill(1);
    this.count = epsilon;
    this.round = dtype === 'float32' ? Math.fround : (x) => x;
  }

  /** Merges one sample (a batch of one: its mean is the sample, its variance 0). */
  update(x: ArrayLike<number>): void {
    const r = this.round;
    const tot = this.count + 1;
    // The count is a Python float: numpy casts it to the arrays' dtype where it meets them.
    const count = r(this.count);
    const totCast = r(tot);
    for (let i = 0; i < this.size; i++) {
      const delta = r(x[i] - this.mean[i]);
      const mA = r(this.var[i] * count);
      const m2 = r(mA + r(r(r(delta * delta) * count) / totCast));
      this.mean[i] = r(this.mean[i] + r(delta / totCast));
      this.var[i] = r(m2 / totCast);
    }
    this.count = tot;
  }

  state(): RunningMeanStdState {
    return { mean: Array.from(this.mean), var: Array.from(this.var), count: this.count };
  }

  restore(s: RunningMeanStdState): void {
    this.mean.set(s.mean);
    this.var.set(s.var);
    this.count = s.count;
  }
}
