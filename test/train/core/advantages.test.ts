/** Generalised advantage estimation against values worked out by hand. */
import { generalisedAdvantages } from '../../../src/train/core/advantages';

/** One copy, three steps: rewards 1, 2, 3, values 0.5 each, the next observation worth 4. */
function run(dones: number[], lambda: number): { adv: number[]; ret: number[] } {
  const adv = new Float32Array(3);
  const ret = new Float32Array(3);
  const rollout = { rewards: Float32Array.of(1, 2, 3), values: Float32Array.of(0.5, 0.5, 0.5), dones: Uint8Array.from(dones), nextValues: [4], nSteps: 3, nEnvs: 1 };
  generalisedAdvantages(rollout, 0.5, lambda, adv, ret);
  return { adv: Array.from(adv), ret: Array.from(ret) };
}

test('with λ = 1 the returns are the discounted rewards bootstrapped from the last value', () => {
  // G2 = 3 + 0.5·4 = 5, G1 = 2 + 0.5·5 = 4.5, G0 = 1 + 0.5·4.5 = 3.25
  const { adv, ret } = run([0, 0, 0], 1);
  expect(ret).toEqual([3.25, 4.5, 5]);
  expect(adv).toEqual([2.75, 4, 4.5]);
});

test('an episode that ends cuts the bootstrap and the sum at that step', () => {
  // Step 1 ends its episode: G1 = 2, G0 = 1 + 0.5·2 = 2; step 2 starts anew: G2 = 3 + 0.5·4 = 5
  const { ret } = run([0, 1, 0], 1);
  expect(ret).toEqual([2, 2, 5]);
});

test('with λ = 0 each advantage is its one-step temporal difference', () => {
  // δ = r + γ·V(next) − V: 1 + 0.25 − 0.5, 2 + 0.25 − 0.5, 3 + 2 − 0.5
  const { adv } = run([0, 0, 0], 0);
  expect(adv).toEqual([0.75, 1.75, 4.5]);
});
