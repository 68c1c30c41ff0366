/**
 * Twin Delayed DDPG (Fujimoto et al., 2018), after CleanRL's
 * td3_continuous_action.py: a deterministic actor explored with Gaussian
 * or Ornstein–Uhlenbeck noise, twin critics whose smaller value is the target (clipped double Q),
 * target policy smoothing (clipped noise on the target actor's action), and
 * the actor and the target networks updated every `policy_delay` critic
 * updates, the targets by Polyak averaging.
 *
 * Actions live in [-1, 1] (the actor's tanh) in the buffer and the critics,
 * and are scaled to the Box's bounds only for the environment. Only
 * termination ends bootstrapping. Acting runs in plain JS on the flat
 * parameters; so do the updates of small networks (`core/td3_gradients.ts`),
 * while larger ones take one TensorFlow.js gradient per network.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { actionNoise } from '../core/action_noise';
import { hyperparameterSchema } from '../core/hyperparameters';
import { ParamGroup, polyak } from '../core/nn';
import { Policy, unsquash } from '../core/policy';
import { ReplayBatch, ReplayBuffer } from '../core/replay_buffer';
import { td3ActorGradients, td3CriticGradients, td3LearnsPlain } from '../core/td3_gradients';
import { ActionSpec, actionSpec, boundedBoxProblem, obsEncoder, observationProblem } from '../core/spaces';
import type { Algorithm, TrainOutcome } from '../core/trainer';
import { EncodedVectorEnv } from '../core/encoded_vector_env';

/** Gradient steps between two reads of the losses (each read waits for the backend). */
const STATS_EVERY = 100;

export const td3: Algorithm<'td3'> = {
  name: 'td3',
  summary: 'Twin Delayed DDPG: deterministic actor, twin critics, target policy smoothing, delayed updates; Box actions.',
  hyperparameters: hyperparameterSchema('td3').properties,

  unsupported(observation, action) {
    return observationProblem(observation) ?? boundedBoxProblem('TD3', action);
  },

  policySpec(observation, action, hp) {
    const hidden = new Array(hp.hidden_layers).fill(hp.hidden_size);
    const obsSize = obsEncoder(observation).size;
    const actions = (actionSpec(action) as Extract<ActionSpec, { type: 'box' }>).size;
    return {
      kind: 'deterministic_actor',
      observation_space: observation,
      action_space: action,
      actor: { sizes: [obsSize, ...hidden, actions], activation: hp.activation },
      critic: { sizes: [obsSize + actions, ...hidden, 1], activation: hp.activation },
    };
  },

  train(ctx): TrainOutcome {
    const { hp, rng, tf, monitor } = ctx;
    const policy = new Policy(td3.policySpec(ctx.observation_space, ctx.action_space, hp));
    const box = policy.actions as Extract<ActionSpec, { type: 'box' }>;
    const obsSize = policy.encoder.size;
    const nA = box.size;
    const actor = policy.actor!;
    const [q1, q2] = policy.twinQ!;
    const stopping = () => monitor.stopping;
    // A small last layer starts the actor near the middle of the Box.
    actor.init(rng, 0.01, stopping);
    q1.init(rng, 1.0, stopping);
    q2.init(rng, 1.0, stopping);
    // A continued run starts from the saved networks, its targets copies of them.
    ctx.resume(policy);
    const actorOpt = new ParamGroup(policy.set, actor.slots, (n) => ctx.optimizer('actor', n));
    const criticOpt = new ParamGroup(policy.set, [...q1.slots, ...q2.slots], (n) => ctx.optimizer('critic', n));
    // The target networks: the same layout as the policy, lagging it.
    const target = Float32Array.from(policy.params);
    const networks = [...actorOpt.slots, ...criticOpt.slots];

    const B = hp.batch_size;
    const rb = new ReplayBuffer(Math.min(hp.buffer_size, ctx.total_timesteps), obsSize, nA, B);
    const noise = new Float32Array(B * nA);
    let updates = 0;
    let losses: Record<string, number> = {};

    // Small networks on small batches learn in plain JS (as PPO's, A2C's and DQN's do), larger ones through TensorFlow.js.
    const plain = td3LearnsPlain({ actor, q1, q2 }, B);
    const grads = new Float32Array(policy.set.size);

    /** The same update as `learn` below, in plain JS. */
    const learnPlain = (mb: ReplayBatch): void => {
      const critic = td3CriticGradients({ actor, q1, q2 }, target, mb, noise, hp.gamma, grads);
      criticOpt.stepFlat(grads, hp.learning_rate);
      losses = { ...losses, critic: critic.loss, q_mean: critic.qMean };
      if (updates % hp.policy_delay !== 0) return;
      const actorLoss = td3ActorGradients({ actor, q1, q2 }, mb.obs, B, grads);
      actorOpt.stepFlat(grads, hp.learning_rate);
      losses = { ...losses, actor: actorLoss };
      polyak(target, policy.params, hp.tau);
    };

    // One critic update and, every policy_delay of them, one actor update and a Polyak step of the targets.
    const learn = (): void => {
      const mb = rb.sample(rng);
      updates += 1;
      const wantStats = updates % STATS_EVERY === 0;
      // Target policy smoothing noise, drawn here so the seed fixes it.
      for (let i = 0; i < noise.length; i++) {
        noise[i] = Math.min(Math.max(hp.target_policy_noise * rng.normal(), -hp.target_noise_clip), hp.target_noise_clip);
      }
      if (plain) return learnPlain(mb);
      let stats: Tensor | null = null;
      tf.tidy(() => {
        const online = policy.set.tensors(tf, policy.params, criticOpt.slots);
        const targ = policy.set.tensors(tf, target, networks);
        const obs = tf.tensor2d(mb.obs, [B, obsSize]);
        const next = tf.tensor2d(mb.next, [B, obsSize]);
        // y = r + γ (1 − terminated) min Q'(s', clip(μ'(s') + ε, −1, 1))
        const nextAct = tf.clipByValue(tf.add(tf.tanh(actor.apply(tf, targ, next)), tf.tensor2d(noise, [B, nA])), -1, 1);
        const nextSA = tf.concat([next, nextAct], 1);
        const qNext = tf.reshape(tf.minimum(q1.apply(tf, targ, nextSA), q2.apply(tf, targ, nextSA)), [-1]);
        const y = tf.add(tf.tensor1d(mb.rewards), tf.mul(tf.mul(hp.gamma, tf.tensor1d(mb.notDone)), qNext));
        const sa = tf.concat([obs, tf.tensor2d(mb.actions, [B, nA])], 1);
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
      }
      if (updates % hp.policy_delay !== 0) return;
      // The actor climbs Q1 at its own action, through the critic just updated.
      tf.tidy(() => {
        const online = policy.set.tensors(tf, policy.params, [...actorOpt.slots, ...q1.slots]);
        const obs = tf.tensor2d(mb.obs, [B, obsSize]);
        const g = tf.grads((...mine: Tensor[]) => {
          const p = actorOpt.merge(online, mine);
          const loss = tf.neg(tf.mean(q1.apply(tf, p, tf.concat([obs, tf.tanh(actor.apply(tf, p, obs))], 1), true)));
          if (wantStats) stats = tf.keep(loss);
          return loss;
        })(actorOpt.pick(online));
        actorOpt.step(g, hp.learning_rate);
      });
      if (stats) {
        losses = { ...losses, actor: (stats as Tensor).dataSync()[0] };
        (stats as Tensor).dispose();
      }
      polyak(target, policy.params, hp.tau);
    };

    const envs = new EncodedVectorEnv(ctx.makeEnv, 1, policy.encoder, policy.actions);
    envs.reset(ctx.seed);
    const obsNow = new Float32Array(obsSize);
    const u = new Float32Array(nA);
    const exploration = actionNoise(hp.action_noise, nA, hp.action_noise_std);
    try {
      for (let step = 1; step <= ctx.total_timesteps; step++) {
        // Act: uniform in the Box until learning starts, then the actor plus exploration noise.
        obsNow.set(envs.obs.subarray(0, obsSize));
        if (step <= hp.learning_starts) {
          for (let j = 0; j < nA; j++) u[j] = 2 * rng.random() - 1;
        } else {
          const head = actor.forward(obsNow, 1);
          const eps = exploration.sample(rng);
          for (let j = 0; j < nA; j++) u[j] = Math.min(Math.max(Math.tanh(head[j]) + eps[j], -1), 1);
        }
        envs.step([unsquash(box, u)]);
        if (envs.terminated[0] || envs.truncated[0]) exploration.reset();
        rb.add(obsNow, u, envs.rewards[0], envs.finalObs[0] ?? envs.obs.subarray(0, obsSize), envs.terminated[0]);

        if (step > hp.learning_starts && step % hp.train_freq === 0) {
          for (let g = 0; g < hp.gradient_steps && !monitor.stopping; g++) learn();
        }
        if (monitor.update({ timesteps: step, episodes: envs.drainEpisodes(), losses }, policy)) break;
      }
    } finally {
      envs.close();
    }
    return monitor.finish(policy);
  },
};
