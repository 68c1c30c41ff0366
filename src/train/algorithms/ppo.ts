/**
 * Proximal Policy Optimization (Schulman et al., 2017), after CleanRL's
 * ppo.py and ppo_continuous_action.py: vectorised environments, GAE,
 * clipped surrogate objective, entropy bonus, separate actor and critic.
 *
 * Acting runs in plain JS on the flat parameters (a handful of observations
 * per step); each minibatch's gradient is computed in plain JS for small
 * networks or small minibatches (`ActorCriticBatch`, `plainGradients`) and
 * by TensorFlow.js otherwise, and
 * Adam updates the flat parameters. Truncated episodes are bootstrapped with
 * the critic's value of their final observation, as Stable-Baselines3 does.
 *
 * With `use_sde` (Box actions) exploration is state-dependent (gSDE, see
 * `core/distributions.ts`): each copy holds an exploration matrix, drawn anew
 * at every rollout (or every `sde_sample_freq` steps), whose product with the
 * actor's last hidden layer is the noise added to the mean action.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { ActorCriticBatch, plainGradients } from '../core/actor_critic_batch';
import {
  categoricalLogProb,
  categoricalSample,
  gaussianLogProb,
  gaussianSample,
  sdeLogStd,
  sdeSample,
  sdeSampleWeights,
  tfPolicyTerms,
  tfSdeLogStd,
} from '../core/distributions';
import { MLP } from '../core/nn';
import { Policy } from '../core/policy';
import { actionSpec, obsEncoder, observationProblem, actionKindProblem } from '../core/spaces';
import type { Algorithm, TrainOutcome } from '../core/trainer';
import { EncodedVectorEnv } from '../core/encoded_vector_env';
import { hyperparameterSchema } from '../core/hyperparameters';
import { generalisedAdvantages } from '../core/advantages';

export const ppo: Algorithm<'ppo'> = {
  name: 'ppo',
  summary: 'Proximal Policy Optimization with a clipped objective; discrete and continuous actions.',
  hyperparameters: hyperparameterSchema('ppo').properties,

  unsupported(observation, action) {
    return observationProblem(observation) ?? actionKindProblem('PPO', action, ['Discrete', 'Box']);
  },

  check(hp) {
    const batch = hp.n_envs * hp.n_steps;
    return hp.batch_size > batch ? [`batch_size (${hp.batch_size}) must be at most n_envs × n_steps (${batch})`] : [];
  },

  policySpec(observation, action, hp) {
    const hidden = new Array(hp.hidden_layers).fill(hp.hidden_size);
    const obsSize = obsEncoder(observation).size;
    const actions = Policy.actionWidth(actionSpec(action));
    const sde = hp.use_sde && actionSpec(action).type === 'box';
    return {
      kind: 'actor_critic',
      observation_space: observation,
      action_space: action,
      actor: { sizes: [obsSize, ...hidden, actions], activation: hp.activation },
      critic: { sizes: [obsSize, ...hidden, 1], activation: hp.activation },
      ...(sde ? { sde: true } : {}),
    };
  },

  train(ctx): TrainOutcome {
    const { hp, rng, tf, monitor } = ctx;
    const nEnvs = hp.n_envs;
    const nSteps = hp.n_steps;
    const gamma = hp.gamma;
    const lambda = hp.gae_lambda;

    const obsSize = obsEncoder(ctx.observation_space).size;
    const actions = Policy.actionWidth(actionSpec(ctx.action_space));
    const policy = new Policy(ppo.policySpec(ctx.observation_space, ctx.action_space, hp));
    const actor = policy.actor!;
    const critic = policy.critic!;
    const continuous = policy.actions.type === 'box';
    // Small policy-head weights start the policy near uniform (or near zero mean), as in CleanRL.
    // A job stopped while these large matrices are made ends with what is made (stop is read per column).
    const stopping = () => monitor.stopping;
    if (hp.ortho_init) {
      actor.init(rng, 0.01, stopping);
      critic.init(rng, 1.0, stopping);
    } else {
      actor.initUniform(rng);
      critic.initUniform(rng);
    }
    if (policy.logStd !== null) policy.set.view(policy.logStd).fill(hp.log_std_init);
    ctx.resume(policy);

    const envs = new EncodedVectorEnv(ctx.makeEnv, nEnvs, policy.encoder, policy.actions);
    const adam = ctx.optimizer('policy', policy.set.size, 0.9, 0.999, 1e-5);
    const grads = new Float32Array(policy.set.size);

    const batchSize = nEnvs * nSteps;
    const mbSize = hp.batch_size;
    const numUpdates = Math.max(1, Math.ceil(ctx.total_timesteps / batchSize));
    const bObs = new Float32Array(batchSize * obsSize);
    const bActions = new Float32Array(batchSize * (continuous ? actions : 1));
    const bLogp = new Float32Array(batchSize);
    const bRewards = new Float32Array(batchSize);
    const bDones = new Uint8Array(batchSize);
    const bValues = new Float32Array(batchSize);
    const bAdv = new Float32Array(batchSize);
    const bReturns = new Float32Array(batchSize);

    // Small networks, or small minibatches, learn in plain JS, the others through TensorFlow.js (see `plainGradients`).
    const plain = plainGradients(policy, mbSize) ? new ActorCriticBatch(policy) : null;
    const mbDLogp = new Float64Array(mbSize);
    const mbDValue = new Float32Array(mbSize);
    const mbActIdx = new Float32Array(continuous ? 0 : mbSize);

    // gSDE: one exploration matrix per copy, [last hidden units, actions], and the actor's layers of a forward pass.
    const sde = policy.sde;
    const latentSize = Policy.latentSize(actor.sizes);
    const thetas = sde ? Array.from({ length: nEnvs }, () => new Float32Array(latentSize * actions)) : [];
    const actorOuts: Float32Array[] = [];
    const rowLogStd = new Float32Array(actions);
    const resampleNoise = () => {
      for (const theta of thetas) sdeSampleWeights(policy.set.view(policy.logStd!), rng, theta);
    };
    const latentOf = (obs: Float32Array, n: number) => {
      actorOuts.length = 0;
      actor.forward(obs, n, undefined, actorOuts);
      return MLP.lastHidden(obs, actorOuts);
    };

    // The loss of one minibatch, in tf ops; inputs are tensors built from the rollout.
    let stats: Tensor | null = null;
    const lossFn = (
      mbObs: Tensor,
      mbAct: Tensor,
      mbLogp: Tensor,
      mbAdv: Tensor,
      mbRet: Tensor,
      clip: number,
      wantStats: boolean,
      mbLatent: Tensor | null,
    ) =>
      tf.grads((...params: Tensor[]) => {
        const head = actor.apply(tf, params, mbObs);
        const logStd = !continuous ? null : mbLatent ? tfSdeLogStd(tf, mbLatent, params[policy.logStd!]) : params[policy.logStd!];
        const { logp: newLogp, entropy } = tfPolicyTerms(tf, head, mbAct, logStd);
        const logRatio = tf.sub(newLogp, mbLogp);
        const ratio = tf.exp(logRatio);
        const pgLoss = tf.mean(tf.maximum(tf.mul(tf.neg(mbAdv), ratio), tf.mul(tf.neg(mbAdv), tf.clipByValue(ratio, 1 - clip, 1 + clip))));
        const value = tf.reshape(critic.apply(tf, params, mbObs), [-1]);
        const vLoss = tf.mul(0.5, tf.mean(tf.square(tf.sub(value, mbRet))));
        if (wantStats) {
          const approxKl = tf.mean(tf.sub(tf.sub(ratio, 1), logRatio));
          const clipFrac = tf.mean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), clip), 'float32'));
          stats = tf.keep(tf.stack([pgLoss, vLoss, entropy, approxKl, clipFrac]));
        }
        return tf.add(tf.sub(pgLoss, tf.mul(hp.ent_coef, entropy)), tf.mul(hp.vf_coef, vLoss)) as Tensor;
      });

    envs.reset(ctx.seed);
    let globalStep = 0;
    let losses: Record<string, number> = {};
    let entropyNow: number | undefined;
    const idx = new Int32Array(batchSize);
    const mbIdx = new Int32Array(mbSize);
    const mbObsArr = new Float32Array(mbSize * obsSize);
    const mbActArr = new Float32Array(mbSize * actions);
    const mbLogpArr = new Float32Array(mbSize);
    const mbAdvArr = new Float32Array(mbSize);
    const mbRetArr = new Float32Array(mbSize);

    try {
      for (let update = 1; update <= numUpdates; update++) {
        const frac = 1 - (update - 1) / numUpdates;
        const lr = hp.learning_rate * (hp.anneal_lr ? frac : 1);
        const clip = hp.clip_range * (hp.anneal_clip ? frac : 1);

        // Rollout: n_steps of every environment, acting in plain JS.
        for (let step = 0; step < nSteps; step++) {
          if (sde && (step === 0 || (hp.sde_sample_freq > 0 && step % hp.sde_sample_freq === 0))) resampleNoise();
          const base = step * nEnvs;
          bObs.set(envs.obs, base * obsSize);
          const latent = sde ? latentOf(envs.obs, nEnvs) : null;
          const head = sde ? actorOuts[actorOuts.length - 1] : actor.forward(envs.obs, nEnvs);
          const values = critic.forward(envs.obs, nEnvs);
          const acts: (number | Float32Array)[] = new Array(nEnvs);
          for (let i = 0; i < nEnvs; i++) {
            const row = i * actions;
            bValues[base + i] = values[i];
            if (latent) {
              // The mean plus this state's features times the copy's exploration matrix, scored by the state's Gaussian.
              const a = sdeSample(head, row, latent, i * latentSize, thetas[i], actions);
              bActions.set(a, (base + i) * actions);
              bLogp[base + i] = gaussianLogProb(head, row, sdeLogStd(latent, i * latentSize, policy.set.view(policy.logStd!), actions, rowLogStd), a);
              acts[i] = a;
            } else if (continuous) {
              const logStd = policy.set.view(policy.logStd!);
              const a = gaussianSample(head, row, logStd, rng);
              bActions.set(a, (base + i) * actions);
              bLogp[base + i] = gaussianLogProb(head, row, logStd, a);
              acts[i] = a;
            } else {
              const a = categoricalSample(head, row, actions, rng);
              bActions[base + i] = a;
              bLogp[base + i] = categoricalLogProb(head, row, actions, a);
              acts[i] = a;
            }
          }
          envs.step(acts);
          globalStep += nEnvs;
          for (let i = 0; i < nEnvs; i++) {
            let r = envs.rewards[i];
            if (envs.truncated[i] && !envs.terminated[i]) r += gamma * critic.forward(envs.finalObs[i]!, 1)[0];
            bRewards[base + i] = r;
            bDones[base + i] = envs.terminated[i] || envs.truncated[i] ? 1 : 0;
          }
          if (monitor.stopping) break;
        }
        if (monitor.stopping) {
          monitor.update({ timesteps: globalStep, episodes: envs.drainEpisodes() }, policy);
          break;
        }

        // Generalised advantage estimation, backwards through the rollout.
        const nextValues = critic.forward(envs.obs, nEnvs);
        generalisedAdvantages({ rewards: bRewards, values: bValues, dones: bDones, nextValues, nSteps, nEnvs }, gamma, lambda, bAdv, bReturns);

        // How much of the returns' variance the critic explained before this update (1 is perfect, 0 no better than their mean).
        const explainedVariance = explainedVarianceOf(bValues, bReturns);

        // Optimisation: n_epochs passes of shuffled minibatches.
        for (let i = 0; i < batchSize; i++) idx[i] = i;
        const epochs = hp.n_epochs;
        const perEpoch = Math.floor(batchSize / mbSize);
        for (let epoch = 0; epoch < epochs && !monitor.stopping; epoch++) {
          rng.shuffle(idx);
          // The stop flag is read before every gradient step, so `stop` waits for one minibatch at most.
          for (let mb = 0; mb < perEpoch && !monitor.stopping; mb++) {
            for (let j = 0; j < mbSize; j++) mbIdx[j] = idx[mb * mbSize + j];
            let mean = 0;
            let sq = 0;
            mbActArr.fill(0);
            for (let j = 0; j < mbSize; j++) {
              const k = mbIdx[j];
              mbObsArr.set(bObs.subarray(k * obsSize, (k + 1) * obsSize), j * obsSize);
              if (continuous) mbActArr.set(bActions.subarray(k * actions, (k + 1) * actions), j * actions);
              else {
                mbActArr[j * actions + bActions[k]] = 1;
                mbActIdx[j] = bActions[k];
              }
              mbLogpArr[j] = bLogp[k];
              mbAdvArr[j] = bAdv[k];
              mbRetArr[j] = bReturns[k];
              mean += bAdv[k];
            }
            mean /= mbSize;
            for (let j = 0; j < mbSize; j++) sq += (mbAdvArr[j] - mean) ** 2;
            if (hp.normalize_advantage && mbSize > 1) {
              const std = Math.sqrt(sq / (mbSize - 1)) + 1e-8;
              for (let j = 0; j < mbSize; j++) mbAdvArr[j] = (mbAdvArr[j] - mean) / std;
            }
            const wantStats = epoch === epochs - 1 && mb === perEpoch - 1;
            if (plain) {
              // The same loss and its gradient in plain JS (÷ mbSize: means).
              plain.forward(mbObsArr, mbSize, continuous ? mbActArr : mbActIdx);
              let pg = 0;
              let vl = 0;
              let ent = 0;
              let kl = 0;
              let clipped = 0;
              for (let j = 0; j < mbSize; j++) {
                const logRatio = plain.logp[j] - mbLogpArr[j];
                const ratio = Math.exp(logRatio);
                const adv = mbAdvArr[j];
                const unclipped = -adv * ratio;
                const bounded = -adv * Math.min(Math.max(ratio, 1 - clip), 1 + clip);
                // The gradient of the max flows through the unclipped term when it is the larger (as tf.maximum's does); a clipped ratio has none.
                pg += Math.max(unclipped, bounded);
                mbDLogp[j] = unclipped >= bounded ? unclipped / mbSize : 0;
                const err = plain.values[j] - mbRetArr[j];
                vl += 0.5 * err * err;
                mbDValue[j] = (hp.vf_coef * err) / mbSize;
                ent += plain.entropy[j];
                kl += ratio - 1 - logRatio;
                if (Math.abs(ratio - 1) > clip) clipped++;
              }
              plain.backward(mbDLogp, -hp.ent_coef / mbSize, mbDValue, grads);
              if (wantStats) {
                losses = { policy: pg / mbSize, value: vl / mbSize, approx_kl: kl / mbSize, clip_fraction: clipped / mbSize };
                if (explainedVariance !== null) losses.explained_variance = explainedVariance;
                entropyNow = ent / mbSize;
              }
              adam.step(policy.params, grads, lr, hp.max_grad_norm);
              continue;
            }
            tf.tidy(() => {
              const g = lossFn(
                tf.tensor2d(mbObsArr, [mbSize, obsSize]),
                tf.tensor2d(mbActArr, [mbSize, actions]),
                tf.tensor1d(mbLogpArr),
                tf.tensor1d(mbAdvArr),
                tf.tensor1d(mbRetArr),
                clip,
                wantStats,
                // The features of a state-dependent Gaussian are a constant of the loss (no gradient through them).
                sde ? tf.tensor2d(latentOf(mbObsArr, mbSize), [mbSize, latentSize]) : null,
              )(policy.set.tensors(tf));
              policy.set.readGrads(g, grads);
            });
            adam.step(policy.params, grads, lr, hp.max_grad_norm);
          }
        }
        if (stats) {
          const [pg, v, ent, kl, cf] = (stats as Tensor).dataSync();
          (stats as Tensor).dispose();
          stats = null;
          losses = { policy: pg, value: v, approx_kl: kl, clip_fraction: cf };
          if (explainedVariance !== null) losses.explained_variance = explainedVariance;
          entropyNow = ent;
        }
        if (monitor.update({ timesteps: globalStep, episodes: envs.drainEpisodes(), losses, entropy: entropyNow }, policy)) break;
      }
    } finally {
      envs.close();
    }
    return monitor.finish(policy);
  },
};

/** 1 - Var(returns - values) / Var(returns), as CleanRL logs it; null when the returns do not vary. */
function explainedVarianceOf(values: ArrayLike<number>, returns: ArrayLike<number>): number | null {
  const n = returns.length;
  let meanY = 0;
  let meanD = 0;
  for (let i = 0; i < n; i++) {
    meanY += returns[i];
    meanD += returns[i] - values[i];
  }
  meanY /= n;
  meanD /= n;
  let varY = 0;
  let varD = 0;
  for (let i = 0; i < n; i++) {
    varY += (returns[i] - meanY) ** 2;
    varD += (returns[i] - values[i] - meanD) ** 2;
  }
  return varY > 0 ? 1 - varD / varY : null;
}
