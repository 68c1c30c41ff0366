/** The policy server's answers for SAC and TD3 policies: the squashed action in the Box, with its probability. */
import { act } from '../../../src/rest/policy/answers';
import { boundedLogStd } from '../../../src/train/core/distributions';
import { Policy, PolicySpec } from '../../../src/train/core/policy';
import { Box, described } from './models';

const obsSpace = described(new Box(-1, 1, [2]) as never);
const actionSpace = described(new Box(-2, 3, [1]) as never);

/** A policy whose actor is one linear layer with the given weights [2 → width] and biases. */
function linearActor(kind: 'squashed_gaussian' | 'deterministic_actor', w: number[], b: number[]): Policy {
  const spec: PolicySpec = {
    kind,
    observation_space: obsSpace,
    action_space: actionSpace,
    actor: { sizes: [2, b.length], activation: 'relu' },
    critic: { sizes: [3, 4, 1], activation: 'relu' },
  } as PolicySpec;
  const policy = new Policy(spec);
  const [layer] = policy.actor!.layers;
  policy.set.view(layer.w).set(w);
  policy.set.view(layer.b).set(b);
  return policy;
}

/** The density of a = −2 + 5(tanh x + 1)/2 at x, x ~ N(mean, σ²): N(x) / |da/dx|, by hand. */
function density(x: number, mean: number, sigma: number): number {
  const normal = Math.exp(-0.5 * ((x - mean) / sigma) ** 2) / (sigma * Math.sqrt(2 * Math.PI));
  return normal / (2.5 * (1 - Math.tanh(x) ** 2));
}

test('SAC answers tanh of its mean scaled to the Box, with the squashed density there', () => {
  // mean = 0.5·o0 + 0.1, raw log-std = 0.2·o1 − 0.3.
  const policy = linearActor('squashed_gaussian', [0.5, 0, 0, 0.2], [0.1, -0.3]);
  const mean = 0.5 * 0.4 + 0.1;
  const sigma = Math.exp(boundedLogStd(0.2 * -0.5 - 0.3));
  const answer = act(policy, obsSpace, [0.4, -0.5], true);
  expect(answer.actions[0]).toBeCloseTo(-2 + 2.5 * (Math.tanh(mean) + 1), 5);
  expect(answer.probability).toBeCloseTo(density(mean, mean, sigma), 4);
  // A sampled action lies in the Box and comes with the density at the point drawn.
  for (let i = 0; i < 20; i++) {
    const drawn = act(policy, obsSpace, [0.4, -0.5], false);
    const a = drawn.actions[0];
    expect(a).toBeGreaterThan(-2);
    expect(a).toBeLessThan(3);
    const x = Math.atanh(((a + 2) / 5) * 2 - 1);
    expect(drawn.probability / density(x, mean, sigma)).toBeCloseTo(1, 2);
  }
});

test('TD3 answers tanh of its actor scaled to the Box, with probability 1, sampled or not', () => {
  const policy = linearActor('deterministic_actor', [1.5, 0], [-0.2]);
  const expected = -2 + 2.5 * (Math.tanh(1.5 * 0.4 - 0.2) + 1);
  for (const deterministic of [true, false]) expect(act(policy, obsSpace, [0.4, 0.9], deterministic)).toEqual({ actions: [expect.closeTo(expected, 5)], probability: 1 });
});
