/** TD3: learns a continuous task, acts inside the Box, and its saved policy acts as the trained actor. */
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

test('TD3 learns to reach the target: its deterministic return beats acting 0 tenfold', () => {
  const r = train({ env_id: 'Reach-v0', algorithm: 'td3', total_timesteps: 600, seed: 1, hyperparameters: SMALL });
  expect(r.policy.spec.kind).toBe('deterministic_actor');
  expect(r.evaluations[r.evaluations.length - 1].mean_return).toBeGreaterThan(REACH_ZERO_RETURN / 10);
  expect(r.progress.losses).toEqual(expect.objectContaining({ critic: expect.any(Number), actor: expect.any(Number) }));
  const policy = new Policy(r.policy.spec).load(r.policy.params);
  const rng = new Rng(0);
  expect((policy.predict(Float32Array.of(0.5), null, true, rng).action as Float32Array)[0]).toBeCloseTo(0.5, 0);
  expect((policy.predict(Float32Array.of(-0.5), null, true, rng).action as Float32Array)[0]).toBeCloseTo(-0.5, 0);
}, 60000);

test('a saved TD3 policy answers tanh of the actor scaled to the Box, the same with or without sampling', () => {
  const r = train({ env_id: 'ReachWide-v0', algorithm: 'td3', total_timesteps: 300, seed: 2, hyperparameters: SMALL });
  // Saved as JSON and rebuilt, as the model store does.
  const spec = JSON.parse(JSON.stringify(r.policy.spec));
  const policy = new Policy(spec).load(Float32Array.from(r.policy.params));
  const obs = Float32Array.of(0.3);
  const raw = new Policy(r.policy.spec).load(r.policy.params).actor!.forward(obs, 1)[0];
  const expected = -2 + ((Math.tanh(raw) + 1) / 2) * 5;
  const p = policy.predict(obs, null, true, new Rng(0));
  expect((p.action as Float32Array)[0]).toBeCloseTo(expected, 5);
  expect((policy.predict(obs, null, false, new Rng(1)).action as Float32Array)[0]).toBeCloseTo(expected, 5);
  expect(p.action_probs).toBeUndefined();
});

test('the same seed trains the same TD3 policy', () => {
  const req: TrainRequest = { env_id: 'Reach-v0', algorithm: 'td3', total_timesteps: 200, seed: 9, hyperparameters: SMALL };
  expect(Array.from(train(req).policy.params)).toEqual(Array.from(train(req).policy.params));
});

test('the actor learns only every policy_delay critic updates: a delay longer than the run leaves it as initialised', () => {
  const run = (hp: Record<string, number>) => {
    const r = train({ env_id: 'Reach-v0', algorithm: 'td3', total_timesteps: 160, seed: 5, hyperparameters: { ...SMALL, ...hp } });
    const policy = new Policy(r.policy.spec).load(r.policy.params);
    const actorEnd = policy.set.offset(policy.twinQ![0].layers[0].w);
    return { actor: Array.from(policy.params.subarray(0, actorEnd)), critics: Array.from(policy.params.subarray(actorEnd)) };
  };
  const untrained = run({ learning_starts: 160 });
  const delayed = run({ learning_starts: 100, policy_delay: 1000 });
  const every2 = run({ learning_starts: 100, policy_delay: 2 });
  expect(delayed.actor).toEqual(untrained.actor);
  expect(delayed.critics).not.toEqual(untrained.critics);
  expect(every2.actor).not.toEqual(untrained.actor);
});
