/**
 * Advantage Actor-Critic (Mnih et al., 2016, in its synchronous form), with
 * Stable-Baselines3's A2C equations: vectorised environments, short rollouts
 * (`n_steps` per copy), advantages by GAE (λ = 1 gives n-step returns), one
 * gradient step per rollout on the whole batch, RMSprop by default.
 *
 *   loss = −mean(A · log π(a|s)) − ent_coef · mean(H[π(·|s)]) + vf_coef · mean((V(s) − R)²)
 *
 * Acting runs in plain JS on the flat parameters; so do the loss and its
 * gradient for small networks (`ActorCriticBatch`), else TensorFlow.js, once
 * per rollout. Truncated episodes are bootstrapped with the critic's value of
 * their final observation, as in `ppo.ts`.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { categoricalSample, gaussianSample, tfPolicyTerms } from '../core/distributions';
import { ActorCriticBatch, plainGradients } from '../core/actor_critic_batch';
import { EncodedVectorEnv } from '../core/encoded_vector_env';
import { hyperparameterSchema } from '../core/hyperparameters';
import { RMSprop } from '../core/nn';
import { Policy } from '../core/policy';
import { actionSpec, obsEncoder, observationProblem, actionKindProblem } from '../core/spaces';
import type { Algorithm, TrainOutcome } from '../core/trainer';
import { generalisedAdvantages, standardise } from '../core/advantages';

export const a2c: Algorithm<'a2c'> = {
  name: 'a2c',
  summary: 'Advantage Actor-Critic: synchronous short rollouts, one gradient step each; discrete and continuous actions.',
  hyperparameters: hyperparameterSchema('a2c').properties,

  unsupported(observation, action) {
    return observationProblem(observation) ?? actionKindProblem('A2C', action, ['Discrete', 'Box']);
  },

  policySpec(observation, action, hp) {
    const hidden = new Array(hp.hidden_layers).fill(hp.hidden_size);
    const obsSize = obsEncoder(observation).size;
    return {
      kind: 'actor_critic',
      observation_space: observation,
      action_space: action,
      actor: { sizes: [obsSize, ...hidden, Policy.actionWidth(actionSpec(action))], activation: hp.activation },
      critic: { sizes: [obsSize, ...hidden, 1], activation: hp.activation },
    };
  },

  train(ctx): TrainOutcome {
    const { hp, rng, tf, monitor } = ctx;
    const nEnvs = hp.n_envs;
    const nSteps = hp.n_steps;
    const gamma = hp.gamma;

    const obsSize = obsEncoder(ctx.observation_space).size;
    const policy = new Policy(a2c.policySpec(ctx.observation_space, ctx.action_space, hp));
    const actions = Policy.actionWidth(policy.actions);
    const actor = policy.actor!;
    const critic = policy.critic!;
    const continuous = policy.actions.type === 'box';
    const stopping = () => monitor.stopping;
    actor.init(rng, 0.01, stopping);
    critic.init(rng, 1.0, stopping);
    if (policy.logStd !== null) policy.set.view(policy.logStd).fill(hp.log_std_init);
    ctx.resume(policy);

    const envs = new EncodedVectorEnv(ctx.makeEnv, nEnvs, policy.encoder, policy.actions);
    const optimizer = hp.optimizer === 'rmsprop' ? new RMSprop(policy.set.size, hp.rms_prop_alpha, hp.optimizer_eps) : ctx.optimizer('policy', policy.set.size, 0.9, 0.999, hp.optimizer_eps);
    const grads = new Float32Array(policy.set.size);

    const batchSize = nEnvs * nSteps;
    const numUpdates = Math.max(1, Math.ceil(ctx.total_timesteps / batchSize));
    const bObs = new Float32Array(batchSize * obsSize);
    // Box actions as vectors; Discrete ones one-hot, ready for the loss.
    const bActions = new Float32Array(batchSize * actions);
    const bRewards = new Float32Array(batchSize);
    const bDones = new Uint8Array(batchSize);
    const bValues = new Float32Array(batchSize);
    const bAdv = new Float32Array(batchSize);
    const bReturns = new Float32Array(batchSize);
    // Small networks learn in plain JS (action indices for Discrete), larger ones through TensorFlow.js.
    const plain = plainGradients(policy, batchSize) ? new ActorCriticBatch(policy) : null;
    const bActIdx = new Float32Array(continuous ? 0 : batchSize);
    const dLogp = new Float64Array(batchSize);
    const dValue = new Float32Array(batchSize);

    envs.reset(ctx.seed);
    let globalStep = 0;
    try {
      for (let update = 1; update <= numUpdates; update++) {
        const lr = hp.learning_rate * (hp.anneal_lr ? 1 - (update - 1) / numUpdates : 1);

        // Rollout: n_steps of every copy, acting in plain JS.
        bActions.fill(0);
        for (let step = 0; step < nSteps; step++) {
          const base = step * nEnvs;
          bObs.set(envs.obs, base * obsSize);
          const head = actor.forward(envs.obs, nEnvs);
          const values = critic.forward(envs.obs, nEnvs);
          const acts: (number | Float32Array)[] = new Array(nEnvs);
          for (let i = 0; i < nEnvs; i++) {
            bValues[base + i] = values[i];
            if (continuous) {
              const a = gaussianSample(head, i * actions, policy.set.view(policy.logStd!), rng);
              bActions.set(a, (base + i) * actions);
              acts[i] = a;
            } else {
              const a = categoricalSample(head, i * actions, actions, rng);
              bActions[(base + i) * actions + a] = 1;
              if (plain) bActIdx[base + i] = a;
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

        // Generalised advantage estimation, backwards through the rollout (λ = 1: n-step returns).
        const nextValues = critic.forward(envs.obs, nEnvs);
        generalisedAdvantages({ rewards: bRewards, values: bValues, dones: bDones, nextValues, nSteps, nEnvs }, gamma, hp.gae_lambda, bAdv, bReturns);
        if (hp.normalize_advantage && batchSize > 1) standardise(bAdv, 1);

        // One gradient step on the whole rollout.
        if (plain) {
          plain.forward(bObs, batchSize, continuous ? bActions : bActIdx);
          let pg = 0;
          let vl = 0;
          let ent = 0;
          for (let j = 0; j < batchSize; j++) {
            pg -= bAdv[j] * plain.logp[j];
            dLogp[j] = -bAdv[j] / batchSize;
            const err = plain.values[j] - bReturns[j];
            vl += err * err;
            dValue[j] = (2 * hp.vf_coef * err) / batchSize;
            ent += plain.entropy[j];
          }
          plain.backward(dLogp, -hp.ent_coef / batchSize, dValue, grads);
          optimizer.step(policy.params, grads, lr, hp.max_grad_norm);
          if (monitor.update({ timesteps: globalStep, episodes: envs.drainEpisodes(), losses: { policy: pg / batchSize, value: vl / batchSize }, entropy: ent / batchSize }, policy)) break;
          continue;
        }
        let stats: Tensor | null = null;
        tf.tidy(() => {
          const obs = tf.tensor2d(bObs, [batchSize, obsSize]);
          const act = tf.tensor2d(bActions, [batchSize, actions]);
          const adv = tf.tensor1d(bAdv);
          const ret = tf.tensor1d(bReturns);
          const g = tf.grads((...params: Tensor[]) => {
            const head = actor.apply(tf, params, obs);
            const { logp, entropy } = tfPolicyTerms(tf, head, act, continuous ? params[policy.logStd!] : null);
            const pgLoss = tf.neg(tf.mean(tf.mul(adv, logp)));
            const value = tf.reshape(critic.apply(tf, params, obs), [-1]);
            const vLoss = tf.mean(tf.square(tf.sub(value, ret)));
            stats = tf.keep(tf.stack([pgLoss, vLoss, entropy]));
            return tf.add(tf.sub(pgLoss, tf.mul(hp.ent_coef, entropy)), tf.mul(hp.vf_coef, vLoss)) as Tensor;
          })(policy.set.tensors(tf));
          policy.set.readGrads(g, grads);
        });
        optimizer.step(policy.params, grads, lr, hp.max_grad_norm);
        const [pg, v, entropy] = (stats as unknown as Tensor).dataSync();
        (stats as unknown as Tensor).dispose();
        if (monitor.update({ timesteps: globalStep, episodes: envs.drainEpisodes(), losses: { policy: pg, value: v }, entropy }, policy)) break;
      }
    } finally {
      envs.close();
    }
    return monitor.finish(policy);
  },
};
