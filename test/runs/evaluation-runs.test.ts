/**
 * Evaluations and lineage in the run records: an `evaluate` job leaves a run of kind evaluate holding
 * its result, and a training run records the model it started from (`init_model`).
 */
import type { PalestraServer } from '../../src';
import { RpcClient, startTestServer } from '../helpers/server';
import { finalFrame } from '../train/helpers';

const TINY_PPO = { n_envs: 2, n_steps: 32, batch_size: 32, n_epochs: 2, hidden_size: 16, hidden_layers: 1, eval_freq: 128, eval_episodes: 2 };

let server: PalestraServer;
let client: RpcClient;
let trained: any;

beforeAll(async () => {
  server = await startTestServer();
  client = await RpcClient.connect(server.url);
  trained = await client.call('train', { env_id: 'CartPole-v1', algorithm: 'ppo', total_timesteps: 256, seed: 2, name: 'parent', hyperparameters: TINY_PPO });
  await finalFrame(client, trained.job_id, 60_000);
}, 90_000);

afterAll(async () => {
  await client?.close();
  await server?.close();
});

test('an evaluation leaves a run of kind evaluate with its result, the model it ran and its settings', async () => {
  const result = await client.call('evaluate', { model: 'parent', episodes: 3, seed: 7 });
  const { runs } = await client.call('runs', { kind: 'evaluate' });
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({
    run_id: result.job_id, kind: 'evaluate', status: 'completed', stop_reason: 'episodes', env_id: 'CartPole-v1', algorithm: 'ppo', model: 'parent',
    seed: 7, total_timesteps: 256, hyperparameters: { episodes: 3, deterministic: true }, init_model: null, record_error: null,
    evaluation: { episodes: 3, mean_return: result.mean_return, std_return: result.std_return, min_return: result.min_return, max_return: result.max_return, mean_length: result.mean_length, timesteps: 256 },
  });
  const run = await client.call('run', { run_id: result.job_id });
  expect(run.points).toBe(0);
  expect(run.evaluations).toEqual([runs[0].evaluation]);
  // Training runs are listed apart.
  expect((await client.call('runs', { kind: 'train' })).runs.map((r: any) => [r.run_id, r.kind])).toEqual([[trained.job_id, 'train']]);
  // Its metrics as CSV: the evaluation on a row of its own.
  const rows = (await (await fetch(`${server.httpUrl}/runs/${result.job_id}/metrics.csv`)).text()).trim().split('\r\n').map((r) => r.split(','));
  expect(rows).toHaveLength(2);
  const cell = (name: string) => rows[1][rows[0].indexOf(name)];
  expect([cell('timesteps'), Number(cell('eval_mean_return')), cell('eval_episodes')]).toEqual(['256', result.mean_return, '3']);
});

test("a training run records the model it started from as its lineage, null when it started from scratch", async () => {
  const child = await client.call('train', { env_id: 'CartPole-v1', algorithm: 'ppo', total_timesteps: 128, seed: 3, name: 'child', init_model: 'parent', hyperparameters: TINY_PPO });
  await finalFrame(client, child.job_id, 60_000);
  const { runs } = await client.call('runs', { kind: 'train' });
  const byModel = Object.fromEntries(runs.map((r: any) => [r.model, r]));
  expect(byModel.child.init_model).toBe('parent');
  expect(byModel.parent.init_model).toBeNull();
});
