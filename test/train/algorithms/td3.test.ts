/** TD3: learns a continuous task, acts inside the Box, and its saved policy acts as the trained actor. */
import { Env, Info, StepResult } from '../../../src/envs/core';
import { Registry } from '../../../src/envs/registration';
import { Box, BoxArray } from '../../../src/envs/spaces/box';
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

// 32-unit layers on batches of 64 learn in plain JS, 64-unit ones through TensorFlow.js (`td3LearnsPlain`).
test.each([
  ['plain JS', 32],
  ['TensorFlow.js', 64],
])('TD3 learns to reach the target (%s gradients): its deterministic return beats acting 0 tenfold', (_path, hidden_size) => {
  const r = train({ env_id: 'Reach-v0', algorithm: 'td3', total_timesteps: 600, seed: 1, hyperparameters: { ...SMALL, hidden_size } });
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

test('action_noise "ornstein_uhlenbeck" explores with actions that drift within an episode and start afresh at the next', () => {
  // A 100-step task whose rewards are all 0 and which records every action; no update happens (train_freq beyond the run).
  const taken: number[][] = [];
  class Still extends Env<BoxArray, BoxArray> {
    readonly observation_space = new Box(-1, 1, [1]);
    readonly action_space = new Box(-1, 1, [1]);
    private t = 0;
    reset(args: { seed?: number | null } = {}): [Float32Array, Info] {
      this.seedReset(args.seed);
      this.t = 0;
      taken.push([]);
      return [Float32Array.of(0), {}];
    }
    step(action: BoxArray): StepResult<BoxArray> {
      taken[taken.length - 1].push(action[0]);
      this.t += 1;
      return [Float32Array.of(0), 0, this.t >= 100, false, {}];
    }
  }
  const still = new Registry();
  still.register('Still-v0', () => new Still());
  const run = (action_noise: string) => {
    taken.length = 0;
    const hp = { hidden_size: 8, learning_starts: 0, train_freq: 100_000, action_noise, action_noise_std: 0.5, eval_freq: 0 };
    runTraining(still, planTraining(still, { env_id: 'Still-v0', algorithm: 'td3', total_timesteps: 400, seed: 4, hyperparameters: hp }), tf);
    const episodes = taken.filter((e) => e.length === 100).slice(0, 4);
    expect(episodes).toHaveLength(4);
    const meanStep = episodes.flatMap((e) => e.slice(1).map((a, t) => Math.abs(a - e[t]))).reduce((a, b) => a + b) / (4 * 99);
    const firsts = episodes.map((e) => Math.abs(e[0]));
    const lasts = episodes.flatMap((e) => e.slice(80).map(Math.abs));
    return { meanStep, firsts, meanLast: lasts.reduce((a, b) => a + b) / lasts.length };
  };
  const ou = run('ornstein_uhlenbeck');
  const normal = run('normal');
  // σ√dt = 0.05 per step against independent draws of σ = 0.5 (a mean step of about 0.56).
  expect(ou.meanStep).toBeLessThan(0.1);
  expect(normal.meanStep).toBeGreaterThan(0.3);
  // Each episode starts near the actor's own action (about 0) and wanders off by its end.
  for (const a of ou.firsts) expect(a).toBeLessThan(0.2);
  expect(ou.meanLast).toBeGreaterThan(0.15);
});

test('action_noise accepts only the noises it knows', () => {
  expect(() => planTraining(registry, { env_id: 'Reach-v0', algorithm: 'td3', hyperparameters: { action_noise: 'pink' } })).toThrow(/action_noise/);
});
