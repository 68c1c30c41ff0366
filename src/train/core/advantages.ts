/**
 * Generalised advantage estimation (Schulman et al., 2016) over a rollout of
 * `nSteps` steps of `nEnvs` copies, stored step-major (index t·nEnvs + i):
 * δ = r + γ·V(next)·(1 − done) − V, A = δ + γλ·(1 − done)·A(next). With λ = 1
 * the advantages are n-step returns minus the values (A2C's).
 */
export interface Rollout {
  rewards: Float32Array;
  values: Float32Array;
  /** 1 where the step ended its episode (the next value is then not bootstrapped). */
  dones: Uint8Array;
  /** The critic's values of the observations after the last step, one per copy. */
  nextValues: ArrayLike<number>;
  nSteps: number;
  nEnvs: number;
}

/** Writes each step's advantage into `advantages` and its return (advantage + value) into `returns`. */
export function generalisedAdvantages(r: Rollout, gamma: number, lambda: number, advantages: Float32Array, returns: Float32Array): void {
  const { rewards, values, dones, nextValues, nSteps, nEnvs } = r;
  for (let i = 0; i < nEnvs; i++) {
    let lastGae = 0;
    for (let t = nSteps - 1; t >= 0; t--) {
      const k = t * nEnvs + i;
      const nonTerminal = 1 - dones[k];
      const nextValue = t === nSteps - 1 ? nextValues[i] : values[k + nEnvs];
      const delta = rewards[k] + gamma * nextValue * nonTerminal - values[k];
      lastGae = delta + gamma * lambda * nonTerminal * lastGae;
      advantages[k] = lastGae;
      returns[k] = lastGae + values[k];
    }
  }
}

/**
 * Standardises `x` in place: (x − mean) / (std + 1e-8), the std with `ddof`
 * degrees of freedom taken off (1: the sample's, as PyTorch's `std()`; 0: the
 * population's, as numpy's).
 */
export function standardise(x: Float32Array, ddof: 0 | 1): void {
  let mean = 0;
  for (let i = 0; i < x.length; i++) mean += x[i];
  mean /= x.length;
  let sq = 0;
  for (let i = 0; i < x.length; i++) sq += (x[i] - mean) ** 2;
  const std = Math.sqrt(sq / (x.length - ddof)) + 1e-8;
  for (let i = 0; i < x.length; i++) x[i] = (x[i] - mean) / std;
}
