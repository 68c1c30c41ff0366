/** The defaults table: every environment gets valid settings from every algorithm that can train it. */
import { registry } from '../../../src/envs';
import { ALGORITHMS } from '../../../src/train/algorithms';
import { DEFAULTS } from '../../../src/train/algorithms/defaults';
import { planTraining, spacesOf } from '../../../src/train/jobs/runner';

test.each(registry.ids())('%s: defaults resolve for every algorithm that supports its spaces', (envId) => {
  const spaces = spacesOf(registry, envId, {});
  const able = Object.values(ALGORITHMS).filter((a) => a.unsupported(spaces.observation, spaces.action) === null);
  expect(able.length).toBeGreaterThan(0);
  for (const algorithm of able) {
    const plan = planTraining(registry, { env_id: envId, algorithm: algorithm.name, seed: 0 });
    expect(Object.keys(plan.hyperparameters).sort()).toEqual(Object.keys(algorithm.hyperparameters).sort());
  }
  // With no algorithm named, one is chosen that can train it.
  expect(able.map((a) => a.name)).toContain(planTraining(registry, { env_id: envId, seed: 0 }).algorithm);
});

test('every row of the table names real environments and real hyperparameters', () => {
  for (const [algorithm, rows] of Object.entries(DEFAULTS)) {
    expect(ALGORITHMS).toHaveProperty(algorithm);
    for (const [envId, row] of Object.entries(rows)) {
      if (envId !== '*') expect(registry.has(envId)).toBe(true);
      for (const name of Object.keys(row.hyperparameters)) expect(ALGORITHMS[algorithm as keyof typeof ALGORITHMS].hyperparameters).toHaveProperty(name);
    }
  }
});

test('Pendulum-v1 trains with SAC, and MountainCarContinuous-v0 with PPO, gSDE and normalised observations, when no algorithm is named', () => {
  expect(planTraining(registry, { env_id: 'Pendulum-v1', seed: 0 }).algorithm).toBe('sac');
  const car = planTraining(registry, { env_id: 'MountainCarContinuous-v0', seed: 0 });
  expect(car.algorithm).toBe('ppo');
  expect(car.hyperparameters).toMatchObject({ use_sde: true, n_steps: 8 });
  expect(car.wrappers).toEqual([{ name: 'NormalizeObservation' }]);
});

test('an alias trains with the defaults of the environment it names (LunarLander-v2 is LunarLander-v3)', () => {
  const v3 = planTraining(registry, { env_id: 'LunarLander-v3', seed: 0 });
  const v2 = planTraining(registry, { env_id: 'LunarLander-v2', seed: 0 });
  expect(v2.env_id).toBe('LunarLander-v3');
  expect(v2.algorithm).toBe(v3.algorithm);
  expect(v2.total_timesteps).toBe(v3.total_timesteps);
  expect(v2.hyperparameters).toEqual(v3.hyperparameters);
  // and those are the environment's own row, not the algorithm's general defaults
  const row = DEFAULTS[v3.algorithm]['LunarLander-v3'];
  expect(row).toBeDefined();
  expect(v3.total_timesteps).toBe(row.total_timesteps);
  expect(v3.hyperparameters).toMatchObject(row.hyperparameters);
});

test("a row's wrappers wrap a run that gives none; a run's own wrappers, even none, replace them", () => {
  const row = planTraining(registry, { env_id: 'MountainCarContinuous-v0', algorithm: 'ppo', seed: 0 });
  expect(row.wrappers).toEqual([{ name: 'NormalizeObservation' }]);
  // Normalised observations are unbounded.
  expect(row.observation_space).toMatchObject({ name: 'Box', low: ['-Infinity', '-Infinity'] });
  expect(planTraining(registry, { env_id: 'MountainCarContinuous-v0', algorithm: 'ppo', seed: 0, wrappers: [] }).wrappers).toEqual([]);
  // Rows without wrappers leave the environment bare.
  expect(planTraining(registry, { env_id: 'MountainCarContinuous-v0', algorithm: 'td3', seed: 0 }).wrappers).toEqual([]);
});
