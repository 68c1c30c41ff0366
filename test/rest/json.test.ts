/** Every REST body is valid JSON: infinite bounds, rewards and info values become float32's extremes. */
import { Env, type PalestraServer, type StepResult } from '../../src';
import { Registry } from '../../src/envs/registration';
import { Box, BoxArray } from '../../src/envs/spaces/box';
import { FLOAT32_MAX } from '../../src/rest/json';
import { PyFloat, floats, pyJSON } from '../../src/rest/json';
import { startTestServer } from '../helpers/server';
import { PythonStyleClient, expectError, request } from './client';

/** An environment with infinite bounds that answers infinities and NaN wherever it can. */
class Unbounded extends Env<BoxArray, BoxArray> {
  readonly observation_space = new Box(-Infinity, Infinity, [3], 'float64');
  readonly action_space = new Box(-1, 1, [2], 'float32');
  reset(): [BoxArray, Record<string, unknown>] {
    return [Float64Array.from([Infinity, -Infinity, 1e300]), { start: -Infinity }];
  }
  step(): StepResult<BoxArray> {
    return [Float64Array.from([0, -Infinity, 2]), Infinity, false, false, { big: Infinity, nan: NaN, nested: [[-Infinity]] }];
  }
}

let server: PalestraServer;
let client: PythonStyleClient;
let id: string;
beforeAll(async () => {
  const registry = new Registry();
  registry.register('Unbounded-v0', () => new Unbounded());
  server = await startTestServer({ registry });
  client = new PythonStyleClient(server.httpUrl);
  id = (await client.env_create('Unbounded-v0')).json.instance_id;
});
afterAll(() => server.close());

const NON_JSON = /Infinity|NaN|undefined/;

test('infinite Box bounds are ±3.4028234663852886e38, written as floats', async () => {
  const reply = await client.env_observation_space_info(id);
  expect(reply.text).not.toMatch(NON_JSON);
  expect(reply.json).toEqual({ info: { name: 'Box', shape: [3], low: [-FLOAT32_MAX, -FLOAT32_MAX, -FLOAT32_MAX], high: [FLOAT32_MAX, FLOAT32_MAX, FLOAT32_MAX] } });
  const action = await client.env_action_space_info(id);
  expect(action.text).toBe('{"info":{"name":"Box","shape":[2],"low":[-1.0,-1.0],"high":[1.0,1.0]}}');
});

test('infinite observations, rewards and info values are valid JSON numbers', async () => {
  const reset = await client.env_reset(id);
  expect(reset.text).not.toMatch(NON_JSON);
  expect(reset.json.observation).toEqual([FLOAT32_MAX, -FLOAT32_MAX, 1e300]);
  const stepped = await client.env_step(id, [0.5, -0.5]);
  expect(stepped.text).not.toMatch(NON_JSON);
  expect(stepped.json).toEqual({
    observation: [0, -FLOAT32_MAX, 2],
    reward: FLOAT32_MAX,
    done: false,
    info: { big: FLOAT32_MAX, nan: 0, nested: [[-FLOAT32_MAX]] },
  });
  expect(stepped.text).toContain('"observation":[0.0,-3.4028234663852886e+38,2.0]');
});

test('Box actions: sampled as floats, contains takes JSON in the path', async () => {
  const sample = await client.env_action_space_sample(id);
  expect(sample.json.action).toHaveLength(2);
  for (const a of sample.json.action) expect(Math.abs(a)).toBeLessThanOrEqual(1);
  expect((await client.env_action_space_contains(id, encodeURIComponent('[0.5,-0.5]'))).json).toEqual({ member: true });
  expect((await client.env_action_space_contains(id, encodeURIComponent('[2,0]'))).json).toEqual({ member: false });
  expect((await client.env_action_space_contains(id, '0.5')).json).toEqual({ member: false });
  expect((await client.env_observation_space_contains(id, { high: [FLOAT32_MAX, FLOAT32_MAX, FLOAT32_MAX] })).json).toEqual({ member: true });
});

test('Python’s bare Infinity and NaN in a request are read, not refused as bad JSON', async () => {
  await client.env_reset(id);
  // json.dumps([float('inf'), 0.0]) is '[Infinity, 0.0]': out of bounds, so a clear invalid_action.
  expectError(await request(server.httpUrl, 'POST', `/v1/envs/${id}/step/`, '{"action": [Infinity, 0.0]}'), 'invalid_action', 400);
  expectError(await request(server.httpUrl, 'POST', `/v1/envs/${id}/step/`, '{"action": [NaN, 0.0]}'), 'invalid_action', 400);
  // Inside strings the tokens are left alone.
  expectError(await request(server.httpUrl, 'POST', '/v1/envs/', '{"env_id": "Infinity NaN"}'), 'env_malformed', 400, /Infinity NaN/);
});

describe('pyJSON', () => {
  test('floats keep a point, ints do not, non-finite numbers are float32 extremes or 0', () => {
    expect(pyJSON({ f: new PyFloat(1), i: 1, e: new PyFloat(1e21), n: new PyFloat(-0.5) })).toBe('{"f":1.0,"i":1,"e":1e+21,"n":-0.5}');
    expect(pyJSON([Infinity, -Infinity, NaN, new PyFloat(NaN)])).toBe('[3.4028234663852886e+38,-3.4028234663852886e+38,0,0.0]');
  });

  test('floats read as Python writes them: scientific below 1e-4 and from 1e16 on, with two exponent digits at least', () => {
    // What Flask's json.dumps writes for the same floats (Python's repr).
    expect(pyJSON(floats([1e20, 1e16, 1234567890123456, 1e-5, 0.0001, 1.5e300]))).toBe('[1e+20,1e+16,1234567890123456.0,1e-05,0.0001,1.5e+300]');
    // A number not marked as a float is still one when it has a fraction.
    expect(pyJSON({ small: 1e-7, half: 0.5, whole: 7 })).toBe('{"small":1e-07,"half":0.5,"whole":7}');
    expect(JSON.parse(pyJSON(floats([1e20, 1e-5])))).toEqual([1e20, 1e-5]);
  });

  test('typed arrays: float arrays as floats, integer arrays as ints', () => {
    expect(pyJSON({ a: Float32Array.from([1, 0.5]), b: Int32Array.from([1, 2]), c: Uint8Array.from([255]) })).toBe('{"a":[1.0,0.5],"b":[1,2],"c":[255]}');
  });

  test('floats() marks nested lists; undefined is left out as JSON.stringify does', () => {
    expect(pyJSON(floats([[1, 2], [3, 4.5]]))).toBe('[[1.0,2.0],[3.0,4.5]]');
    expect(pyJSON({ a: undefined, b: [undefined], c: 'x"y', d: true, e: null, f: 10n })).toBe('{"b":[null],"c":"x\\"y","d":true,"e":null,"f":10}');
  });
});
