/** A Gymie client, sending exactly what Gymie clients send, gets Gymie-Server's replies and closes. */
import type { PalestraServer } from '../../src';
import { FLOAT32_MAX } from '../../src/server/framing/gymie_codec';
import { GymieClient, startTestServer } from '../helpers/server';

let server: PalestraServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

test('the whole Gymie flow: make, spaces, reset, step, action_sample, close', async () => {
  const client = await GymieClient.connect(server.url);
  const id = await client.request('make', { env_id: 'CartPole-v1', seed: 0 });
  expect(id).toMatch(/^[0-9a-f]{32}$/);

  expect(JSON.parse(await client.request('action_space', { instance_id: id }))).toEqual({ name: 'Discrete', n: 2 });
  const obsSpace = JSON.parse(await client.request('observation_space', { instance_id: id }));
  expect(obsSpace).toEqual({
    name: 'Box',
    shape: [4],
    low: [-4.800000190734863, -FLOAT32_MAX, -0.41887903213500977, -FLOAT32_MAX],
    high: [4.800000190734863, FLOAT32_MAX, 0.41887903213500977, FLOAT32_MAX],
  });

  // Seed 0 given to make: the first reset is Gymnasium's reset(seed=0).
  const obs = JSON.parse(await client.request('reset', { instance_id: id }));
  expect(obs).toEqual([0.013696168549358845, -0.023021329194307327, -0.04590264707803726, -0.04834723472595215]);

  const step = JSON.parse(await client.request('step', { instance_id: id, action: 0 }));
  expect(step).toEqual([[0.013235742226243019, -0.21745604276657104, -0.04686959087848663, 0.2295069843530655], 1, false, {}]);

  const sample = JSON.parse(await client.request('action_sample', { instance_id: id }));
  expect([0, 1]).toContain(sample);

  expect(await client.request('close', { instance_id: id })).toBe('true');
  client.close();
});

test('a time-limit end says done with TimeLimit.truncated, as old gym did', async () => {
  const client = await GymieClient.connect(server.url);
  const id = await client.request('make', { env_id: 'CartPole-v1' });
  await client.request('reset', { instance_id: id });
  // Keep the pole up with the reference controller until the 500-step limit.
  let obs = JSON.parse(await client.request('reset', { instance_id: id }));
  let last: [number[], number, boolean, Record<string, unknown>] = [obs, 0, false, {}];
  let steps = 0;
  while (!last[2] && steps < 600) {
    const [x, xDot, theta, thetaDot] = obs;
    const action = theta + 0.5 * thetaDot + 0.01 * x + 0.1 * xDot > 0 ? 1 : 0;
    last = JSON.parse(await client.request('step', { instance_id: id, action }));
    obs = last[0];
    steps++;
  }
  expect(steps).toBe(500);
  expect(last[2]).toBe(true);
  expect(last[3]).toEqual({ 'TimeLimit.truncated': true });
  client.close();
});

describe('errors close the socket with Gymie-Server code and reason', () => {
  const cases: [string, string | ((id: string) => string), number, string | RegExp][] = [
    ['text that is not JSON', 'hello there', 1003, 'Message `hello there` is invalid'],
    ['JSON without params', '{"method": "make"}', 1003, "Message keys ['method'] are missing or invalid"],
    ['JSON that is not an object', '42', 1003, 'Message `42` is invalid'],
    ['an unknown method', '{"method": "jump", "params": {}}', 1007, 'Method `jump` not found'],
    ['wrong params', '{"method": "make", "params": {"envid": "CartPole-v1"}}', 1007, "Parameters `{'envid': 'CartPole-v1'}` are wrong"],
    ['an unknown environment', '{"method": "make", "params": {"env_id": "Nope-v0"}}', 1007, 'Environment `Nope-v0` not found'],
    ['a malformed environment id', '{"method": "make", "params": {"env_id": "not an id!"}}', 1007, 'Environment `not an id!` is malformed'],
    ['an unknown instance', '{"method": "step", "params": {"instance_id": "abc", "action": 0}}', 1007, 'Instance `abc` not found'],
    ['a wrong action', (id) => JSON.stringify({ method: 'step', params: { instance_id: id, action: 5 } }), 1007, 'Action `5` is wrong'],
    ['a wrong action of the wrong type', (id) => JSON.stringify({ method: 'step', params: { instance_id: id, action: [0.5] } }), 1007, 'Action `[0.5]` is wrong'],
  ];
  test.each(cases)('%s', async (_what, message, code, reason) => {
    const client = await GymieClient.connect(server.url);
    let text = message as string;
    if (typeof message === 'function') {
      const id = await client.request('make', { env_id: 'CartPole-v1' });
      await client.request('reset', { instance_id: id });
      text = message(id);
    }
    const closed = await client.expectClose(text);
    expect(closed.code).toBe(code);
    if (typeof reason === 'string') expect(closed.reason).toBe(reason);
    else expect(closed.reason).toMatch(reason);
  });

  test('step before reset closes with 1007 and says to reset', async () => {
    const client = await GymieClient.connect(server.url);
    const id = await client.request('make', { env_id: 'CartPole-v1' });
    const closed = await client.expectClose(JSON.stringify({ method: 'step', params: { instance_id: id, action: 0 } }));
    expect(closed).toEqual({ code: 1007, reason: 'Cannot call step before reset: call reset first' });
  });

  test('a very long bad message still closes with a reason that fits a close frame', async () => {
    const client = await GymieClient.connect(server.url);
    const closed = await client.expectClose('x'.repeat(5000));
    expect(closed.code).toBe(1003);
    expect(Buffer.byteLength(closed.reason)).toBeLessThanOrEqual(123);
    expect(closed.reason.startsWith('Message `xxx')).toBe(true);
  });

  test("a cut reason shortens the quoted message and keeps Gymie's sentence", async () => {
    const client = await GymieClient.connect(server.url);
    const closed = await client.expectClose(`not json ${'x'.repeat(5000)}`);
    expect(closed.code).toBe(1003);
    expect(closed.reason).toMatch(/^Message `not json x+\.\.\.` is invalid$/);
    expect(Buffer.byteLength(closed.reason)).toBe(123);
  });
});
