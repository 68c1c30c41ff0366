/** Hyperparameters come from the JSON Schemas in protocol/hyperparameters: bounded, defaulted, no stray names. */
import { ALGORITHM_NAMES } from '../../../src/generated/protocol';
import { PalestraError } from '../../../src/errors';
import { hyperparameterSchema, resolveHyperparameters } from '../../../src/train/core/hyperparameters';

function refusal(fn: () => unknown): PalestraError {
  try {
    fn();
  } catch (err) {
    return err as PalestraError;
  }
  throw new Error('accepted');
}

test.each([...ALGORITHM_NAMES])('%s: every hyperparameter has a type, a default, a meaning, and numbers an upper bound', (algorithm) => {
  const schema = hyperparameterSchema(algorithm);
  expect(schema.additionalProperties).toBe(false);
  for (const [name, p] of Object.entries(schema.properties)) {
    expect(p.description.length).toBeGreaterThan(3);
    expect(p.default).toBeDefined();
    if (p.type === 'integer' || p.type === 'number') expect({ name, maximum: p.maximum }).toEqual({ name, maximum: expect.any(Number) });
  }
  // The schema's own defaults are valid, and asking for nothing gives exactly them.
  const defaults = Object.fromEntries(Object.entries(schema.properties).map(([k, p]) => [k, p.default]));
  expect(resolveHyperparameters(algorithm, {}, defaults)).toEqual(defaults);
});

test('names an object has by inheritance are refused as reserved names', () => {
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    const err = refusal(() => resolveHyperparameters('ppo', {}, JSON.parse(`{"${name}": 1}`)));
    expect(err.errorName).toBe('invalid_hyperparameters');
    expect(err.data.errors).toEqual([`"${name}" is a reserved name`]);
  }
});

test('sizes past the bounds are refused, saying the bound', () => {
  const ppo = refusal(() => resolveHyperparameters('ppo', {}, { hidden_size: 2048, hidden_layers: 9 }));
  expect(ppo.data.errors).toEqual(['hidden_size must be an integer ≥ 1 and ≤ 1024, got 2048', 'hidden_layers must be an integer ≥ 1 and ≤ 4, got 9']);
  const dqn = refusal(() => resolveHyperparameters('dqn', {}, { buffer_size: 2_000_000 }));
  expect(dqn.data.errors).toEqual(['buffer_size must be an integer ≥ 1 and ≤ 1000000, got 2000000']);
});

test("the environment's defaults lie between the schema's and the caller's", () => {
  const hp = resolveHyperparameters('q_learning', { learning_rate: 0.5, gamma: 0.9 }, { gamma: 0.8 });
  expect(hp).toMatchObject({ learning_rate: 0.5, gamma: 0.8, exploration_final_eps: 0.05 });
});
