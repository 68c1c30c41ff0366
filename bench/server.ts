/**
 * Server throughput on loopback: sequential CartPole steps per second from one
 * client (Gymie framing and JSON-RPC), the same with 64 requests in flight,
 * p50/p99 step latency, and a bare `ws` server answering replies of the same
 * size as the yardstick. A second bare server, measured like the others, is
 * the control: its ratio to the first shows how far the machine's noise
 * reaches. Servers run in child processes (Palestra built, as `npm start`
 * runs it: see launch.ts); this process is the client.
 *
 *   node -r @swc-node/register bench/server.ts [steps]
 */
import WebSocket from 'ws';
import { Launched, launch, launchPalestra } from './launch';

const TIME_LIMIT_MS = 20000;

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

interface Target {
  name: string;
  ws: WebSocket;
  next: (reply: string | null) => string;
  step: () => string;
  rates: number[];
  piped: number[];
  latencies: number[];
}

function median(values: number[]): number {
  return percentile(values, 50);
}

/**
 * Runs the whole benchmark and prints a table; `argv[0]` is the number of steps per target.
 * All servers run at once and the targets take turns in short rounds, so a change in the
 * machine's load or clock speed falls on all of them alike; each rate is the median round.
 * The order of the turns rotates from round to round, so no target always follows the same one.
 */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const STEPS = Number(argv[0] ?? 44000);
  if (!Number.isInteger(STEPS) || STEPS < 1) throw new Error(`steps must be a positive integer, got ${argv[0]}`);
  // Many short rounds: a loopback round trip on a shared machine varies by a fifth from one round to the next.
  const ROUNDS = 11;
  const perRound = Math.max(1, Math.floor(STEPS / ROUNDS));
  const palestra = await launchPalestra();
  const bares: Launched[] = [];
  try {
    const targets: Target[] = [];
    let replySize = 0;
    for (const gymie of [false, true]) {
      const d = await driver(palestra.url, gymie);
      replySize = Math.max(replySize, (await d.sample()).length);
      targets.push({ name: `Palestra ${gymie ? 'Gymie' : 'JSON-RPC'}`, ...d, rates: [], piped: [], latencies: [] });
    }
    for (const role of ['control', 'yardstick']) {
      const server = await launch('bench/bare_server.ts', [String(replySize)]);
      bares.push(server);
      const ws = await connect(server.url);
      let id = 0;
      const message = () => `{"jsonrpc":"2.0","id":${++id},"method":"step","params":{"instance_id":"0123456789abcdef0123456789abcdef","action":1}}`;
      const name = role === 'control' ? 'control: a second bare ws' : `bare ws (${replySize}-byte replies)`;
      targets.push({ name, ws, next: message, step: message, rates: [], piped: [], latencies: [] });
    }
    for (const t of targets) await sequential(t.ws, t.next, 2000); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < targets.length; k++) {
        const t = targets[(k + round) % targets.length];
        const seq = await sequential(t.ws, t.next, perRound);
        t.rates.push(seq.rate);
        t.latencies.push(...seq.latencies);
        t.piped.push(await pipelined(t.ws, t.step, perRound));
      }
    }
    for (const t of targets) t.ws.close();
    const bareRate = median(targets[targets.length - 1].rates);
    console.log(`\nServer: CartPole-v1 steps over loopback, ${ROUNDS} rounds of ${perRound} steps per target, median round`);
    console.log('| client | sequential steps/s | 64 in flight steps/s | p50 µs | p99 µs | sequential vs bare |');
    console.log('|---|---|---|---|---|---|');
    for (const t of targets) {
      const cells = [t.name, median(t.rates).toFixed(0), median(t.piped).toFixed(0), percentile(t.latencies, 50).toFixed(1), percentile(t.latencies, 99).toFixed(1)];
      console.log(`| ${cells.join(' | ')} | ${((median(t.rates) / bareRate) * 100).toFixed(0)}% |`);
    }
  } finally {
    palestra.child.kill('SIGTERM');
    for (const b of bares) b.child.kill('SIGTERM');
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
