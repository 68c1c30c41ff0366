/** The exact returns the training benchmark judges tabular policies by, checked against the environments themselves. */
import { blackjackOptimalPolicy, blackjackReturn, BlackjackPolicy, dealerOutcomes, tabularReturn, TabularModel } from '../../bench/exact_return';
import { registry } from '../../src/envs';

/** Mean return of `episodes` episodes of `policy` on the registered Blackjack-v1 (its own kwargs), and the standard error. */
function sampleBlackjack(policy: BlackjackPolicy, episodes: number, seed: number, kwargs: Record<string, unknown> = {}) {
  const env = registry.make('Blackjack-v1', { kwargs });
  let [obs] = env.reset({ seed });
  let sum = 0;
  let sumSq = 0;
  for (let done = 0; done < episodes; ) {
    const [next, reward, terminated] = env.step(policy(obs as [number, number, number]));
    if (terminated) {
      sum += reward;
      sumSq += reward * reward;
      done++;
      [obs] = env.reset();
    } else obs = next;
  }
  const mean = sum / episodes;
  return { mean, se: Math.sqrt((sumSq / episodes - mean * mean) / episodes) };
}

test('the dealer ends in one of the seven outcomes with certainty, and busts more often showing a 6 than an ace', () => {
  for (let up = 1; up <= 10; up++) expect(Array.from(dealerOutcomes(up)).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  expect(dealerOutcomes(6)[0]).toBeGreaterThan(dealerOutcomes(1)[0]);
  // A natural needs an ace or a ten showing.
  expect(dealerOutcomes(5)[6]).toBe(0);
  expect(dealerOutcomes(1)[6]).toBeCloseTo(4 / 13, 12);
});

test.each([
  ['stick on 20 or more', ((o) => (o[0] >= 20 ? 0 : 1)) as BlackjackPolicy],
  ['always stick', (() => 0) as BlackjackPolicy],
])('the exact Blackjack return of "%s" matches 50k episodes of the environment', (_name, policy) => {
  const exact = blackjackReturn({ sab: true, natural: false }, policy);
  const sampled = sampleBlackjack(policy, 50_000, 7);
  expect(Math.abs(sampled.mean - exact)).toBeLessThan(4 * sampled.se);
});

test('the optimal Blackjack policy earns its exact return in the environment, and is Sutton and Barto\'s (Figure 5.2)', () => {
  const rules = { sab: true, natural: false };
  const optimum = blackjackReturn(rules, null);
  const optimal = blackjackOptimalPolicy(rules);
  expect(blackjackReturn(rules, optimal)).toBeCloseTo(optimum, 12);
  const sampled = sampleBlackjack(optimal, 50_000, 11);
  expect(Math.abs(sampled.mean - optimum)).toBeLessThan(4 * sampled.se);
  // Without a usable ace: stick from 17; from 13 against 2 to 6; on 12 only against 4 to 6.
  for (let up = 1; up <= 10; up++) {
    for (let sum = 12; sum <= 21; sum++) {
      const sticks = sum >= 17 || (sum >= 13 && up >= 2 && up <= 6) || (sum === 12 && up >= 4 && up <= 6);
      expect([sum, up, optimal([sum, up, 0])]).toEqual([sum, up, sticks ? 0 : 1]);
    }
    // With one: stick from 19, and on 18 except against 9, 10 and an ace.
    for (let sum = 12; sum <= 21; sum++) {
      const sticks = sum >= 19 || (sum === 18 && up >= 2 && up <= 8);
      expect([sum, up, optimal([sum, up, 1])]).toEqual([sum, up, sticks ? 0 : 1]);
    }
  }
  for (let k = 12; k <= 21; k++) expect(blackjackReturn(rules, (o) => (o[0] >= k ? 0 : 1))).toBeLessThan(optimum);
  // Paying 1.5 for a natural (without Sutton and Barto's rule) can only help the player.
  expect(blackjackReturn({ sab: false, natural: true }, null)).toBeGreaterThan(blackjackReturn({ sab: false, natural: false }, null));
});

test('backward induction over FrozenLake 4x4 gives the known optimum of the slippery lake under 100 steps', () => {
  const model = registry.make('FrozenLake-v1').unwrapped as unknown as TabularModel;
  const optimum = tabularReturn(model, 100, null);
  // Always pushing left never reaches the goal.
  expect(tabularReturn(model, 100, () => 0)).toBe(0);
  expect(optimum).toBeGreaterThan(0.7);
  expect(optimum).toBeLessThan(0.75);
});

test('the exact CliffWalking optimum and the return of the shortest safe path are both −13', () => {
  const model = registry.make('CliffWalking-v1').unwrapped as unknown as TabularModel;
  expect(tabularReturn(model, 100, null)).toBe(-13);
  // Up from the start, then right along row 2, then down: 1 + 11 + 1 steps.
  const path = (s: number) => (s === 36 ? 0 : Math.floor(s / 12) === 2 && s % 12 < 11 ? 1 : 2);
  expect(tabularReturn(model, 100, path)).toBe(-13);
});
