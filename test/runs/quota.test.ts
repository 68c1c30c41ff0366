/**
 * Run records count against the data directory's quota (`--data-quota`): once it is reached a run's
 * progress is left out line by line, whole lines stay readable, and the record says why it is short.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { HeaderLine, ProgressLine } from '../../src/runs/lines';
import { DataQuota } from '../../src/models/quota';
import { END_RESERVE_BYTES, RunStore } from '../../src/runs/store';

const logger = pino({ level: 'silent' });
const RUN = 'ab'.repeat(16);

const header: HeaderLine = {
  type: 'run', format: 1, kind: 'train', run_id: RUN, env_id: 'CartPole-v1', env_kwargs: {}, algorithm: 'ppo', hyperparameters: { learning_rate: 0.0003 },
  total_timesteps: 100_000, seed: 1, early_stop: false, backend: 'cpu', init_model: null, model: 'm', session: null, owner: null,
  created_at: '2026-01-01T00:00:00.000Z', started_at: '2026-01-01T00:00:01.000Z', palestra_version: '0.1.0',
};

const progress = (seq: number): ProgressLine => ({
  type: 'progress', t: 1_700_000_000_000 + seq, seq, timesteps: seq * 64, episodes: seq, elapsed_s: seq / 10, last_return: seq, mean_return_100: seq / 2,
  last_length: seq, mean_length_100: seq / 2, entropy: 0.69, epsilon: null, steps_per_second: 640, losses: { policy: -0.01, value: 1.5, approx_kl: 0.002 },
});

test('a record stops growing at the quota, stays whole and readable, and says data_quota_exceeded', async () => {
  const data = mkdtempSync(join(tmpdir(), 'palestra-runs-quota-'));
  // Something else (a model) already holds part of the directory.
  writeFileSync(join(data, 'model.bin'), Buffer.alloc(10_000));
  const quota = new DataQuota(data, 30_000);
  const store = new RunStore(data, logger, quota);
  const r = await store.begin(header);
  for (let seq = 1; seq <= 500; seq++) r.write(progress(seq));
  expect(r.recordError).toMatchObject({ name: 'data_quota_exceeded', code: 3011, data: { quota_bytes: 30_000 } });
  r.write({ type: 'end', status: 'completed', stop_reason: 'total_timesteps', finished_at: '2026-01-01T00:01:00.000Z', backend: 'cpu', error: null });
  await r.close();

  // The directory stays under its quota, the end line included.
  expect(await quota.usage()).toBeLessThanOrEqual(30_000);
  const path = store.path(RUN);
  expect(statSync(path).size).toBeGreaterThan(30_000 - 10_000 - END_RESERVE_BYTES - 1_000);
  // Every line is a whole JSON object: progress 1..k without a gap, then the end line.
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
  const seqs = lines.filter((l) => l.type === 'progress').map((l) => l.seq);
  expect(seqs.length).toBeGreaterThan(10);
  expect(seqs.length).toBeLessThan(500);
  expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  expect(lines[lines.length - 1]).toMatchObject({ type: 'end', status: 'completed', record_error: { name: 'data_quota_exceeded' } });

  // Read back by a fresh store (a restart): the run is complete, its record says why it is short.
  const [summary] = await new RunStore(data, logger, quota).list();
  expect(summary).toMatchObject({ run_id: RUN, status: 'completed', timesteps: seqs.length * 64, record_error: { name: 'data_quota_exceeded', code: 3011 } });
});

test('without a quota (0) nothing is left out', async () => {
  const data = mkdtempSync(join(tmpdir(), 'palestra-runs-quota-'));
  const store = new RunStore(data, logger, new DataQuota(data, 0));
  const r = await store.begin(header);
  for (let seq = 1; seq <= 300; seq++) r.write(progress(seq));
  r.write({ type: 'end', status: 'completed', stop_reason: 'total_timesteps', finished_at: '2026-01-01T00:01:00.000Z', backend: 'cpu', error: null });
  await r.close();
  const { file, summary } = await store.read(RUN);
  expect(file.progress).toHaveLength(300);
  expect(summary.record_error).toBeNull();
});
