/** The learners themselves, in-process: PPO (discrete and continuous), DQN, tabular Q-learning. */
import { Registry, registry } from '../../src/envs/registration';
import '../../src/envs';
import { REACH_ZERO_ACTION_RETURN, ReachEnv } from '../fixtures/reach_env';
import { blackjackReturn, tabularReturn, TabularModel } from '../../bench/exact_return';
import { Env, Info, StepResult } from '../../src/envs/core';
import { Discrete } from '../../src/envs/spaces/discrete';
import { loadBackend, Tf } from '../../src/train/core/backend';
import { evaluatePolicy, summarise } from '../../src/train/core/evaluation';
import { Policy } from '../../src/train/core/policy';
import { Rng } from '../../src/train/core/random';
import { planTraining, runTraining, TrainRequest } from '../../src/train/jobs/runner';

let tf: Tf;
beforeAll(async () => {
  tf = (await loadBackend()).tf;
});

function train(req: TrainRequest, reg: Registry = registry) {
  return runTraining(reg, planTraining(reg, req), tf);
}

test('PPO on CartPole improves its mean return clearly within a small budget', () => {
  const r = train({ env_id: 'CartPole-v1', algorithm: 'ppo', total_timesteps: 8192, seed: 3, hyperparameters: { eval_freq: 4096 } });
  const first = r.curve.find((p) => p.mean_return_100 !== null)!.mean_return_100!;
  const last = r.evaluations[r.evaluations.length - 1];
  expect(first).toBeLessThan(40);
  expect(r.progress.mean_return_100!).toBeGreaterThan(2 * first);
  expect(last.mean_return).toBeGreaterThan(100);
  expect(r.progress.losses).toEqual(expect.objectContaining({ policy: expect.any(Number), value: expect.any(Number) }));
}, 30000);

test('PPO with continuous actions learns a Gaussian policy whose mean tracks the target', () => {
  const reg = new Registry();
  reg.register('Reach-v0', () => new ReachEnv(), { reward_threshold: -0.01 });
  const r = train(
    {
      env_id: 'Reach-v0',
      algorithm: 'ppo',
      total_timesteps: 4096,
      seed: 1,
      hyperparameters: { n_envs: 8, n_steps: 64, batch_size: 128, n_epochs: 10, learning_rate: 3e-3, ent_coef: 0, eval_freq: 0, eval_episodes: 50 },
    },
    reg,
  );
  expect(r.policy.spec.kind).toBe('actor_critic');
  const policy = new Policy(r.policy.spec).load(r.policy.params);
  const before = REACH_ZERO_ACTION_RETURN;
  expect(r.evaluations[r.evaluations.length - 1].mean_return).toBeGreaterThan(before / 4);
  const p = policy.predict(Float32Array.of(0.5), null, true, new Rng(0));
  expect((p.action as Float32Array)[0]).toBeGreaterThan(0.2);
  expect(typeof p.value).toBe('number');
  expect(p.action_probs).toBeUndefined();
}, 30000);

test('Q-learning solves the non-slippery FrozenLake', () => {
  const r = train({ env_id: 'FrozenLake-v1', env_kwargs: { is_slippery: false }, algorithm: 'q_learning', total_timesteps: 20_000, seed: 0 });
  const policy = new Policy(r.policy.spec).load(r.policy.params);
  const ev = summarise(
    evaluatePolicy(policy, () => registry.make('FrozenLake-v1', { kwargs: { is_slippery: false } }), { episodes: 10, seed: 0, deterministic: true }),
  );
  expect(ev.mean_return).toBe(1);
  expect(ev.mean_length).toBe(6);
});

test('Q-learning finds the optimal CliffWalking path (return −13)', () => {
  const r = train({ env_id: 'CliffWalking-v1', algorithm: 'q_learning', total_timesteps: 30_000, seed: 0 });
  expect(r.evaluations[r.evaluations.length - 1].mean_return).toBe(-13);
});

/** One state, one action, a fair coin: reward +1 or −1, and the episode ends. Its true value is 0. */
class CoinEnv extends Env<number, number> {
  readonly observation_space = new Discrete(1);
  readonly action_space = new Discrete(1);
  reset(args: { seed?: number | null } = {}): [number, Info] {
    this.seedReset(args.seed);
    return [0, {}];
  }
  step(): StepResult<number> {
    return [0, this.np_random.random() < 0.5 ? 1 : -1, true, false, {}];
  }
}

test('Q-learning with anneal_lr settles on the mean of a noisy reward, where a constant step size keeps following the last draws', () => {
  const reg = new Registry();
  reg.register('Coin-v0', () => new CoinEnv());
  const q = (anneal_lr: boolean, seed: number) => {
    const r = train({ env_id: 'Coin-v0', algorithm: 'q_learning', total_timesteps: 5_000, seed, hyperparameters: { learning_rate: 0.5, anneal_lr, eval_freq: 0, eval_episodes: 1 } }, reg);
    return Math.abs(r.policy.params[0]);
  };
  const seeds = [1, 2, 3, 4, 5];
  // Annealed, Q is an average of thousands of draws (standard error about 0.02); at α = 0.5 it is mostly the last two.
  expect(Math.max(...seeds.map((s) => q(true, s)))).toBeLessThan(0.1);
  expect(Math.max(...seeds.map((s) => q(false, s)))).toBeGreaterThan(0.2);
});

/** The greedy policy of a trained Q table, as a function of the raw observation. */
function greedyOf(r: ReturnType<typeof train>): (obs: unknown) => number {
  const policy = new Policy(r.policy.spec).load(r.policy.params);
  return (obs) => policy.act({ raw: [obs], obs: new Float32Array(0) } as never, 1, true, new Rng(0))[0] as number;
}

test('Q-learning, the default for the slippery FrozenLake, reaches its reward_threshold with its defaults, judged by exact expected return', () => {
  expect(planTraining(registry, { env_id: 'FrozenLake-v1' }).algorithm).toBe('q_learning');
  const lake = registry.make('FrozenLake-v1').unwrapped as unknown as TabularModel;
  expect(tabularReturn(lake, 100, greedyOf(train({ env_id: 'FrozenLake-v1', seed: 0 })))).toBeGreaterThanOrEqual(0.7);
}, 60000);

test('Q-learning with its Blackjack defaults plays within 0.01 of the best policy under the registered rules, judged exactly', () => {
  const rules = registry.spec('Blackjack-v1').kwargs;
  const value = blackjackReturn(rules, greedyOf(train({ env_id: 'Blackjack-v1', seed: 0 })));
  expect(value).toBeGreaterThan(blackjackReturn(rules, null) - 0.01);
}, 60000);

test('DQN runs, decays exploration, and its policy answers Q-values', () => {
  const progress: any[] = [];
  const plan = planTraining(registry, {
    env_id: 'CartPole-v1',
    algorithm: 'dqn',
    total_timesteps: 3000,
    seed: 0,
    hyperparameters: { learning_starts: 500, train_freq: 64, gradient_steps: 16, hidden_size: 64, exploration_fraction: 0.5, eval_freq: 0, eval_episodes: 2 },
  });
  const r = runTraining(registry, plan, tf, { onProgress: (p) => progress.push(p), progress_interval_ms: 0 });
  expect(r.progress.timesteps).toBe(3000);
  expect(r.progress.epsilon!).toBeCloseTo(0.04, 5);
  expect(progress[0].epsilon).toBeGreaterThan(r.progress.epsilon!);
  expect(r.progress.losses.td).toBeGreaterThanOrEqual(0);
  const p = new Policy(r.policy.spec).load(r.policy.params).predict(Float32Array.of(0, 0, 0, 0), null, true, new Rng(0));
  expect(p.q_values).toHaveLength(2);
  expect(p.action).toBe(p.q_values![1] > p.q_values![0] ? 1 : 0);
});

test('the same seed trains the same policy', () => {
  const req: TrainRequest = { env_id: 'CartPole-v1', algorithm: 'ppo', total_timesteps: 512, seed: 9, hyperparameters: { eval_freq: 0, eval_episodes: 1 } };
  expect(Array.from(train(req).policy.params)).toEqual(Array.from(train(req).policy.params));
});

test('DQN with its CartPole defaults (a network small enough to learn in plain JS) solves CartPole-v1 within 20k steps on seed 3', () => {
  // The default budget (100k) sets how fast ε decays; early stop ends the run.
  const plan = planTraining(registry, { env_id: 'CartPole-v1', algorithm: 'dqn', seed: 3, early_stop: true });
  expect((plan.hyperparameters as { hidden_size?: number }).hidden_size).toBe(32);
  const r = runTraining(registry, plan, tf);
  expect(r.stop_reason).toBe('reward_threshold');
  expect(r.progress.timesteps).toBeLessThanOrEqual(20_000);
  // The stop was confirmed on 100 episodes at 475 or more.
  expect(r.evaluations.find((e) => e.confirmation)!.mean_return).toBeGreaterThanOrEqual(475);
}, 180_000);
