/** The REST flags of the CLI: --allow-shutdown, --rest-idle-seconds, --rest-max-envs. */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectError, PythonStyleClient } from '../rest/client';

const ROOT = join(__dirname, '..', '..');

function cli(args: string[]): ChildProcess {
  const dataDir = mkdtempSync(join(tmpdir(), 'palestra-rest-cli-'));
  return spawn(process.execPath, ['-r', require.resolve('@swc-node/register'), join(ROOT, 'src', 'cli', 'index.ts'), '--data-dir', dataDir, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves the gym-http-api URL the CLI prints. */
function httpUrlOf(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const url = /gym-http-api clients: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

test('--allow-shutdown: POST /v1/shutdown/ stops the process with exit code 0', async () => {
  const child = cli(['--host', '127.0.0.1', '--port', '0', '--log-level', 'silent', '--allow-shutdown']);
  try {
    const client = new PythonStyleClient(await httpUrlOf(child));
    expect((await client.shutdown_server()).json).toEqual({ status: 'shutting down' });
    expect(await exited(child)).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
}, 90_000);

test('without the flag, 403; --rest-max-envs and --rest-idle-seconds reach the server', async () => {
  const child = cli(['--host', '127.0.0.1', '--port', '0', '--log-level', 'silent', '--rest-max-envs', '1', '--rest-idle-seconds', '1']);
  try {
    const client = new PythonStyleClient(await httpUrlOf(child));
    expectError(await client.shutdown_server(), 'forbidden', 403);
    const id = (await client.env_create('CartPole-v1')).json.instance_id;
    expectError(await client.env_create('CartPole-v1'), 'too_many_envs', 429);
    await new Promise((r) => setTimeout(r, 2500));
    expect((await client.env_list_all()).json.all_envs).not.toHaveProperty(id);
  } finally {
    child.kill('SIGTERM');
    await exited(child);
  }
}, 90_000);

test('a bad --rest-idle-seconds is a one-line error, exit code 1', async () => {
  const child = cli(['--rest-idle-seconds', 'soon']);
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  expect(await exited(child)).toBe(1);
  expect(err).toMatch(/^palestra: --rest-idle-seconds must be an integer ≥ 0/);
});
