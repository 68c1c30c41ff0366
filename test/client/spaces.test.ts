/** The client's spaces: built from wire descriptions, sampling and membership locally, wire values decoded and encoded. */
import { Box, CustomSpace, Dict, Discrete, MultiBinary, MultiDiscrete, PalestraClientError, Text, Tuple, spaceFromJSON } from '../../clients/src';

const CARTPOLE_OBS = {
  name: 'Box' as const,
  shape: [4],
  dtype: 'float32',
  low: [-4.800000190734863, '-Infinity', -0.41887903213500977, '-Infinity'],
  high: [4.800000190734863, 'Infinity', 0.41887903213500977, 'Infinity'],
};

test('Discrete: start offsets, seeded samples repeat, members are integers in range', () => {
  const space = spaceFromJSON({ name: 'Discrete', n: 3, start: -1 }) as Discrete;
  expect(space).toBeInstanceOf(Discrete);
  expect(String(space)).toBe('Discrete(3, start=-1)');
  space.seed(7);
  const a = Array.from({ length: 50 }, () => space.sample());
  space.seed(7);
  expect(Array.from({ length: 50 }, () => space.sample())).toEqual(a);
  expect(new Set(a)).toEqual(new Set([-1, 0, 1]));
  expect([space.contains(-1), space.contains(1), space.contains(2), space.contains(0.5), space.contains('0')]).toEqual([true, true, false, false, false]);
});

test('Box: infinite bounds from strings, Gymnasium-style sampling of unbounded dims, shape-checked membership', () => {
  const space = spaceFromJSON(CARTPOLE_OBS) as Box;
  expect(String(space)).toBe('Box([-4.800000190734863 -inf -0.41887903213500977 -inf], [4.800000190734863 inf 0.41887903213500977 inf], (4,), float32)');
  expect(space.low).toEqual([-4.800000190734863, -Infinity, -0.41887903213500977, -Infinity]);
  space.seed(1);
  for (let i = 0; i < 200; i++) {
    const x = space.sample() as number[];
    expect(space.contains(x)).toBe(true);
    expect(x.every((v) => Math.fround(v) === v)).toBe(true);
  }
  expect(space.contains([0, 0, 0])).toBe(false);
  expect(space.contains([5, 0, 0, 0])).toBe(false);
  expect(space.contains(new Float32Array(4))).toBe(true);
  expect(space.decode([1, 'Infinity', 0, '-Infinity'])).toEqual([1, Infinity, 0, -Infinity]);
  expect(space.encode([1, Infinity, 0, -Infinity])).toEqual([1, 'Infinity', 0, '-Infinity']);
  expect(space.encode(new Float64Array([1, 2, 3, 4]) as never)).toEqual([1, 2, 3, 4]);

  const grid = spaceFromJSON({ name: 'Box', shape: [2, 3], dtype: 'uint8', low: 0, high: 255 }) as Box;
  const image = grid.sample() as number[][];
  expect(image).toHaveLength(2);
  expect(image[0]).toHaveLength(3);
  expect(image.flat().every((v) => Number.isInteger(v) && v >= 0 && v <= 255)).toBe(true);
  expect(grid.contains([[0, 1, 2], [3, 4, 5]])).toBe(true);
  expect(grid.contains([[0, 1, 2.5], [3, 4, 5]])).toBe(false);
  expect(grid.encode(new Uint8Array([1, 2, 3, 4, 5, 6]) as never)).toEqual([[1, 2, 3], [4, 5, 6]]);

  const pendulumAction = spaceFromJSON({ name: 'Box', shape: [1], dtype: 'float32', low: [-2], high: [2] }) as Box;
  const torque = pendulumAction.sample() as number[];
  expect(torque[0]).toBeGreaterThanOrEqual(-2);
  expect(torque[0]).toBeLessThanOrEqual(2);
});

test('MultiBinary, MultiDiscrete, Tuple, Dict and Text sample members of themselves', () => {
  const spaces = [
    { name: 'MultiBinary' as const, n: 5 },
    { name: 'MultiDiscrete' as const, nvec: [3, 4], start: [0, 1] },
    { name: 'Tuple' as const, spaces: [{ name: 'Discrete' as const, n: 32, start: 0 }, { name: 'Discrete' as const, n: 11, start: 0 }, { name: 'Discrete' as const, n: 2, start: 0 }] },
    { name: 'Dict' as const, spaces: { position: { name: 'Discrete' as const, n: 4, start: 0 }, velocity: CARTPOLE_OBS } },
    { name: 'Text' as const, min_length: 2, max_length: 5, charset: 'abc' },
  ].map(spaceFromJSON);
  expect(spaces.map((s) => s.constructor)).toEqual([MultiBinary, MultiDiscrete, Tuple, Dict, Text]);
  for (const space of spaces) {
    space.seed(3);
    const first = Array.from({ length: 20 }, () => space.sample());
    for (const x of first) expect(space.contains(x)).toBe(true);
    space.seed(3);
    expect(Array.from({ length: 20 }, () => space.sample())).toEqual(first);
  }
  expect(String(spaces[2])).toBe('Tuple(Discrete(32), Discrete(11), Discrete(2))');
  expect(spaces[1].contains([2, 0])).toBe(false);
  expect(spaces[3].decode({ position: 1, velocity: [0, 'Infinity', 0, 0] })).toEqual({ position: 1, velocity: [0, Infinity, 0, 0] });
  // A space description round-trips through JSON.
  expect(JSON.parse(JSON.stringify(spaces[0]))).toEqual({ name: 'MultiBinary', n: 5 });
});

test('a space the client cannot model passes values through and sends sampling to the server', () => {
  const space = spaceFromJSON({ name: 'Custom', repr: 'Graph(...)' });
  expect(space).toBeInstanceOf(CustomSpace);
  expect(String(space)).toBe('Graph(...)');
  expect(() => space.sample()).toThrow(PalestraClientError);
  expect(() => space.sample()).toThrow(/actionSample/);
  expect(space.decode({ any: 'thing' })).toEqual({ any: 'thing' });
});
