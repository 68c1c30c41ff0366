/** The run store: what is written reads back, across a restart, with a torn last line, filtered, sorted and thinned. */
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { minMaxIndices } from '../../src/runs/downsample';
import type { HeaderLine, ProgressLine } from '../../src/runs/lines';
import { selectRuns } from '../../src/runs/query';
import { seriesOf } from '../../src/runs/series';
import { RunStore } from '../../src/runs/store';

const logger = pino({ level: 'silent' });
const dir = () => mkdtempSync(join(tmpdir(), 'palestra-runs-'));

function header(id: string, over: Partial<HeaderLine> = {}): HeaderLine {
  return {
    type: 'run', format: 1, run_id: id, env_id: 'CartPole-v1', env_kwargs: {}, algorithm: 'ppo', hyperparameters: { learning_rate: 0.0003 },
    total_timesteps: 1000, seed: 1, early_stop: false, backend: 'cpu', init_model: null, model: `m-${id.slice(0, 4)}`, session: null, owner: null,
    created_at: '2026-01-01T00:00:00.000Z', started_at: '2026-01-01T00:00:01.000Z', palestra_version: '0.1.0', ...over,
  };
}

function progress(seq: number, over: Partial<ProgressLine> = {}): ProgressLine {
  return {
    type: 'progress', t: 1_700_000_000_000 + seq * 100, seq, timesteps: seq * 10, episodes: seq, elapsed_s: seq / 10, last_return: seq, mean_return_100: seq / 2,
    last_length: seq, mean_length_100: seq / 2, entropy: 0.69, epsilon: null, steps_per_second: 100, losses: { policy: -seq / 100, value: 1 / seq }, ...over,
  };
}

const id = (n: number) => n.toString(16).padStart(32, '0');

test('a run written and ended reads back whole; a new store on the same directory lists it', async () => {
  const data = dir();
  const store = new RunStore(data, logger);
  const r = await store.begin(header(id(1)));
  for (let i = 1; i <= 5; i++) r.write(progress(i));
  r.write({ type: 'evaluation', t: 1, episodes: 5, mean_return: 42, std_return: 1, min_return: 40, max_return: 44, mean_length: 42, timesteps: 50, elapsed_s: 0.5 });
  expect((await store.get(id(1))).status).toBe('running');
  r.write({ type: 'end', status: 'completed', stop_reason: 'total_timesteps', finished_at: '2026-01-01T00:01:00.000Z', backend: 'cpu', error: null });
  await r.close();

  const again = new RunStore(data, logger);
  const [summary] = await again.list();
  expect(summary).toMatchObject({
    run_id: id(1), status: 'completed', stop_reason: 'total_timesteps', env_id: 'CartPole-v1', algorithm: 'ppo', hyperparameters: { learning_rate: 0.0003 },
    timesteps: 50, episodes: 5, mean_return_100: 2.5, finished_at: '2026-01-01T00:01:00.000Z', evaluation: { mean_return: 42, timesteps: 50 },
  });
  const { file } = await again.read(id(1));
  expect(file.progress.map((p) => p.seq)).toEqual([1, 2, 3, 4, 5]);
  expect(file.evaluations).toHaveLength(1);
  const series = seriesOf(file.progress);
  expect(series['losses/policy'].values).toEqual([-0.01, -0.02, -0.03, -0.04, -0.05]);
  expect(series.mean_return_100.timesteps).toEqual([10, 20, 30, 40, 50]);
  // Epsilon was null in every frame: no series for it.
  expect(series.epsilon).toBeUndefined();
});

test('a run cut off mid-line (a crash) reads as interrupted, its last whole line kept and the torn one skipped', async () => {
  const data = dir();
  const store = new RunStore(data, logger);
  const r = await store.begin(header(id(2)));
  for (let i = 1; i <= 3; i++) r.write(progress(i));
  await r.close();
  appendFileSync(store.path(id(2)), JSON.stringify(progress(4)).slice(0, 37));

  const after = new RunStore(data, logger);
  const [summary] = await after.list();
  expect(summary).toMatchObject({ run_id: id(2), status: 'interrupted', timesteps: 30, finished_at: null, stop_reason: null });
  const { file } = await after.read(id(2));
  expect(file.progress.map((p) => p.seq)).toEqual([1, 2, 3]);
});

test('the summary of a long run is read from the file ends, the last evaluation found far back', async () => {
  const data = dir();
  const store = new RunStore(data, logger);
  const r = await store.begin(header(id(3), { env_id: 'Ünïcode-v0' }));
  r.write({ type: 'evaluation', t: 1, episodes: 5, mean_return: 7, std_return: 0, min_return: 7, max_return: 7, mean_length: 7, timesteps: 0 });
  for (let i = 1; i <= 3000; i++) r.write(progress(i, { losses: { policy: i, note_é: 1 } }));
  await r.close();
  expect(readFileSync(store.path(id(3))).length).toBeGreaterThan(3 * 64 * 1024);
  const [summary] = await new RunStore(data, logger).list();
  expect(summary).toMatchObject({ env_id: 'Ünïcode-v0', status: 'interrupted', timesteps: 30000, evaluation: { mean_return: 7 } });
});

test('runs filter by environment, algorithm, session and status, and sort with unknown values last', async () => {
  const store = new RunStore(dir(), logger);
  const make = async (n: number, over: Partial<HeaderLine>, last: number | null, end: boolean) => {
    const r = await store.begin(header(id(n), over));
    if (last !== null) r.write(progress(1, { mean_return_100: last }));
    if (end) r.write({ type: 'end', status: 'completed', stop_reason: 'total_timesteps', finished_at: '2026-01-02T00:00:00.000Z', backend: 'cpu', error: null });
    await r.close();
  };
  await make(10, { started_at: '2026-01-01T00:00:03.000Z', algorithm: 'dqn', session: 'a' }, 5, true);
  await make(11, { started_at: '2026-01-01T00:00:01.000Z', session: 'a' }, 9, true);
  await make(12, { started_at: '2026-01-01T00:00:02.000Z', env_id: 'Acrobot-v1' }, null, false);
  const runs = await store.list();
  const ids = (list: { run_id: string }[]) => list.map((r) => Number.parseInt(r.run_id, 16));
  expect(ids(selectRuns(runs, {}))).toEqual([10, 12, 11]);
  expect(ids(selectRuns(runs, { sort: 'started_at' }))).toEqual([11, 12, 10]);
  expect(ids(selectRuns(runs, { sort: '-mean_return_100' }))).toEqual([11, 10, 12]);
  expect(ids(selectRuns(runs, { sort: 'mean_return_100' }))).toEqual([10, 11, 12]);
  expect(ids(selectRuns(runs, { session: 'a' }))).toEqual([10, 11]);
  expect(ids(selectRuns(runs, { algorithm: 'ppo', env_id: 'CartPole-v1' }))).toEqual([11]);
  expect(ids(selectRuns(runs, { status: 'interrupted' }))).toEqual([12]);
});

test('a finished run is deleted; a running one is refused with run_active; an unknown id is run_not_found', async () => {
  const store = new RunStore(dir(), logger);
  const running = await store.begin(header(id(20)));
  await expect(store.delete(id(20))).rejects.toMatchObject({ errorName: 'run_active' });
  await running.close();
  await store.delete(id(20));
  await expect(store.get(id(20))).rejects.toMatchObject({ errorName: 'run_not_found' });
  expect(await new RunStore(store.dir.replace(/runs$/, ''), logger).list()).toEqual([]);
});

test('min-max thinning keeps the first and last points and every bucket\'s extremes, at most max points', () => {
  const values = Array.from({ length: 1000 }, (_, i) => Math.sin(i / 20));
  values[500] = 10; // a spike
  values[700] = -10; // a dip
  const keep = minMaxIndices(values, 50);
  expect(keep.length).toBeLessThanOrEqual(50);
  expect(keep[0]).toBe(0);
  expect(keep[keep.length - 1]).toBe(999);
  expect(keep).toEqual([...keep].sort((a, b) => a - b));
  expect(keep).toContain(500);
  expect(keep).toContain(700);
  expect(minMaxIndices([3, 1, 2], 50)).toEqual([0, 1, 2]);
  const series = seriesOf(Array.from({ length: 300 }, (_, i) => progress(i + 1)), 20);
  for (const s of Object.values(series)) {
    expect(s.values.length).toBeLessThanOrEqual(20);
    expect(s.timesteps.length).toBe(s.values.length);
  }
  expect(series.mean_return_100.values[0]).toBe(0.5);
  expect(series.mean_return_100.values.at(-1)).toBe(150);
});
