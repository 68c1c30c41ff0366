/** JSON-RPC 2.0 on the same socket: envelopes, batches, notifications, every error code, Gymnasium's API. */
import type { PalestraServer } from '../../src';
import { ERRORS } from '../../src/errors';
import { loadConformance } from '../helpers/conformance';
import { RpcClient, RpcError, rejection as rejectionOf, startTestServer } from '../helpers/server';

const rejection = (promise: Promise<unknown>) => rejectionOf<RpcError>(promise);

let server: PalestraServer;
let client: RpcClient;
beforeAll(async () => {
  server = await startTestServer({ maxMessageBytes: 4096, maxEnvsPerConnection: 3 });
  client = await RpcClient.connect(server.url);
});
afterAll(async () => {
  client.close();
  await server.close();
});

test("Gymnasium's API: make, reset → [obs, info], step → [obs, reward, terminated, truncated, info], close", async () => {
  const made = await client.call('make', { env_id: 'CartPole-v1' });
  expect(made).toMatchObject({ env_id: 'CartPole-v1', max_episode_steps: 500, reward_threshold: 475 });
  expect(made.observation_space.low[1]).toBe('-Infinity');
  const [obs, info] = await client.call('reset', { instance_id: made.instance_id, seed: 42 });
  expect(obs).toHaveLength(4);
  expect(info).toEqual({});
  const [obs2, reward, terminated, truncated, info2] = await client.call('step', { instance_id: made.instance_id, action: 1 });
  expect(obs2).toHaveLength(4);
  expect([reward, terminated, truncated, info2]).toEqual([1, false, false, {}]);
  expect(await client.call('close', { instance_id: made.instance_id })).toBe(true);
});

test('seed 0 is a seed, and reset without a seed carries the stream on as Gymnasium does', async () => {
  const a = await client.call('make', ['CartPole-v1']);
  const b = await client.call('make', { env_id: 'CartPole-v1', seed: 0 });
  const [first] = await client.call('reset', { instance_id: a.instance_id, seed: 0 });
  expect(first).toEqual([0.013696168549358845, -0.023021329194307327, -0.04590264707803726, -0.04834723472595215]);
  // make(seed=0) is reset(seed=0) on the first reset.
  expect((await client.call('reset', { instance_id: b.instance_id }))[0]).toEqual(first);
  const [second] = await client.call('reset', { instance_id: a.instance_id });
  const [again] = await client.call('reset', { instance_id: b.instance_id });
  expect(second).toEqual(again);
  expect(second).not.toEqual(first);
  await client.call('close', [a.instance_id]);
  await client.call('close', [b.instance_id]);
});

test('action_sample with a seed re-seeds the action space as Gymnasium action_space.seed does', async () => {
  // Case 0 of the CartPole-v1 recording seeds the action space with 1 and samples before every step.
  const recorded = loadConformance('CartPole-v1')[0].cases[0];
  const expected = recorded.steps!.slice(0, 8).map((s) => s.action);
  const { instance_id } = await client.call('make', { env_id: 'CartPole-v1' });
  const samples = [await client.call('action_sample', { instance_id, seed: recorded.action_seed })];
  for (let i = 1; i < expected.length; i++) samples.push(await client.call('action_sample', { instance_id }));
  expect(samples).toEqual(expected);
  expect(await client.call('action_sample', { instance_id, seed: recorded.action_seed })).toBe(expected[0]);
  await client.call('close', { instance_id });
});

test('spaces and the registry are described completely', async () => {
  const { instance_id } = await client.call('make', { env_id: 'CartPole-v0' });
  expect(await client.call('action_space', { instance_id })).toEqual({ name: 'Discrete', n: 2, start: 0 });
  const box = await client.call('observation_space', { instance_id });
  expect(box).toMatchObject({ name: 'Box', shape: [4], dtype: 'float32' });
  expect(box.high).toEqual([4.800000190734863, 'Infinity', 0.41887903213500977, 'Infinity']);
  const { envs } = await client.call('envs');
  const cartpole = envs.find((e: { id: string }) => e.id === 'CartPole-v0');
  expect(cartpole).toMatchObject({ max_episode_steps: 200, reward_threshold: 195, observation_space: box });
  const hello = await client.call('hello', { client: 'jest' });
  expect(hello.env_ids).toEqual(expect.arrayContaining(['CartPole-v0', 'CartPole-v1']));
  expect(hello.capabilities).toEqual(expect.arrayContaining(['gymie', 'jsonrpc', 'batch']));
  await client.call('close', { instance_id });
});

describe('every error has its catalogue code, and the connection and its environments stay usable', () => {
  let instance_id: string;
  beforeAll(async () => {
    ({ instance_id } = await client.call('make', { env_id: 'CartPole-v1' }));
  });

  const raw = (text: string) => client.raw(text);

  test('parse_error for text that is not JSON', async () => {
    const reply = await raw('{not json');
    expect(reply).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: ERRORS.parse_error.code } });
  });

  test('invalid_request for a bad envelope, keeping the id', async () => {
    expect(await raw('{"jsonrpc":"2.0","id":7,"method":5}')).toMatchObject({ id: 7, error: { code: ERRORS.invalid_request.code } });
    expect(await raw('{"jsonrpc":"1.0","id":8,"method":"hello"}')).toMatchObject({ error: { code: ERRORS.invalid_request.code } });
    expect(await raw('{"jsonrpc":"2.0","id":9,"method":"hello","params":3}')).toMatchObject({ error: { code: ERRORS.invalid_request.code } });
  });

  const cases: [string, string, () => unknown][] = [
    ['method_not_found', 'jump', () => ({})],
    ['invalid_params', 'make', () => ({ envid: 'CartPole-v1' })],
    ['invalid_seed', 'reset', () => ({ instance_id, seed: -1 })],
    ['invalid_seed', 'reset', () => ({ instance_id, seed: 1.5 })],
    ['env_not_found', 'make', () => ({ env_id: 'Nope-v0' })],
    ['env_malformed', 'make', () => ({ env_id: 'not an id!' })],
    ['invalid_kwargs', 'make', () => ({ env_id: 'CartPole-v1', kwargs: { gravity: 1 } })],
    ['instance_not_found', 'step', () => ({ instance_id: 'nope', action: 0 })],
    ['invalid_action', 'step', () => ({ instance_id, action: 2 })],
    ['invalid_action', 'step', () => ({ instance_id, action: 'left' })],
    ['invalid_action', 'step', () => ({ instance_id, action: 0.5 })],
  ];
  test.each(cases)('%s from %s', async (name, method, params) => {
    const error = await rejection(client.call(method, params()));
    expect(error.code).toBe(ERRORS[name as keyof typeof ERRORS].code);
    expect(error.data.name).toBe(name);
    expect(error.message.length).toBeGreaterThan(10);
  });

  test('reset_needed for step before reset', async () => {
    const fresh = await client.call('make', { env_id: 'CartPole-v1' });
    const error = await rejection(client.call('step', { instance_id: fresh.instance_id, action: 0 }));
    expect(error.data.name).toBe('reset_needed');
    await client.call('close', { instance_id: fresh.instance_id });
  });

  test('invalid_action names the space and the value', async () => {
    const error = await rejection(client.call('step', { instance_id, action: 7 }));
    expect(error.message).toMatch(/7 is not in Discrete\(2\)/);
    expect(error.data.space).toEqual({ name: 'Discrete', n: 2, start: 0 });
  });

  test('message_too_large for a message over the configured cap', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'hello', params: { client: 'x'.repeat(5000) } });
    expect(await raw(big)).toMatchObject({ error: { code: ERRORS.message_too_large.code } });
  });

  test('too_many_envs past the per-connection cap', async () => {
    const other = await RpcClient.connect(server.url);
    for (let i = 0; i < 3; i++) await other.call('make', { env_id: 'CartPole-v1' });
    const error = await rejection(other.call('make', { env_id: 'CartPole-v1' }));
    expect(error.data).toMatchObject({ name: 'too_many_envs', limit: 3 });
    other.close();
  });

  test('after all those errors the environment still steps', async () => {
    await client.call('reset', { instance_id, seed: 3 });
    const result = await client.call('step', { instance_id, action: 0 });
    expect(result[1]).toBe(1);
  });
});

test('a batch answers every request in one array, errors included, and leaves out notifications', async () => {
  const { instance_id } = await client.call('make', { env_id: 'CartPole-v1' });
  const reply = await client.raw(
    JSON.stringify([
      { jsonrpc: '2.0', id: 1, method: 'reset', params: { instance_id, seed: 0 } },
      { jsonrpc: '2.0', method: 'step', params: { instance_id, action: 0 } },
      { jsonrpc: '2.0', id: 'b', method: 'step', params: { instance_id, action: 1 } },
      { jsonrpc: '2.0', id: 3, method: 'nope' },
      { foo: 1 },
    ]),
  );
  expect(reply).toHaveLength(4);
  expect(reply[0]).toMatchObject({ id: 1, result: [[0.013696168549358845, -0.023021329194307327, -0.04590264707803726, -0.04834723472595215], {}] });
  // The notification's step ran: the reply to 'b' is the second step of the recorded episode.
  expect(reply[1]).toMatchObject({ id: 'b', result: [[0.008886621333658695, -0.021696746349334717, -0.042279452085494995, -0.07758410274982452], 1, false, false, {}] });
  expect(reply[2]).toMatchObject({ id: 3, error: { code: ERRORS.method_not_found.code } });
  expect(reply[3]).toMatchObject({ id: null, error: { code: ERRORS.invalid_request.code } });
  expect(await client.raw('[]')).toMatchObject({ id: null, error: { code: ERRORS.invalid_request.code } });
  await client.call('close', { instance_id });
});

test('a notification gets no reply but is carried out', async () => {
  const { instance_id } = await client.call('make', { env_id: 'CartPole-v1' });
  client.ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'close', params: { instance_id } }));
  const error = await rejection(client.call('reset', { instance_id }));
  expect(error.data.name).toBe('instance_not_found');
});

test('positional params follow the schema order', async () => {
  const made = await client.call('make', ['CartPole-v1', 0]);
  const [obs] = await client.call('reset', [made.instance_id]);
  expect(obs[0]).toBe(0.013696168549358845);
  const error = await rejection(client.call('close', [made.instance_id, 1, 2]));
  expect(error.data.name).toBe('invalid_params');
});
