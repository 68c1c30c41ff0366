/**
 * Jobs on the cluster queue: one node (this process) and 1, 2 and 4
 * `palestra worker` processes (one job each at a time) on a redis-server of
 * the bench's own; 8 short PPO CartPole jobs submitted at once. Per worker
 * count: the wall time from the first submit to the last `train.done`, and
 * the queue's overhead per job:
 *
 * - submit → start: from the client's `train` call to the worker starting the
 *   job (its record's `started_at`), for the jobs that found a worker free
 *   (the first N), so waiting behind other jobs is not counted;
 * - progress through Redis: a frame's trip from the worker's publish to the
 *   client's socket is one Redis pub/sub hop (measured alone, publish → a
 *   subscriber in this process) plus the node's hop (this process's
 *   subscriber → the client's socket, measured on every frame).
 *
 *   node -r @swc-node/register bench/cluster.ts [--workers 1,2,4] [--jobs 8] [--steps 2048]
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { start } from '../src';
import { EVENTS_CHANNEL } from '../src/cluster/connection';

const ROOT = join(__dirname, '..');
const CLI = ['-r', require.resolve('@swc-node/register'), join(ROOT, 'src', 'cli', 'index.ts')];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts a process and resolves once its stdout matches `ready`. */
function launch(command: string, args: string[], ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${command} not ready: ${out} ${err}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += d;
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr!.on('data', (d) => (err += d));
    child.once('exit', (code) => reject(new Error(`${command} exited ${code}: ${out} ${err}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(xs.length * 0.95) - 1)] ?? NaN;

interface Row {
  workers: number;
  wall_s: number;
  submit_to_start_ms: number;
  node_hop_ms: number;
  node_hop_p95_ms: number;
  frames: number;
}

/** One Redis pub/sub hop, publish → subscriber, median of `n`. */
async function pubsubHop(url: string, n = 200): Promise<number> {
  const pub = new Redis(url);
  const sub = new Redis(url);
  await sub.subscribe('palestra:bench');
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const got = new Promise<void>((resolve) => sub.once('message', () => resolve()));
    const t0 = performance.now();
    await pub.publish('palestra:bench', String(i));
    await got;
    times.push(performance.now() - t0);
  }
  pub.disconnect();
  sub.disconnect();
  return median(times);
}

async function round(redisServer: string, workers: number, jobs: number, steps: number): Promise<{ row: Row; hop: number }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'palestra-bench-cluster-'));
  const redis = await launch(redisServer, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], /Ready to accept connections/);
  const url = `redis://127.0.0.1:${port}`;
  const procs: ChildProcess[] = [];
  const server = await start({ host: '127.0.0.1', port: 0, logLevel: 'silent', dataDir: dir, queue: { url } });
  const watcher = new Redis(url);
  try {
    for (let i = 0; i < workers; i++) {
      procs.push(await launch(process.execPath, [...CLI, 'worker', '--queue', url, '--data-dir', dir, '--concurrency', '1', '--log-level', 'warn', '--log-format', 'json'], /worker taking jobs/));
    }
    const hop = await pubsubHop(url);
    // When each progress report reached this process's Redis subscriber, by job and seq.
    const atRedis = new Map<string, number>();
    await watcher.subscribe(EVENTS_CHANNEL);
    watcher.on('message', (_c, text: string) => {
      const t = performance.now();
      try {
        const m = JSON.parse(text);
        if (m.event === 'progress' && m.job?.progress?.seq !== undefined) atRedis.set(`${m.job.id}:${m.job.progress.seq}`, t);
      } catch {
        // Not a job message.
      }
    });
    const ws = new WebSocket(server.url);
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    let nextId = 1;
    const replies = new Map<number, (v: any) => void>();
    const hops: number[] = [];
    const done = new Set<string>();
    let allDone!: () => void;
    const finished = new Promise<void>((resolve) => (allDone = resolve));
    ws.on('message', (data) => {
      const t = performance.now();
      const m = JSON.parse(data.toString());
      if (m.id !== undefined) replies.get(m.id)?.(m.result ?? m.error);
      else if (m.method === 'train.progress') {
        const seen = atRedis.get(`${m.params.job_id}:${m.params.seq}`);
        if (seen !== undefined) hops.push(t - seen);
      } else if (m.method === 'train.done' || m.method === 'train.error') {
        done.add(m.params.job_id);
        if (done.size === jobs) allDone();
      }
    });
    const call = (method: string, params: unknown) =>
      new Promise<any>((resolve) => {
        const id = nextId++;
        replies.set(id, resolve);
        ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
      });
    const t0 = performance.now();
    const submitted: { id: string; at: number }[] = [];
    for (let i = 0; i < jobs; i++) {
      const at = Date.now();
      const r = await call('train', { env_id: 'CartPole-v1', algorithm: 'ppo', total_timesteps: steps, seed: i, hyperparameters: { n_envs: 4, n_steps: 64, batch_size: 64 } });
      if (!r.job_id) throw new Error(`train refused: ${JSON.stringify(r)}`);
      submitted.push({ id: r.job_id, at });
    }
    await finished;
    const wall = (performance.now() - t0) / 1000;
    const records = await Promise.all(submitted.map((s) => call('job', { job_id: s.id })));
    // The jobs that found a worker free: the first ones to start, one per worker.
    const starts = records
      .map((r, i) => ({ startedAt: Date.parse(r.started_at), submittedAt: submitted[i].at }))
      .sort((a, b) => a.startedAt - b.startedAt)
      .slice(0, workers)
      .map((s) => s.startedAt - s.submittedAt);
    ws.close();
    return {
      row: { workers, wall_s: wall, submit_to_start_ms: median(starts), node_hop_ms: median(hops), node_hop_p95_ms: p95(hops), frames: hops.length },
      hop,
    };
  } finally {
    watcher.disconnect();
    await Promise.all(procs.map(stop));
    await server.close();
    await stop(redis);
  }
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { workers: { type: 'string' }, jobs: { type: 'string' }, steps: { type: 'string' } } });
  const redisServer = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => spawnSync(p, ['--version']).status === 0);
  if (!redisServer) {
    console.log('\ncluster: skipped, redis-server is not installed (apt-get install redis-server)');
    return;
  }
  const counts = (values.workers ?? '1,2,4').split(',').map(Number);
  const jobs = Number(values.jobs ?? 8);
  const steps = Number(values.steps ?? 2048);
  console.log(`\nCluster queue: ${jobs} PPO CartPole-v1 jobs of ${steps} steps, one node, N worker processes (one job each at a time), Redis on loopback`);
  const rows: Row[] = [];
  const hops: number[] = [];
  for (const n of counts) {
    const { row, hop } = await round(redisServer, n, jobs, steps);
    rows.push(row);
    hops.push(hop);
    console.log(
      `  ${n} worker${n === 1 ? ' ' : 's'}: wall ${row.wall_s.toFixed(1)} s (speed-up ${(rows[0].wall_s / row.wall_s).toFixed(2)}× over the first row); ` +
        `submit → start ${row.submit_to_start_ms.toFixed(0)} ms (median of the first ${n}); ` +
        `progress: Redis hop ${hop.toFixed(2)} ms + node hop ${row.node_hop_ms.toFixed(2)} ms (p95 ${row.node_hop_p95_ms.toFixed(2)} ms, ${row.frames} frames)`,
    );
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
