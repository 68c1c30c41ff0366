/** gym-http-api's encoding: canonical values and spaces to the exact JSON a Python client reads. */
import { describeSpace } from '../../src/api/spaces';
import { NDArray } from '../../src/api/values';
import { Box, Dict, Discrete, MultiDiscrete, Tuple } from '../../src/envs/spaces';
import { PyFloat, pyJSON } from '../../src/rest/json';
import { markMember, spaceInfo } from '../../src/rest/space_info';

const info = (s: Parameters<typeof describeSpace>[0]) => pyJSON(spaceInfo(describeSpace(s)));

test('a float Box: bounds flat, floats as floats, infinities as float32 extremes', () => {
  expect(info(new Box([-1, -Infinity], [1, Infinity], [2], 'float32'))).toBe(
    '{"name":"Box","shape":[2],"low":[-1.0,-3.4028234663852886e+38],"high":[1.0,3.4028234663852886e+38]}',
  );
  expect(info(new Box(0, 255, [1, 2], 'uint8'))).toBe('{"name":"Box","shape":[1,2],"low":[0,0],"high":[255,255]}');
});

test('Discrete, Tuple, Dict, MultiDiscrete', () => {
  expect(info(new Discrete(2))).toBe('{"name":"Discrete","n":2}');
  expect(info(new Discrete(3, 1))).toBe('{"name":"Discrete","n":3,"start":1}');
  expect(info(new Tuple([new Discrete(2)]))).toBe('{"name":"Tuple","spaces":[{"name":"Discrete","n":2}]}');
  expect(info(new Dict({ a: new Discrete(2) }))).toBe('{"name":"Dict","spaces":{"a":{"name":"Discrete","n":2}}}');
  expect(info(new MultiDiscrete([[2, 3]]))).toBe('{"name":"MultiDiscrete","nvec":[[2,3]],"shape":[1,2]}');
});

test('an observation of a float Box is a list of floats; of a Discrete, an int', () => {
  const box = describeSpace(new Box(-1, 1, [3], 'float32'));
  expect(pyJSON({ observation: markMember(box, Float32Array.of(1, 0, -Infinity)) })).toBe('{"observation":[1.0,0.0,-3.4028234663852886e+38]}');
  expect(pyJSON({ observation: markMember(describeSpace(new Discrete(4)), 3) })).toBe('{"observation":3}');
  expect(pyJSON(markMember(box, new NDArray(Float32Array.of(1, 2, 3, 4), [2, 2])))).toBe('[[1.0,2.0],[3.0,4.0]]');
});

test("a step reply: reward a float, done a boolean, NaN as 0", () => {
  expect(pyJSON({ reward: new PyFloat(1), done: true, info: { 'TimeLimit.truncated': true, x: NaN } })).toBe(
    '{"reward":1.0,"done":true,"info":{"TimeLimit.truncated":true,"x":0}}',
  );
});

test('a value nested past 64 levels is cut', () => {
  let deep: unknown = 1;
  for (let i = 0; i < 100_000; i++) deep = [deep];
  expect(pyJSON({ info: deep })).toContain('"..."');
});
