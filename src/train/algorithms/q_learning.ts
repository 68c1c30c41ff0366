/**
 * Tabular Q-learning (Watkins, 1989) for finite observation spaces such as
 * the toy-text environments: Q(s,a) ← Q(s,a) + α (r + γ maxₐ' Q(s',a') − Q(s,a)),
 * ε-greedy with ε decaying linearly, ties broken at random; α constant, or
 * decaying linearly to 0 over the run (`anneal_lr`), which averages out the
 * noise of stochastic transitions late in the run. No tensors: a
 * table of a few thousand numbers is fastest in plain JavaScript.
 */
import { hyperparameterSchema } from '../core/hyperparameters';
import { Policy } from '../core/policy';
import { obsEncoder } from '../core/spaces';
import { Algorithm, TrainOutcome, linearSchedule } from '../core/trainer';
import { EncodedVectorEnv } from '../core/encoded_vector_env';

/** Largest table accepted, in entries. */
const MAX_TABLE = 10_000_000;

export const qLearning: Algorithm<'q_learning'> = {
  name: 'q_learning',
  summary: 'Tabular Q-learning with ε-greedy exploration; finite observations, discrete actions.',
  hyperparameters: hyperparameterSchema('q_learning').properties,

  unsupported(observation, action) {
    let states: number | null;
    try {
      states = obsEncoder(observation).states;
    } catch (err) {
      return (err as Error).message;
    }
    if (states === null) return `Q-learning needs a finite observation space (Discrete or Tuple of Discrete), not ${observation.name}`;
    if (action.name !== 'Discrete') return `Q-learning needs a Discrete action space, not ${action.name}`;
    if (states * Number(action.n) > MAX_TABLE) return `a Q table of ${states} × ${action.n} entries is too large`;
    return null;
  },

  policySpec(observation, action) {
    return { kind: 'q_table', observation_space: observation, action_space: action, states: obsEncoder(observation).states!, actions: Number(action.n) };
  },

  train(ctx): TrainOutcome {
    const { hp, rng, monitor } = ctx;
    const encoder = obsEncoder(ctx.observation_space);
    const nActions = Number(ctx.action_space.n);
    const policy = new Policy(qLearning.policySpec(ctx.observation_space, ctx.action_space, hp));
    ctx.resume(policy);
    const Q = policy.set.view(policy.table!);
    const gamma = hp.gamma;
    const decaySteps = hp.exploration_fraction * ctx.total_timesteps;
    const envs = new EncodedVectorEnv(ctx.makeEnv, 1, policy.encoder, policy.actions);
    envs.reset(ctx.seed);
    let s = encoder.index(envs.rawObs[0]);
    let epsilon = hp.exploration_initial_eps;
    try {
      for (let step = 1; step <= ctx.total_timesteps; step++) {
        const alpha = hp.anneal_lr ? hp.learning_rate * (1 - (step - 1) / ctx.total_timesteps) : hp.learning_rate;
        epsilon = linearSchedule(hp.exploration_initial_eps, hp.exploration_final_eps, decaySteps, step);
        const a = rng.random() < epsilon ? rng.int(nActions) : greedy(Q, s * nActions, nActions, rng.random());
        envs.step([a]);
        const done = envs.terminated[0] || envs.truncated[0];
        const next = encoder.index(done ? envs.finalRawObs[0] : envs.rawObs[0]);
        // Truncation is not termination: bootstrap from the state the time limit cut off.
        let best = Q[next * nActions];
        for (let j = 1; j < nActions; j++) best = Math.max(best, Q[next * nActions + j]);
        const target = envs.rewards[0] + (envs.terminated[0] ? 0 : gamma * best);
        Q[s * nActions + a] += alpha * (target - Q[s * nActions + a]);
        s = done ? encoder.index(envs.rawObs[0]) : next;
        if ((done || step % 1000 === 0 || step === ctx.total_timesteps || monitor.stopping) && monitor.update({ timesteps: step, episodes: envs.drainEpisodes(), epsilon }, policy)) break;
      }
    } finally {
      envs.close();
    }
    return monitor.finish(policy);
  },
};

/** The greedy action in row `from`, breaking ties uniformly with the draw `u` ∈ [0, 1). */
function greedy(Q: Float32Array, from: number, n: number, u: number): number {
  let best = -Infinity;
  let ties = 0;
  for (let j = 0; j < n; j++) {
    const v = Q[from + j];
    if (v > best) {
      best = v;
      ties = 1;
    } else if (v === best) ties += 1;
  }
  let pick = Math.floor(u * ties);
  for (let j = 0; j < n; j++) {
    if (Q[from + j] === best && pick-- === 0) return j;
  }
  return 0;
}
