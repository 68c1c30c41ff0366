/** PPO's state-dependent exploration (gSDE): held exploration matrices, its MountainCarContinuous default, and its saved policy acting. */
import { registry } from '../../../src/envs';
import { Env, Info, StepResult } from '../../../src/envs/core';
import { Registry } from '../../../src/envs/registration';
import { Box, BoxArray } from '../../../src/envs/spaces/box';
import { loadBackend, Tf } from '../../../src/train/core/backend';
import { Policy } from '../../../src/train/core/policy';
import { Rng } from '../../../src/train/core/random';
import { planTraining, runTraining } from '../../../src/train/jobs/runner';

let tf: Tf;
beforeAll(async () => {
  tf = (await loadBackend()).tf;
});

test('with use_sde, actions at one state stay the same while the exploration matrix is held, and change when it is drawn anew', () => {
  // A task whose observation never changes and which records every action: only the noise can change an action.
  const taken: number[] = [];
  class Still extends Env<BoxArray, BoxArray> {
    readonly observation_space = new Box(-1, 1, [2]);
    readonly action_space = new Box(-1, 1, [1]);
    reset(args: { seed?: number | null } = {}): [Float32Array, Info] {
      this.seedReset(args.seed);
      return [Float32Array.of(0.5, -0.5), {}];
    }
    step(action: BoxArray): StepResult<BoxArray> {
      taken.push(action[0]);
      return [Float32Array.of(0.5, -0.5), 0, taken.length % 100 === 0, false, {}];
    }
  }
  const still = new Registry();
  still.register('Still-v0', () => new Still());
  const run = (hp: Record<string, unknown>) => {
    taken.length = 0;
    const base = { n_envs: 1, n_steps: 8, batch_size: 8, n_epochs: 1, hidden_size: 8, log_std_init: -1, eval_freq: 0 };
    runTraining(still, planTraining(still, { env_id: 'Still-v0', algorithm: 'ppo', total_timesteps: 32, seed: 3, hyperparameters: { ...base, ...hp } }), tf);
    // The 32 training steps (the final evaluation's follow).
    const trained = taken.slice(0, 32);
    // Runs of equal actions (to float32 precision), in order.
    const runs: number[] = [1];
    for (let t = 1; t < trained.length; t++) {
      if (Math.abs(trained[t] - trained[t - 1]) < 1e-6) runs[runs.length - 1] += 1;
      else runs.push(1);
    }
    return runs;
  };
  // One matrix per rollout of 8 steps; with sde_sample_freq 4, one per 4 steps; without gSDE, a new draw every step.
  expect(run({ use_sde: true })).toEqual([8, 8, 8, 8]);
  expect(run({ use_sde: true, sde_sample_freq: 4 })).toEqual([4, 4, 4, 4, 4, 4, 4, 4]);
  expect(run({ use_sde: false })).toEqual(new Array(32).fill(1));
});

test("MountainCarContinuous-v0's PPO defaults (gSDE, normalised observations) reach 90, confirmed over 100 episodes", () => {
  const plan = planTraining(registry, { env_id: 'MountainCarContinuous-v0', algorithm: 'ppo', seed: 5, early_stop: true });
  expect(plan.reward_threshold).toBe(90);
  expect(plan.wrappers).toEqual([{ name: 'NormalizeObservation' }]);
  expect(plan.hyperparameters).toMatchObject({ use_sde: true, n_steps: 8, batch_size: 8 });
  const r = runTraining(registry, plan, tf);
  expect(r.stop_reason).toBe('reward_threshold');
  const confirmation = r.evaluations.find((e) => e.confirmation)!;
  expect(confirmation.episodes).toBe(100);
  expect(confirmation.mean_return).toBeGreaterThanOrEqual(90);
  // The saved policy keeps its state-dependent log std [hidden units, 1] and the observation statistics it learnt in.
  expect(r.policy.spec).toMatchObject({ kind: 'actor_critic', sde: true });
  expect(r.policy.wrappers?.[0].obs_rms?.count).toBeGreaterThan(1000);

  // Rebuilt from JSON, as the model store does, it acts: the mean when deterministic, else a draw of the state's Gaussian.
  const policy = new Policy(JSON.parse(JSON.stringify(r.policy.spec))).load(Float32Array.from(r.policy.params));
  expect(policy.sde).toBe(true);
  expect(policy.set.view(policy.logStd!).length).toBe(32);
  const obs = Float32Array.of(-0.5, 0.3);
  const mean = policy.actor!.forward(obs, 1)[0];
  const rng = new Rng(0);
  expect((policy.predict(obs, null, true, rng).action as Float32Array)[0]).toBeCloseTo(mean, 6);
  const n = 4000;
  const draws = Array.from({ length: n }, () => (policy.predict(obs, null, false, rng).action as Float32Array)[0]);
  const m = draws.reduce((a, b) => a + b) / n;
  const sd = Math.sqrt(draws.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1));
  const expectedSd = Math.exp(policy.actionLogStd(obs, 1)[0]);
  expect(Math.abs(m - mean)).toBeLessThan((4 * expectedSd) / Math.sqrt(n));
  // The sample standard deviation of 4000 normal draws is within 5% of the true one (more than three standard errors).
  expect(Math.abs(sd / expectedSd - 1)).toBeLessThan(0.05);
}, 60000);
