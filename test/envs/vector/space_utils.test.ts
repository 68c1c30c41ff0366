/** Gymnasium's vector space utilities: batch_space, iterate, concatenate, create_empty_array. */
import { describeSpace } from '../../../src/api/spaces';
import { Box, Dict, Discrete, MultiBinary, MultiDiscrete, Tuple } from '../../../src/envs';
import { batch_space, concatenate, create_empty_array, iterate } from '../../../src/envs/vector';
import { jsonRpcValue } from '../../../src/server/framing/jsonrpc_codec';

const described = (space: Parameters<typeof describeSpace>[0]) => jsonRpcValue(describeSpace(space));

describe('batch_space', () => {
  test('Discrete(n, start) becomes MultiDiscrete of n_envs counts and starts', () => {
    expect(described(batch_space(new Discrete(3, 1), 4))).toEqual({
      name: 'MultiDiscrete',
      nvec: [3, 3, 3, 3],
      start: [1, 1, 1, 1],
      shape: [4],
      dtype: 'int64',
    });
  });

  test('Box becomes a Box of shape (n, ...) with the bounds tiled', () => {
    const box = new Box([-1, -Infinity], [2, Infinity], [2]);
    expect(described(batch_space(box, 3))).toEqual({
      name: 'Box',
      shape: [3, 2],
      dtype: 'float32',
      low: [[-1, '-Infinity'], [-1, '-Infinity'], [-1, '-Infinity']],
      high: [[2, 'Infinity'], [2, 'Infinity'], [2, 'Infinity']],
    });
  });

  test('MultiDiscrete becomes an int64 Box from start to start + nvec - 1', () => {
    const batched = batch_space(new MultiDiscrete([2, 5], [0, 10]), 2);
    expect(described(batched)).toEqual({
      name: 'Box',
      shape: [2, 2],
      dtype: 'int64',
      low: [[0, 10], [0, 10]],
      high: [[1, 14], [1, 14]],
    });
  });

  test('MultiBinary becomes an int8 Box of zeros and ones', () => {
    expect(described(batch_space(new MultiBinary(3), 2))).toEqual({ name: 'Box', shape: [2, 3], dtype: 'int8', low: [[0, 0, 0], [0, 0, 0]], high: [[1, 1, 1], [1, 1, 1]] });
  });

  test('Tuple and Dict are batched member by member, Dict keeping its key order', () => {
    const tuple = batch_space(new Tuple([new Discrete(2), new Box(0, 1, [1])]), 2) as Tuple;
    expect(tuple.spaces.map((s) => s.toString())).toEqual(['MultiDiscrete([2 2])', 'Box(0.0, 1.0, (2, 1), float32)']);
    const dict = batch_space(new Dict([['z', new Discrete(4)], ['a', new MultiBinary(2)]]), 3) as Dict;
    expect(dict.keyList()).toEqual(['z', 'a']);
    expect(dict.toString()).toBe("Dict('z': MultiDiscrete([4 4 4]), 'a': Box(0, 1, (3, 2), int8))");
  });

  test('the batched space starts from a copy of the space\'s generator, and the two draw apart', () => {
    const box = new Box(-1, 1, [2]);
    box.seed(7);
    const batched = batch_space(box, 3);
    const first = Array.from(batched.sample() as Float32Array);
    batched.sample();
    // Three single draws are what the batched space drew once: the same stream, not advanced by the batch.
    const singles = [box.sample(), box.sample(), box.sample()].flatMap((s) => Array.from(s));
    expect(first).toEqual(singles);
  });

  test('a Discrete batch seeded like Gymnasium\'s samples numpy\'s values', () => {
    // numpy: default_rng(0).random(5) = [0.637, 0.270, 0.041, 0.017, 0.813]; times 3, truncated.
    const batched = batch_space(new Discrete(3), 5);
    batched.seed(0);
    expect(Array.from(batched.sample() as Float64Array)).toEqual([1, 0, 0, 0, 2]);
  });
});

describe('iterate, concatenate and create_empty_array', () => {
  const single = new Dict({ pos: new Box(-5, 5, [2]), n: new Discrete(3), t: new Tuple([new Discrete(2), new MultiBinary(2)]) });

  test('concatenate writes each copy into the batch create_empty_array made; iterate reads them back', () => {
    const items = [
      { n: 2, pos: Float32Array.of(1.5, -2), t: [1, Int8Array.of(0, 1)] },
      { n: 0, pos: Float32Array.of(3, 4.25), t: [0, Int8Array.of(1, 1)] },
    ];
    const batch = concatenate(single, items, create_empty_array(single, 2)) as Record<string, unknown>;
    expect(batch.n).toEqual(Float64Array.of(2, 0));
    expect(batch.pos).toEqual(Float32Array.of(1.5, -2, 3, 4.25));
    expect(batch.t).toEqual([Float64Array.of(1, 0), Int8Array.of(0, 1, 1, 1)]);
    const back = [...iterate(batch_space(single, 2), batch)];
    expect(back).toEqual([
      { n: 2, pos: Float32Array.of(1.5, -2), t: [1, Int8Array.of(0, 1)] },
      { n: 0, pos: Float32Array.of(3, 4.25), t: [0, Int8Array.of(1, 1)] },
    ]);
  });

  test('iterate refuses a Discrete space, as Gymnasium does', () => {
    expect(() => [...iterate(new Discrete(2), [0, 1])]).toThrow(/Unable to iterate over a space of type Discrete/);
  });
});
