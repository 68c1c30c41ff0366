/**
 * A cluster on one machine for the tests: a redis-server of the test's own on
 * a free loopback port (its data in a temporary folder, appended to disk so a
 * restart keeps the queue), `palestra --queue` nodes and `palestra worker`
 * processes, each a separate process started from the TypeScript sources.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_ARGS, ROOT } from '../cli/run';

/** The redis-server program, or null where it is not installed. */
export const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => spawnSync(p, ['--version']).status === 0) ?? null;

/** Outside CI a machine without redis-server skips the cluster tests; in CI they run, and fail if it is missing. */
export const clusterSuite = REDIS_SERVER !== null || (Boolean(process.env.CI) && process.env.CI !== 'false') ? describe : describe.skip;

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once `child` has printed a line matching `pattern` on stdout; rejects if it exits first or takes too long. */
function printed(child: ChildProcess, pattern: RegExp, log: { out: string; err: string }, timeoutMs = 60_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nothing matching ${pattern} within ${timeoutMs} ms: ${log.out} ${log.err}`)), timeoutMs);
    const check = () => {
      const m = pattern.exec(log.out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve(m);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${log.out} ${log.err}`));
    });
    check();
  });
}

/** A process the test started, with what it printed. */
export interface Proc {
  child: ChildProcess;
  log: { out: string; err: string };
  /** SIGTERM, then wait for the end. */
  stop(): Promise<void>;
  /** SIGKILL (kill -9), then wait for the end. */
  kill(): Promise<void>;
}

function proc(command: string, args: string[]): Proc {
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = { out: '', err: '' };
  child.stdout!.on('data', (d) => (log.out += d));
  child.stderr!.on('data', (d) => (log.err += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { child, log, stop: () => end('SIGTERM'), kill: () => end('SIGKILL') };
}

/** A redis-server of the test's own. */
export interface TestRedis {
  url: string;
  port: number;
  /** Stops it (saving its append-only file) and starts it again on the same port and folder. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  if (!REDIS_SERVER) throw new Error('redis-server is not installed (apt-get install redis-server)');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'palestra-redis-'));
  const launch = async () => {
    const p = proc(REDIS_SERVER!, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir]);
    await printed(p.child, /Ready to accept connections/, p.log, 20_000);
    return p;
  };
  let server = await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async restart() {
      await server.stop();
      server = await launch();
    },
    stop: () => server.stop(),
  };
}

/** A `palestra --queue URL` node on a free port. */
export interface Node extends Proc {
  url: string;
  httpUrl: string;
}

export async function startNode(queue: string, dataDir: string, extra: string[] = []): Promise<Node> {
  const p = proc(process.execPath, [...CLI_ARGS, '--host', '127.0.0.1', '--port', '0', '--queue', queue, '--data-dir', dataDir, '--log-level', 'warn', '--log-format', 'json', ...extra]);
  const m = await printed(p.child, /listening on (ws:\/\/127\.0\.0\.1:\d+).*gym-http-api clients: (http:\/\/127\.0\.0\.1:\d+)/, p.log);
  return { ...p, url: m[1], httpUrl: m[2] };
}

/** A `palestra worker --queue URL` process, once it takes jobs. */
export async function startWorker(queue: string, dataDir: string, extra: string[] = []): Promise<Proc> {
  const p = proc(process.execPath, [...CLI_ARGS, 'worker', '--queue', queue, '--data-dir', dataDir, '--concurrency', '1', '--log-level', 'warn', '--log-format', 'json', ...extra]);
  await printed(p.child, /worker taking jobs from/, p.log);
  return p;
}

/** A fresh shared data directory. */
export function sharedDir(): string {
  return mkdtempSync(join(tmpdir(), 'palestra-cluster-'));
}
