/** An environment belongs to the connection that made it, and goes when that connection goes. */
import type { PalestraServer } from '../../src';
import { RpcClient, RpcError, startTestServer } from '../helpers/server';

let server: PalestraServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function health(): Promise<{ connections: number; environments: number }> {
  return (await fetch(`${server.httpUrl}/health`)).json();
}

test("two connections cannot touch each other's environments", async () => {
  const alice = await RpcClient.connect(server.url);
  const bob = await RpcClient.connect(server.url);
  const { instance_id } = await alice.call('make', { env_id: 'CartPole-v1' });
  for (const method of ['reset', 'close', 'action_space', 'action_sample']) {
    await expect(bob.call(method, { instance_id })).rejects.toMatchObject({ data: { name: 'instance_not_found' } });
  }
  await expect(bob.call('step', { instance_id, action: 0 })).rejects.toBeInstanceOf(RpcError);
  // Alice's environment is untouched by Bob's attempts.
  await alice.call('reset', { instance_id, seed: 1 });
  expect((await alice.call('step', { instance_id, action: 0 }))[1]).toBe(1);
  await alice.close();
  await bob.close();
});

/** Polls /health until `predicate` holds (bounded: 2 s). */
async function healthWhen(predicate: (h: { connections: number; environments: number }) => boolean) {
  const deadline = Date.now() + 2000;
  let h = await health();
  while (!predicate(h) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    h = await health();
  }
  return h;
}

test('a dropped connection frees its environments', async () => {
  const before = await healthWhen((h) => h.connections === 0);
  expect(before).toMatchObject({ connections: 0, environments: 0 });
  const client = await RpcClient.connect(server.url);
  for (let i = 0; i < 3; i++) await client.call('make', { env_id: 'CartPole-v1' });
  expect((await health()).environments).toBe(before.environments + 3);
  client.ws.terminate();
  await client.closed;
  expect(await healthWhen((h) => h.connections === 0)).toMatchObject({ environments: 0, connections: 0 });
});

test('server.close() closes every connection and frees its environments', async () => {
  const own = await startTestServer();
  const client = await RpcClient.connect(own.url);
  const { instance_id } = await client.call('make', { env_id: 'CartPole-v1' });
  const connection = [...own.state.connections][0];
  const env = (connection as any).session.envs.get(instance_id)!.env;
  let closedEnv = false;
  const originalClose = env.close.bind(env);
  env.close = () => {
    closedEnv = true;
    originalClose();
  };
  await own.close();
  expect(closedEnv).toBe(true);
  expect(own.state.connections.size).toBe(0);
  await client.closed;
});
