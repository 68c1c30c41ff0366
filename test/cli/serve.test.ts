/** The CLI: `palestra --host --port --log-level`, and `npm start -- ...` passing flags through. */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PalestraServer } from '../../src';
import { RpcClient, startTestServer } from '../helpers/server';
import { actorCritic, cartpoleObservation, saveModel } from '../rest/policy/models';

const ROOT = join(__dirname, '..', '..');
const CLI = [require.resolve('@swc-node/register'), join(ROOT, 'src', 'cli', 'index.ts')];

function run(args: string[], command = process.execPath, pre = ['-r', ...CLI]): ChildProcess {
  return spawn(command, [...pre, ...args], { cwd: ROOT, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Collects output until `pattern` shows or the process exits; bounded in time. */
function waitFor(child: ChildProcess, pattern: RegExp, ms = 60000): Promise<{ out: string; err: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`timed out; stdout=${out} stderr=${err}`)), ms);
    const check = () => {
      if (pattern.test(out) || pattern.test(err)) {
        clearTimeout(timer);
        resolve({ out, err, code: null });
      }
    };
    child.stdout!.on('data', (d) => {
      out += d;
      check();
    });
    child.stderr!.on('data', (d) => {
      err += d;
      check();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ out, err, code });
    });
  });
}

let busy: PalestraServer;
beforeAll(async () => {
  busy = await startTestServer();
});
afterAll(() => busy.close());

test('--port 0 picks a free port and says which; the server answers there', async () => {
  const child = run(['--host', '127.0.0.1', '--port', '0', '--log-level', 'silent']);
  try {
    const { out } = await waitFor(child, /listening on ws:\/\/127\.0\.0\.1:\d+/);
    const url = /ws:\/\/127\.0\.0\.1:\d+/.exec(out)![0];
    const client = await RpcClient.connect(url);
    expect((await client.call('hello')).server).toBe('palestra');
    client.close();
  } finally {
    child.kill('SIGTERM');
  }
});

test('a port in use gives one clear line and exit code 1, no stack trace', async () => {
  const child = run(['--host', '127.0.0.1', '--port', String(busy.port), '--log-level', 'silent']);
  const { err, code } = await waitFor(child, /(?!)/);
  expect(code).toBe(1);
  expect(err.trim()).toBe(`palestra: Address 127.0.0.1:${busy.port} is already in use; choose another port with --port`);
});

test('--serve-model serves a saved model with --observation-schema\'s fields; a missing model is one clear line, exit code 1', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'palestra-serve-model-'));
  await saveModel(dataDir, 'pole', actorCritic(cartpoleObservation(), { name: 'Discrete', n: 2, start: 0 }));
  writeFileSync(join(dataDir, 'schema.yaml'), 'observations:\n  x:\n    type: float\n  v:\n    type: float\n  theta:\n    type: float\n  omega:\n    type: float\n');
  const child = run(['--host', '127.0.0.1', '--port', '0', '--log-level', 'silent', '--data-dir', dataDir, '--serve-model', 'pole', '--observation-schema', join(dataDir, 'schema.yaml')]);
  try {
    const { out } = await waitFor(child, /listening on ws:\/\/127\.0\.0\.1:\d+/);
    const base = /ws:\/\/(127\.0\.0\.1:\d+)/.exec(out)![1];
    const schema = await (await fetch(`http://${base}/schema`)).json();
    expect(Object.keys(schema.Observation.properties)).toEqual(['x', 'v', 'theta', 'omega']);
    const res = await fetch(`http://${base}/predict/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ x: 0, v: 0, theta: 0.1, omega: 0 }) });
    expect([0, 1]).toContain((await res.json()).actions[0]);
  } finally {
    child.kill('SIGTERM');
  }
  const missing = run(['--host', '127.0.0.1', '--port', '0', '--log-level', 'silent', '--data-dir', dataDir, '--serve-model', 'nothing']);
  const { err, code } = await waitFor(missing, /(?!)/);
  expect(code).toBe(1);
  expect(err.trim()).toBe('palestra: --serve-model nothing: No saved model named nothing');
}, 120_000);

test('bad flags are a one-line error with the usage, exit code 1', async () => {
  const child = run(['--port', 'eighty']);
  const { err, code } = await waitFor(child, /(?!)/);
  expect(code).toBe(1);
  expect(err).toMatch(/^palestra: --port must be an integer/);
});

test('npm start -- --port 0 builds and runs the same CLI with the flags passed through', async () => {
  const child = spawn('npm', ['start', '--silent', '--', '--host', '127.0.0.1', '--port', '0', '--log-level', 'silent'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  try {
    const { out } = await waitFor(child, /listening on ws:\/\/127\.0\.0\.1:\d+/, 90000);
    expect(out).toMatch(/Gymie clients: ws:\/\/127\.0\.0\.1:\d+\/gym/);
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
  }
}, 120000);
