/**
 * TD3's two losses and their gradients in plain JavaScript, for small
 * networks and batches (`td3LearnsPlain`):
 * the twin critics' squared error against the clipped double-Q target, and
 * the actor's −Q1 at its own action, backpropagated through Q1 to the action
 * and through tanh into the actor.
 *
 * Why: an update through TensorFlow.js is about 235 kernel calls, whose
 * overhead (not the arithmetic) is most of a step's time for layers and
 * batches this small; for larger ones the wasm backend's products win.
 */
import type { MLP } from './nn';
import type { ReplayBatch } from './replay_buffer';

/**
 * The most weights in one layer times the batch for which plain JS beats the wasm backend in TD3's update,
 * whose layers must also be small (unlike `PLAIN_MAX_WORK`'s actor-critics). Measured in
 * MountainCarContinuous's training, CPU ms per environment step (plain JS / wasm): 16 units, batch 128:
 * 0.60 / 1.57; 16 units, batch 256: 1.11 / 1.97; 32 units, batch 64: 0.76 / 1.58; 32 units, batch 128:
 * 1.42 / 1.88; 32 units, batch 256: 2.67 / 2.26 (`PLAIN_MAX_LAYER` alone would have sent that one here).
 */
const TD3_PLAIN_MAX_WORK = 32 * 32 * 128;

/** The networks of a deterministic actor with twin critics, their parameters in one flat vector. */
export interface TwinCriticNets {
  actor: MLP;
  q1: MLP;
  q2: MLP;
}

/** Whether TD3's updates of these networks on batches of `batch` run here rather than through TensorFlow.js. */
export function td3LearnsPlain(nets: TwinCriticNets, batch: number): boolean {
  const all = [nets.actor, nets.q1, nets.q2];
  return all.every((net) => net.learnsPlain && net.largestLayer * batch <= TD3_PLAIN_MAX_WORK);
}

/** Rows `[obs | action]`, the critics' input. */
function joinRows(obs: Float32Array, obsSize: number, actions: Float32Array, nA: number, n: number): Float32Array {
  const w = obsSize + nA;
  const out = new Float32Array(n * w);
  for (let r = 0; r < n; r++) {
    out.set(obs.subarray(r * obsSize, (r + 1) * obsSize), r * w);
    out.set(actions.subarray(r * nA, (r + 1) * nA), r * w + obsSize);
  }
  return out;
}

/**
 * The critics' loss mean (Q1 − y)² + mean (Q2 − y)², with y = r + γ (1 − terminated) min Q'(s', clip(tanh μ'(s') + ε, −1, 1))
 * from the `target` parameters and the (already clipped) smoothing noise ε ([n, actions]). Writes the gradient of both
 * critics' parameters into `grads` (laid out as the whole set); answers the loss and the batch's mean Q1.
 */
export function td3CriticGradients(
  nets: TwinCriticNets,
  target: Float32Array,
  mb: ReplayBatch,
  smoothing: Float32Array,
  gamma: number,
  grads: Float32Array,
): { loss: number; qMean: number } {
  const { actor, q1, q2 } = nets;
  const n = mb.size;
  const obsSize = actor.inSize;
  const nA = actor.outSize;
  const nextAct = actor.forward(mb.next, n, target);
  for (let k = 0; k < nextAct.length; k++) nextAct[k] = Math.min(Math.max(Math.tanh(nextAct[k]) + smoothing[k], -1), 1);
  const nextSA = joinRows(mb.next, obsSize, nextAct, nA, n);
  const q1Next = q1.forward(nextSA, n, target);
  const q2Next = q2.forward(nextSA, n, target);

  const sa = joinRows(mb.obs, obsSize, mb.actions, nA, n);
  const outs1: Float32Array[] = [];
  const outs2: Float32Array[] = [];
  const d1 = q1.forward(sa, n, undefined, outs1);
  const d2 = q2.forward(sa, n, undefined, outs2);
  let loss = 0;
  let qSum = 0;
  for (let r = 0; r < n; r++) {
    const y = mb.rewards[r] + gamma * mb.notDone[r] * Math.min(q1Next[r], q2Next[r]);
    const e1 = d1[r] - y;
    const e2 = d2[r] - y;
    loss += e1 * e1 + e2 * e2;
    qSum += d1[r];
    // d1 and d2 (the critics' outputs) become the loss's derivatives with respect to them.
    d1[r] = (2 * e1) / n;
    d2[r] = (2 * e2) / n;
  }
  q1.backward(sa, outs1, d1, n, grads);
  q2.backward(sa, outs2, d2, n, grads);
  return { loss: loss / n, qMean: qSum / n };
}

/**
 * The actor's loss −mean Q1(s, tanh μ(s)) over `n` observations; writes the gradient of the actor's
 * parameters into `grads` (laid out as the whole set; Q1's own are left alone) and answers the loss.
 */
export function td3ActorGradients(nets: TwinCriticNets, obs: Float32Array, n: number, grads: Float32Array): number {
  const { actor, q1 } = nets;
  const obsSize = actor.inSize;
  const nA = actor.outSize;
  const actorOuts: Float32Array[] = [];
  const head = actor.forward(obs, n, undefined, actorOuts);
  const act = new Float32Array(head.length);
  for (let k = 0; k < head.length; k++) act[k] = Math.tanh(head[k]);
  const sa = joinRows(obs, obsSize, act, nA, n);
  const qOuts: Float32Array[] = [];
  const q = q1.forward(sa, n, undefined, qOuts);
  let loss = 0;
  const dQ = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    loss -= q[r];
    dQ[r] = -1 / n;
  }
  // Back through Q1 to its input, keep the action's columns, then through tanh (1 − a²) into the actor.
  const dSA = new Float32Array(n * (obsSize + nA));
  q1.backward(sa, qOuts, dQ, n, null, undefined, dSA);
  const dHead = new Float32Array(n * nA);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < nA; j++) {
      const a = act[r * nA + j];
      dHead[r * nA + j] = dSA[r * (obsSize + nA) + obsSize + j] * (1 - a * a);
    }
  }
  actor.backward(obs, actorOuts, dHead, n, grads);
  return loss / n;
}
