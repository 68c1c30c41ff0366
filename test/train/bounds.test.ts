/** Bounded inputs: kwargs and hyperparameters within their schemas, reserved names, the model size limit, the data-dir quota. */
import { existsSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PalestraServer } from '../../src';
import { register } from '../../src/envs';
import { RpcClient, RpcError, rejection, startTestServer } from '../helpers/server';
import { finalFrame } from './helpers';

let server: PalestraServer;
let client: RpcClient;

beforeAll(async () => {
  server = await startTestServer();
  client = await RpcClient.connect(server.url);
});

afterAll(async () => {
  client.close();
  await server.close();
});

const row = (n: number) => 'S' + 'F'.repeat(n - 2) + 'G';
const map = (rows: number, cols: number) => [row(cols), ...Array.from({ length: rows - 1 }, () => 'F'.repeat(cols))];

describe('environment kwargs', () => {
  test('a 1000×1000 FrozenLake map is refused with invalid_kwargs naming the 64-row limit, and the server still answers', async () => {
    const desc = map(1000, 1000);
    const requests = [client.call('make', { env_id: 'FrozenLake-v1', kwargs: { desc } }), client.call('train', { env_id: 'FrozenLake-v1', env_kwargs: { desc } })];
    for (const request of requests) {
      const err = await rejection<RpcError>(request);
      expect(err.data.name).toBe('invalid_kwargs');
      expect(err.message).toMatch(/desc must NOT have more than 64 items/);
    }
    expect((await client.call('health')).status).toBe('ok');
  });

  test('a 64×64 map is the largest accepted: 64×65 and 65×64 are refused', async () => {
    const made = await client.call('make', { env_id: 'FrozenLake-v1', kwargs: { desc: map(64, 64) } });
    expect(made.observation_space.n).toBe(4096);
    for (const desc of [map(65, 64), map(64, 65)]) {
      const err = await rejection<RpcError>(client.call('make', { env_id: 'FrozenLake-v1', kwargs: { desc } }));
      expect(err.data.name).toBe('invalid_kwargs');
      expect(err.message).toMatch(/64/);
    }
  });

  test('numbers out of their range: goal_velocity, g, reward_schedule', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['MountainCar-v0', { goal_velocity: 1e300 }, /goal_velocity must be <= 1/],
      ['Pendulum-v1', { g: -5 }, /g must be >= 0/],
      ['FrozenLake-v1', { reward_schedule: [1e9, 0, 0] }, /reward_schedule\/0 must be <= 1000000/],
    ];
    for (const [env_id, kwargs, message] of cases) {
      const err = await rejection<RpcError>(client.call('make', { env_id, kwargs }));
      expect(err.data.name).toBe('invalid_kwargs');
      expect(err.message).toMatch(message);
    }
  });

  test('reserved names are refused as kwargs, even by an environment with no kwargs schema', async () => {
    register('Bounds/Open-v0', () => {
      throw new Error('must not be built');
    });
    for (const name of ['constructor', 'toString', '__proto__']) {
      const kwargs = JSON.parse(`{${JSON.stringify(name)}: 1}`);
      const err = await rejection<RpcError>(client.call('make', { env_id: 'Bounds/Open-v0', kwargs }));
      expect(err.data.name).toBe('invalid_kwargs');
      expect(err.message).toContain(`"${name}" is a reserved name`);
    }
  });
});

describe('hyperparameters', () => {
  test('reserved names are refused with invalid_hyperparameters', async () => {
    for (const name of ['constructor', 'toString', '__proto__']) {
      const err = await rejection<RpcError>(client.call('train', { env_id: 'CartPole-v1', algorithm: 'ppo', hyperparameters: JSON.parse(`{${JSON.stringify(name)}: 1}`) }));
      expect(err.data.name).toBe('invalid_hyperparameters');
      expect(err.data.errors).toEqual([`"${name}" is a reserved name`]);
    }
  });

  test('sizes past their schema maximum are refused naming the maximum', async () => {
    const err = await rejection<RpcError>(
      client.call('train', { env_id: 'CartPole-v1', algorithm: 'dqn', hyperparameters: { hidden_size: 4096, hidden_layers: 8, buffer_size: 1e9, batch_size: 1e6 } }),
    );
    expect(err.data.name).toBe('invalid_hyperparameters');
    expect(err.data.errors).toEqual(
      expect.arrayContaining([
        'hidden_size must be an integer ≥ 1 and ≤ 1024, got 4096',
        'hidden_layers must be an integer ≥ 1 and ≤ 4, got 8',
        'buffer_size must be an integer ≥ 1 and ≤ 1000000, got 1000000000',
        'batch_size must be an integer ≥ 1 and ≤ 65536, got 1000000',
      ]),
    );
    const steps = await rejection<RpcError>(client.call('train', { env_id: 'CartPole-v1', total_timesteps: 1e12 }));
    expect(steps.data.name).toBe('invalid_params');
  });

  test('a network larger than maxModelBytes is refused before training, with model_too_large naming the limit', async () => {
    const err = await rejection<RpcError>(client.call('train', { env_id: 'CartPole-v1', algorithm: 'ppo', hyperparameters: { hidden_size: 1024, hidden_layers: 4 } }));
    expect(err.data.name).toBe('model_too_large');
    expect(err.code).toBe(3010);
    expect(err.data.max_model_bytes).toBe(16 * 1024 * 1024);
    // Actor and critic: 4→1024→1024→1024→1024→2 and →1, weights and biases.
    const mlp = (sizes: number[]) => sizes.slice(1).reduce((n, out, l) => n + sizes[l] * out + out, 0);
    expect(err.data.parameters).toBe(mlp([4, 1024, 1024, 1024, 1024, 2]) + mlp([4, 1024, 1024, 1024, 1024, 1]));
    expect(err.message).toContain('16777216 bytes');
    const { jobs } = await client.call('jobs', {});
    expect(jobs).toHaveLength(0);
  });
});

describe('data-dir quota', () => {
  test('training is refused once the data directory is at its quota, with data_quota_exceeded naming it', async () => {
    const quotaServer = await startTestServer({ dataDirQuotaBytes: 10_000 });
    const c = await RpcClient.connect(quotaServer.url);
    try {
      writeFileSync(join(quotaServer.state.options.dataDir, 'runs.log'), 'x'.repeat(10_000));
      const err = await rejection<RpcError>(c.call('train', { env_id: 'FrozenLake-v1', total_timesteps: 1000, seed: 0 }));
      expect(err.data.name).toBe('data_quota_exceeded');
      expect(err.code).toBe(3011);
      expect(err.data.quota_bytes).toBe(10_000);
      expect(err.message).toMatch(/quota of 10000 bytes/);
    } finally {
      c.close();
      await quotaServer.close();
    }
  });

  test('a save that would pass the quota is refused: train.error data_quota_exceeded, and no file is left behind', async () => {
    // Room to start, not to save a 64×64 network's model.
    const quotaServer = await startTestServer({ dataDirQuotaBytes: 20_000 });
    const c = await RpcClient.connect(quotaServer.url);
    try {
      const reply = await c.call('train', { env_id: 'CartPole-v1', algorithm: 'ppo', total_timesteps: 512, seed: 0, hyperparameters: { n_steps: 128, eval_freq: 0, eval_episodes: 1 } });
      const end = await finalFrame(c, reply.job_id);
      expect(end.method).toBe('train.error');
      expect(end.params.error).toMatchObject({ name: 'data_quota_exceeded', code: 3011, data: { quota_bytes: 20_000 } });
      const models = join(quotaServer.state.options.dataDir, 'models');
      expect(existsSync(models) ? readdirSync(models) : []).toEqual([]);
      expect((await c.call('models', {})).models).toEqual([]);
    } finally {
      c.close();
      await quotaServer.close();
    }
  });
});

test('stale temporary files of dead processes are removed at start whatever their age; a live process keeps its own', async () => {
  const dataDir = server.state.options.dataDir;
  const models = join(dataDir, 'models');
  mkdirSync(models, { recursive: true });
  const dead = '.CartPole-v1-ppo-x.2147483646.0a1b2c3d4e5f.tmp';
  const live = `.CartPole-v1-ppo-y.${process.ppid}.0a1b2c3d4e5f.tmp`;
  writeFileSync(join(models, dead), 'half a model');
  writeFileSync(join(models, live), 'being written');
  const again = await startTestServer({ dataDir });
  try {
    expect(readdirSync(models).sort()).toEqual([live]);
  } finally {
    await again.close();
  }
});
