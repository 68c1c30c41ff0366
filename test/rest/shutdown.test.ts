/** POST /v1/shutdown/ stops the server only when it was started with allowShutdown (--allow-shutdown). */
import { once } from 'node:events';
import { startTestServer } from '../helpers/server';
import { PythonStyleClient, expectError } from './client';

test('allowed: answers 200 with JSON (no `message`, which clients read as an error), then closes everything', async () => {
  const server = await startTestServer({ allowShutdown: true });
  const client = new PythonStyleClient(server.httpUrl);
  const id = (await client.env_create('CartPole-v1')).json.instance_id;
  expect(id).toMatch(/^[0-9a-f]{8}$/);
  const closed = once(server.http, 'close');
  const reply = await client.shutdown_server();
  expect(reply.status).toBe(200);
  expect(reply.json).toEqual({ status: 'shutting down' });
  await closed;
  expect(server.http.listening).toBe(false);
  expect(server.state.services.has('rest')).toBe(false);
  await expect(fetch(`${server.httpUrl}/v1/envs/`)).rejects.toThrow();
  await server.close();
});

test('not allowed (the default): 403, and the server keeps serving', async () => {
  const server = await startTestServer();
  try {
    const client = new PythonStyleClient(server.httpUrl);
    expectError(await client.shutdown_server(), 'forbidden', 403);
    expect(server.http.listening).toBe(true);
    expect((await client.env_list_all()).status).toBe(200);
  } finally {
    await server.close();
  }
});
