/**
 * The plain-JS actor-critic gradient (PPO's and A2C's) against TensorFlow.js's
 * automatic differentiation of the same loss, for categorical and Gaussian
 * heads, tanh and ReLU layers, and an odd batch (the kernels' remainders).
 */
import type { Tensor } from '@tensorflow/tfjs';
import { ActorCriticBatch } from '../../../src/train/core/actor_critic_batch';
import { loadBackend, Tf } from '../../../src/train/core/backend';
import { tfPolicyTerms, tfSdeLogStd } from '../../../src/train/core/distributions';
import { Activation } from '../../../src/train/core/nn';
import { Policy } from '../../../src/train/core/policy';
import { Rng } from '../../../src/train/core/random';

let tf: Tf;
beforeAll(async () => {
  tf = (await loadBackend()).tf;
});

function policyOf(continuous: boolean, activation: Activation, sde = false): Policy {
  const observation = { name: 'Box', shape: [5], low: -1, high: 1, dtype: 'float32' };
  const action = continuous ? { name: 'Box', shape: [2], low: -1, high: 1, dtype: 'float32' } : { name: 'Discrete', n: 3, start: 0 };
  const out = continuous ? 2 : 3;
  const policy = new Policy({
    kind: 'actor_critic',
    observation_space: observation,
    action_space: action,
    actor: { sizes: [5, 7, 6, out], activation },
    critic: { sizes: [5, 7, 6, 1], activation },
    ...(sde ? { sde: true } : {}),
  } as never);
  const rng = new Rng(3);
  policy.actor!.init(rng, 1);
  policy.critic!.init(rng, 1);
  for (let i = 0; i < policy.params.length; i++) policy.params[i] += 0.1 * rng.normal();
  return policy;
}

describe.each([
  ['categorical', 'tanh', false, false],
  ['categorical', 'relu', false, false],
  ['Gaussian', 'tanh', true, false],
  ['Gaussian', 'relu', true, false],
  ['state-dependent Gaussian', 'tanh', true, true],
  ['state-dependent Gaussian', 'relu', true, true],
] as const)('%s head, %s layers', (_name, activation, continuous, sde) => {
  test('its gradient matches TensorFlow.js on the same loss', () => {
    const policy = policyOf(continuous, activation, sde);
    if (sde) expect(policy.set.view(policy.logStd!).length).toBe(6 * 2);
    const rng = new Rng(11);
    const n = 13;
    const width = continuous ? 2 : 3;
    const obs = Float32Array.from({ length: n * 5 }, () => rng.normal());
    const actions = continuous ? Float32Array.from({ length: n * 2 }, () => rng.normal()) : Float32Array.from({ length: n }, () => rng.int(3));
    // A loss that weighs each row's log-probability, the mean entropy and each value differently.
    const cLogp = Float64Array.from({ length: n }, () => rng.normal());
    const cValue = Float32Array.from({ length: n }, () => rng.normal());
    const cEntropy = 0.7;

    const batch = new ActorCriticBatch(policy);
    batch.forward(obs, n, actions);
    const logp = Array.from(batch.logp.subarray(0, n));
    const grads = new Float32Array(policy.params.length);
    batch.backward(cLogp, cEntropy / n, cValue.slice(), grads);

    // gSDE's features (the actor's last hidden layer) enter its variance as a constant.
    const outs: Float32Array[] = [];
    policy.actor!.forward(obs, n, undefined, outs);
    const latent = outs[outs.length - 2];
    const logStdOf = (params: Tensor[]) => (!continuous ? null : sde ? tfSdeLogStd(tf, tf.tensor2d(latent, [n, 6]), params[policy.logStd!]) : params[policy.logStd!]);
    const expected = tf.tidy(() => {
      const x = tf.tensor2d(obs, [n, 5]);
      const acts = continuous ? tf.tensor2d(actions, [n, 2]) : tf.oneHot(tf.tensor1d(actions, 'int32'), 3).toFloat();
      const g = tf.grads((...params: Tensor[]) => {
        const head = policy.actor!.apply(tf, params, x);
        const terms = tfPolicyTerms(tf, head, acts, logStdOf(params));
        const value = tf.reshape(policy.critic!.apply(tf, params, x), [-1]);
        return tf.addN([tf.sum(tf.mul(terms.logp, tf.tensor1d(Float32Array.from(cLogp)))), tf.mul(cEntropy, terms.entropy), tf.sum(tf.mul(value, tf.tensor1d(cValue)))]) as Tensor;
      })(policy.set.tensors(tf));
      const out = new Float32Array(policy.params.length);
      policy.set.readGrads(g, out);
      const tfLogp = Array.from(tfPolicyTerms(tf, policy.actor!.apply(tf, policy.set.tensors(tf), x), acts, logStdOf(policy.set.tensors(tf))).logp.dataSync());
      return { grads: out, logp: tfLogp };
    });

    logp.forEach((v, i) => expect(v).toBeCloseTo(expected.logp[i], 4));
    expect(width).toBe(policy.actor!.outSize);
    let worst = 0;
    let scale = 0;
    for (let i = 0; i < grads.length; i++) {
      worst = Math.max(worst, Math.abs(grads[i] - expected.grads[i]));
      scale = Math.max(scale, Math.abs(expected.grads[i]));
    }
    expect(scale).toBeGreaterThan(0.1);
    expect(worst).toBeLessThan(1e-4 * Math.max(1, scale));
  });
});
