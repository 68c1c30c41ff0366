/** Logs for a person at a terminal, JSON for a pipe; the start-up line names the web page. */
import { execFileSync, spawn } from 'node:child_process';
import { chooseLogFormat } from '../../src/cli/logging';
import { CLI_ARGS, dataDir, ROOT, serve } from './run';

test('auto picks pretty on a terminal and JSON on a pipe; a chosen format wins', () => {
  expect(chooseLogFormat('auto', true)).toBe('pretty');
  expect(chooseLogFormat('auto', false)).toBe('json');
  expect(chooseLogFormat('json', true)).toBe('json');
  expect(chooseLogFormat('pretty', false)).toBe('pretty');
});

test('piped: one JSON object a log line, and the start-up line names the page, which answers', async () => {
  const server = await serve(['--data-dir', dataDir()]);
  try {
    // The log line and the start-up line go through different writers; wait (bounded) for both.
    for (let i = 0; i < 100 && !server.output().out.includes('"msg":"listening"'); i++) await new Promise((r) => setTimeout(r, 50));
    const { out } = server.output();
    expect(out).toContain(`open ${server.httpUrl}/ in a browser`);
    const page = await fetch(`${server.httpUrl}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const logs = out.split('\n').filter((l) => l.startsWith('{'));
    const listening = logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'listening');
    expect(listening).toMatchObject({ level: 30, name: 'palestra', host: '127.0.0.1', port: Number(server.httpUrl.split(':')[2]) });
  } finally {
    await server.stop();
  }
});

test('--log-format pretty on a pipe writes readable lines, not JSON', async () => {
  const server = await serve(['--data-dir', dataDir(), '--log-format', 'pretty']);
  try {
    const lines = server.output().out.split('\n');
    expect(lines.some((l) => /^\[\d\d:\d\d:\d\d\] INFO: listening \{"host":"127\.0\.0\.1","port":\d+\}$/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('{'))).toBe(false);
  } finally {
    await server.stop();
  }
});

/** `script` gives the CLI a pseudo-terminal, as a person's shell would. */
const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

(hasScript ? test : test.skip)('on a terminal the logs are readable lines with colours, not JSON', async () => {
  const command = [process.execPath, ...CLI_ARGS, '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir()].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start-up line: ${out}`)), 60_000);
      child.stdout.on('data', (d) => {
        out += d;
        if (/in a browser/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', () => reject(new Error(`exited: ${out}`)));
    });
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  expect(plain).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: listening \{"host":"127\.0\.0\.1","port":\d+\}\r?$/m);
  expect(out).toContain('\x1b['); // coloured
  expect(plain).toMatch(/open http:\/\/127\.0\.0\.1:\d+\/ in a browser/);
  expect(plain.split('\n').some((l) => l.startsWith('{'))).toBe(false);
}, 90_000);
