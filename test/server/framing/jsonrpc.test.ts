/** JSON-RPC's encoder: canonical values and envelopes to the exact text a client reads. */
import { describeSpace } from '../../../src/api/spaces';
import { NDArray } from '../../../src/api/values';
import { Box, Dict, Discrete, MultiDiscrete, Tuple } from '../../../src/envs/spaces';
import { PalestraError } from '../../../src/errors';
import { batchText, errorText, notificationText, resultText } from '../../../src/server/framing/jsonrpc';
import { encodeJsonRpc } from '../../../src/server/framing/jsonrpc_codec';

test('a Box with infinite bounds: infinities as strings, dtype kept', () => {
  const box = new Box([-1, -Infinity], [1, Infinity], [2], 'float32');
  expect(encodeJsonRpc(describeSpace(box))).toBe('{"name":"Box","shape":[2],"dtype":"float32","low":[-1,"-Infinity"],"high":[1,"Infinity"]}');
});

test('Discrete, Tuple, Dict and MultiDiscrete descriptions', () => {
  expect(encodeJsonRpc(describeSpace(new Discrete(3, -1)))).toBe('{"name":"Discrete","n":3,"start":-1}');
  expect(encodeJsonRpc(describeSpace(new Tuple([new Discrete(32), new Discrete(11), new Discrete(2)])))).toBe(
    '{"name":"Tuple","spaces":[{"name":"Discrete","n":32,"start":0},{"name":"Discrete","n":11,"start":0},{"name":"Discrete","n":2,"start":0}]}',
  );
  expect(encodeJsonRpc(describeSpace(new Dict({ b: new Discrete(2), a: new Box(0, 1, [1], 'float64') })))).toBe(
    '{"name":"Dict","spaces":{"a":{"name":"Box","shape":[1],"dtype":"float64","low":[0],"high":[1]},"b":{"name":"Discrete","n":2,"start":0}}}',
  );
  expect(encodeJsonRpc(describeSpace(new MultiDiscrete([[2, 3]], [[0, 1]])))).toBe(
    '{"name":"MultiDiscrete","nvec":[[2,3]],"start":[[0,1]],"shape":[1,2],"dtype":"int64"}',
  );
});

test("a step result: Gymnasium's 5-tuple with the observation's typed array as a list", () => {
  const result = [Float32Array.of(0.5, -Infinity), 1, false, true, { x: NaN }];
  expect(resultText(7, result)).toBe('{"jsonrpc":"2.0","id":7,"result":[[0.5,"-Infinity"],1,false,true,{"x":"NaN"}]}');
  // float32 values print as the doubles they are, as JSON.stringify prints them.
  expect(encodeJsonRpc(Float32Array.of(0.1))).toBe(JSON.stringify([Math.fround(0.1)]));
});

test('an NDArray nests by its shape; a 0-d one is a scalar', () => {
  expect(encodeJsonRpc(new NDArray(Int16Array.of(1, 2, 3, 4, 5, 6), [2, 3]))).toBe('[[1,2,3],[4,5,6]]');
  expect(encodeJsonRpc(new NDArray(Float64Array.of(2.5), []))).toBe('2.5');
});

test('what JSON cannot hold is written as JSON.stringify writes it', () => {
  expect(encodeJsonRpc({ a: undefined, b: [undefined, () => 1], c: null, d: 10n })).toBe('{"b":[null,null],"c":null,"d":10}');
  expect(encodeJsonRpc('quote " and \n')).toBe(JSON.stringify('quote " and \n'));
});

test('errors, batches and notifications', () => {
  const error = new PalestraError('invalid_action', 'Action 7 is not in Discrete(2)', { action: 7 });
  expect(errorText('a', error)).toBe(
    '{"jsonrpc":"2.0","id":"a","error":{"code":1003,"message":"Action 7 is not in Discrete(2)","data":{"action":7,"name":"invalid_action"}}}',
  );
  expect(batchText(['{"a":1}', null, '{"b":2}'])).toBe('[{"a":1},{"b":2}]');
  expect(batchText([null])).toBeNull();
  expect(notificationText('train.progress', { timesteps: 10, loss: Infinity })).toBe(
    '{"jsonrpc":"2.0","method":"train.progress","params":{"timesteps":10,"loss":"Infinity"}}',
  );
});

test('a value nested past 64 levels is cut, not walked to the bottom', () => {
  let deep: unknown = 1;
  for (let i = 0; i < 100_000; i++) deep = [deep];
  const text = encodeJsonRpc({ action: deep });
  expect(text.startsWith('{"action":[[[')).toBe(true);
  expect(text).toContain('"..."');
  expect(text.length).toBeLessThan(200);
});
