/**
 * An actor-critic's loss gradient in plain JavaScript, for PPO and A2C: the
 * forward pass of both networks on a batch (keeping what backpropagation
 * needs), each row's log-probability of its action, entropy and value; then,
 * given the loss's derivatives with respect to those three, the gradient of
 * every parameter. The algorithm computes its own loss in between.
 *
 * Why not TensorFlow.js: a minibatch's loss and gradient are about a hundred
 * ops, each with tens of microseconds of overhead. For small networks that
 * costs more than the arithmetic, which plain loops then win; for larger ones
 * the WebAssembly backend's vectorised products win (`plainGradients`).
 */
import { policyTerms, policyTermsBackward, sdePolicyTerms, sdePolicyTermsBackward } from './distributions';
import { MLP } from './nn';
import type { Policy } from './policy';

/** Whether an actor-critic's gradients on minibatches of `batch` rows are computed here rather than by TensorFlow.js (`MLP.learnsPlainAt`). */
export function plainGradients(policy: Policy, batch: number): boolean {
  return [policy.actor, policy.critic].every((net) => !net || net.learnsPlainAt(batch));
}

export class ActorCriticBatch {
  private readonly actorOuts: Float32Array[] = [];
  private readonly criticOuts: Float32Array[] = [];
  private head: Float32Array = new Float32Array(0);
  private obs: Float32Array = new Float32Array(0);
  private actions: Float32Array = new Float32Array(0);
  private n = 0;
  /** A state-dependent Gaussian's per-row log standard deviations [n, d], kept for `backward`. */
  private rowLogStd: Float32Array = new Float32Array(0);
  /** Per row, after `forward`: log π(a|s), the policy's entropy, and V(s). */
  logp = new Float64Array(0);
  entropy = new Float64Array(0);
  values: Float32Array = new Float32Array(0);

  constructor(readonly policy: Policy) {}

  /**
   * Runs both networks on `n` observations ([n, obs size]) and scores `actions`
   * (indices for a categorical head, vectors for a Gaussian one).
   */
  forward(obs: Float32Array, n: number, actions: Float32Array): void {
    const { actor, critic } = this.policy;
    this.actorOuts.length = 0;
    this.criticOuts.length = 0;
    this.obs = obs;
    this.actions = actions;
    this.n = n;
    this.head = actor!.forward(obs, n, undefined, this.actorOuts);
    this.values = critic!.forward(obs, n, undefined, this.criticOuts);
    if (this.logp.length < n) {
      this.logp = new Float64Array(n);
      this.entropy = new Float64Array(n);
    }
    if (this.policy.sde) {
      if (this.rowLogStd.length < n * actor!.outSize) this.rowLogStd = new Float32Array(n * actor!.outSize);
      sdePolicyTerms(this.head, n, actor!.outSize, actions, this.latent(), this.logStd()!, this.logp, this.entropy, this.rowLogStd);
      return;
    }
    policyTerms(this.head, n, actor!.outSize, actions, this.logStd(), this.logp, this.entropy);
  }

  /**
   * The gradient of a loss whose derivatives are `dLogp` and `dValue` per row and
   * `dEntropy` for every row's entropy, written into `grads` (the whole flat vector).
   */
  backward(dLogp: Float64Array, dEntropy: number, dValue: Float32Array, grads: Float32Array): void {
    const { actor, critic, set } = this.policy;
    const n = this.n;
    const logStd = this.logStd();
    const dHead = new Float32Array(n * actor!.outSize);
    const dLogStd = logStd ? grads.subarray(set.offset(this.policy.logStd!), set.offset(this.policy.logStd!) + logStd.length) : null;
    if (this.policy.sde) sdePolicyTermsBackward(this.head, n, actor!.outSize, this.actions, this.latent(), logStd!, this.rowLogStd, dLogp, dEntropy, dHead, dLogStd!);
    else policyTermsBackward(this.head, n, actor!.outSize, this.actions, logStd, dLogp, dEntropy, dHead, dLogStd);
    actor!.backward(this.obs, this.actorOuts, dHead, n, grads);
    critic!.backward(this.obs, this.criticOuts, dValue, n, grads);
  }

  /** The actor's last hidden layer on the batch: a state-dependent Gaussian's features. */
  private latent(): Float32Array {
    return MLP.lastHidden(this.obs, this.actorOuts);
  }

  private logStd(): Float32Array | null {
    return this.policy.logStd === null ? null : this.policy.set.view(this.policy.logStd);
  }
}
