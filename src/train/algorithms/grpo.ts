/**
 * Group Relative Policy Optimization (Shao et al., 2024, "DeepSeekMath"), for
 * episodic environments: no value network; the baseline is the group.
 *
 * Each update plays groups of `group_size` complete episodes, every episode of
 * a group reset with the same seed (the same start state, and the same
 * environment randomness), until at least `group_size × n_steps` steps are
 * collected. Episode i of a group, with return R_i (the sum of the rewards the
 * learner sees), gets the advantage
 *
 *   Â_i = (R_i − mean(R)) / (std(R) + ε)
 *
 * for every one of its steps (outcome supervision). Then `n_epochs` passes of
 * `batch_size`-step minibatches minimise
 *
 *   (1/E) Σ_i (1/|o_i|) Σ_t [ −min(ρ Â_i, clip(ρ, 1−ε_c, 1+ε_c) Â_i) + β · KL_t ]
 *
 * over the update's E episodes, ρ = π_θ(a|s) / π_old(a|s), with the paper's
 * per-step KL estimate KL_t = π_ref/π_θ − log(π_ref/π_θ) − 1 (≥ 0, unbiased)
 * and the paper's 1/|o_i|: each episode counts once, whatever its length. A
 * minibatch of steps estimates this sum without bias (each step weighted by
 * 1/(E·|o_i|), scaled by batch/minibatch size).
 *
 * The reference policy π_ref is a copy of the policy refreshed every
 * `ref_update_interval` updates, as in the paper's iterative GRPO (it resets
 * π_ref to π_θ at each outer iteration). Why not the initial policy, as in
 * fine-tuning a language model: there the reference is a pretrained model
 * whose knowledge the penalty keeps; here the first policy is random, and
 * anchoring to it would only hold learning back. Refreshed, the penalty bounds
 * how far a few updates drift, on top of the clipping's per-update bound. At
 * 1 the reference is the policy that played the episodes, and the KL term
 * becomes a second, smooth trust region.
 *
 * A group whose returns are all equal (every episode reached the time limit,
 * say) has zero advantages and teaches nothing; that is the method, not a bug.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { categoricalLogProb, gaussianLogProb, tfPolicyTerms } from '../core/distributions';
import { EpisodeRollouts, Trajectory } from '../core/episode_rollouts';
import { hyperparameterSchema } from '../core/hyperparameters';
import { Policy, actorPolicySpec } from '../core/policy';
import { observationProblem, actionKindProblem } from '../core/spaces';
import type { Algorithm, TrainOutcome } from '../core/trainer';

/** ε in the advantage's denominator. */
export const ADVANTAGE_EPS = 1e-8;

/** Group-relative advantages: (R − mean) / (std + ε), std the sample standard deviation (0 for a group of one). */
export function groupAdvantages(returns: readonly number[], eps = ADVANTAGE_EPS): number[] {
  const g = returns.length;
  const mean = returns.reduce((a, b) => a + b, 0) / g;
  const std = g > 1 ? Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (g - 1)) : 0;
  return returns.map((r) => (r - mean) / (std + eps));
}

export const grpo: Algorithm<'grpo'> = {
  name: 'grpo',
  summary: 'Group Relative Policy Optimization: groups of episodes from one start state, group-normalised returns, clipped objective with a KL penalty, no value network.',
  hyperparameters: hyperparameterSchema('grpo').properties,

  unsupported(observation, action) {
    return observationProblem(observation) ?? actionKindProblem('GRPO', action, ['Discrete', 'Box']);
  },

  policySpec(observation, action, hp) {
    return actorPolicySpec(observation, action, hp);
  },

  train(ctx): TrainOutcome {
    const { hp, rng, tf, monitor } = ctx;
    const G = hp.group_size;
    const policy = new Policy(grpo.policySpec(ctx.observation_space, ctx.action_space, hp));
    const actor = policy.actor!;
    const continuous = policy.actions.type === 'box';
    const obsSize = policy.encoder.size;
    const width = Policy.actionWidth(policy.actions);
    actor.init(rng, 0.01, () => monitor.stopping);
    if (policy.logStd !== null) policy.set.view(policy.logStd).fill(hp.log_std_init);
    ctx.resume(policy);

    const rollouts = new EpisodeRollouts(ctx.makeEnv, G, policy);
    const adam = ctx.optimizer('policy', policy.set.size, 0.9, 0.999, 1e-5);
    const grads = new Float32Array(policy.set.size);
    const reference = Float32Array.from(policy.params);
    const minSteps = G * hp.n_steps;
    const mb = hp.batch_size;

    let globalStep = 0;
    let group = 0;
    let update = 0;
    try {
      while (globalStep < ctx.total_timesteps) {
        if (update % hp.ref_update_interval === 0) reference.set(policy.params);
        update += 1;

        // Groups of G episodes, each group from one start state, until the update has its steps.
        const episodes: { t: Trajectory; advantage: number }[] = [];
        let collected = 0;
        let cut = false;
        while (collected < minSteps) {
          rollouts.reset(new Array(G).fill(ctx.seed + group));
          group += 1;
          const { trajectories, steps } = rollouts.collect(rng, ctx.total_timesteps - globalStep, () => monitor.stopping);
          globalStep += steps;
          collected += steps;
          if (trajectories.length === 0) {
            cut = true;
            break;
          }
          const returns = trajectories.map((t) => t.rewards.reduce((a, b) => a + b, 0));
          groupAdvantages(returns).forEach((advantage, i) => episodes.push({ t: trajectories[i], advantage }));
        }
        if (cut && episodes.length === 0) {
          monitor.update({ timesteps: globalStep, episodes: rollouts.drainEpisodes() }, policy);
          break;
        }

        // The update's steps: observations, actions, old and reference log-probabilities, advantages, weights.
        const n = episodes.reduce((s, e) => s + e.t.length, 0);
        const E = episodes.length;
        const bObs = new Float32Array(n * obsSize);
        const bAct = new Float32Array(n * width);
        const bOld = new Float32Array(n);
        const bRef = new Float32Array(n);
        const bAdv = new Float32Array(n);
        const bWeight = new Float32Array(n);
        let at = 0;
        let advAbs = 0;
        for (const { t, advantage } of episodes) {
          bObs.set(t.obs, at * obsSize);
          bAct.set(t.actions, at * width);
          bOld.set(t.logp, at);
          bAdv.fill(advantage, at, at + t.length);
          bWeight.fill(1 / (E * t.length), at, at + t.length);
          advAbs += Math.abs(advantage);
          at += t.length;
        }
        referenceLogProbs(policy, reference, bObs, bAct, n, continuous, bRef);

        const idx = new Int32Array(n);
        for (let i = 0; i < n; i++) idx[i] = i;
        const size = Math.min(mb, n);
        const perEpoch = Math.max(1, Math.floor(n / size));
        const mbObs = new Float32Array(size * obsSize);
        const mbAct = new Float32Array(size * width);
        const mbOld = new Float32Array(size);
        const mbRef = new Float32Array(size);
        const mbAdv = new Float32Array(size);
        const mbWeight = new Float32Array(size);
        let stats: Tensor | null = null;
        for (let epoch = 0; epoch < hp.n_epochs && !monitor.stopping; epoch++) {
          rng.shuffle(idx);
          for (let m = 0; m < perEpoch && !monitor.stopping; m++) {
            for (let j = 0; j < size; j++) {
              const k = idx[m * size + j];
              mbObs.set(bObs.subarray(k * obsSize, (k + 1) * obsSize), j * obsSize);
              mbAct.set(bAct.subarray(k * width, (k + 1) * width), j * width);
              mbOld[j] = bOld[k];
              mbRef[j] = bRef[k];
              mbAdv[j] = bAdv[k];
              // Scaled so that the minibatch's sum estimates the whole batch's.
              mbWeight[j] = (bWeight[k] * n) / size;
            }
            const wantStats = epoch === hp.n_epochs - 1 && m === perEpoch - 1;
            tf.tidy(() => {
              const obs = tf.tensor2d(mbObs, [size, obsSize]);
              const act = tf.tensor2d(mbAct, [size, width]);
              const old = tf.tensor1d(mbOld);
              const ref = tf.tensor1d(mbRef);
              const adv = tf.tensor1d(mbAdv);
              const weight = tf.tensor1d(mbWeight);
              const g = tf.grads((...params: Tensor[]) => {
                const head = actor.apply(tf, params, obs);
                const { logp, entropy } = tfPolicyTerms(tf, head, act, continuous ? params[policy.logStd!] : null);
                const ratio = tf.exp(tf.sub(logp, old));
                const clipped = tf.clipByValue(ratio, 1 - hp.clip_range, 1 + hp.clip_range);
                const surrogate = tf.minimum(tf.mul(ratio, adv), tf.mul(clipped, adv));
                const refMinus = tf.sub(ref, logp);
                const kl = tf.sub(tf.sub(tf.exp(refMinus), refMinus), 1);
                const perStep = tf.add(tf.neg(surrogate), tf.mul(hp.kl_coef, kl));
                const loss = tf.sum(tf.mul(weight, perStep));
                if (wantStats) {
                  const clipFrac = tf.mean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), hp.clip_range), 'float32'));
                  stats = tf.keep(tf.stack([tf.neg(tf.sum(tf.mul(weight, surrogate))), tf.mean(kl), clipFrac, entropy]));
                }
                return tf.sub(loss, tf.mul(hp.ent_coef, entropy)) as Tensor;
              })(policy.set.tensors(tf));
              policy.set.readGrads(g, grads);
            });
            adam.step(policy.params, grads, hp.learning_rate, hp.max_grad_norm);
          }
        }
        const losses: Record<string, number> = { advantage_abs_mean: advAbs / E };
        let entropy: number | undefined;
        if (stats) {
          const [pg, kl, clipFraction, ent] = (stats as Tensor).dataSync();
          (stats as Tensor).dispose();
          Object.assign(losses, { policy: pg, kl, clip_fraction: clipFraction });
          entropy = ent;
        }
        if (monitor.update({ timesteps: globalStep, episodes: rollouts.drainEpisodes(), losses, entropy }, policy)) break;
        if (cut) break;
      }
    } finally {
      rollouts.close();
    }
    return monitor.finish(policy);
  },
};

/** log π_ref(a|s) for every step, in plain JS with the reference parameters. */
function referenceLogProbs(policy: Policy, reference: Float32Array, obs: Float32Array, actions: Float32Array, n: number, continuous: boolean, out: Float32Array): void {
  const actor = policy.actor!;
  const width = actor.outSize;
  const head = actor.forward(obs, n, reference);
  if (continuous) {
    const logStd = policy.set.view(policy.logStd!, reference);
    for (let i = 0; i < n; i++) out[i] = gaussianLogProb(head, i * width, logStd, actions.subarray(i * width, (i + 1) * width));
  } else {
    for (let i = 0; i < n; i++) {
      let a = 0;
      while (actions[i * width + a] !== 1) a++;
      out[i] = categoricalLogProb(head, i * width, width, a);
    }
  }
}
