/** The serve command's security flags: keys from PALESTRA_API_KEY, the refusal to serve beyond loopback without keys, rate-limit syntax. */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { tryUpgrade } from '../helpers/raw_http';

const ROOT = join(__dirname, '..', '..');
const CLI = [require.resolve('@swc-node/register'), join(ROOT, 'src', 'cli', 'index.ts')];

function run(args: string[], env: Record<string, string> = {}): ChildProcess {
  const base: NodeJS.ProcessEnv = { ...process.env, CI: 'true' };
  delete base.PALESTRA_API_KEY;
  return spawn(process.execPath, ['-r', ...CLI, ...args], { cwd: ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Output until `pattern` shows or the process exits; bounded in time. */
function waitFor(child: ChildProcess, pattern: RegExp, ms = 60000): Promise<{ out: string; err: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`timed out; stdout=${out} stderr=${err}`)), ms);
    const check = () => {
      if (pattern.test(out)) {
        clearTimeout(timer);
        resolve({ out, err, code: null });
      }
    };
    child.stdout!.on('data', (d) => {
      out += d;
      check();
    });
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ out, err, code });
    });
  });
}

test('listening beyond loopback without keys is refused in one line, exit code 1, before binding', async () => {
  const { err, code } = await waitFor(run(['--host', '0.0.0.0', '--port', '0', '--log-level', 'silent']), /(?!)/);
  expect(code).toBe(1);
  expect(err.trim()).toMatch(/^palestra: Refusing to listen on 0\.0\.0\.0 without API keys: .*--insecure if that is what you want$/);
});

test('a rate limit that is not one is named in the error', async () => {
  const { err, code } = await waitFor(run(['--rate-limit', 'train=fast']), /(?!)/);
  expect(code).toBe(1);
  expect(err).toMatch(/^palestra: --rate-limit train: "fast" is not a rate/);
  const unknown = await waitFor(run(['--rate-limit', 'steps=5/s']), /(?!)/);
  expect(unknown.err).toMatch(/--rate-limit takes NAME=RATE with NAME one of http, train, evaluate, make_vec/);
});

test('PALESTRA_API_KEY makes the server ask for that key', async () => {
  const child = run(['--host', '127.0.0.1', '--port', '0', '--log-level', 'silent'], { PALESTRA_API_KEY: 'from-the-env' });
  try {
    const { out } = await waitFor(child, /listening on ws:\/\/127\.0\.0\.1:\d+/);
    const url = /ws:\/\/127\.0\.0\.1:\d+/.exec(out)![0];
    expect(await tryUpgrade(url)).toMatchObject({ opened: false, status: 403 });
    const outcome = await tryUpgrade(url, { headers: { access_token: 'from-the-env' } });
    expect(outcome.opened).toBe(true);
    if (outcome.opened) outcome.socket.close();
  } finally {
    child.kill('SIGTERM');
  }
});
