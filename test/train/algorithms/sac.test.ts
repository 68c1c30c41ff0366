/** SAC: learns a continuous task, tunes its entropy coefficient, and its saved policy acts as the trained actor. */
import { PalestraError } from '../../../src/errors';
import { boundedLogStd } from '../../../src/train/core/distributions';
import { loadBackend, Tf } from '../../../src/train/core/backend';
import { Policy } from '../../../src/train/core/policy';
import { Rng } from '../../../src/train/core/random';
import { planTraining, runTraining, TrainRequest } from '../../../src/train/jobs/runner';
import { REACH_ZERO_RETURN, reachRegistry } from '../reach_env';

let tf: Tf;
beforeAll(async () => {
  tf = (await loadBackend()).tf;
});

const registry = reachRegistry();
const SMALL = { hidden_size: 32, batch_size: 64, learning_starts: 100, learning_rate: 3e-3, eval_freq: 0, eval_episodes: 50 };

function train(req: TrainRequest) {
  return runTraining(registry, planTraining(registry, req), tf);
}

test('SAC learns to reach the target, and α falls from its start as the entropy nears −|A|', () => {
  const r = train({ env_id: 'Reach-v0', algorithm: 'sac', total_timesteps: 600, seed: 1, hyperparameters: SMALL });
  expect(r.policy.spec.kind).toBe('squashed_gaussian');
  expect(r.evaluations[r.evaluations.length - 1].mean_return).toBeGreaterThan(REACH_ZERO_RETURN / 10);
  const policy = new Policy(r.policy.spec).load(r.policy.params);
  const alpha = Math.exp(policy.set.view(policy.logAlpha!)[0]);
  // α starts at ent_coef_init = 1; a policy this precise has entropy below the start's, so α has moved down.
  expect(alpha).toBeLessThan(0.5);
  expect(r.progress.losses.ent_coef).toBeCloseTo(alpha, 1);
  expect(r.progress.losses).toEqual(expect.objectContaining({ critic: expect.any(Number), q_mean: expect.any(Number) }));
  expect(typeof r.progress.entropy).toBe('number');
  const rng = new Rng(0);
  expect((policy.predict(Float32Array.of(0.5), null, true, rng).action as Float32Array)[0]).toBeCloseTo(0.5, 0);
}, 60000);

test('a fixed ent_coef stays fixed', () => {
  const r = train({ env_id: 'Reach-v0', algorithm: 'sac', total_timesteps: 200, seed: 1, hyperparameters: { ...SMALL, ent_coef: 0.05 } });
  const policy = new Policy(r.policy.spec).load(r.policy.params);
  expect(Math.exp(policy.set.view(policy.logAlpha!)[0])).toBeCloseTo(0.05, 6);
});

test('a saved SAC policy answers tanh of the mean scaled to the Box, and samples around it', () => {
  const r = train({ env_id: 'ReachWide-v0', algorithm: 'sac', total_timesteps: 300, seed: 2, hyperparameters: SMALL });
  const spec = JSON.parse(JSON.stringify(r.policy.spec));
  const policy = new Policy(spec).load(Float32Array.from(r.policy.params));
  const obs = Float32Array.of(0.3);
  const [mean, rawLogStd] = new Policy(r.policy.spec).load(r.policy.params).actor!.forward(obs, 1);
  const scale = (u: number) => -2 + ((u + 1) / 2) * 5;
  expect((policy.predict(obs, null, true, new Rng(0)).action as Float32Array)[0]).toBeCloseTo(scale(Math.tanh(mean)), 5);
  // Sampled actions are tanh(mean + σ·ε): inside the Box, spread as σ says.
  const rng = new Rng(3);
  const draws = Array.from({ length: 400 }, () => (policy.predict(obs, null, false, rng).action as Float32Array)[0]);
  expect(Math.min(...draws)).toBeGreaterThanOrEqual(-2);
  expect(Math.max(...draws)).toBeLessThanOrEqual(3);
  const pre = draws.map((a) => Math.atanh(Math.min(0.999999, Math.max(-0.999999, ((a + 2) / 5) * 2 - 1))));
  const m = pre.reduce((s, x) => s + x, 0) / pre.length;
  const sd = Math.sqrt(pre.reduce((s, x) => s + (x - m) ** 2, 0) / pre.length);
  expect(m).toBeCloseTo(mean, 0);
  expect(sd / Math.exp(boundedLogStd(rawLogStd))).toBeGreaterThan(0.85);
  expect(sd / Math.exp(boundedLogStd(rawLogStd))).toBeLessThan(1.15);
});

test('SAC and TD3 refuse a Box without finite bounds with unknown_algorithm, naming the policy-gradient learners as those that can', () => {
  for (const algorithm of ['sac', 'td3']) {
    let err: PalestraError | null = null;
    try {
      planTraining(registry, { env_id: 'ReachUnbounded-v0', algorithm });
    } catch (e) {
      err = e as PalestraError;
    }
    expect(err).toBeInstanceOf(PalestraError);
    expect(err!.errorName).toBe('unknown_algorithm');
    expect(err!.message).toMatch(/finite bounds/);
    expect(err!.data.available).toEqual(['ppo', 'a2c', 'reinforce', 'grpo']);
  }
});

test('ent_coef takes "auto" or a number; anything else is refused, saying which', () => {
  let err: PalestraError | null = null;
  try {
    planTraining(registry, { env_id: 'Reach-v0', algorithm: 'sac', hyperparameters: { ent_coef: 'fast', target_entropy: -1.5 } });
  } catch (e) {
    err = e as PalestraError;
  }
  expect(err?.errorName).toBe('invalid_hyperparameters');
  expect(err!.data.errors).toEqual(['ent_coef must be "auto" or a number ≥ 0 and ≤ 100, got "fast"']);
  expect(planTraining(registry, { env_id: 'Reach-v0', algorithm: 'sac', hyperparameters: { ent_coef: 0.2 } }).hyperparameters).toMatchObject({ ent_coef: 0.2, target_entropy: 'auto' });
});
