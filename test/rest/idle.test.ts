/** REST environments left unused are closed after the idle time; used ones stay. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PalestraServer } from '../../src';
import { startTestServer } from '../helpers/server';
import { PythonStyleClient, expectError } from './client';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Margins are wide (a request every 50 ms against a 500 ms idle time) so a loaded machine does not flake.
describe('with a 0.5 s idle time', () => {
  let server: PalestraServer;
  let client: PythonStyleClient;
  beforeAll(async () => {
    server = await startTestServer({ restIdleSeconds: 0.5 });
    client = new PythonStyleClient(server.httpUrl);
  });
  afterAll(() => server.close());

  test('an abandoned environment is closed and forgotten', async () => {
    const id = (await client.env_create('CartPole-v1')).json.instance_id;
    expect((await client.env_list_all()).json.all_envs).toHaveProperty(id);
    await sleep(1500);
    expect((await client.env_list_all()).json.all_envs).not.toHaveProperty(id);
    expectError(await client.env_reset(id), 'instance_not_found', 404, /idle/);
  });

  test('an environment in use is kept: every request naming it counts as use', async () => {
    const id = (await client.env_create('CartPole-v1')).json.instance_id;
    const calls = [() => client.env_reset(id), () => client.env_action_space_info(id), () => client.env_step(id, 0)];
    // Three times the idle time in all, with a request every 50 ms.
    for (let i = 0; i < 30; i++) {
      await sleep(50);
      expect((await calls[i % calls.length]()).status).toBe(200);
    }
    expect((await client.env_list_all()).json.all_envs).toHaveProperty(id);
  });

  test('listing the environments does not keep them alive', async () => {
    const id = (await client.env_create('CartPole-v1')).json.instance_id;
    for (let i = 0; i < 10; i++) {
      await sleep(150);
      await client.env_list_all();
    }
    expect((await client.env_list_all()).json.all_envs).not.toHaveProperty(id);
  });

  test('closing an idle environment finishes its monitor, so the files are complete', async () => {
    const id = (await client.env_create('CartPole-v1')).json.instance_id;
    await client.env_monitor_start(id, 'idle-run', true);
    await client.env_reset(id);
    await sleep(1500);
    const dir = join(server.state.options.dataDir, 'monitor', 'idle-run');
    const files = readdirSync(dir);
    expect(files.some((f) => f.startsWith('openaigym.manifest.'))).toBe(true);
    expect(files.some((f) => f.startsWith('openaigym.episode_batch.'))).toBe(true);
  });
});

test('with restIdleSeconds 0, environments are never closed for idleness', async () => {
  const server = await startTestServer({ restIdleSeconds: 0 });
  try {
    const client = new PythonStyleClient(server.httpUrl);
    const id = (await client.env_create('CartPole-v1')).json.instance_id;
    await sleep(200);
    expect((await client.env_list_all()).json.all_envs).toHaveProperty(id);
  } finally {
    await server.close();
  }
});

test('closing the server closes its REST environments and finishes their monitors', async () => {
  const server = await startTestServer();
  const client = new PythonStyleClient(server.httpUrl);
  const id = (await client.env_create('CartPole-v1')).json.instance_id;
  await client.env_monitor_start(id, 'at-close', true);
  await server.close();
  const dir = join(server.state.options.dataDir, 'monitor', 'at-close');
  expect(existsSync(dir) && readdirSync(dir).some((f) => f.startsWith('openaigym.manifest.'))).toBe(true);
  expect(server.state.services.has('rest')).toBe(false);
});
