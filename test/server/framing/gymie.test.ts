/** Gymie's encoder: canonical values to the bare replies, space dicts and close reasons Gymie clients read. */
import type { MadeEnv } from '../../../src/api/env';
import { describeSpace } from '../../../src/api/spaces';
import { Box, Dict, Discrete, MultiBinary, MultiDiscrete, Tuple } from '../../../src/envs/spaces';
import { PalestraError } from '../../../src/errors';
import { closeFor, invalidMessage, replyText } from '../../../src/server/framing/gymie';
import { pythonRepr } from '../../../src/server/framing/python_repr';

const space = (s: Parameters<typeof describeSpace>[0]) => replyText('observation_space', describeSpace(s));

test('make answers the instance id as plain text', () => {
  const made = { instance_id: 'abc123', env_id: 'CartPole-v1' } as MadeEnv;
  expect(replyText('make', made)).toBe('abc123');
});

test('reset answers the bare observation; close answers true', () => {
  expect(replyText('reset', [Float32Array.of(0.5, Infinity), {}])).toBe('[0.5,3.4028234663852886e+38]');
  expect(replyText('close', true)).toBe('true');
});

test("step answers old gym's 4-tuple; a time limit is said in info", () => {
  expect(replyText('step', [Float32Array.of(1), 1, false, true, {}])).toBe('[[1],1,true,{"TimeLimit.truncated":true}]');
  expect(replyText('step', [Float32Array.of(1), 1, false, true, { a: 1 }])).toBe('[[1],1,true,{"a":1,"TimeLimit.truncated":true}]');
  // Terminated on the last step: done, and not a time limit.
  expect(replyText('step', [3, -1, true, true, {}])).toBe('[3,-1,true,{}]');
  expect(replyText('step', [3, NaN, false, false, { big: -Infinity }])).toBe('[3,0,false,{"big":-3.4028234663852886e+38}]');
});

test("Gymie's space dicts: Box with float32's extremes, Discrete without start", () => {
  expect(space(new Box([-1, -Infinity], [1, Infinity], [2], 'float32'))).toBe(
    '{"name":"Box","shape":[2],"low":[-1,-3.4028234663852886e+38],"high":[1,3.4028234663852886e+38]}',
  );
  expect(space(new Discrete(4, 1))).toBe('{"name":"Discrete","n":4}');
  expect(space(new MultiBinary(4))).toBe('{"name":"MultiBinary","n":4,"shape":[4],"low":[0],"high":[1]}');
  expect(space(new MultiDiscrete([2, 3]))).toBe('{"name":"MultiDiscrete","nvec":[2,3],"shape":[2]}');
  expect(space(new MultiDiscrete([2, 3], [1, 0]))).toBe('{"name":"MultiDiscrete","nvec":[2,3],"shape":[2],"start":[1,0]}');
  expect(space(new Tuple([new Discrete(2), new Discrete(3)]))).toBe('{"name":"Tuple","spaces":[{"name":"Discrete","n":2},{"name":"Discrete","n":3}]}');
  expect(space(new Dict({ a: new Discrete(2) }))).toBe('{"name":"Dict","spaces":{"a":{"name":"Discrete","n":2}}}');
});

test("methods Gymie never had answer in Palestra's own spelling", () => {
  expect(replyText('health', { status: 'ok', loss: Infinity })).toBe('{"status":"ok","loss":"Infinity"}');
});

test("a cut close reason shortens the quoted value and keeps Gymie's sentence", () => {
  const { code, reason } = invalidMessage(`not json ${'x'.repeat(500)}`);
  expect(code).toBe(1003);
  expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(123);
  expect(reason).toMatch(/^Message `not json x+\.\.\.` is invalid$/);
  expect(Buffer.byteLength(reason)).toBe(123);
  const params = { env_id: 'CartPole-v1', kwargs: { desc: ['€'.repeat(200)] } };
  const wrong = closeFor(new PalestraError('invalid_params', 'bad'), 'make', params).reason;
  expect(wrong).toMatch(/^Parameters `\{'env_id': 'CartPole-v1', 'kwargs': \{'desc': \['€+\.\.\.` are wrong$/);
  expect(Buffer.byteLength(wrong)).toBeLessThanOrEqual(123);
  const action = closeFor(new PalestraError('invalid_action', 'bad', { action: 'y'.repeat(300) }), 'step', {}).reason;
  expect(action).toMatch(/^Action `y+\.\.\.` is wrong$/);
});

test("Python's repr stops at 64 levels instead of walking a client's value to the bottom", () => {
  let deep: unknown = {};
  for (let i = 0; i < 100_000; i++) deep = { a: deep };
  const text = pythonRepr(deep);
  expect(text.startsWith("{'a': {'a': ")).toBe(true);
  expect(text).toContain('...');
  expect(pythonRepr({ a: [true, null, 1.5, 1e300, 'it\'s'] })).toBe("{'a': [True, None, 1.5, 1e+300, 'it\\'s']}");
});
