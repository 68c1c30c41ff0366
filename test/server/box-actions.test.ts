/**
 * Gymnasium's action semantics over the socket: a Box action past a bound is
 * clipped by the environment (Gymnasium's `test_box_actions_out_of_bound`),
 * closing twice answers true, and a Discrete action true/false is refused.
 */
import type { PalestraServer } from '../../src';
import { GymieClient, RpcClient, rejection, startTestServer } from '../helpers/server';

let server: PalestraServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

// Gymnasium's test adds OOB_VALUE = 100 to the bound.
const CASES: [string, number, number][] = [
  ['Pendulum-v1', 2, -2],
  ['MountainCarContinuous-v0', 1, -1],
];

describe.each(CASES)('%s', (env_id, high, low) => {
  test('JSON-RPC: a step past each bound gives the observation of a step at the bound', async () => {
    const client = await RpcClient.connect(server.url);
    for (const [bound, beyond] of [
      [high, high + 100],
      [low, low - 100],
    ]) {
      const a = (await client.call('make', { env_id })).instance_id;
      const b = (await client.call('make', { env_id })).instance_id;
      await client.call('reset', { instance_id: a, seed: 42 });
      await client.call('reset', { instance_id: b, seed: 42 });
      const [obs] = await client.call('step', { instance_id: a, action: [bound] });
      const [oobObs] = await client.call('step', { instance_id: b, action: [beyond] });
      expect(oobObs).toEqual(obs);
      await client.call('close', { instance_id: a });
      await client.call('close', { instance_id: b });
    }
    await client.close();
  });

  test('Gymie: the same, in old gym 4-tuples', async () => {
    const client = await GymieClient.connect(server.url);
    const a = await client.request('make', { env_id });
    const b = await client.request('make', { env_id });
    await client.request('reset', { instance_id: a, seed: 42 });
    await client.request('reset', { instance_id: b, seed: 42 });
    const [obs] = JSON.parse(await client.request('step', { instance_id: a, action: [high] }));
    const [oobObs] = JSON.parse(await client.request('step', { instance_id: b, action: [high + 100] }));
    expect(oobObs).toEqual(obs);
    client.close();
  });
});

test('close twice answers true both times, over JSON-RPC and Gymie', async () => {
  const rpc = await RpcClient.connect(server.url);
  const { instance_id } = await rpc.call('make', { env_id: 'CartPole-v1' });
  expect(await rpc.call('close', { instance_id })).toBe(true);
  expect(await rpc.call('close', { instance_id })).toBe(true);
  expect(await rejection(rpc.call('close', { instance_id: 'never-made' }))).toMatchObject({ data: { name: 'instance_not_found' } });
  await rpc.close();
  const gymie = await GymieClient.connect(server.url);
  const id = await gymie.request('make', { env_id: 'CartPole-v1' });
  expect(await gymie.request('close', { instance_id: id })).toBe('true');
  expect(await gymie.request('close', { instance_id: id })).toBe('true');
  gymie.close();
});

test('a Discrete action true is refused with a clear message; over Gymie the socket closes', async () => {
  const rpc = await RpcClient.connect(server.url);
  const { instance_id } = await rpc.call('make', { env_id: 'CartPole-v1' });
  await rpc.call('reset', { instance_id, seed: 0 });
  const error = await rejection<any>(rpc.call('step', { instance_id, action: true }));
  expect(error.data.name).toBe('invalid_action');
  expect(error.message).toMatch(/got a boolean .*send 1 or 0/);
  await rpc.close();
  const gymie = await GymieClient.connect(server.url);
  const id = await gymie.request('make', { env_id: 'CartPole-v1' });
  await gymie.request('reset', { instance_id: id });
  expect(await gymie.expectClose(JSON.stringify({ method: 'step', params: { instance_id: id, action: false } }))).toEqual({
    code: 1007,
    reason: 'Action `False` is wrong',
  });
});
