/**
 * Server throughput on loopback: sequential CartPole steps per second from one
 * client (Gymie framing and JSON-RPC), the same with 64 requests in flight,
 * p50/p99 step latency, and a bare `ws` server answering replies of the same
 * size as the yardstick. Servers run in child processes; this process is the client.
 *
 *   node -r @swc-node/register bench/server.ts [steps]
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import WebSocket from 'ws';

const ROOT = join(__dirname, '..');
const STEPS = Number(process.argv[2] ?? 20000);
const TIME_LIMIT_MS = 20000;

function launch(script: string, args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, script), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /ws:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (m) resolve({ child, url: m[0] });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

function connect(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Sends each message when the previous reply has come; answers latencies in µs. */
async function sequential(ws: WebSocket, next: (reply: string | null) => string, n: number): Promise<{ rate: number; latencies: number[] }> {
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  const deadline = Date.now() + TIME_LIMIT_MS;
  await new Promise<void>((resolve) => {
    let sentAt = 0n;
    let count = 0;
    const send = (reply: string | null) => {
      sentAt = process.hrtime.bigint();
      ws.send(next(reply));
    };
    ws.on('message', function onMessage(data) {
      latencies.push(Number(process.hrtime.bigint() - sentAt) / 1000);
      count++;
      if (count >= n || Date.now() > deadline) {
        ws.off('message', onMessage);
        resolve();
      } else send(data.toString());
    });
    send(null);
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { rate: latencies.length / seconds, latencies };
}

/** Keeps `window` requests in flight; answers replies per second. */
async function pipelined(ws: WebSocket, next: () => string, n: number, window = 64): Promise<number> {
  const started = process.hrtime.bigint();
  const deadline = Date.now() + TIME_LIMIT_MS;
  let received = 0;
  let sent = 0;
  await new Promise<void>((resolve) => {
    ws.on('message', function onMessage() {
      received++;
      if (received >= n || (Date.now() > deadline && received === sent)) {
        ws.off('message', onMessage);
        resolve();
      } else if (sent < n && Date.now() <= deadline) {
        sent++;
        ws.send(next());
      }
    });
    for (; sent < window; sent++) ws.send(next());
  });
  return received / (Number(process.hrtime.bigint() - started) / 1e9);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A CartPole driver for one framing: it resets when an episode ends, using replies only. */
async function driver(url: string, gymie: boolean) {
  const ws = await connect(gymie ? `${url}/gym` : url);
  const ask = (method: string, params: unknown): Promise<string> =>
    new Promise((resolve) => {
      ws.once('message', (d) => resolve(d.toString()));
      ws.send(JSON.stringify(gymie ? { method, params } : { jsonrpc: '2.0', id: 0, method, params }));
    });
  const made = await ask('make', { env_id: 'CartPole-v1' });
  const instance_id = gymie ? made : JSON.parse(made).result.instance_id;
  await ask('reset', { instance_id, seed: 0 });
  let id = 0;
  let action = 0;
  const step = () => {
    action ^= 1; // alternate pushes keep episodes long
    return gymie
      ? `{"method":"step","params":{"instance_id":"${instance_id}","action":${action}}}`
      : `{"jsonrpc":"2.0","id":${++id},"method":"step","params":{"instance_id":"${instance_id}","action":${action}}}`;
  };
  const reset = () =>
    gymie
      ? `{"method":"reset","params":{"instance_id":"${instance_id}"}}`
      : `{"jsonrpc":"2.0","id":${++id},"method":"reset","params":{"instance_id":"${instance_id}"}}`;
  const next = (reply: string | null) => {
    if (reply !== null && (gymie ? /,true,\{/.test(reply) : /,(true,false|false,true|true,true),\{/.test(reply))) return reset();
    return step();
  };
  return { ws, next, step, sample: () => ask('step', { instance_id, action: 0 }) };
}

/** Runs the whole benchmark and prints a table. */
export async function main(): Promise<void> {
  const palestra = await launch('src/cli.ts', ['--host', '127.0.0.1', '--port', '0', '--log-level', 'silent']);
  const rows: string[][] = [];
  let replySize = 0;
  try {
    for (const gymie of [false, true]) {
      const d = await driver(palestra.url, gymie);
      replySize = Math.max(replySize, (await d.sample()).length);
      await sequential(d.ws, d.next, 2000); // warm-up
      const seq = await sequential(d.ws, d.next, STEPS);
      const piped = await pipelined(d.ws, d.step, STEPS);
      rows.push([
        `Palestra ${gymie ? 'Gymie' : 'JSON-RPC'}`,
        seq.rate.toFixed(0),
        piped.toFixed(0),
        percentile(seq.latencies, 50).toFixed(1),
        percentile(seq.latencies, 99).toFixed(1),
      ]);
      d.ws.close();
    }
  } finally {
    palestra.child.kill('SIGTERM');
  }
  const bare = await launch('bench/bare_server.ts', [String(replySize)]);
  try {
    const ws = await connect(bare.url);
    let id = 0;
    const message = () => `{"jsonrpc":"2.0","id":${++id},"method":"step","params":{"instance_id":"0123456789abcdef0123456789abcdef","action":1}}`;
    await sequential(ws, message, 2000);
    const seq = await sequential(ws, message, STEPS);
    const piped = await pipelined(ws, message, STEPS);
    rows.push([`bare ws (${replySize}-byte replies)`, seq.rate.toFixed(0), piped.toFixed(0), percentile(seq.latencies, 50).toFixed(1), percentile(seq.latencies, 99).toFixed(1)]);
    ws.close();
  } finally {
    bare.child.kill('SIGTERM');
  }
  const bareRate = Number(rows[rows.length - 1][1]);
  console.log(`\nServer: CartPole-v1 steps over loopback, ${STEPS} steps per row`);
  console.log('| client | sequential steps/s | 64 in flight steps/s | p50 µs | p99 µs | sequential vs bare |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} | ${((Number(r[1]) / bareRate) * 100).toFixed(0)}% |`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
