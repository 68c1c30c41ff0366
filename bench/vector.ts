/**
 * Vector environments over one socket: CartPole-v1 env steps per second with
 * random actions for num_envs 1, 16, 256, 1024 and 4096, in JSON and in binary
 * encoding, driven by the project's client (clients/dist) against a default
 * server in a child process (built, as `npm start` runs it); beside them (a) the same SyncVectorEnv stepped
 * in-process and (b) a bare `ws` server answering a pre-built binary message
 * of the binary reply's size, the transport's limit.
 *
 *   node -r @swc-node/register bench/vector.ts [seconds per cell] [num_envs,...]
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { make_vec } from '../src/envs';
import { launch, launchPalestra } from './launch';

const ROOT = join(__dirname, '..');
const CLIENT = join(ROOT, 'clients', 'dist', 'cjs', 'index.js');

/** The built client library (built first when it is not there yet). */
function clientLibrary(): typeof import('../clients/src') {
  if (!existsSync(CLIENT)) execFileSync(process.execPath, [join(ROOT, 'clients', 'scripts', 'build.cjs')], { stdio: 'inherit' });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(CLIENT);
}


/** Runs `once` (which steps `n` envs, or stands for doing so) until `seconds` have passed; answers env steps per second. */
async function rate(n: number, seconds: number, once: () => unknown): Promise<number> {
  const started = performance.now();
  const until = started + seconds * 1000;
  let batches = 0;
  while (performance.now() < until) {
    const r = once();
    if (r instanceof Promise) await r;
    batches++;
  }
  return (batches * n) / ((performance.now() - started) / 1000);
}

/** (a) SyncVectorEnv in this process, actions drawn into an Int32Array: a stepper, and how to let it go. */
function inProcess(n: number): { step: () => void; close: () => Promise<void> } {
  const envs = make_vec('CartPole-v1', n, { copy: false });
  envs.reset({ seed: 0 });
  const actions = new Int32Array(n);
  const step = () => {
    for (let i = 0; i < n; i++) actions[i] = Math.random() < 0.5 ? 1 : 0;
    envs.step(actions);
  };
  for (let i = 0; i < 20; i++) step();
  return { step, close: async () => envs.close() };
}

/** A stepper over the socket with the client's VectorEnv (made, reset and warmed up), and how to let it go. */
async function overSocket(url: string, n: number, encoding: 'json' | 'binary'): Promise<{ step: () => Promise<unknown>; close: () => Promise<void> }> {
  const { connect } = clientLibrary();
  const client = await connect(url);
  const envs = await client.makeVec('CartPole-v1', { numEnvs: n, encoding, seed: 0 });
  await envs.reset();
  for (let i = 0; i < 20; i++) await envs.step(envs.actionSpace.sample());
  return { step: () => envs.step(envs.actionSpace.sample()), close: () => client.close() };
}

/** The bytes of one binary step reply for `n` copies, read off the wire, and a binary step request. */
async function frameSizes(url: string, n: number): Promise<{ reply: number; request: Buffer }> {
  const { encodeFrame } = clientLibrary();
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const ask = (data: string | Buffer) => new Promise<Buffer>((resolve) => (ws.once('message', (d: Buffer) => resolve(d)), ws.send(data)));
  const made = JSON.parse((await ask(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'make_vec', params: { env_id: 'CartPole-v1', num_envs: n, encoding: 'binary' } }))).toString());
  await ask(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'reset', params: { instance_id: made.result.instance_id, seed: 0 } }));
  const request = Buffer.from(encodeFrame({ jsonrpc: '2.0', id: 3, method: 'step', params: { instance_id: made.result.instance_id, action: new Int32Array(n) } }));
  const reply = (await ask(request)).length;
  ws.close();
  return { reply, request };
}

/** (b) The bare `ws` server: the same request frame out, a pre-built reply of the same size back. */
async function bare(sizes: { reply: number; request: Buffer }): Promise<{ step: () => Promise<void>; close: () => Promise<void> }> {
  const server = await launch('bench/bare_frame_server.ts', [String(sizes.reply)]);
  const ws = new WebSocket(server.url);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const step = () => new Promise<void>((resolve) => (ws.once('message', () => resolve()), ws.send(sizes.request)));
  for (let i = 0; i < 200; i++) await step();
  return {
    step,
    close: async () => {
      ws.close();
      server.child.kill('SIGTERM');
    },
  };
}

/** The middle value. */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const fmt = (x: number) => Math.round(x).toLocaleString('en');

/** Rounds per cell; each rate is the median round. */
const ROUNDS = 5;

/** Runs the benchmark and prints a Markdown table. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const seconds = Number(argv[0] ?? 2);
  const sizes = argv[1] ? argv[1].split(',').map(Number) : [1, 16, 256, 1024, 4096];
  clientLibrary();
  const palestra = await launchPalestra();
  const rows: string[] = [];
  try {
    for (const n of sizes) {
      const frames = await frameSizes(palestra.url, n);
      const json = await overSocket(palestra.url, n, 'json');
      const binary = await overSocket(palestra.url, n, 'binary');
      const limit = await bare(frames);
      const local = inProcess(n);
      // The four take turns in short rounds, so a change in the shared machine's load falls on all alike.
      const rates: number[][] = [[], [], [], []];
      for (let round = 0; round < ROUNDS; round++) {
        rates[0].push(await rate(n, seconds / ROUNDS, local.step));
        rates[1].push(await rate(n, seconds / ROUNDS, json.step));
        rates[2].push(await rate(n, seconds / ROUNDS, binary.step));
        rates[3].push(await rate(n, seconds / ROUNDS, limit.step));
      }
      await Promise.all([local.close(), json.close(), binary.close(), limit.close()]);
      const [inside, viaJson, viaBinary, atLimit] = rates.map(median);
      rows.push(`| ${n} | ${fmt(inside)} | ${fmt(viaJson)} | ${fmt(viaBinary)} | ${fmt(atLimit)} (${frames.reply} B) | ${(viaBinary / atLimit).toFixed(2)} |`);
      console.error(rows[rows.length - 1]);
    }
  } finally {
    palestra.child.kill('SIGTERM');
  }
  console.log(`\nVector: CartPole-v1 env steps/s, random actions, one socket, median of ${ROUNDS} rounds over ${seconds} s a cell; ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`);
  console.log('| num_envs | in-process SyncVectorEnv | JSON | binary | bare ws, same-size binary reply | binary / bare |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
