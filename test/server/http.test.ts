/** HTTP beside the socket: /health, /, upgrades on / and /gym only, start(host, port). */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { PalestraServer } from '../../src';
import { protocol } from '../../src/server/protocol';
import { RpcClient, startTestServer } from '../helpers/server';

let server: PalestraServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

test('GET /health answers status, versions, uptime, connections and live environments', async () => {
  const client = await RpcClient.connect(server.url);
  await client.call('make', { env_id: 'CartPole-v1' });
  const res = await fetch(`${server.httpUrl}/health`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  const body = await res.json();
  // The socket's `health` report, with the GRPO training API's `status: "healthy"` and its fields over it.
  expect(protocol().checkResult('health', { ...body, status: 'ok' })).toEqual([]);
  expect(body).toMatchObject({ status: 'healthy', timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), active_jobs: 0, loaded_models: 0 });
  expect(body).toMatchObject({ version: expect.any(String), protocol_version: '1.0', connections: 1, environments: 1 });
  expect(await client.call('health')).toMatchObject({ connections: 1, environments: 1 });
  client.close();
});

test('GET / says what this is and where the docs and sockets are', async () => {
  const body = await (await fetch(`${server.httpUrl}/`, { headers: { accept: 'application/json' } })).json();
  expect(body).toMatchObject({ name: 'palestra', websocket: { jsonrpc: '/', gymie: '/gym' }, health: '/health' });
});

test('GET /protocol serves the method schemas', async () => {
  const body = await (await fetch(`${server.httpUrl}/protocol`)).json();
  expect(Object.keys(body.methods)).toEqual(expect.arrayContaining(['make', 'step', 'reset', 'close']));
  expect(body.methods.step.params.required).toEqual(['instance_id', 'action']);
});

test('GET /asyncapi.json serves the generated AsyncAPI document', async () => {
  const body = await (await fetch(`${server.httpUrl}/asyncapi.json`)).json();
  expect(body).toMatchObject({ asyncapi: '3.0.0', info: { title: 'Palestra' } });
  expect(Object.keys(body.operations)).toEqual(expect.arrayContaining(['make', 'step', 'train', 'train.progress']));
});

test('an unknown path answers 404 JSON, and refuses WebSocket upgrades', async () => {
  const res = await fetch(`${server.httpUrl}/nothing-here`);
  expect(res.status).toBe(404);
  expect(await res.json()).toHaveProperty('message');
  const ws = new WebSocket(`${server.url}/elsewhere`);
  const outcome = await new Promise<string>((resolve) => {
    ws.once('open', () => resolve('open'));
    ws.once('unexpected-response', (_req, r) => resolve(`status ${r.statusCode}`));
    ws.once('error', (e) => resolve(`error ${e.message}`));
  });
  expect(outcome).toMatch(/404/);
});

/**
 * A program that calls `start(host, port)` and nothing else, run in its own
 * process: it keeps its logs (JSON on stdout), and they stay out of the test run's output.
 */
function gymieStyleProgram(): { child: ChildProcess; url: Promise<string>; output: () => string; exited: Promise<void> } {
  const program = `require(${JSON.stringify(join(__dirname, '..', '..', 'src'))}).start('127.0.0.1', 0).then((s) => {
    process.stdout.write('URL ' + s.url + '\\n');
    process.once('SIGTERM', () => s.close().then(() => process.exit(0)));
  });`;
  const child = spawn(process.execPath, ['-r', require.resolve('@swc-node/register'), '-e', program], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL: ${out}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /^URL (ws:\/\/\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  return { child, url, output: () => out, exited };
}

test('start(host, port) as in Gymie, with port 0 picking a free port, logging at info', async () => {
  const own = gymieStyleProgram();
  try {
    const url = await own.url;
    const port = Number(url.split(':')[2]);
    expect(port).toBeGreaterThan(0);
    expect(url).toBe(`ws://127.0.0.1:${port}`);
    const client = await RpcClient.connect(url);
    expect((await client.call('hello')).server).toBe('palestra');
    await client.close();
    const logs = own.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    expect(logs).toContainEqual(expect.objectContaining({ level: 30, msg: 'listening', host: '127.0.0.1', port }));
  } finally {
    own.child.kill('SIGTERM');
    await own.exited;
  }
}, 90_000);

test('a port in use is a clear ListenError, not a crash', async () => {
  await expect(startTestServer({ port: server.port })).rejects.toMatchObject({
    name: 'ListenError',
    code: 'EADDRINUSE',
    message: `Address 127.0.0.1:${server.port} is already in use; choose another port with --port`,
  });
});

test('/health counts environments made over REST too', async () => {
  const before = (await (await fetch(`${server.httpUrl}/health`)).json()).environments;
  const made = await fetch(`${server.httpUrl}/v1/envs/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ env_id: 'CartPole-v1' }),
  });
  const { instance_id } = await made.json();
  expect((await (await fetch(`${server.httpUrl}/health`)).json()).environments).toBe(before + 1);
  await fetch(`${server.httpUrl}/v1/envs/${instance_id}/close/`, { method: 'POST' });
  expect((await (await fetch(`${server.httpUrl}/health`)).json()).environments).toBe(before);
});
