/** `evaluate`: fresh seeded episodes in a worker, progress frames, and statistics that tell a trained policy from an untrained one. */
import type { PalestraServer } from '../../src';
import { GymieClient, RpcClient, startTestServer } from '../helpers/server';
import { finalFrame, framesOf } from './helpers';

let server: PalestraServer;
let client: RpcClient;

beforeAll(async () => {
  server = await startTestServer();
  client = await RpcClient.connect(server.url);
  // An untrained policy (one small update) and a trained one, side by side.
  const untrained = await client.call('train', { env_id: 'CartPole-v1', total_timesteps: 256, seed: 11, name: 'cp-untrained' });
  const trained = await client.call('train', { env_id: 'CartPole-v1', total_timesteps: 8192, seed: 3, name: 'cp-trained' });
  await finalFrame(client, untrained.job_id);
  await finalFrame(client, trained.job_id, 60000);
}, 90000);

afterAll(async () => {
  client.close();
  await server.close();
});

test('a trained policy scores far above an untrained one on the same seeded episodes', async () => {
  const random = await client.call('evaluate', { model: 'cp-untrained', episodes: 20, seed: 100 });
  const trained = await client.call('evaluate', { model: 'cp-trained', episodes: 20, seed: 100 });
  expect(random).toMatchObject({ model: 'cp-untrained', env_id: 'CartPole-v1', episodes: 20, deterministic: true, seed: 100, status: 'completed' });
  expect(random.returns).toHaveLength(20);
  expect(random.lengths).toHaveLength(20);
  expect(random.mean_return).toBeLessThan(60);
  expect(trained.mean_return).toBeGreaterThan(100);
  expect(trained.mean_return).toBeGreaterThan(3 * random.mean_return);
  for (const r of [random, trained]) {
    expect(r.min_return).toBeLessThanOrEqual(r.mean_return);
    expect(r.max_return).toBeGreaterThanOrEqual(r.mean_return);
    expect(r.mean_return).toBeCloseTo(r.returns.reduce((a: number, b: number) => a + b, 0) / r.returns.length, 6);
    // CartPole pays 1 per step.
    expect(r.returns).toEqual(r.lengths);
  }
  // Progress frames streamed to the caller while it ran.
  const frames = framesOf(client, trained.job_id, 'evaluate.progress');
  expect(frames.length).toBeGreaterThan(0);
  expect(frames[frames.length - 1].params.episodes).toBe(20);
});

test('the same seed gives the same episodes; deterministic: false samples', async () => {
  const a = await client.call('evaluate', ['cp-trained', 'CartPole-v1', 5, true, 7]);
  const b = await client.call('evaluate', { model: 'cp-trained', episodes: 5, seed: 7 });
  expect(b.returns).toEqual(a.returns);
  const stochastic = await client.call('evaluate', { model: 'cp-untrained', episodes: 30, seed: 7, deterministic: false });
  expect(stochastic.deterministic).toBe(false);
  expect(new Set(stochastic.returns).size).toBeGreaterThan(1);
});

test('evaluate checks the model and the environment', async () => {
  await expect(client.call('evaluate', { model: 'no-such-model' })).rejects.toMatchObject({ code: 3000 });
  await expect(client.call('evaluate', { model: 'cp-trained', env_id: 'Nope-v0' })).rejects.toMatchObject({ code: 1000 });
  await expect(client.call('evaluate', { model: 'cp-trained', env_id: 'Pendulum-v1' })).rejects.toMatchObject({ code: 1010 });
  await expect(client.call('evaluate', { model: 'cp-trained', episodes: 0 })).rejects.toMatchObject({ code: -32602 });
});

test('Gymie framing: evaluate answers once with the statistics', async () => {
  const gymie = await GymieClient.connect(server.url);
  try {
    const result = JSON.parse(await gymie.request('evaluate', { model: 'cp-trained', episodes: 3, seed: 1 }));
    expect(result).toMatchObject({ model: 'cp-trained', episodes: 3 });
    expect(result.returns).toHaveLength(3);
  } finally {
    gymie.close();
  }
});
