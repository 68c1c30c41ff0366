/**
 * Messages nested far deeper than any real request (issue #12's crash: Gymie
 * params 2,250 objects deep overflowed the stack while being quoted in the
 * close reason and killed the process). Each gets a proper answer, and the
 * server answers `health` afterwards.
 */
import type { PalestraServer } from '../../src';
import { GymieClient, RpcClient, rejection, startTestServer } from '../helpers/server';

let server: PalestraServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** `{"a": {"a": ... {}}}`, `depth` objects deep, as text (JSON.stringify itself would recurse). */
function deepObject(depth: number): string {
  return '{"a":'.repeat(depth) + '{}' + '}'.repeat(depth);
}

function deepList(depth: number): string {
  return '['.repeat(depth) + '0' + ']'.repeat(depth);
}

async function expectHealthy(): Promise<void> {
  const client = await RpcClient.connect(server.url);
  expect(await client.call('health')).toMatchObject({ status: 'ok' });
  await client.close();
}

test('Gymie params 2,250 objects deep close the socket with a reason, and the server lives on', async () => {
  const client = await GymieClient.connect(server.url);
  const closed = await client.expectClose(`{"method":"make","params":${deepObject(2250)}}`);
  expect(closed.code).toBe(1007);
  expect(closed.reason).toMatch(/^Parameters `\{'a': \{'a': .*\.\.\.` are wrong$/);
  expect(Buffer.byteLength(closed.reason)).toBeLessThanOrEqual(123);
  await expectHealthy();
});

test('a Gymie action 2,250 lists deep closes with "Action ... is wrong"', async () => {
  const client = await GymieClient.connect(server.url);
  const id = await client.request('make', { env_id: 'CartPole-v1' });
  await client.request('reset', { instance_id: id });
  const closed = await client.expectClose(`{"method":"step","params":{"instance_id":"${id}","action":${deepList(2250)}}}`);
  expect(closed.code).toBe(1007);
  expect(closed.reason).toMatch(/^Action `\[\[\[.*\.\.\.` is wrong$/);
  await expectHealthy();
});

test('Gymie kwargs 2,250 objects deep are refused with a reason', async () => {
  const client = await GymieClient.connect(server.url);
  const closed = await client.expectClose(`{"method":"make","params":{"env_id":"FrozenLake-v1","kwargs":{"desc":${deepObject(2250)}}}}`);
  expect(closed.code).toBe(1007);
  expect(closed.reason.length).toBeGreaterThan(10);
  await expectHealthy();
});

test('a JSON-RPC action 2,250 lists deep gets invalid_action, and the connection steps on', async () => {
  const client = await RpcClient.connect(server.url);
  const { instance_id } = await client.call('make', { env_id: 'Pendulum-v1' });
  await client.call('reset', { instance_id, seed: 0 });
  const reply = await client.raw(`{"jsonrpc":"2.0","id":9,"method":"step","params":{"instance_id":"${instance_id}","action":${deepList(2250)}}}`);
  expect(reply.error.data.name).toBe('invalid_action');
  expect(reply.error.message).toMatch(/expected shape \[1\]/);
  const [obs] = await client.call('step', { instance_id, action: [0] });
  expect(obs).toHaveLength(3);
  await expect(rejection(client.call('step', { instance_id, action: [[0]] }))).resolves.toMatchObject({ data: { name: 'invalid_action' } });
  await client.close();
  await expectHealthy();
});
