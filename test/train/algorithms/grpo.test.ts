/** GRPO: group-relative advantages, groups that share their start state, and learning CartPole-v1 and Reach. */
import { registry, Registry } from '../../../src/envs/registration';
import '../../../src/envs';
import { groupAdvantages } from '../../../src/train/algorithms/grpo';
import { loadBackend, Tf } from '../../../src/train/core/backend';
import { EpisodeRollouts } from '../../../src/train/core/episode_rollouts';
import { Policy } from '../../../src/train/core/policy';
import { Rng } from '../../../src/train/core/random';
import type { TrainProgress } from '../../../src/train/core/trainer';
import { planTraining, runTraining, spacesOf, TrainRequest } from '../../../src/train/jobs/runner';
import { REACH_ZERO_ACTION_RETURN, ReachEnv } from '../../fixtures/reach_env';

let tf: Tf;
beforeAll(async () => {
  tf = (await loadBackend()).tf;
});

function train(req: TrainRequest, reg: Registry = registry, onProgress?: (p: TrainProgress) => void) {
  return runTraining(reg, planTraining(reg, req), tf, onProgress ? { onProgress, progress_interval_ms: 0 } : {});
}

describe('group advantages', () => {
  test('are (R − mean) / (std + ε) with the sample standard deviation', () => {
    // Returns 10, 20, 30: mean 20, sample std 10.
    const a = groupAdvantages([10, 20, 30]);
    expect(a[0]).toBeCloseTo(-1, 6);
    expect(a[1]).toBeCloseTo(0, 6);
    expect(a[2]).toBeCloseTo(1, 6);
  });

  test('are zero for a group whose returns are all equal, and finite', () => {
    expect(groupAdvantages([500, 500, 500, 500])).toEqual([0, 0, 0, 0]);
  });
});

test('the episodes of a group start from the same state, and differ only by the actions sampled', () => {
  const { observation, action } = spacesOf(registry, 'CartPole-v1', {});
  const policy = new Policy({ kind: 'actor', observation_space: observation, action_space: action, actor: { sizes: [4, 8, 2], activation: 'tanh' } });
  policy.actor!.init(new Rng(0), 0.01);
  const rollouts = new EpisodeRollouts(() => registry.make('CartPole-v1'), 6, policy);
  try {
    rollouts.reset(new Array(6).fill(42));
    const { trajectories, steps } = rollouts.collect(new Rng(1), 10_000, () => false);
    expect(trajectories).toHaveLength(6);
    expect(steps).toBe(trajectories.reduce((s, t) => s + t.length, 0));
    const starts = trajectories.map((t) => Array.from(t.obs.subarray(0, 4)));
    for (const s of starts) expect(s).toEqual(starts[0]);
    // Near-uniform random actions make episodes of different lengths, so the returns differ.
    expect(new Set(trajectories.map((t) => t.length)).size).toBeGreaterThan(1);
    for (const t of trajectories) {
      expect(t.terminated).toBe(true);
      expect(Array.from(t.logp).every((l) => Math.abs(l - Math.log(0.5)) < 0.05)).toBe(true);
    }
    // Another seed, another start.
    rollouts.reset(new Array(6).fill(43));
    const other = rollouts.collect(new Rng(1), 10_000, () => false).trajectories[0];
    expect(Array.from(other.obs.subarray(0, 4))).not.toEqual(starts[0]);
  } finally {
    rollouts.close();
  }
});

test('GRPO solves CartPole-v1: 100 deterministic episodes averaging at least 475, with non-zero advantages on the way', () => {
  const reports: TrainProgress[] = [];
  // The CartPole defaults (learning rate 3e-3, updates of ≥ 1024 steps in groups of 8, minibatches of 256, 8 epochs); seed 1 solves at about 15k steps.
  const r = train({ env_id: 'CartPole-v1', algorithm: 'grpo', total_timesteps: 30_000, seed: 1, early_stop: true }, registry, (p) => reports.push(p));
  const advantages = reports.map((p) => p.losses.advantage_abs_mean).filter((a) => a !== undefined);
  expect(advantages.length).toBeGreaterThan(0);
  expect(advantages.every((a) => a > 0)).toBe(true);
  expect(reports.every((p) => p.losses.kl === undefined || p.losses.kl >= 0)).toBe(true);
  expect(r.stop_reason).toBe('reward_threshold');
  const confirmation = r.evaluations.find((e) => e.confirmation)!;
  expect(confirmation.episodes).toBe(100);
  expect(confirmation.mean_return).toBeGreaterThanOrEqual(475);
  expect(r.policy.spec.kind).toBe('actor');
}, 90_000);

test('GRPO with continuous actions moves its Gaussian mean towards the target', () => {
  const reg = new Registry();
  reg.register('Reach-v0', () => new ReachEnv());
  const r = train(
    { env_id: 'Reach-v0', algorithm: 'grpo', total_timesteps: 4000, seed: 1, hyperparameters: { learning_rate: 3e-3, n_steps: 8, batch_size: 64, n_epochs: 4, eval_freq: 0, eval_episodes: 50 } },
    reg,
  );
  expect(r.evaluations[r.evaluations.length - 1].mean_return).toBeGreaterThan(REACH_ZERO_ACTION_RETURN / 4);
  const policy = new Policy(r.policy.spec).load(r.policy.params);
  expect((policy.predict(Float32Array.of(0.5), null, true, new Rng(0)).action as Float32Array)[0]).toBeGreaterThan(0.2);
}, 60_000);
