/**
 * Deep Q-Network (Mnih et al., 2015), after CleanRL's dqn.py: a replay
 * buffer, a target network copied every `target_update_interval` steps,
 * ε-greedy exploration decaying linearly, Huber (or squared) TD loss, and
 * optionally Double DQN's target (van Hasselt et al., 2016).
 *
 * Only termination ends bootstrapping: a time-limit truncation stores its
 * final observation and is bootstrapped like any other step.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { hyperparameterSchema } from '../core/hyperparameters';
import { argmax } from '../core/distributions';
import { Policy } from '../core/policy';
import { ReplayBuffer } from '../core/replay_buffer';
import { obsEncoder, observationProblem, actionKindProblem } from '../core/spaces';
import { Algorithm, TrainOutcome, linearSchedule } from '../core/trainer';
import { EncodedVectorEnv } from '../core/encoded_vector_env';

export const dqn: Algorithm<'dqn'> = {
  name: 'dqn',
  summary: 'Deep Q-Network with replay buffer and target network; discrete actions.',
  hyperparameters: hyperparameterSchema('dqn').properties,

  unsupported(observation, action) {
    return observationProblem(observation) ?? actionKindProblem('DQN', action, ['Discrete']);
  },

  policySpec(observation, action, hp) {
    const hidden = new Array(hp.hidden_layers).fill(hp.hidden_size);
    return {
      kind: 'q_network',
      observation_space: observation,
      action_space: action,
      q: { sizes: [obsEncoder(observation).size, ...hidden, Number(action.n)], activation: hp.activation },
    };
  },

  train(ctx): TrainOutcome {
    const { hp, rng, tf, monitor } = ctx;
    const obsSize = obsEncoder(ctx.observation_space).size;
    const nActions = Number(ctx.action_space.n);
    const policy = new Policy(dqn.policySpec(ctx.observation_space, ctx.action_space, hp));
    const q = policy.q!;
    q.init(rng, 1.0, () => monitor.stopping);
    ctx.resume(policy);
    const target = Float32Array.from(policy.params);
    let targetTensors: Tensor[] | null = null;
    const adam = ctx.optimizer('q', policy.set.size);
    const grads = new Float32Array(policy.set.size);

    const rb = new ReplayBuffer(Math.min(hp.buffer_size, ctx.total_timesteps), obsSize, 1, hp.batch_size);
    const batch = hp.batch_size;
    const gamma = hp.gamma;
    const mbAction = new Float32Array(batch * nActions);
    const decaySteps = hp.exploration_fraction * ctx.total_timesteps;

    const envs = new EncodedVectorEnv(ctx.makeEnv, 1, policy.encoder, policy.actions);
    envs.reset(ctx.seed);
    let epsilon = hp.exploration_initial_eps;
    let lastLoss: number | null = null;
    let lastQ: number | null = null;

    // Small networks learn in plain JS (as PPO's and A2C's do), larger ones through TensorFlow.js.
    const plain = q.learnsPlain;
    const dQ = new Float32Array(batch * nActions);
    const outs: Float32Array[] = [];

    /** One gradient step in plain JS: the TD target from the target network, the Huber (or squared) loss's gradient, backpropagated. */
    const learnPlain = (wantStats: boolean): void => {
      const mb = rb.sample(rng);
      const qNextTarget = q.forward(mb.next, batch, target);
      const qNextOnline = hp.double_q ? q.forward(mb.next, batch) : null;
      outs.length = 0;
      const qAll = q.forward(mb.obs, batch, undefined, outs);
      dQ.fill(0);
      let loss = 0;
      let qSum = 0;
      for (let j = 0; j < batch; j++) {
        const row = j * nActions;
        // Double DQN picks the next action with the online network and values it with the target.
        const nextValue = qNextOnline ? qNextTarget[row + argmax(qNextOnline, row, nActions)] : qNextTarget[row + argmax(qNextTarget, row, nActions)];
        const y = mb.rewards[j] + gamma * mb.notDone[j] * nextValue;
        const qPred = qAll[row + mb.actions[j]];
        const err = qPred - y;
        qSum += qPred;
        if (hp.huber) {
          // Huber with δ = 1, mean over the batch.
          const a = Math.abs(err);
          loss += a <= 1 ? 0.5 * err * err : a - 0.5;
          dQ[row + mb.actions[j]] = Math.max(-1, Math.min(1, err)) / batch;
        } else {
          loss += err * err;
          dQ[row + mb.actions[j]] = (2 * err) / batch;
        }
      }
      q.backward(mb.obs, outs, dQ, batch, grads);
      if (wantStats) {
        lastLoss = loss / batch;
        lastQ = qSum / batch;
      }
      adam.step(policy.params, grads, hp.learning_rate, hp.max_grad_norm);
    };

    // One gradient step on a sampled minibatch.
    const learn = (wantStats: boolean): void => {
      if (plain) return learnPlain(wantStats);
      const mb = rb.sample(rng);
      mbAction.fill(0);
      for (let j = 0; j < batch; j++) mbAction[j * nActions + mb.actions[j]] = 1;
      if (!targetTensors) targetTensors = policy.set.tensors(tf, target);
      const tt = targetTensors;
      tf.tidy(() => {
        const online = policy.set.tensors(tf);
        const next = tf.tensor2d(mb.next, [batch, obsSize]);
        const qNextTarget = q.apply(tf, tt, next);
        // Double DQN picks the next action with the online network and values it with the target.
        const nextValue = hp.double_q
          ? tf.sum(tf.mul(qNextTarget, tf.oneHot(tf.argMax(q.apply(tf, online, next), 1), nActions)), 1)
          : tf.max(qNextTarget, 1);
        const y = tf.add(tf.tensor1d(mb.rewards), tf.mul(tf.mul(gamma, tf.tensor1d(mb.notDone)), nextValue));
        const obs = tf.tensor2d(mb.obs, [batch, obsSize]);
        const onehot = tf.tensor2d(mbAction, [batch, nActions]);
        let stats: Tensor | null = null;
        const g = tf.grads((...params: Tensor[]) => {
          const qPred = tf.sum(tf.mul(q.apply(tf, params, obs), onehot), 1);
          const loss = hp.huber ? tf.losses.huberLoss(y, qPred) : tf.mean(tf.square(tf.sub(qPred, y)));
          if (wantStats) stats = tf.keep(tf.stack([loss as Tensor, tf.mean(qPred)]));
          return loss as Tensor;
        })(online);
        policy.set.readGrads(g, grads);
        if (stats) {
          [lastLoss, lastQ] = (stats as Tensor).dataSync();
          (stats as Tensor).dispose();
        }
      });
      adam.step(policy.params, grads, hp.learning_rate, hp.max_grad_norm);
    };

    const obsNow = new Float32Array(obsSize);
    try {
      for (let step = 1; step <= ctx.total_timesteps; step++) {
        epsilon = linearSchedule(hp.exploration_initial_eps, hp.exploration_final_eps, decaySteps, step);
        obsNow.set(envs.obs.subarray(0, obsSize));
        const action = rng.random() < epsilon ? rng.int(nActions) : argmax(q.forward(obsNow, 1), 0, nActions);
        envs.step([action]);

        rb.add(obsNow, action, envs.rewards[0], envs.finalObs[0] ?? envs.obs.subarray(0, obsSize), envs.terminated[0]);

        let trained = false;
        if (step > hp.learning_starts && step % hp.train_freq === 0) {
          const n = hp.gradient_steps;
          for (let g = 0; g < n && !monitor.stopping; g++) learn(g === n - 1);
          trained = true;
        }
        if (step % hp.target_update_interval === 0) {
          target.set(policy.params);
          (targetTensors as Tensor[] | null)?.forEach((t) => t.dispose());
          targetTensors = null;
        }
        if (trained || step % 1000 === 0 || step === ctx.total_timesteps) {
          const losses: Record<string, number> = {};
          if (lastLoss !== null) losses.td = lastLoss;
          if (lastQ !== null) losses.q_mean = lastQ;
          if (monitor.update({ timesteps: step, episodes: envs.drainEpisodes(), losses, epsilon }, policy)) break;
        }
      }
    } finally {
      (targetTensors as Tensor[] | null)?.forEach((t) => t.dispose());
      envs.close();
    }
    return monitor.finish(policy);
  },
};
