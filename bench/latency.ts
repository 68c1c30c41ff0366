/**
 * Does training slow down stepping? Sequential CartPole `step` round trips
 * over JSON-RPC, p50/p99/max latency, first with the server idle, then while
 * a PPO job trains in the server's worker thread. The server runs in a child
 * process (as `palestra --max-jobs 1`); this process is the client.
 *
 *   node -r @swc-node/register bench/latency.ts [steps]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { Launched, launchPalestra } from './launch';

/** The server under test: one training job at a time, in a fresh data directory. */
function launch(): Promise<Launched> {
  return launchPalestra(['--max-jobs', '1', '--data-dir', mkdtempSync(join(tmpdir(), 'palestra-latency-'))]);
}

/** A minimal JSON-RPC client: `call` resolves the result; notifications go to `onNotify`. */
class Client {
  private id = 0;
  private readonly waiting = new Map<number, (m: any) => void>();
  onNotify: (m: any) => void = () => undefined;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString());
      if (m.id === undefined) return this.onNotify(m);
      this.waiting.get(m.id)?.(m);
      this.waiting.delete(m.id);
    });
  }

  static open(url: string): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => resolve(new Client(ws)));
      ws.once('error', reject);
    });
  }

  call(method: string, params: unknown): Promise<any> {
    const id = ++this.id;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (m) => (m.error ? reject(new Error(m.error.message)) : resolve(m.result)));
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }
}

/** Latencies (µs) of `n` sequential steps of one CartPole, resetting when an episode ends. */
async function measure(client: Client, n: number): Promise<number[]> {
  const { instance_id } = await client.call('make', { env_id: 'CartPole-v1' });
  await client.call('reset', { instance_id, seed: 0 });
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    const [, , terminated, truncated] = await client.call('step', { instance_id, action: i % 2 });
    out.push(Number(process.hrtime.bigint() - t) / 1000);
    if (terminated || truncated) await client.call('reset', { instance_id });
  }
  await client.call('close', { instance_id });
  return out;
}

function stats(us: number[]): string {
  const s = [...us].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `p50 ${q(0.5).toFixed(0)} µs  p99 ${q(0.99).toFixed(0)} µs  max ${s[s.length - 1].toFixed(0)} µs  (${s.length} steps)`;
}

/** Runs the benchmark and prints one line per condition; `argv[0]` is the number of steps measured. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const STEPS = Number(argv[0] ?? 5000);
  if (!Number.isInteger(STEPS) || STEPS < 1) throw new Error(`steps must be a positive integer, got ${argv[0]}`);
  const { child, url } = await launch();
  try {
    const client = await Client.open(url);
    await measure(client, 500); // warm-up
    console.log(`step latency, idle server:          ${stats(await measure(client, STEPS))}`);

    const trainer = await Client.open(url);
    let frames = 0;
    let sps = 0;
    trainer.onNotify = (m) => {
      if (m.method === 'train.progress') {
        frames++;
        sps = m.params.steps_per_second;
      }
    };
    const job = await trainer.call('train', { env_id: 'CartPole-v1', algorithm: 'ppo', total_timesteps: 10_000_000, seed: 1 });
    while (frames < 3) await new Promise((r) => setTimeout(r, 50));
    const during = await measure(client, STEPS);
    const stillRunning = (await client.call('job', { job_id: job.job_id })).status === 'running';
    console.log(`step latency, PPO job training:     ${stats(during)}${stillRunning ? '' : '  (job ended early!)'}`);
    console.log(`  training meanwhile at ${sps.toFixed(0)} env steps/s, ${frames} progress frames received`);
    await trainer.call('stop', { job_id: job.job_id });
    client.ws.close();
    trainer.ws.close();
  } finally {
    child.kill('SIGTERM');
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
