/** REINFORCE learns: CartPole (discrete) and the one-step Reach task (continuous), in-process. */
import { registry, Registry } from '../../../src/envs/registration';
import '../../../src/envs';
import { loadBackend, Tf } from '../../../src/train/core/backend';
import { Policy } from '../../../src/train/core/policy';
import { Rng } from '../../../src/train/core/random';
import { planTraining, runTraining, TrainRequest } from '../../../src/train/jobs/runner';
import { REACH_ZERO_ACTION_RETURN, ReachEnv } from '../../fixtures/reach_env';

let tf: Tf;
beforeAll(async () => {
  tf = (await loadBackend()).tf;
});

function train(req: TrainRequest, reg: Registry = registry) {
  return runTraining(reg, planTraining(reg, req), tf);
}

test('REINFORCE with its CartPole defaults reaches a deterministic mean return above 200 within 10k steps', () => {
  const r = train({ env_id: 'CartPole-v1', algorithm: 'reinforce', total_timesteps: 10_000, seed: 1 });
  const first = r.curve.find((p) => p.mean_return_100 !== null)!.mean_return_100!;
  expect(first).toBeLessThan(40);
  expect(r.evaluations[r.evaluations.length - 1].mean_return).toBeGreaterThan(200);
  expect(r.progress.losses).toEqual({ policy: expect.any(Number) });
  // A lone actor: probabilities, no value.
  const p = new Policy(r.policy.spec).load(r.policy.params).predict(Float32Array.of(0, 0, 0, 0), null, true, new Rng(0));
  expect(r.policy.spec.kind).toBe('actor');
  expect(p.action_probs).toHaveLength(2);
  expect(p.value).toBeUndefined();
}, 60_000);

test('REINFORCE with continuous actions moves its Gaussian mean towards the target', () => {
  const reg = new Registry();
  reg.register('Reach-v0', () => new ReachEnv());
  const r = train(
    { env_id: 'Reach-v0', algorithm: 'reinforce', total_timesteps: 6000, seed: 1, hyperparameters: { n_episodes: 32, learning_rate: 1e-2, eval_freq: 0, eval_episodes: 50 } },
    reg,
  );
  expect(r.evaluations[r.evaluations.length - 1].mean_return).toBeGreaterThan(REACH_ZERO_ACTION_RETURN / 4);
  const policy = new Policy(r.policy.spec).load(r.policy.params);
  expect((policy.predict(Float32Array.of(0.5), null, true, new Rng(0)).action as Float32Array)[0]).toBeGreaterThan(0.2);
}, 60_000);
