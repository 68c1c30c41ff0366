/**
 * Soft Actor-Critic (Haarnoja et al., 2018, with the automatic entropy
 * tuning of "SAC: Algorithms and Applications"), after CleanRL's
 * sac_continuous_action.py and Stable-Baselines3's SAC: a Gaussian actor
 * whose draws are squashed by tanh, twin critics with Polyak-averaged targets
 * bootstrapping the soft value min Q'(s', a') − α log π(a'|s'), and the
 * entropy coefficient α learned so the policy's entropy stays near
 * `target_entropy` (−|A| by default).
 *
 * Actions live in [-1, 1] in the buffer and the critics and are scaled to the
 * Box's bounds only for the environment. Only termination ends
 * bootstrapping. Acting runs in plain JS on the flat parameters; each update
 * is one TensorFlow.js gradient for the critics and one for the actor.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { squashedGaussianSample, tfBoundedLogStd, tfSquashedGaussianSample } from '../core/distributions';
import { hyperparameterSchema } from '../core/hyperparameters';
import { ParamGroup, polyak } from '../core/nn';
import { Policy, unsquash } from '../core/policy';
import { ReplayBuffer } from '../core/replay_buffer';
import { ActionSpec, actionSpec, boundedBoxProblem, obsEncoder, observationProblem } from '../core/spaces';
import type { Algorithm, TrainOutcome } from '../core/trainer';
import { EncodedVectorEnv } from '../core/encoded_vector_env';

/** Gradient steps between two reads of the critic loss (each read waits for the backend). */
const STATS_EVERY = 100;

export const sac: Algorithm<'sac'> = {
  name: 'sac',
  summary: 'Soft Actor-Critic: squashed Gaussian actor, twin critics, automatic entropy tuning; Box actions.',
  hyperparameters: hyperparameterSchema('sac').properties,

  unsupported(observation, action) {
    return observationProblem(observation) ?? boundedBoxProblem('SAC', action);
  },

  policySpec(observation, action, hp) {
    const hidden = new Array(hp.hidden_layers).fill(hp.hidden_size);
    const obsSize = obsEncoder(observation).size;
    const actions = (actionSpec(action) as Extract<ActionSpec, { type: 'box' }>).size;
    return {
      kind: 'squashed_gaussian',
      observation_space: observation,
      action_space: action,
      // The actor's last layer gives the means, then the raw log standard deviations.
      actor: { sizes: [obsSize, ...hidden, 2 * actions], activation: hp.activation },
      critic: { sizes: [obsSize + actions, ...hidden, 1], activation: hp.activation },
    };
  },

  train(ctx): TrainOutcome {
    const { hp, rng, tf, monitor } = ctx;
    const policy = new Policy(sac.policySpec(ctx.observation_space, ctx.action_space, hp));
    const box = policy.actions as Extract<ActionSpec, { type: 'box' }>;
    const obsSize = policy.encoder.size;
    const nA = box.size;
    const actor = policy.actor!;
    const [q1, q2] = policy.twinQ!;
    const stopping = () => monitor.stopping;
    actor.init(rng, 0.01, stopping);
    q1.init(rng, 1.0, stopping);
    q2.init(rng, 1.0, stopping);
    const actorOpt = new ParamGroup(policy.set, actor.slots, (n) => ctx.optimizer('actor', n));
    const criticOpt = new ParamGroup(policy.set, [...q1.slots, ...q2.slots], (n) => ctx.optimizer('critic', n));
    // The critics' targets: the same layout as the policy; only the critics' range is averaged.
    const target = Float32Array.from(policy.params);
    const networks = [...actorOpt.slots, ...criticOpt.slots];

    // α = exp(log α), learned when ent_coef is "auto".
    const autoAlpha = hp.ent_coef === 'auto';
    const logAlpha = policy.set.view(policy.logAlpha!);
    logAlpha[0] = Math.log(hp.ent_coef === 'auto' ? hp.ent_coef_init : hp.ent_coef);
    const alphaOpt = ctx.optimizer('alpha', 1);
    // A continued run starts from the saved networks and α, its targets from the saved networks.
    ctx.resume(policy);
    target.set(policy.params);
    const alphaGrad = new Float32Array(1);
    const targetEntropy = hp.target_entropy === 'auto' ? -nA : hp.target_entropy;

    const B = hp.batch_size;
    const rb = new ReplayBuffer(Math.min(hp.buffer_size, ctx.total_timesteps), obsSize, nA, B);
    const epsNext = new Float32Array(B * nA);
    const epsPi = new Float32Array(B * nA);
    let updates = 0;
    let losses: Record<string, number> = {};
    let entropy: number | undefined;

    // Draws of the squashed Gaussian for a batch of observations: [B, nA] actions and [B] log-densities.
    const policyOf = (params: Tensor[], obs: Tensor, eps: Float32Array) => {
      const head = actor.apply(tf, params, obs);
      const [mean, rawLogStd] = tf.split(head, 2, 1);
      return tfSquashedGaussianSample(tf, mean, tfBoundedLogStd(tf, rawLogStd), tf.tensor2d(eps, [B, nA]));
    };

    // One update of the critics, then the actor, then α; then a Polyak step of the critics' targets.
    const learn = (): void => {
      const mb = rb.sample(rng);
      updates += 1;
      const wantStats = updates % STATS_EVERY === 0;
      for (let i = 0; i < epsNext.length; i++) epsNext[i] = rng.normal();
      for (let i = 0; i < epsPi.length; i++) epsPi[i] = rng.normal();
      const alpha = Math.exp(logAlpha[0]);
      let stats: Tensor | null = null;

      // Critics: y = r + γ (1 − terminated) (min Q'(s', a') − α log π(a'|s')), a' ~ π(·|s').
      tf.tidy(() => {
        const online = policy.set.tensors(tf, policy.params, networks);
        const targ = policy.set.tensors(tf, target, criticOpt.slots);
        const next = tf.tensor2d(mb.next, [B, obsSize]);
        const { action: nextAct, logProb: nextLogp } = policyOf(online, next, epsNext);
        const nextSA = tf.concat([next, nextAct], 1);
        const qNext = tf.reshape(tf.minimum(q1.apply(tf, targ, nextSA), q2.apply(tf, targ, nextSA)), [-1]);
        const soft = tf.sub(qNext, tf.mul(alpha, nextLogp));
        const y = tf.add(tf.tensor1d(mb.rewards), tf.mul(tf.mul(hp.gamma, tf.tensor1d(mb.notDone)), soft));
        const sa = tf.concat([tf.tensor2d(mb.obs, [B, obsSize]), tf.tensor2d(mb.actions, [B, nA])], 1);
        const g = tf.grads((...mine: Tensor[]) => {
          const p = criticOpt.merge(online, mine);
          const q1v = tf.reshape(q1.apply(tf, p, sa), [-1]);
          const loss = tf.add(tf.mean(tf.square(tf.sub(q1v, y))), tf.mean(tf.square(tf.sub(tf.reshape(q2.apply(tf, p, sa), [-1]), y))));
          if (wantStats) stats = tf.keep(tf.stack([loss, tf.mean(q1v)]));
          return loss;
        })(criticOpt.pick(online));
        criticOpt.step(g, hp.learning_rate);
      });
      if (stats) {
        const [critic, qMean] = (stats as Tensor).dataSync();
        (stats as Tensor).dispose();
        losses = { ...losses, critic, q_mean: qMean };
        stats = null;
      }

      // Actor: minimise E[α log π(a|s) − min Q(s, a)], a reparameterised, through the critics just updated.
      let meanLogp = 0;
      tf.tidy(() => {
        const online = policy.set.tensors(tf, policy.params, networks);
        const obs = tf.tensor2d(mb.obs, [B, obsSize]);
        let logpMean: Tensor | null = null;
        const g = tf.grads((...mine: Tensor[]) => {
          const p = actorOpt.merge(online, mine);
          const { action, logProb } = policyOf(p, obs, epsPi);
          const sa = tf.concat([obs, action], 1);
          const minQ = tf.reshape(tf.minimum(q1.apply(tf, p, sa, true), q2.apply(tf, p, sa, true)), [-1]);
          logpMean = tf.keep(tf.mean(logProb));
          return tf.mean(tf.sub(tf.mul(alpha, logProb), minQ));
        })(actorOpt.pick(online));
        actorOpt.step(g, hp.learning_rate);
        meanLogp = (logpMean as Tensor | null)!.dataSync()[0];
        (logpMean as Tensor | null)!.dispose();
      });

      // α: the loss −log α · (log π + target entropy) has the gradient −(E[log π] + target entropy).
      if (autoAlpha) {
        alphaGrad[0] = -(meanLogp + targetEntropy);
        alphaOpt.step(logAlpha, alphaGrad, hp.learning_rate);
      }
      entropy = -meanLogp;
      if (wantStats) losses = { ...losses, ent_coef: Math.exp(logAlpha[0]) };
      polyak(target, policy.params, hp.tau, criticOpt.from, criticOpt.to);
    };

    const envs = new EncodedVectorEnv(ctx.makeEnv, 1, policy.encoder, policy.actions);
    envs.reset(ctx.seed);
    const obsNow = new Float32Array(obsSize);
    try {
      for (let step = 1; step <= ctx.total_timesteps; step++) {
        // Act: uniform in the Box until learning starts, then a draw of the policy.
        obsNow.set(envs.obs.subarray(0, obsSize));
        let u: Float32Array;
        if (step <= hp.learning_starts) {
          u = new Float32Array(nA);
          for (let j = 0; j < nA; j++) u[j] = 2 * rng.random() - 1;
        } else {
          u = squashedGaussianSample(actor.forward(obsNow, 1), 0, nA, false, rng);
        }
        envs.step([unsquash(box, u)]);
        rb.add(obsNow, u, envs.rewards[0], envs.finalObs[0] ?? envs.obs.subarray(0, obsSize), envs.terminated[0]);

        if (step > hp.learning_starts && step % hp.train_freq === 0) {
          for (let g = 0; g < hp.gradient_steps && !monitor.stopping; g++) learn();
        }
        if (monitor.update({ timesteps: step, episodes: envs.drainEpisodes(), losses, entropy }, policy)) break;
      }
    } finally {
      envs.close();
    }
    return monitor.finish(policy);
  },
};
