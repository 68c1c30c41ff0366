/** An environment a user registers in a module given to start({ envModules }) can be stepped and trained. */
import { join } from 'node:path';
import type { PalestraServer } from '../../src';
import { RpcClient, startTestServer } from '../helpers/server';
import { finalFrame } from './helpers';

const MODULE = join(__dirname, '..', 'fixtures', 'corridor_env.ts');

let server: PalestraServer;
let client: RpcClient;
beforeAll(async () => {
  server = await startTestServer({ envModules: [MODULE] });
  client = await RpcClient.connect(server.url);
});
afterAll(async () => {
  await client.close();
  await server.close();
});

test('the registered environment steps over the socket and trains in a worker to the optimal policy', async () => {
  expect((await client.call('hello')).env_ids).toContain('Corridor-v0');
  const { instance_id } = await client.call('make', { env_id: 'Corridor-v0' });
  await client.call('reset', { instance_id });
  expect((await client.call('step', { instance_id, action: 1 }))[0]).toBe(1);

  const job = await client.call('train', { env_id: 'Corridor-v0', algorithm: 'q_learning', total_timesteps: 3000, seed: 1 });
  const done = await finalFrame(client, job.job_id);
  expect(done.method).toBe('train.done');
  for (const observation of [0, 1, 2, 3]) {
    expect((await client.call('predict', { model: done.params.model, observation })).action).toBe(1);
  }
});

test('a module that cannot be loaded stops start() with a clear error', async () => {
  await expect(startTestServer({ envModules: [join(__dirname, 'no-such-module.js')] })).rejects.toThrow(
    /Cannot load environment module .*no-such-module\.js/,
  );
});
