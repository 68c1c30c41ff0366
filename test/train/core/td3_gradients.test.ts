/**
 * TD3's plain-JS gradients (the twin critics' and the actor's) against
 * TensorFlow.js's automatic differentiation of the same losses on fixed
 * numbers, for tanh and ReLU layers and an odd batch (the kernels' remainders).
 */
import type { Tensor } from '@tensorflow/tfjs';
import { loadBackend, Tf } from '../../../src/train/core/backend';
import { Activation } from '../../../src/train/core/nn';
import { Policy } from '../../../src/train/core/policy';
import { Rng } from '../../../src/train/core/random';
import { ReplayBatch } from '../../../src/train/core/replay_buffer';
import { td3ActorGradients, td3CriticGradients, td3LearnsPlain } from '../../../src/train/core/td3_gradients';

let tf: Tf;
beforeAll(async () => {
  tf = (await loadBackend()).tf;
});

const OBS = 3;
const ACT = 2;
const N = 13;
const GAMMA = 0.97;

function policyOf(activation: Activation, rng: Rng): Policy {
  const box = (n: number) => ({ name: 'Box', shape: [n], low: -1, high: 1, dtype: 'float32' });
  const policy = new Policy({
    kind: 'deterministic_actor',
    observation_space: box(OBS),
    action_space: box(ACT),
    actor: { sizes: [OBS, 7, 6, ACT], activation },
    critic: { sizes: [OBS + ACT, 7, 6, 1], activation },
  } as never);
  policy.actor!.init(rng, 1);
  for (const q of policy.twinQ!) q.init(rng, 1);
  for (let i = 0; i < policy.params.length; i++) policy.params[i] += 0.1 * rng.normal();
  return policy;
}

/** A whole set's tensors with those of `slots` replaced by `own` (the variables of a `tf.grads` call). */
function withSlots(all: Tensor[], slots: number[], own: Tensor[]): Tensor[] {
  const out = all.slice();
  slots.forEach((s, i) => (out[s] = own[i]));
  return out;
}

/** Gradient tensors of `slots` laid out as the whole parameter vector (zeros elsewhere: `readGrads` counts absent ones as zero). */
function flat(policy: Policy, slots: number[], g: Tensor[]): Float32Array {
  const all: Tensor[] = [];
  slots.forEach((s, i) => (all[s] = g[i]));
  return policy.set.readGrads(all, new Float32Array(policy.params.length));
}

/** The largest difference between two gradients over `[from, to)`, and the largest entry of the expected one. */
function compare(got: Float32Array, expected: Float32Array, from: number, to: number) {
  let worst = 0;
  let scale = 0;
  for (let i = from; i < to; i++) {
    worst = Math.max(worst, Math.abs(got[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return { worst, scale };
}

describe.each(['tanh', 'relu'] as const)('%s layers', (activation) => {
  const rng = new Rng(activation === 'tanh' ? 5 : 6);
  const policy = policyOf(activation, rng);
  const actor = policy.actor!;
  const [q1, q2] = policy.twinQ!;
  // Targets that differ from the online networks, as after some Polyak steps.
  const target = Float32Array.from(policy.params, (p) => p + 0.05 * rng.normal());
  const normals = (n: number, s = 1) => Float32Array.from({ length: n }, () => s * rng.normal());
  const mb: ReplayBatch = {
    size: N,
    obs: normals(N * OBS),
    actions: Float32Array.from({ length: N * ACT }, () => 2 * rng.random() - 1),
    rewards: normals(N),
    next: normals(N * OBS),
    notDone: Float32Array.from({ length: N }, (_, i) => (i % 4 === 0 ? 0 : 1)),
  };
  // Smoothing noise large enough that some target actions are clipped at ±1.
  const smoothing = Float32Array.from({ length: N * ACT }, () => Math.max(-0.5, Math.min(0.5, 0.4 * rng.normal())));
  const criticFrom = policy.set.offset(q1.layers[0].w);
  const actorTo = criticFrom;

  test("both critics' gradient matches TensorFlow.js on the clipped double-Q loss", () => {
    const grads = new Float32Array(policy.params.length);
    const got = td3CriticGradients({ actor, q1, q2 }, target, mb, smoothing, GAMMA, grads);
    const expected = tf.tidy(() => {
      const targ = policy.set.tensors(tf, target);
      const next = tf.tensor2d(mb.next, [N, OBS]);
      const nextAct = tf.clipByValue(tf.add(tf.tanh(actor.apply(tf, targ, next)), tf.tensor2d(smoothing, [N, ACT])), -1, 1);
      const nextSA = tf.concat([next, nextAct], 1);
      const qNext = tf.reshape(tf.minimum(q1.apply(tf, targ, nextSA), q2.apply(tf, targ, nextSA)), [-1]);
      const y = tf.add(tf.tensor1d(mb.rewards), tf.mul(tf.mul(GAMMA, tf.tensor1d(mb.notDone)), qNext));
      const sa = tf.concat([tf.tensor2d(mb.obs, [N, OBS]), tf.tensor2d(mb.actions, [N, ACT])], 1);
      let loss = 0;
      const online = policy.set.tensors(tf);
      const mine = [...q1.slots, ...q2.slots];
      const g = tf.grads((...own: Tensor[]) => {
        const params = withSlots(online, mine, own);
        const mse = (q: typeof q1) => tf.mean(tf.square(tf.sub(tf.reshape(q.apply(tf, params, sa), [-1]), y)));
        const l = tf.add(mse(q1), mse(q2));
        loss = l.dataSync()[0];
        return l as Tensor;
      })(mine.map((i) => online[i]));
      return { grads: flat(policy, mine, g), loss };
    });
    expect(got.loss).toBeCloseTo(expected.loss, 4);
    const { worst, scale } = compare(grads, expected.grads, criticFrom, grads.length);
    expect(scale).toBeGreaterThan(0.1);
    expect(worst).toBeLessThan(1e-4 * Math.max(1, scale));
  });

  test("the actor's gradient through Q1 and tanh matches TensorFlow.js on −mean Q1(s, tanh μ(s))", () => {
    const grads = new Float32Array(policy.params.length);
    const loss = td3ActorGradients({ actor, q1, q2 }, mb.obs, N, grads);
    const expected = tf.tidy(() => {
      const obs = tf.tensor2d(mb.obs, [N, OBS]);
      let l = 0;
      const online = policy.set.tensors(tf);
      const g = tf.grads((...own: Tensor[]) => {
        const params = withSlots(online, actor.slots, own);
        const out = tf.neg(tf.mean(q1.apply(tf, params, tf.concat([obs, tf.tanh(actor.apply(tf, params, obs))], 1), true)));
        l = out.dataSync()[0];
        return out as Tensor;
      })(actor.slots.map((i) => online[i]));
      return { grads: flat(policy, actor.slots, g), loss: l };
    });
    expect(loss).toBeCloseTo(expected.loss, 4);
    const { worst, scale } = compare(grads, expected.grads, 0, actorTo);
    expect(scale).toBeGreaterThan(0.01);
    expect(worst).toBeLessThan(1e-4 * Math.max(1, scale));
  });
});

test('plain JS takes small layers on small batches, TensorFlow.js the rest', () => {
  const nets = (hidden: number) => {
    const policy = new Policy({
      kind: 'deterministic_actor',
      observation_space: { name: 'Box', shape: [2], low: -1, high: 1, dtype: 'float32' },
      action_space: { name: 'Box', shape: [1], low: -1, high: 1, dtype: 'float32' },
      actor: { sizes: [2, hidden, hidden, 1], activation: 'relu' },
      critic: { sizes: [3, hidden, hidden, 1], activation: 'relu' },
    } as never);
    return { actor: policy.actor!, q1: policy.twinQ![0], q2: policy.twinQ![1] };
  };
  expect(td3LearnsPlain(nets(16), 128)).toBe(true);
  expect(td3LearnsPlain(nets(32), 64)).toBe(true);
  expect(td3LearnsPlain(nets(32), 128)).toBe(true);
  expect(td3LearnsPlain(nets(32), 256)).toBe(false);
  expect(td3LearnsPlain(nets(64), 16)).toBe(false);
});
