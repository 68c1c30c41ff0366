/** Saved policies: they survive a restart, `predict` answers the schema, names are checked, models can be listed and deleted. */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PalestraServer } from '../../src';
import { ModelStore } from '../../src/models/store';
import { Policy } from '../../src/train/core/policy';
import { RpcClient, startTestServer } from '../helpers/server';
import { finalFrame } from './helpers';

const dataDir = mkdtempSync(join(tmpdir(), 'palestra-models-'));

async function withServer<T>(fn: (client: RpcClient, server: PalestraServer) => Promise<T>): Promise<T> {
  const server = await startTestServer({ dataDir });
  const client = await RpcClient.connect(server.url);
  try {
    return await fn(client, server);
  } finally {
    client.close();
    await server.close();
  }
}

test('a saved model survives a restart; predict answers action, probabilities and value', async () => {
  await withServer(async (client) => {
    const reply = await client.call('train', { env_id: 'CartPole-v1', total_timesteps: 2048, seed: 7, name: 'cartpole.keep', session: 's1' });
    expect((await finalFrame(client, reply.job_id)).method).toBe('train.done');
    await expect(client.call('train', { env_id: 'CartPole-v1', total_timesteps: 256, name: 'cartpole.keep' })).rejects.toMatchObject({ code: 3002 });
  });
  await withServer(async (client) => {
    const { models } = await client.call('models');
    expect(models.map((m: any) => m.name)).toContain('cartpole.keep');
    expect((await client.call('models', { session: 's1' })).models.map((m: any) => m.name)).toEqual(['cartpole.keep']);
    expect((await client.call('models', { session: 'other' })).models).toEqual([]);

    const p = await client.call('predict', { model: 'cartpole.keep', observation: [0.01, -0.02, 0.03, 0.04] });
    expect([0, 1]).toContain(p.action);
    expect(p.action_probs).toHaveLength(2);
    expect(p.action_probs[0] + p.action_probs[1]).toBeCloseTo(1, 5);
    expect(p.action).toBe(p.action_probs[1] > p.action_probs[0] ? 1 : 0);
    expect(typeof p.value).toBe('number');
    // The same question answers the same (deterministic, cached).
    expect(await client.call('predict', ['cartpole.keep', [0.01, -0.02, 0.03, 0.04]])).toEqual(p);

    await expect(client.call('predict', { model: 'cartpole.keep', observation: [0, 0, 0] })).rejects.toMatchObject({ code: 1009 });
    await expect(client.call('predict', { model: 'cartpole.keep', observation: [0, 0, 9, 0] })).rejects.toMatchObject({ code: 1009 });
    await expect(client.call('predict', { model: 'cartpole.keep', observation: 'x' })).rejects.toMatchObject({ code: 1009 });
    await expect(client.call('predict', { model: 'nothing-here', observation: [0, 0, 0, 0] })).rejects.toMatchObject({ code: 3000 });

    expect(await client.call('delete_model', { name: 'cartpole.keep' })).toEqual({ deleted: 'cartpole.keep' });
    await expect(client.call('delete_model', { name: 'cartpole.keep' })).rejects.toMatchObject({ code: 3000 });
    await expect(client.call('predict', { model: 'cartpole.keep', observation: [0, 0, 0, 0] })).rejects.toMatchObject({ code: 3000 });
  });
}, 30000);

test('SAC and TD3 models save, and predict answers the trained actor: tanh of its mean scaled to the Box', async () => {
  const hyperparameters = { learning_starts: 50, hidden_size: 16, batch_size: 32, eval_freq: 0, eval_episodes: 1 };
  await withServer(async (client) => {
    for (const algorithm of ['sac', 'td3']) {
      const name = `pendulum-${algorithm}`;
      const reply = await client.call('train', { env_id: 'Pendulum-v1', algorithm, total_timesteps: 120, seed: 3, name, hyperparameters });
      expect((await finalFrame(client, reply.job_id)).method).toBe('train.done');
      const stored = await new ModelStore(dataDir).load(name);
      const policy = new Policy(stored.meta.policy).load(stored.params);
      for (const observation of [[1, 0, 0], [-0.6, 0.8, 3.5]]) {
        const mean = policy.actor!.forward(Float32Array.from(observation), 1)[0];
        const p = await client.call('predict', { model: name, observation, deterministic: true });
        // Pendulum's torque Box is [-2, 2].
        expect(p.action).toHaveLength(1);
        expect(p.action[0]).toBeCloseTo(2 * Math.tanh(mean), 5);
      }
    }
  });
}, 60000);

test('model names are checked: nothing escapes the data directory', async () => {
  await withServer(async (client) => {
    for (const name of ['../evil', '.hidden', 'a/b', 'x'.repeat(65), '', 'a\\b', 'nul\u0000']) {
      await expect(client.call('train', { env_id: 'CartPole-v1', total_timesteps: 256, name })).rejects.toMatchObject({ code: 3001 });
    }
    for (const name of ['../evil', '..', '/etc/passwd']) {
      await expect(client.call('predict', { model: name, observation: [0, 0, 0, 0] })).rejects.toMatchObject({ code: 3001 });
      await expect(client.call('delete_model', { name })).rejects.toMatchObject({ code: 3001 });
      await expect(client.call('evaluate', { model: name })).rejects.toMatchObject({ code: 3001 });
    }
  });
  expect(existsSync(join(dataDir, '..', 'evil.json'))).toBe(false);
});

test('saves are atomic: a half-written temporary file is never listed, and one name has one winner', async () => {
  const store = new ModelStore(mkdtempSync(join(tmpdir(), 'palestra-store-')));
  // What a crash mid-save leaves behind.
  await store.save(meta('good'), new Float32Array([1, 2, 3]));
  writeFileSync(join(store.dir, '.broken.123.abcd.tmp'), '{"format": 1, "name": "bro');
  expect((await store.list()).map((m) => m.name)).toEqual(['good']);
  expect(Array.from((await store.load('good')).params)).toEqual([1, 2, 3]);

  const results = await Promise.allSettled([store.save(meta('race'), new Float32Array([1])), store.save(meta('race'), new Float32Array([2]))]);
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason.errorName).toBe('model_exists');
  // No temporary files are left after saves, successful or not.
  expect(readdirSync(store.dir).filter((f) => f.endsWith('.tmp') && !f.startsWith('.broken'))).toEqual([]);
});

function meta(name: string): any {
  return {
    format: 1,
    name,
    algorithm: 'ppo',
    env_id: 'CartPole-v1',
    env_kwargs: {},
    hyperparameters: {},
    seed: 0,
    session: null,
    job_id: null,
    total_timesteps: 1,
    timesteps: 1,
    episodes: 0,
    stop_reason: 'total_timesteps',
    created_at: new Date().toISOString(),
    started_at: null,
    finished_at: null,
    elapsed_s: 0,
    mean_return_100: null,
    evaluation: null,
    backend: null,
    palestra_version: '0',
    policy: { kind: 'q_table', states: 1, actions: 3, observation_space: { name: 'Discrete', n: 1, start: 0 }, action_space: { name: 'Discrete', n: 3, start: 0 } },
    curve: [],
    evaluations: [],
  };
}
