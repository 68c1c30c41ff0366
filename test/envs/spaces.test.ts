import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Box, Dict, Discrete, MultiBinary, MultiDiscrete, NotInSpace, Space, Tuple } from '../../src/envs/spaces';
import { canonicalValue, describeSpace, fromPlainValue } from '../../src/api/spaces';
import { describeGymie, encodeGymie } from '../../src/server/framing/gymie_codec';
import { jsonRpcValue } from '../../src/server/framing/jsonrpc_codec';
import { plain } from '../helpers/conformance';

/** The space's description as JSON-RPC sends it. */
const described = (space: Space<any>) => jsonRpcValue(describeSpace(space));
/** The space's description as Gymie sends it. */
const describedGymie = (space: Space<any>) => JSON.parse(encodeGymie(describeGymie(describeSpace(space))));
/** A member as JSON-RPC sends it. */
const wire = (space: Space<any>, x: unknown) => jsonRpcValue(canonicalValue(space, x));

/** Throws NotInSpace for `value`, and answers its message. */
function rejection(space: Space<unknown>, value: unknown): string {
  try {
    fromPlainValue(space, value);
  } catch (err) {
    expect(err).toBeInstanceOf(NotInSpace);
    return (err as Error).message;
  }
  throw new Error(`${JSON.stringify(value)} was accepted by ${space.toString()}`);
}

/** A value through the wire and back, as the server does. */
function roundTrip<T>(space: Space<T>, value: T): T {
  return fromPlainValue(space, wire(space, value)) as T;
}

const spaces: [string, () => Space<any>][] = [
  ['Discrete(5, start=-2)', () => new Discrete(5, -2)],
  ['Box float32 with infinite bounds', () => new Box([-Infinity, 0, -Infinity, -1], [Infinity, Infinity, 2, 1], [2, 2], 'float32')],
  ['Box float64', () => new Box(-3, 3, [3], 'float64')],
  ['Box uint8 image-like', () => new Box(0, 255, [2, 3, 2], 'uint8')],
  ['Box int64 half-bounded', () => new Box([0, -Infinity], [Infinity, 4], [2], 'int64')],
  ['MultiBinary([2, 3])', () => new MultiBinary([2, 3])],
  ['MultiDiscrete', () => new MultiDiscrete([3, 5, 2], [0, -2, 10])],
  ['Tuple', () => new Tuple([new Discrete(3), new Box(-1, 1, [2], 'float32'), new MultiBinary(2)])],
  ['Dict', () => new Dict({ position: new Box(-1, 1, [2], 'float64'), flag: new Discrete(2), nested: new Tuple([new Discrete(4)]) })],
];

describe.each(spaces)('%s', (_name, build) => {
  test('samples are members and survive the JSON round trip unchanged', () => {
    const space = build();
    space.seed(123);
    for (let i = 0; i < 200; i++) {
      const x = space.sample();
      expect(space.contains(x)).toBe(true);
      expect(plain(roundTrip(space, x))).toEqual(plain(x));
    }
  });

  test('the same seed gives the same samples', () => {
    const a = build();
    const b = build();
    a.seed(9);
    b.seed(9);
    expect(plain(Array.from({ length: 20 }, () => a.sample()))).toEqual(plain(Array.from({ length: 20 }, () => b.sample())));
  });

  test('the descriptions are plain JSON that survive serialisation', () => {
    const space = build();
    expect(JSON.parse(JSON.stringify(described(space)))).toEqual(described(space));
    expect(JSON.parse(JSON.stringify(describedGymie(space)))).toEqual(describedGymie(space));
  });

  test('wrong types are refused with a message naming the space and the value', () => {
    const space = build();
    for (const bad of [null, 'x', true, { a: 1 }, [[[[[1]]]]]]) {
      const message = rejection(space, bad);
      expect(message).toContain(space.toString());
      expect(message).toContain(JSON.stringify(bad).slice(0, 10));
    }
  });
});

describe('Discrete', () => {
  test('describes itself as the conformance files do, and as Gymie does', () => {
    expect(described(new Discrete(4))).toEqual({ name: 'Discrete', n: 4, start: 0 });
    expect(describedGymie(new Discrete(4, 1))).toEqual({ name: 'Discrete', n: 4 });
    expect(new Discrete(3, -1).toString()).toBe('Discrete(3, start=-1)');
  });

  test('samples stay within start .. start + n - 1 and cover it', () => {
    const space = new Discrete(3, 5);
    space.seed(0);
    const seen = new Set(Array.from({ length: 300 }, () => space.sample()));
    expect([...seen].sort()).toEqual([5, 6, 7]);
  });

  test('refuses out-of-range, fractional and NaN actions', () => {
    const space = new Discrete(3, 5);
    expect(rejection(space, 8)).toMatch(/8 is not in Discrete\(3, start=5\): expected 5 to 7/);
    expect(rejection(space, 4)).toMatch(/expected 5 to 7/);
    expect(rejection(space, 5.5)).toMatch(/expected an integer/);
    expect(rejection(space, 'NaN')).toMatch(/expected an integer, got the string/);
    expect(rejection(space, [5])).toMatch(/got an array/);
    expect(space.contains(6)).toBe(true);
    expect(space.contains(6.5)).toBe(false);
    expect(space.contains('6')).toBe(false);
  });
});

describe('Box', () => {
  const ref = JSON.parse(readFileSync(join(__dirname, 'fixtures/spaces_ref.json'), 'utf8'));

  test('unbounded, half-bounded and bounded float32 elements are sampled as Gymnasium does', () => {
    const space = new Box([-Infinity, 0, -Infinity, -1], [Infinity, Infinity, 2, 1], [2, 2], 'float32');
    space.seed(3);
    expect(ref.mixed_f32_seed3.map(() => Array.from(space.sample()))).toEqual(ref.mixed_f32_seed3);
  });

  test('float64 boxes keep the full double draws', () => {
    const space = new Box([-Infinity, 0, -Infinity, -1], [Infinity, Infinity, 2, 1], [4], 'float64');
    space.seed(3);
    expect(ref.mixed_f64_seed3.map(() => Array.from(space.sample()))).toEqual(ref.mixed_f64_seed3);
  });

  test('integer boxes floor a uniform draw over [low, high + 1)', () => {
    const space = new Box([-2, 0, -5], [3, 10, -5], [3], 'int32');
    space.seed(5);
    expect(ref.int32_seed5.map(() => Array.from(space.sample()))).toEqual(ref.int32_seed5);
  });

  test('half-bounded integer boxes floor shifted exponential draws', () => {
    const space = new Box([0, -Infinity], [Infinity, 4], [2], 'int64');
    expect(space.bounded_below).toEqual([true, false]);
    expect(space.bounded_above).toEqual([false, true]);
    space.seed(5);
    expect(ref.int64_halfbounded_seed5.map(() => Array.from(space.sample()))).toEqual(ref.int64_halfbounded_seed5);
  });

  test('unbounded samples look normal, half-bounded ones exponential', () => {
    const space = new Box([-Infinity, 1], [Infinity, Infinity], [2], 'float64');
    space.seed(0);
    let sum0 = 0;
    let sq0 = 0;
    let sum1 = 0;
    let min1 = Infinity;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const [a, b] = space.sample();
      sum0 += a;
      sq0 += a * a;
      sum1 += b;
      min1 = Math.min(min1, b);
    }
    expect(Math.abs(sum0 / n)).toBeLessThan(0.03);
    expect(Math.abs(sq0 / n - 1)).toBeLessThan(0.05);
    expect(Math.abs(sum1 / n - 2)).toBeLessThan(0.03);
    expect(min1).toBeGreaterThanOrEqual(1);
  });

  test('describes infinite bounds as strings for JSON-RPC and as float32 extremes for Gymie', () => {
    const space = new Box([-1, -Infinity], [1, Infinity], [2], 'float32');
    expect(described(space)).toEqual({ name: 'Box', shape: [2], dtype: 'float32', low: [-1, '-Infinity'], high: [1, 'Infinity'] });
    expect(describedGymie(space)).toEqual({ name: 'Box', shape: [2], low: [-1, -3.4028234663852886e38], high: [1, 3.4028234663852886e38] });
    expect(space.toString()).toBe('Box([-1.0 -inf], [1.0 inf], (2,), float32)');
    expect(new Box(-1, 1, [1], 'float32').toString()).toBe('Box(-1.0, 1.0, (1,), float32)');
  });

  test('nested shapes go over the wire as nested lists', () => {
    const space = new Box(0, 9, [2, 3], 'int16');
    const value = Int16Array.from([1, 2, 3, 4, 5, 6]);
    expect(wire(space, value)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(Array.from(fromPlainValue(space, [[1, 2, 3], [4, 5, 6]]) as ArrayLike<number>)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test('refuses wrong shapes, NaN, out-of-bounds values and wrong element types', () => {
    const space = new Box(-2, 2, [2], 'float32');
    expect(rejection(space, [1])).toMatch(/\[1\] is not in Box\(-2\.0, 2\.0, \(2,\), float32\): expected shape \[2\], got length 1/);
    expect(rejection(space, [1, 2, 3])).toMatch(/got length 3/);
    expect(rejection(space, [[1, 2]])).toMatch(/expected shape \[2\]/);
    expect(rejection(space, [1, 'NaN'])).toMatch(/element 1 is NaN/);
    expect(rejection(space, [1, 2.5])).toMatch(/element 1 \(2\.5\) is outside \[-2\.0, 2\.0\]/);
    expect(rejection(space, [1, '1'])).toMatch(/element 1 is the string "1", expected a number/);
    expect(rejection(space, [1, null])).toMatch(/element 1 is null/);
    expect(rejection(new Box(0, 255, [1], 'uint8'), [300])).toMatch(/outside \[0, 255\]/);
    expect(rejection(new Box(0, 10, [1], 'int32'), [1.5])).toMatch(/not an integer \(int32\)/);
  });

  test('accepts infinities sent as strings where the bounds allow them', () => {
    const space = new Box(-Infinity, Infinity, [2], 'float64');
    expect(Array.from(fromPlainValue(space, ['-Infinity', 'Infinity']) as ArrayLike<number>)).toEqual([-Infinity, Infinity]);
    expect(wire(space, Float64Array.from([-Infinity, 1]))).toEqual(['-Infinity', 1]);
  });

  test('a one-element action may be sent bare, and is cast to float32', () => {
    const space = new Box(-1, 1, [1], 'float32');
    const value = fromPlainValue(space, 0.1) as Float32Array;
    expect(value).toBeInstanceOf(Float32Array);
    expect(value[0]).toBe(Math.fround(0.1));
  });

  test('contains checks shape, bounds and integrality', () => {
    const space = new Box(0, 3, [2], 'int8');
    expect(space.contains(Int8Array.from([0, 3]))).toBe(true);
    expect(space.contains([1, 2])).toBe(true);
    expect(space.contains([1, 2.5])).toBe(false);
    expect(space.contains([1, 4])).toBe(false);
    expect(space.contains([1])).toBe(false);
    expect(space.contains(Float64Array.from([NaN, 1]))).toBe(false);
    expect(space.contains('12')).toBe(false);
  });

  test('invalid boxes are refused at construction, as in Gymnasium', () => {
    expect(() => new Box(1, 0, [1])).toThrow(/less than or equal to high/);
    expect(() => new Box(NaN, 0, [1])).toThrow(/NaN/);
    expect(() => new Box(-Infinity, 3, [1], 'uint8')).toThrow(/unsigned/);
    expect(() => new Box(0, 300, [1], 'uint8')).toThrow(/out of bounds of the dtype/);
    expect(() => new Box(0, 1)).toThrow(/needs a shape/);
    expect(new Box(-Infinity, 0, [1], 'int8').low[0]).toBe(-128);
    expect(new Box(-Infinity, 0, [1], 'int8').is_bounded('below')).toBe(false);
  });
});

describe('MultiBinary', () => {
  const ref = JSON.parse(readFileSync(join(__dirname, 'fixtures/spaces_ref.json'), 'utf8'));

  test('samples as numpy integers(0, 2, size=n, dtype=int8) draws', () => {
    let space = new MultiBinary(5);
    space.seed(11);
    expect(ref.multibinary5_seed11.map(() => Array.from(space.sample()))).toEqual(ref.multibinary5_seed11);
    space = new MultiBinary([2, 3]);
    space.seed(11);
    expect(ref.multibinary2x3_seed11.map(() => wire(space, space.sample()))).toEqual(ref.multibinary2x3_seed11);
  });

  test('describes itself as Gymie does', () => {
    expect(describedGymie(new MultiBinary(4))).toEqual({ name: 'MultiBinary', n: 4, shape: [4], low: [0], high: [1] });
    expect(described(new MultiBinary([2, 2]))).toEqual({ name: 'MultiBinary', n: [2, 2], shape: [2, 2], dtype: 'int8' });
  });

  test('refuses values other than 0 and 1, and wrong shapes', () => {
    const space = new MultiBinary(3);
    expect(rejection(space, [0, 1, 2])).toMatch(/\[0,1,2\] is not in MultiBinary\(3\): element 2 \(2\) is not 0 or 1/);
    expect(rejection(space, [0, 1])).toMatch(/expected shape \[3\]/);
    expect(rejection(space, [0, 1, true])).toMatch(/element 2 is a boolean/);
    expect(space.contains([1, 0, 1])).toBe(true);
    expect(space.contains([1, 0, 0.5])).toBe(false);
  });
});

describe('MultiDiscrete', () => {
  const ref = JSON.parse(readFileSync(join(__dirname, 'fixtures/spaces_ref.json'), 'utf8'));

  test('samples (random(shape) * nvec).astype(int64) + start', () => {
    const space = new MultiDiscrete([3, 5, 2], [0, -2, 10]);
    space.seed(13);
    expect(ref.multidiscrete_seed13.map(() => Array.from(space.sample()))).toEqual(ref.multidiscrete_seed13);
  });

  test('describes counts and starts', () => {
    const space = new MultiDiscrete([[2, 3]], [[0, 1]]);
    expect(described(space)).toEqual({ name: 'MultiDiscrete', nvec: [[2, 3]], start: [[0, 1]], shape: [1, 2], dtype: 'int64' });
    expect(space.toString()).toBe('MultiDiscrete([[2 3]], start=[[0 1]])');
  });

  test('refuses values outside each element\'s range', () => {
    const space = new MultiDiscrete([3, 5, 2], [0, -2, 10]);
    expect(rejection(space, [0, 3, 10])).toMatch(/element 1 \(3\) is outside -2 to 2/);
    expect(rejection(space, [0, 0, 9.5])).toMatch(/element 2 \(9.5\) is not an integer/);
    expect(rejection(space, [0, 0])).toMatch(/expected shape \[3\]/);
    expect(space.contains([2, -2, 11])).toBe(true);
    expect(space.contains([3, -2, 11])).toBe(false);
  });
});

describe('Tuple', () => {
  const ref = JSON.parse(readFileSync(join(__dirname, 'fixtures/spaces_ref.json'), 'utf8'));

  test('seed(int) draws one sub-seed per subspace, as Gymnasium\'s Tuple.seed does', () => {
    const space = new Tuple([new Discrete(3), new Box(-1, 1, [2], 'float32')]);
    expect(space.seed(7).map(Number)).toEqual(ref.tuple_subseeds_seed7);
    expect(ref.tuple_samples_seed7.map(() => plain(space.sample()))).toEqual(ref.tuple_samples_seed7);
  });

  test('seed(list) seeds each subspace with its own seed', () => {
    const space = new Tuple([new Discrete(4), new Discrete(4)]);
    space.seed([1, 2]);
    const a = new Discrete(4);
    a.seed(1);
    const b = new Discrete(4);
    b.seed(2);
    expect(space.sample()).toEqual([a.sample(), b.sample()]);
    expect(() => space.seed([1])).toThrow(/one seed per subspace/);
  });

  test('describes its subspaces recursively', () => {
    const space = new Tuple([new Discrete(32), new Discrete(11), new Discrete(2)]);
    expect(described(space)).toEqual({
      name: 'Tuple',
      spaces: [
        { name: 'Discrete', n: 32, start: 0 },
        { name: 'Discrete', n: 11, start: 0 },
        { name: 'Discrete', n: 2, start: 0 },
      ],
    });
    expect(space.toString()).toBe('Tuple(Discrete(32), Discrete(11), Discrete(2))');
  });

  test('refuses a wrong length, and names the element that is wrong', () => {
    const space = new Tuple([new Discrete(2), new Box(0, 1, [1], 'float32')]);
    expect(rejection(space, [0])).toMatch(/expected 2 values, got 1/);
    expect(rejection(space, [0, [2]])).toMatch(/element 1: \[2\] is not in Box\(0\.0, 1\.0, \(1,\), float32\): element 0 \(2\) is outside/);
    expect(space.contains([1, Float32Array.from([0.5])])).toBe(true);
    expect(space.contains([1])).toBe(false);
  });
});

describe('Dict', () => {
  const ref = JSON.parse(readFileSync(join(__dirname, 'fixtures/spaces_ref.json'), 'utf8'));

  test('sorts keys as Gymnasium does and seeds subspaces in that order', () => {
    const space = new Dict({ b: new Discrete(4), a: new MultiBinary(3) });
    expect(space.keyList()).toEqual(['a', 'b']);
    expect(space.seed(9).map(Number)).toEqual(ref.dict_subseeds_seed9);
    expect(ref.dict_samples_seed9.map(() => plain(space.sample()))).toEqual(ref.dict_samples_seed9);
    expect(space.toString()).toBe("Dict('a': MultiBinary(3), 'b': Discrete(4))");
  });

  test('a list of pairs keeps its order', () => {
    expect(new Dict([['z', new Discrete(2)], ['a', new Discrete(2)]]).keyList()).toEqual(['z', 'a']);
  });

  test('refuses missing and unknown keys, and names the key that is wrong', () => {
    const space = new Dict({ a: new Discrete(2), b: new Discrete(3) });
    expect(rejection(space, { a: 1 })).toMatch(/missing key\(s\) b/);
    expect(rejection(space, { a: 1, b: 0, c: 2 })).toMatch(/unknown key\(s\) c/);
    expect(rejection(space, { a: 1, b: 3 })).toMatch(/key "b": 3 is not in Discrete\(3\): expected 0 to 2/);
    expect(space.contains({ a: 1, b: 2 })).toBe(true);
    expect(space.contains({ a: 1, b: 2, c: 0 })).toBe(false);
  });

  test('describes its subspaces by key', () => {
    expect(described(new Dict({ x: new Discrete(2) }))).toEqual({ name: 'Dict', spaces: { x: { name: 'Discrete', n: 2, start: 0 } } });
  });
});
