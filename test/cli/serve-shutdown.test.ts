/**
 * The server process keeps its work: SIGTERM during training stops and saves
 * the job, tells its owner and closes with 1001; `kill -9` in the middle of a
 * save leaves the model store intact for the next start.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RpcClient } from '../helpers/server';
import { finalFrame, framesOf, until } from '../train/helpers';
import { dataDir, serve } from './run';

test('SIGTERM during training: train.done (stopped, model saved), close 1001, exit 0; after restart the model evaluates', async () => {
  const dir = dataDir();
  const server = await serve(['--data-dir', dir, '--log-level', 'silent']);
  const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
  const client = await RpcClient.connect(server.url);
  const reply = await client.call('train', { env_id: 'CartPole-v1', algorithm: 'ppo', total_timesteps: 10_000_000, seed: 2 });
  await until(() => framesOf(client, reply.job_id, 'train.progress').length >= 2, 60_000, 'progress');
  server.child.kill('SIGTERM');
  expect(await client.closed).toEqual({ code: 1001, reason: 'Server shutting down' });
  const done = await finalFrame(client, reply.job_id, 1);
  expect(done.method).toBe('train.done');
  expect(done.params).toMatchObject({ status: 'stopped', stop_reason: 'stopped', model: reply.model });
  expect(await exited).toBe(0);

  const again = await serve(['--data-dir', dir, '--log-level', 'silent']);
  const c = await RpcClient.connect(again.url);
  try {
    const evaluation = await c.call('evaluate', { model: reply.model, episodes: 2, seed: 0 });
    expect(evaluation).toMatchObject({ model: reply.model, status: 'completed', episodes: 2 });
    const { models } = await c.call('models', { name: reply.model });
    expect(models[0]).toMatchObject({ stop_reason: 'stopped', timesteps: done.params.timesteps });
  } finally {
    c.close();
    await again.stop();
  }
}, 180_000);

test('kill -9 during a save: after restart no temporary file is left and every model in the store loads', async () => {
  const dir = dataDir();
  const models = join(dir, 'models');
  // Checkpoints of an 8 MB model every second: most of the time a save is under way.
  const server = await serve(['--data-dir', dir, '--log-level', 'silent', '--checkpoint-seconds', '1']);
  const client = await RpcClient.connect(server.url);
  await client.call('train', {
    env_id: 'CartPole-v1',
    algorithm: 'ppo',
    total_timesteps: 10_000_000,
    seed: 2,
    hyperparameters: { hidden_size: 512, hidden_layers: 4, n_envs: 1, n_steps: 64, batch_size: 64, eval_freq: 0 },
  });
  const temps = () => (existsSync(models) ? readdirSync(models).filter((f) => f.endsWith('.tmp')) : []);
  const saved = () => (existsSync(models) ? readdirSync(models).filter((f) => f.endsWith('.json')) : []);
  // Once one checkpoint is saved, poll tightly and kill the moment the next save's temporary file exists.
  const deadline = Date.now() + 120_000;
  while (saved().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  while (temps().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
  server.child.kill('SIGKILL');
  await new Promise((r) => server.child.once('exit', r));
  expect(temps().length).toBeGreaterThan(0); // the kill did land inside a save
  client.ws.terminate();

  const again = await serve(['--data-dir', dir, '--log-level', 'silent']);
  const c = await RpcClient.connect(again.url);
  try {
    expect(temps()).toEqual([]);
    const files = readdirSync(models).filter((f) => f.endsWith('.json'));
    const listed = (await c.call('models', {})).models;
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.map((m: { name: string }) => `${m.name}.json`).sort()).toEqual(files.sort());
    for (const m of listed) {
      expect(m.stop_reason).toBe('checkpoint');
      const prediction = await c.call('predict', { model: m.name, observation: [0, 0, 0.01, 0] });
      expect([0, 1]).toContain(prediction.action);
    }
  } finally {
    c.close();
    await again.stop();
  }
}, 240_000);
