/** The progress bar reads 100% only once the last step is done. */
import { bar } from '../../src/cli/progress_bar';

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
