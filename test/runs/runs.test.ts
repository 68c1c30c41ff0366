/**
 * Every training job leaves a run record: `runs`, `run` and `delete_run` over
 * the socket, `GET /runs`, `GET /runs/{id}` and its CSV over HTTP; records
 * outlive the server; with a TensorBoard directory the same curves land in an
 * event file that reads back.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PalestraServer } from '../../src';
import { RpcClient, RpcError, rejection, startTestServer } from '../helpers/server';
import { finalFrame } from '../train/helpers';
import { readEventFile } from './tensorboard_reader';

const TINY_PPO = { n_envs: 2, n_steps: 32, batch_size: 32, n_epochs: 2, hidden_size: 16, hidden_layers: 1, eval_freq: 128, eval_episodes: 2 };

describe('a recorded run', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'palestra-runs-server-'));
  const tensorboardDir = mkdtempSync(join(tmpdir(), 'palestra-tb-'));
  let server: PalestraServer;
  let client: RpcClient;
  let runId: string;
  let done: any;
  let frames: any[];
  let started: any;

  beforeAll(async () => {
    server = await startTestServer({ dataDir, tensorboardDir });
    client = await RpcClient.connect(server.url);
    started = await client.call('train', { env_id: 'CartPole-v1', algorithm: 'ppo', total_timesteps: 512, seed: 5, session: 'runs-test', name: 'recorded', hyperparameters: TINY_PPO });
    runId = started.job_id;
    done = (await finalFrame(client, runId, 60_000)).params;
    frames = client.notifications.filter((n) => n.method === 'train.progress' && n.params.job_id === runId).map((n) => n.params);
  }, 90_000);

  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it('is listed by runs with what it was asked and how it ended', async () => {
    const { runs, next_cursor } = await client.call('runs', { session: 'runs-test' });
    expect(next_cursor).toBeNull();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      run_id: runId, status: 'completed', stop_reason: 'total_timesteps', env_id: 'CartPole-v1', algorithm: 'ppo', seed: 5, total_timesteps: 512,
      model: 'recorded', session: 'runs-test', init_model: null, timesteps: 512, episodes: done.episodes, mean_return_100: done.mean_return_100,
    });
    // Every hyperparameter, the defaults it was not given too.
    expect(runs[0].hyperparameters).toEqual(started.hyperparameters);
    expect(runs[0].hyperparameters).toMatchObject(TINY_PPO);
    expect(Object.keys(runs[0].hyperparameters)).toEqual(expect.arrayContaining(['gamma', 'gae_lambda', 'clip_range', 'ent_coef']));
    expect(typeof runs[0].backend).toBe('string');
    expect(runs[0].finished_at).not.toBeNull();
    expect((await client.call('runs', { env_id: 'Acrobot-v1' })).runs).toEqual([]);
    expect((await client.call('runs', { status: 'completed', algorithm: 'ppo' })).runs.map((r: any) => r.run_id)).toEqual([runId]);
  });

  it("holds every progress frame's figures, PPO's losses among them, and every evaluation", async () => {
    const run = await client.call('run', { run_id: runId });
    // Every frame the subscriber saw, plus the final one the job ended with.
    expect(run.points).toBeGreaterThanOrEqual(frames.length);
    const timesteps = run.series.mean_return_100.timesteps;
    expect(timesteps.at(-1)).toBe(512);
    for (const f of frames.filter((f) => f.mean_return_100 !== null)) expect(timesteps).toContain(f.timesteps);
    for (const name of ['losses/policy', 'losses/value', 'losses/approx_kl', 'losses/clip_fraction', 'losses/explained_variance', 'entropy', 'last_length', 'mean_length_100', 'steps_per_second', 'episodes']) {
      expect([name, run.series[name]?.values.length > 0]).toEqual([name, true]);
    }
    const lastFrame = frames.at(-1);
    const i = run.series['losses/policy'].timesteps.indexOf(lastFrame.timesteps);
    expect(run.series['losses/policy'].values[i]).toBe(lastFrame.losses.policy);
    // The evaluations are the model's, one for one.
    const model = (await client.call('models', { name: 'recorded' })).models[0];
    expect(run.evaluations.map((e: any) => [e.timesteps, e.mean_return])).toEqual(model.evaluations.map((e: any) => [e.timesteps, e.mean_return]));
    expect(run.evaluations.length).toBeGreaterThanOrEqual(4);
  });

  it('thins each series to max_points, keeping its first and last points', async () => {
    const full = await client.call('run', { run_id: runId });
    const thin = await client.call('run', { run_id: runId, max_points: 4 });
    for (const [name, s] of Object.entries<any>(thin.series)) {
      expect(s.values.length).toBeLessThanOrEqual(4);
      expect([name, s.values[0], s.values.at(-1)]).toEqual([name, full.series[name].values[0], full.series[name].values.at(-1)]);
    }
  });

  it('answers the same over HTTP, and the metrics as CSV', async () => {
    const list = await (await fetch(`${server.httpUrl}/runs?session=runs-test&limit=5`)).json();
    expect(list.runs.map((r: any) => r.run_id)).toEqual([runId]);
    const one = await (await fetch(`${server.httpUrl}/runs/${runId}?max_points=10`)).json();
    expect(one.run.run_id).toBe(runId);
    expect(one.series.mean_return_100.values.length).toBeLessThanOrEqual(10);
    const csv = await fetch(`${server.httpUrl}/runs/${runId}/metrics.csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = (await csv.text()).trim().split('\r\n').map((r) => r.split(','));
    const head = rows[0];
    expect(head.slice(0, 3)).toEqual(['wall_time', 'timesteps', 'elapsed_s']);
    expect(head).toEqual(expect.arrayContaining(['mean_return_100', 'entropy', 'losses/policy', 'losses/explained_variance', 'eval_mean_return']));
    const full = await client.call('run', { run_id: runId });
    expect(rows.length - 1).toBe(full.points);
    expect(Number(rows.at(-1)![head.indexOf('timesteps')])).toBe(512);
    const evalCells = rows.slice(1).map((r) => r[head.indexOf('eval_mean_return')]).filter((c) => c !== '');
    expect(evalCells.map(Number)).toEqual(full.evaluations.map((e: any) => e.mean_return));

    const missing = await fetch(`${server.httpUrl}/runs/${'f'.repeat(32)}`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ name: 'run_not_found', code: 3020 });
    const bad = await fetch(`${server.httpUrl}/runs?sort=sideways`);
    expect(bad.status).toBe(400);
  });

  it('writes a TensorBoard event file whose scalars are the run\'s figures', async () => {
    const [folder] = readdirSync(tensorboardDir);
    expect(folder).toBe(`recorded_${runId.slice(0, 8)}`);
    const [file] = readdirSync(join(tensorboardDir, folder));
    expect(file).toMatch(/^events\.out\.tfevents\.\d+\./);
    const events = readEventFile(readFileSync(join(tensorboardDir, folder, file)));
    expect(events[0].file_version).toBe('brain.Event:2');
    const scalars = (tag: string) => events.flatMap((e) => e.values.filter((v) => v.tag === tag).map((v) => [e.step, v.simple_value]));
    const run = await client.call('run', { run_id: runId });
    const f32 = (x: number) => Math.fround(x);
    const series = (name: string) => run.series[name].timesteps.map((t: number, i: number) => [t, f32(run.series[name].values[i])]);
    expect(scalars('train/mean_return_100')).toEqual(series('mean_return_100'));
    expect(scalars('losses/policy')).toEqual(series('losses/policy'));
    expect(scalars('eval/mean_return')).toEqual(run.evaluations.map((e: any) => [e.timesteps, f32(e.mean_return)]));
  });

  it('outlives the server: a new one on the same data directory lists and serves it, and delete_run removes it', async () => {
    const before = await client.call('run', { run_id: runId });
    await client.close();
    await server.close();
    server = await startTestServer({ dataDir });
    client = await RpcClient.connect(server.url);
    const { runs } = await client.call('runs', {});
    expect(runs.map((r: any) => [r.run_id, r.status])).toEqual([[runId, 'completed']]);
    expect(await client.call('run', { run_id: runId })).toEqual(before);
    expect(await client.call('delete_run', { run_id: runId })).toEqual({ deleted: runId });
    expect((await client.call('runs', {})).runs).toEqual([]);
    const gone = await rejection<RpcError>(client.call('run', { run_id: runId }));
    expect(gone.data).toMatchObject({ name: 'run_not_found' });
    // The model it saved stays.
    expect((await client.call('models', { name: 'recorded' })).models).toHaveLength(1);
  }, 60_000);
});
