/**
 * REINFORCE (Williams, 1992): Monte Carlo policy gradient on whole episodes,
 * no value network.
 *
 * Each update plays `n_episodes` complete episodes with the current policy
 * (one per environment copy, so none is cut at a batch boundary), weights
 * every action's log-probability by the discounted return that followed it,
 * G_t = Σ_k γ^k r_{t+k}, and takes one gradient step on
 *
 *   loss = −mean_t(Ĝ_t · log π(a_t|s_t)) − ent_coef · mean_t(H[π(·|s_t)])
 *
 * where Ĝ is G normalised over the batch's steps (mean 0, std 1) when
 * `normalize_returns` is set: subtracting the mean is a constant baseline,
 * which lowers the variance without biasing the gradient's direction.
 * A time-limit truncation ends the return like a termination: with no critic
 * there is nothing to bootstrap from.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { tfPolicyTerms } from '../core/distributions';
import { standardise } from '../core/advantages';
import { EpisodeRollouts } from '../core/episode_rollouts';
import { hyperparameterSchema } from '../core/hyperparameters';
import { Policy, actorPolicySpec } from '../core/policy';
import { observationProblem, actionKindProblem } from '../core/spaces';
import type { Algorithm, TrainOutcome } from '../core/trainer';

export const reinforce: Algorithm<'reinforce'> = {
  name: 'reinforce',
  summary: 'REINFORCE: Monte Carlo policy gradient on whole episodes, no value network; discrete and continuous actions.',
  hyperparameters: hyperparameterSchema('reinforce').properties,

  unsupported(observation, action) {
    return observationProblem(observation) ?? actionKindProblem('REINFORCE', action, ['Discrete', 'Box']);
  },

  policySpec(observation, action, hp) {
    return actorPolicySpec(observation, action, hp);
  },

  train(ctx): TrainOutcome {
    const { hp, rng, tf, monitor } = ctx;
    const policy = new Policy(reinforce.policySpec(ctx.observation_space, ctx.action_space, hp));
    const actor = policy.actor!;
    const continuous = policy.actions.type === 'box';
    const obsSize = policy.encoder.size;
    const width = Policy.actionWidth(policy.actions);
    actor.init(rng, 0.01, () => monitor.stopping);
    if (policy.logStd !== null) policy.set.view(policy.logStd).fill(hp.log_std_init);
    ctx.resume(policy);

    const rollouts = new EpisodeRollouts(ctx.makeEnv, hp.n_episodes, policy);
    const adam = ctx.optimizer('policy', policy.set.size);
    const grads = new Float32Array(policy.set.size);
    rollouts.reset(Array.from({ length: hp.n_episodes }, (_, i) => ctx.seed + i));

    let globalStep = 0;
    try {
      while (globalStep < ctx.total_timesteps) {
        const { trajectories, steps } = rollouts.collect(rng, ctx.total_timesteps - globalStep, () => monitor.stopping);
        globalStep += steps;
        if (trajectories.length === 0) {
          monitor.update({ timesteps: globalStep, episodes: rollouts.drainEpisodes() }, policy);
          break;
        }

        // Discounted returns-to-go, backwards through each episode.
        const n = trajectories.reduce((s, t) => s + t.length, 0);
        const bObs = new Float32Array(n * obsSize);
        const bAct = new Float32Array(n * width);
        const bRet = new Float32Array(n);
        let at = 0;
        for (const t of trajectories) {
          bObs.set(t.obs, at * obsSize);
          bAct.set(t.actions, at * width);
          let g = 0;
          for (let k = t.length - 1; k >= 0; k--) {
            g = t.rewards[k] + hp.gamma * g;
            bRet[at + k] = g;
          }
          at += t.length;
        }
        if (hp.normalize_returns && n > 1) standardise(bRet, 0);

        const lr = hp.learning_rate * (hp.anneal_lr ? Math.max(0, 1 - globalStep / ctx.total_timesteps) : 1);
        let stats: Tensor | null = null;
        tf.tidy(() => {
          const obs = tf.tensor2d(bObs, [n, obsSize]);
          const act = tf.tensor2d(bAct, [n, width]);
          const ret = tf.tensor1d(bRet);
          const g = tf.grads((...params: Tensor[]) => {
            const head = actor.apply(tf, params, obs);
            const { logp, entropy } = tfPolicyTerms(tf, head, act, continuous ? params[policy.logStd!] : null);
            const pgLoss = tf.neg(tf.mean(tf.mul(ret, logp)));
            stats = tf.keep(tf.stack([pgLoss, entropy]));
            return tf.sub(pgLoss, tf.mul(hp.ent_coef, entropy)) as Tensor;
          })(policy.set.tensors(tf));
          policy.set.readGrads(g, grads);
        });
        adam.step(policy.params, grads, lr, hp.max_grad_norm);
        const [pg, entropy] = (stats as unknown as Tensor).dataSync();
        (stats as unknown as Tensor).dispose();
        if (monitor.update({ timesteps: globalStep, episodes: rollouts.drainEpisodes(), losses: { policy: pg }, entropy }, policy)) break;
      }
    } finally {
      rollouts.close();
    }
    return monitor.finish(policy);
  },
};
