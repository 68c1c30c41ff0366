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
