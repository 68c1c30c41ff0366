/** Runs the `palestra` CLI from its TypeScript source, as a user would from a shell. */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const CLI = join(ROOT, 'src', 'cli', 'index.ts');
/** `node -r @swc-node/register src/cli/index.ts` as one argument list. */
export const CLI_ARGS = ['-r', require.resolve('@swc-node/register'), CLI];

/** A fresh, empty data directory. */
export function dataDir(): string {
  return mkdtempSync(join(tmpdir(), 'palestra-cli-'));
}

/** What a finished command printed and its exit code. */
export interface Outcome {
  out: string;
  err: string;
  code: number | null;
}

/** Runs a command to its end (bounded in time). */
export function cli(args: string[], timeoutMs = 90_000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI_ARGS, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out: ${out} ${err}`));
    }, timeoutMs);
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ out, err, code });
    });
  });
}

/** A server started with `palestra --host 127.0.0.1 --port 0 ...`, its address once printed, and its output so far. */
export interface Served {
  child: ChildProcess;
  url: string;
  httpUrl: string;
  output(): { out: string; err: string };
  /** Stops the server and waits for the process to end. */
  stop(): Promise<void>;
}

/** Starts the server command and resolves once it prints where it listens. */
export function serve(args: string[], timeoutMs = 60_000): Promise<Served> {
  const child = spawn(process.execPath, [...CLI_ARGS, '--host', '127.0.0.1', '--port', '0', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const served: Omit<Served, 'url' | 'httpUrl'> = {
    child,
    output: () => ({ out, err }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no address printed: ${out} ${err}`));
    }, timeoutMs);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (ws:\/\/127\.0\.0\.1:\d+).*gym-http-api clients: (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ ...served, url: m[1], httpUrl: m[2] });
      }
    });
    child.stderr!.on('data', (d) => (err += d));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before listening: ${out} ${err}`));
    });
  });
}
