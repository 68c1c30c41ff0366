/**
 * A server killed with SIGKILL in the middle of a run leaves a record that
 * still reads: every line written before the kill, the run marked
 * interrupted, and a line torn by the kill skipped.
 */
import { readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { RunStore } from '../../src/runs/store';
import { dataDir, serve } from '../cli/run';
import { RpcClient, startTestServer } from '../helpers/server';
import { until } from '../train/helpers';

test('kill -9 mid-run: the records written stay readable, by the store and by a new server', async () => {
  const dir = dataDir();
  const served = await serve(['--data-dir', dir, '--log-level', 'silent', '--max-jobs', '1']);
  let runId: string;
  try {
    const client = await RpcClient.connect(served.url);
    const started = await client.call('train', { env_id: 'FrozenLake-v1', algorithm: 'q_learning', total_timesteps: 50_000_000, seed: 2, env_kwargs: { is_slippery: false } });
    runId = started.job_id;
    await until(() => client.notifications.filter((n) => n.method === 'train.progress').length >= 5, 60_000, 'five progress frames');
    served.child.kill('SIGKILL');
    await client.closed;
  } finally {
    await served.stop();
  }

  const path = join(dir, 'runs', `${runId!}.jsonl`);
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
  expect(lines.length).toBeGreaterThanOrEqual(3);
  // Whatever the kill left, a crash can tear the last line; cut the file in the middle of it to be sure.
  const text = readFileSync(path, 'utf8');
  const lastStart = text.trimEnd().lastIndexOf('\n') + 1;
  truncateSync(path, Buffer.byteLength(text.slice(0, lastStart + 20)));

  const store = new RunStore(dir, pino({ level: 'silent' }));
  const [summary] = await store.list();
  expect(summary).toMatchObject({ run_id: runId!, status: 'interrupted', env_id: 'FrozenLake-v1', algorithm: 'q_learning', finished_at: null });
  expect(summary.timesteps).toBeGreaterThan(0);
  const { file } = await store.read(runId!);
  // Every progress line but the one cut.
  const progressLines = lines.filter((l) => JSON.parse(l).type === 'progress').length;
  expect(file.progress.length).toBe(JSON.parse(lines.at(-1)!).type === 'progress' ? progressLines - 1 : progressLines);
  expect(file.progress.length).toBeGreaterThanOrEqual(1);
  expect(file.progress.map((p) => p.seq)).toEqual([...file.progress.map((p) => p.seq)].sort((a, b) => a - b));

  const server = await startTestServer({ dataDir: dir });
  try {
    const client = await RpcClient.connect(server.url);
    const { runs } = await client.call('runs', { status: 'interrupted' });
    expect(runs.map((r: { run_id: string }) => r.run_id)).toEqual([runId!]);
    const run = await client.call('run', { run_id: runId! });
    expect(run.points).toBe(file.progress.length);
    expect(run.series.epsilon.values.length).toBe(file.progress.length);
    await client.close();
  } finally {
    await server.close();
  }
}, 120_000);
