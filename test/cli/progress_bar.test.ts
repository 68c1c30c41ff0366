/** The progress bar reads 100% only once the last step is done. */
import { bar, trainLine } from '../../src/cli/progress_bar';

test('one step short of the end is 99%, with one cell still open; the last step fills it', () => {
  expect(bar(2995, 3000)).toBe('[#######################.]  99%');
  expect(bar(99_999, 100_000)).toMatch(/\.\]  99%$/);
  expect(bar(3000, 3000)).toBe('[########################] 100%');
});

test('the start, the middle, and counts past the total', () => {
  expect(bar(0, 3000)).toBe('[........................]   0%');
  expect(bar(1500, 3000)).toBe('[############............]  50%');
  expect(bar(3100, 3000)).toBe('[########################] 100%');
  expect(bar(5, 0)).toBe('[........................]   0%');
});

test('a training line shows the episodes, the losses and entropy (PPO) or epsilon (DQN) beside the returns', () => {
  const frame = {
    timesteps: 1500, total_timesteps: 3000, episodes: 42, mean_return_100: 21.5, evaluation: { mean_return: 30 }, steps_per_second: 950, remaining_s: 2,
    losses: { policy: -0.0123, value: 12.34, approx_kl: 0.0042, clip_fraction: 0.1, explained_variance: 0.5 }, entropy: 0.6789, epsilon: null,
  };
  expect(trainLine(frame)).toBe('[############............]  50%  1500/3000 steps  42 ep  mean100 21.5  eval 30.0  pi -0.012 vf 12 kl 0.0042 ent 0.68  950 steps/s  ETA 2s');
  expect(trainLine({ ...frame, losses: { td: 0.25, q_mean: 3 }, entropy: null, epsilon: 0.05, evaluation: null })).toBe(
    '[############............]  50%  1500/3000 steps  42 ep  mean100 21.5  td 0.25 eps 0.05  950 steps/s  ETA 2s',
  );
});
