/** No error a client reads tells where the server keeps its files (issue #12: a data-dir path leaked). */
import { asPalestraError, withoutPaths } from '../../src/errors';

test('a file-system error that reaches a client names the file, not the directories above it', () => {
  const err = Object.assign(new Error("ENOENT: no such file or directory, open '/home/me/palestra-data/models/cart.json'"), { code: 'ENOENT' });
  const error = asPalestraError(err);
  expect(error.errorName).toBe('internal_error');
  expect(error.message).toBe("Internal error: ENOENT: no such file or directory, open '…/cart.json'");
});

test('Windows paths and both sides of a rename are cut; text that only has slashes is kept', () => {
  expect(withoutPaths("EACCES: permission denied, mkdir 'C:\\Users\\me\\data\\runs'")).toBe("EACCES: permission denied, mkdir '…/runs'");
  expect(withoutPaths("rename '/srv/d/m.json.tmp' -> '/srv/d/m.json'")).toBe("rename '…/m.json.tmp' -> '…/m.json'");
  expect(withoutPaths('a ratio of 1/2 and and/or')).toBe('a ratio of 1/2 and and/or');
});
