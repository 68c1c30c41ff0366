/**
 * The packed packages, installed as a user installs them: `npm pack` (which builds), then the
 * tarball installed into an empty folder with nothing else, then node scripts there. The
 * `palestra` bin serves; `palestra` loads from ESM and CommonJS; `palestra/client` (and the
 * separate `palestra-client` tarball) connects from ESM and CommonJS and plays an episode
 * Gymnasium recorded; their types resolve for both. Slow (a build and two installs), so it is
 * the only test of its kind.
 */
import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import type { PalestraServer } from '../../src';
import { BIGSEED_DIR } from '../helpers/conformance';
import { startTestServer } from '../helpers/server';

jest.setTimeout(600_000);

const ROOT = join(__dirname, '..', '..');
const rootPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
/** CartPole seeded 2^64 - 1, as Gymnasium recorded it. */
const recorded = JSON.parse(readFileSync(join(BIGSEED_DIR, 'bigseeds.json'), 'utf8')).cases.find(
  (c: { env_id: string; seed: string }) => c.env_id === 'CartPole-v1' && c.seed === '18446744073709551615',
);

let work: string;
let app: string;
let clientApp: string;
const packed: Record<string, { filename: string; files: string[] }> = {};

/** Runs a command, failing with its output when it fails. */
function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/** `npm pack` in `dir`; answers the tarball's name and files. */
function pack(dir: string, extra: string[] = []): { filename: string; files: string[] } {
  const out = run('npm', ['pack', '--json', '--pack-destination', work, ...extra], dir);
  // Lifecycle scripts (the build) may print before npm's JSON.
  const [info] = JSON.parse(out.slice(out.indexOf('[')));
  return { filename: join(work, info.filename), files: info.files.map((f: { path: string }) => f.path) };
}

/** An empty project folder with the given packages installed from the npm cache. */
function install(name: string, specs: string[]): string {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true }));
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...specs], dir);
  return dir;
}

/**
 * Runs a script file written into `dir`; answers what it printed last, parsed. Asynchronous,
 * so a server in this process keeps answering the script.
 */
async function script(dir: string, file: string, text: string, args: string[] = []): Promise<any> {
  writeFileSync(join(dir, file), text);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [file, ...args], { cwd: dir, encoding: 'utf8' });
    return JSON.parse(stdout.trim().split('\n').pop()!);
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`node ${file} failed in ${dir}: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'palestra-pack-'));
  // Build and pack a copy, so the build does not rewrite dist/ under the other tests' feet.
  const source = join(work, 'source');
  const skip = new Set(['node_modules', '.git', 'dist', 'test', 'bench', 'coverage', 'data', 'artifacts']);
  cpSync(ROOT, source, {
    recursive: true,
    filter: (src) => !relative(ROOT, src).split(sep).some((part) => skip.has(part)),
  });
  symlinkSync(join(ROOT, 'node_modules'), join(source, 'node_modules'), 'dir');
  packed.palestra = pack(source);
  // The root build has built the client too.
  packed.client = pack(join(source, 'clients'), ['--ignore-scripts']);
  app = install('app', [packed.palestra.filename]);
  clientApp = install('client-app', [packed.client.filename, `ws@${rootPackage.dependencies.ws}`]);
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the tarballs ship the build, the schemas and the page, and no tests or fixtures', () => {
  const files = packed.palestra.files;
  const bin = String(rootPackage.bin.palestra).replace(/^\.\//, '');
  expect(files).toEqual(expect.arrayContaining([bin, 'dist/index.js', 'dist/index.d.ts', 'protocol/errors.json', 'clients/dist/index.js', 'clients/dist/cjs/index.js', 'clients/dist/cjs/index.d.ts', 'src/web/static/index.html']));
  for (const list of [files, packed.client.files]) {
    expect(list.filter((f) => /^test\/|fixtures|conformance|\.test\./.test(f))).toEqual([]);
  }
  expect(packed.client.files).toEqual(expect.arrayContaining(['dist/index.js', 'dist/cjs/index.js', 'dist/cjs/package.json']));
});

test('`npx palestra --port 0` serves', async () => {
  const bin = JSON.parse(readFileSync(join(app, 'node_modules', 'palestra', 'package.json'), 'utf8')).bin.palestra;
  expect(existsSync(join(app, 'node_modules', 'palestra', bin))).toBe(true);
  // Its own process group, so the test ends npx and the server it runs together.
  const child: ChildProcess = spawn('npx', ['--no-install', 'palestra', '--port', '0', '--host', '127.0.0.1'], {
    cwd: app,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let seen = '';
      const onData = (chunk: Buffer) => {
        seen += chunk.toString();
        const m = /(?:ws|http):\/\/127\.0\.0\.1:(\d+)/.exec(seen);
        if (m) resolve(Number(m[1]));
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`palestra exited (${code}) before listening:\n${seen}`)));
    });
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'healthy' });
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
});

/** A client script: make CartPole seeded 2^64 - 1, reset, sample with the recorded action seed, step. */
const episode = (connect: string) => `
  const client = await connect(url);
  const env = await client.make('CartPole-v1', { seed: 18446744073709551615n });
  const [obs] = await env.reset();
  const action = await env.actionSample('${recorded.action_seed}');
  const step = await env.step(action);
  await client.close();
  console.log(JSON.stringify({ ${connect}, obs, action, step }));
`;
const expected = (how: string) => ({
  how,
  obs: recorded.reset_obs,
  action: recorded.steps[0].action,
  step: [recorded.steps[0].obs, recorded.steps[0].reward, recorded.steps[0].terminated, recorded.steps[0].truncated, recorded.steps[0].info],
});

test("ESM: `import { start } from 'palestra'` serves on port 0 and `palestra/client` plays on it", async () => {
  const out = await script(app, 'esm.mjs', `
    import { start } from 'palestra';
    import { connect } from 'palestra/client';
    const server = await start({ host: '127.0.0.1', port: 0, logLevel: 'silent' });
    const url = 'ws://127.0.0.1:' + server.port;
    ${episode("how: 'esm'")}
    await server.close();
  `);
  expect(out).toEqual(expected('esm'));
});

test("CommonJS: `require('palestra')` serves on port 0 and `require('palestra/client')` plays on it", async () => {
  const out = await script(app, 'cjs.cjs', `
    const { start } = require('palestra');
    const { connect } = require('palestra/client');
    (async () => {
      const server = await start({ host: '127.0.0.1', port: 0, logLevel: 'silent' });
      const url = 'ws://127.0.0.1:' + server.port;
      ${episode("how: 'cjs'")}
      await server.close();
    })();
  `);
  expect(out).toEqual(expected('cjs'));
});

describe('the palestra-client tarball alone (with ws)', () => {
  let server: PalestraServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  test('works from ESM and CommonJS', async () => {
    const esm = await script(clientApp, 'esm.mjs', `
      import { connect } from 'palestra-client';
      const url = process.argv[2];
      ${episode("how: 'esm'")}
    `, [server.url]);
    expect(esm).toEqual(expected('esm'));
    const cjs = await script(clientApp, 'cjs.cjs', `
      const { connect } = require('palestra-client');
      const url = process.argv[2];
      (async () => { ${episode("how: 'cjs'")} })();
    `, [server.url]);
    expect(cjs).toEqual(expected('cjs'));
  });
});

test('types resolve for import and require alike, and catch a wrong seed type', () => {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  writeFileSync(join(app, 'use.mts'), `
    import { start, type PalestraServer } from 'palestra';
    import { connect, type PalestraClient } from 'palestra/client';
    export async function f(): Promise<[PalestraServer, PalestraClient]> {
      const server = await start({ port: 0 });
      const client = await connect('ws://127.0.0.1:' + server.port);
      await client.make('CartPole-v1', { seed: '18446744073709551615' });
      return [server, client];
    }
  `);
  writeFileSync(join(app, 'use.cts'), `
    import palestra = require('palestra');
    import client = require('palestra/client');
    export const s: typeof palestra.start = palestra.start;
    export const c: typeof client.connect = client.connect;
    export async function g(c: client.PalestraClient) {
      await c.make('CartPole-v1', { seed: 7 });
    }
  `);
  writeFileSync(join(app, 'wrong.cts'), `
    import client = require('palestra/client');
    export async function h(c: client.PalestraClient) {
      await c.make('CartPole-v1', { seed: true });
    }
  `);
  const flags = ['--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--skipLibCheck', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules', '@types')];
  run(process.execPath, [tsc, ...flags, 'use.mts', 'use.cts'], app);
  expect(() => run(process.execPath, [tsc, ...flags, 'wrong.cts'], app)).toThrow(/wrong\.cts.*Type 'true' is not assignable to type '[^']*Seed/s);
});
