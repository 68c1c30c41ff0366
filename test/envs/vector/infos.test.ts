/** Vector infos as Gymnasium's `_add_info` builds them. */
import { NDArray } from '../../../src/api/values';
import { withIntKeys } from '../../../src/envs/core';
import { BoolArray, add_info } from '../../../src/envs/vector';

test('each key becomes an array over the copies with a `_key` mask of the copies that gave it', () => {
  let infos = {};
  infos = add_info(infos, { prob: 0.5, done: true }, 0, 3);
  infos = add_info(infos, { prob: 0.25 }, 2, 3);
  expect(infos).toEqual({
    prob: Float64Array.of(0.5, 0, 0.25),
    _prob: BoolArray.fromValues([true, false, true]),
    done: BoolArray.fromValues([true, false, false]),
    _done: BoolArray.fromValues([true, false, false]),
  });
});

test('an array value is batched into an array of shape (n, ...) of its own type', () => {
  let infos = {};
  infos = add_info(infos, { action_mask: Int8Array.of(1, 0, 1) }, 1, 2);
  const mask = (infos as { action_mask: NDArray }).action_mask;
  expect(mask).toBeInstanceOf(NDArray);
  expect(mask.shape).toEqual([2, 3]);
  expect(mask.data).toEqual(Int8Array.of(0, 0, 0, 1, 0, 1));
});

test('nested dicts are batched key by key; other values go in an array of nulls', () => {
  let infos = {};
  infos = add_info(infos, { episode: { r: 10, l: 3 }, name: 'a' }, 1, 2);
  expect(infos).toEqual({
    episode: { r: Float64Array.of(0, 10), _r: BoolArray.fromValues([false, true]), l: Float64Array.of(0, 3), _l: BoolArray.fromValues([false, true]) },
    _episode: BoolArray.fromValues([false, true]),
    name: [null, 'a'],
    _name: BoolArray.fromValues([false, true]),
  });
});

test('final_obs keeps each copy\'s own observation, null for the others', () => {
  const obs = Float32Array.of(1, 2);
  const infos = add_info({}, { final_obs: obs, final_info: {} }, 1, 3);
  expect(infos.final_obs).toEqual([null, obs, null]);
  expect((infos.final_obs as unknown[])[1]).toBe(obs);
  expect(infos.final_info).toEqual({});
  expect(infos._final_info).toEqual(BoolArray.fromValues([false, true, false]));
});

test('a key an environment gives as a Python int is batched as int64: later floats are truncated, as numpy does', () => {
  let infos = {};
  infos = add_info(infos, withIntKeys({ prob: 1 }, ['prob']), 0, 3);
  infos = add_info(infos, { prob: 1 / 3 }, 1, 3);
  infos = add_info(infos, { prob: 1.0 }, 2, 3);
  expect((infos as { prob: Float64Array }).prob).toEqual(Float64Array.of(1, 0, 1));
  // The same values starting from a float stay floats.
  const floats = add_info(add_info({}, { prob: 1 }, 0, 2), { prob: 1 / 3 }, 1, 2);
  expect(floats.prob).toEqual(Float64Array.of(1, 1 / 3));
});
