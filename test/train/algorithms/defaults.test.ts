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

test('Pendulum-v1 trains with SAC and MountainCarContinuous-v0 with TD3 and Ornstein–Uhlenbeck noise when no algorithm is named', () => {
  expect(planTraining(registry, { env_id: 'Pendulum-v1', seed: 0 }).algorithm).toBe('sac');
  const car = planTraining(registry, { env_id: 'MountainCarContinuous-v0', seed: 0 });
  expect(car.algorithm).toBe('td3');
  expect(car.hyperparameters).toMatchObject({ action_noise: 'ornstein_uhlenbeck', action_noise_std: 0.5 });
});
