/**
 * A bounded fuzz of every way in (issue #12): a few thousand generated
 * messages over JSON-RPC, Gymie and gym-http-api's REST routes — valid
 * requests mutated, wrong types, huge numbers, nesting up to 10,000 levels,
 * batches past the limit, sizes around the limit, binary frames that are not
 * UTF-8. After each burst the server must answer `health`, and every error a
 * client saw must be a catalogue error: a JSON-RPC error's code and
 * `data.name` a row of protocol/errors.json, a Gymie close code one the
 * catalogue (or the WebSocket layer's own limits) gives, an HTTP error body
 * naming a catalogue row with its status.
 *
 * The generator is seeded: the seed is printed, and FUZZ_SEED=<seed> replays a run.
 */
import WebSocket from 'ws';
import type { PalestraServer } from '../../src';
import { ERRORS, type ErrorName } from '../../src/errors';
import { RpcClient, opened, startTestServer } from '../helpers/server';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const MAX_BYTES = 64 * 1024;
const BURSTS = 6;
const JSONRPC_PER_BURST = 400;
const GYMIE_PER_BURST = 120;
const REST_PER_BURST = 120;
// Bounded in time as well as in count: a burst stops early past this, and says so.
const BURST_BUDGET_MS = 20_000;

/** mulberry32: small, fast, and the same sequence for the same seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(SEED);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
const chance = (p: number) => random() < p;

const ENV_IDS = ['CartPole-v1', 'Pendulum-v1', 'FrozenLake-v1', 'Taxi-v3', 'Blackjack-v1', 'MountainCarContinuous-v0', 'Acrobot-v1', 'Nope-v0', 'bad id', ''];
// train and evaluate start workers, which a fuzz on a shared machine should not; everything else is fair game.
const METHODS = ['make', 'reset', 'step', 'close', 'observation_space', 'action_space', 'action_sample', 'render', 'envs', 'hello', 'health', 'jobs', 'job', 'stop', 'subscribe', 'models', 'predict', 'delete_model'];
const STRANGE_NUMBERS = [1e300, -1e300, 2 ** 53 + 2, -0, 0.5, -1, 1e-320, 4294967296, Number.MAX_SAFE_INTEGER];
const STRANGE_STRINGS = ['', 'Infinity', 'NaN', '-inf', '€'.repeat(50), '\u0000', '\ud800', '../../etc/passwd', 'constructor', '__proto__', 'x'.repeat(300)];

function deepText(depth: number): string {
  const open = chance(0.5) ? '[' : '{"a":';
  const close = open === '[' ? ']' : '}';
  return open.repeat(depth) + (chance(0.5) ? '0' : '{}') + close.repeat(depth);
}

/** A JSON value that is probably wrong wherever it goes. */
function strangeValue(depth = 0): unknown {
  switch (int(depth > 3 ? 6 : 9)) {
    case 0:
      return pick(STRANGE_NUMBERS);
    case 1:
      return pick(STRANGE_STRINGS);
    case 2:
      return chance(0.5);
    case 3:
      return null;
    case 4:
      return int(5);
    case 5:
      return random() * 10 - 5;
    case 6:
      return Array.from({ length: int(5) }, () => strangeValue(depth + 1));
    case 7: {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < int(4); i++) o[pick(['action', 'seed', 'env_id', 'x', 'kwargs', 'limit', 'cursor', 'desc'])] = strangeValue(depth + 1);
      return o;
    }
    default:
      return Array.from({ length: int(200) }, () => random());
  }
}

/** Params that are right for the method, or nearly. */
function params(method: string, instance: string): Record<string, unknown> {
  switch (method) {
    case 'make':
      return { env_id: pick(ENV_IDS), ...(chance(0.3) ? { seed: int(100) } : {}), ...(chance(0.2) ? { kwargs: { is_slippery: chance(0.5), map_name: pick(['4x4', '8x8', 'no']) } } : {}) };
    case 'reset':
      return { instance_id: instance, ...(chance(0.5) ? { seed: int(1000) } : {}) };
    case 'step':
      return { instance_id: instance, action: pick([0, 1, [0.5], [[0.5]], 2, -1, 'Infinity', [1, 2, 3]]) };
    case 'envs':
      return chance(0.5) ? {} : { limit: int(600), cursor: String(int(20)) };
    case 'job':
    case 'stop':
    case 'subscribe':
      return { job_id: pick(['x', 'a'.repeat(64), instance]) };
    case 'predict':
      return { model: pick(['m', '..', 'nope']), observation: [0, 0, 0, 0] };
    case 'models':
    case 'delete_model':
      return { name: pick(['m', '.hidden', 'a/b', 'x'.repeat(80)]) };
    default:
      return { instance_id: instance };
  }
}

/** Changes a request in one of many small ways. */
function mutate(request: Record<string, unknown>): Record<string, unknown> | unknown {
  const r: Record<string, unknown> = { ...request };
  const p = (r.params ?? {}) as Record<string, unknown>;
  switch (int(10)) {
    case 0:
      return r;
    case 1:
      r.params = { ...p, [pick(Object.keys(p).concat('extra'))]: strangeValue() };
      return r;
    case 2:
      r.params = strangeValue();
      return r;
    case 3:
      r.method = pick([42, null, 'no_such_method', 'constructor', '__proto__', 'toString', '']);
      return r;
    case 4:
      r.id = pick([{}, [], true, 1.5, -1, 'x'.repeat(100), null]);
      return r;
    case 5:
      r.jsonrpc = pick(['1.0', 2, null]);
      return r;
    case 6:
      delete r.method;
      return r;
    case 7:
      r.params = Object.values(p);
      return r;
    case 8:
      return strangeValue();
    default:
      r.params = { ...p, seed: pick(STRANGE_NUMBERS) };
      return r;
  }
}

/** Text near the byte limit, with characters of 1 to 4 bytes. */
function nearLimit(template: (pad: string) => string): string {
  const unit = pick(['a', 'é', '€', '😀']);
  const target = MAX_BYTES + int(2000) - 1000;
  const base = Buffer.byteLength(template(''));
  return template(unit.repeat(Math.max(0, Math.floor((target - base) / Buffer.byteLength(unit)))));
}

/** One JSON-RPC message: text, or a binary frame. */
function jsonrpcMessage(n: number, instance: string): { data: string | Buffer; binary: boolean } {
  const roll = int(20);
  const method = pick(METHODS);
  const request = { jsonrpc: '2.0', id: n, method, params: params(method, instance) };
  if (roll < 8) return { data: JSON.stringify(request), binary: false };
  if (roll < 12) return { data: JSON.stringify(mutate(request)), binary: false };
  if (roll === 12) return { data: `{"jsonrpc":"2.0","id":${n},"method":"step","params":{"instance_id":"${instance}","action":${deepText(1 + int(10_000))}}}`, binary: false };
  if (roll === 13) {
    const length = pick([0, 1, 50, 100, 101, 150, 1 + int(300)]);
    const batch = Array.from({ length }, (_, i) => (chance(0.8) ? { jsonrpc: '2.0', id: `${n}.${i}`, method: pick(METHODS), params: params(pick(METHODS), instance) } : mutate({ jsonrpc: '2.0', id: i, method: 'health' })));
    return { data: JSON.stringify(batch), binary: false };
  }
  if (roll === 14) return { data: nearLimit((pad) => `{"jsonrpc":"2.0","id":${n},"method":"make","params":{"env_id":"${pad}"}}`), binary: false };
  if (roll === 15) return { data: Buffer.from(Array.from({ length: 1 + int(64) }, () => int(256))), binary: true };
  if (roll === 16) return { data: Buffer.from(JSON.stringify(request)), binary: true };
  if (roll === 17) return { data: JSON.stringify(request).slice(0, int(40)), binary: false };
  if (roll === 18) return { data: deepText(1 + int(10_000)), binary: false };
  return { data: `[${Array(1 + int(3000)).fill(`{"id":0,"method":"${pick(['jobs', 'envs', 'health'])}"}`).join(',')}]`, binary: false };
}

/** One Gymie message (no id). */
function gymieMessage(instance: string): string {
  const roll = int(10);
  const method = pick(['make', 'reset', 'step', 'close', 'observation_space', 'action_space', 'action_sample', 'envs', 'health', 'jobs']);
  const request = { method, params: params(method, instance) };
  if (roll < 4) return JSON.stringify(request);
  if (roll < 7) {
    const m = mutate(request);
    // Gymie is told from JSON-RPC by the absence of an id; keep it Gymie.
    if (m && typeof m === 'object' && !Array.isArray(m)) delete (m as Record<string, unknown>).id;
    return JSON.stringify(m);
  }
  if (roll === 7) return `{"method":"make","params":${deepText(1 + int(10_000))}}`;
  if (roll === 8) return nearLimit((pad) => `{"method":"make","params":{"env_id":"${pad}"}}`);
  return pick(['not json', '{', '"just a string"', '42', 'null', '{"method":"make"}', '{"params":{}}']);
}

const GATE_CLOSES = new Set<number>([1000, 1005, 1006, 1011, ...Object.values(ERRORS).map((e) => e.gymie_close)]);

/** Checks a JSON-RPC error object against the catalogue; answers a problem, or null. */
function catalogueProblem(error: { code?: unknown; data?: { name?: unknown } }): string | null {
  const name = error?.data?.name;
  if (typeof name !== 'string' || !(name in ERRORS)) return `error name ${String(name)} is not in the catalogue`;
  if (ERRORS[name as ErrorName].code !== error.code) return `error ${name} has code ${String(error.code)}, the catalogue says ${ERRORS[name as ErrorName].code}`;
  return null;
}

let server: PalestraServer;
const problems: string[] = [];
const seen = { replies: 0, errors: new Map<string, number>(), closes: new Map<number, number>(), http: new Map<number, number>() };

beforeAll(async () => {
  // eslint-disable-next-line no-console
  console.log(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
  server = await startTestServer({ maxMessageBytes: MAX_BYTES });
});
afterAll(() => server.close());

afterEach(() => {
  const found = [...new Set(problems.splice(0))];
  if (found.length) throw new Error(`seed ${SEED}: ${found.slice(0, 10).join('\n')}`);
});

async function expectHealthy(): Promise<void> {
  const client = await RpcClient.connect(server.url);
  expect(await client.call('health')).toMatchObject({ status: 'ok' });
  await client.close();
}

/** Reads every reply on a JSON-RPC socket, checking each error against the catalogue. */
function watch(ws: WebSocket): { sentinel(id: string): Promise<void> } {
  const waiting = new Map<string, () => void>();
  const check = (reply: any) => {
    if (reply === null || typeof reply !== 'object') return problems.push(`reply is not an object: ${String(reply).slice(0, 100)}`);
    if ('error' in reply) {
      const problem = catalogueProblem(reply.error);
      if (problem) problems.push(problem);
      else seen.errors.set(reply.error.data.name, (seen.errors.get(reply.error.data.name) ?? 0) + 1);
    } else if (!('result' in reply) && reply.method === undefined) problems.push(`reply has neither result nor error: ${JSON.stringify(reply).slice(0, 100)}`);
    const done = waiting.get(reply.id);
    if (done) {
      waiting.delete(reply.id);
      done();
    }
  };
  ws.on('message', (data) => {
    seen.replies++;
    let reply: unknown;
    try {
      reply = JSON.parse(data.toString());
    } catch {
      problems.push(`a reply is not JSON: ${data.toString().slice(0, 100)}`);
      return;
    }
    if (Array.isArray(reply)) reply.forEach(check);
    else check(reply);
  });
  return {
    sentinel: (id) =>
      new Promise<void>((resolve) => {
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ jsonrpc: '2.0', id, method: 'health' }));
      }),
  };
}

function closeCode(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

test.each(Array.from({ length: BURSTS }, (_, i) => i + 1))('burst %i: JSON-RPC, Gymie and REST messages, then health', async (burst) => {
  const started = Date.now();
  const inTime = () => Date.now() - started < BURST_BUDGET_MS;

  // JSON-RPC, on one socket while it lasts (a frame past twice the limit is closed by ws with 1009).
  let ws = await opened(new WebSocket(server.url));
  let watcher = watch(ws);
  let closed = closeCode(ws);
  let alive = true;
  closed.then(() => (alive = false));
  const rpc = await RpcClient.connect(server.url);
  const { instance_id: instance } = await rpc.call('make', { env_id: pick(['CartPole-v1', 'Pendulum-v1', 'FrozenLake-v1']) });
  await rpc.call('reset', { instance_id: instance, seed: 1 });
  for (let i = 0; i < JSONRPC_PER_BURST && inTime(); i++) {
    if (!alive) {
      const code = await closed;
      if (!GATE_CLOSES.has(code)) problems.push(`JSON-RPC socket closed with ${code}`);
      seen.closes.set(code, (seen.closes.get(code) ?? 0) + 1);
      ws = await opened(new WebSocket(server.url));
      watcher = watch(ws);
      closed = closeCode(ws);
      alive = true;
      closed.then(() => (alive = false));
    }
    const { data, binary } = jsonrpcMessage(i, chance(0.7) ? instance : 'x');
    ws.send(data, { binary });
    if (i % 25 === 24 && alive) await Promise.race([watcher.sentinel(`sentinel-${burst}-${i}`), closed]);
  }
  if (alive) await Promise.race([watcher.sentinel(`sentinel-${burst}-end`), closed]);
  ws.close();
  await rpc.close();

  // Gymie: one message at a time, a new socket after each close.
  let gymie: WebSocket | null = null;
  let gymieInstance = 'x';
  for (let i = 0; i < GYMIE_PER_BURST && inTime(); i++) {
    if (!gymie) {
      gymie = await opened(new WebSocket(`${server.url}/gym`));
      gymieInstance = 'x';
    }
    const socket: WebSocket = gymie;
    const outcome = await new Promise<{ reply?: string; close?: number }>((resolve) => {
      const onClose = (code: number) => resolve({ close: code });
      socket.once('close', onClose);
      socket.once('message', (d) => {
        socket.off('close', onClose);
        resolve({ reply: d.toString() });
      });
      socket.send(chance(0.2) ? JSON.stringify({ method: 'make', params: { env_id: 'CartPole-v1' } }) : gymieMessage(gymieInstance));
    });
    if (outcome.close !== undefined) {
      if (!GATE_CLOSES.has(outcome.close)) problems.push(`Gymie socket closed with ${outcome.close}`);
      seen.closes.set(outcome.close, (seen.closes.get(outcome.close) ?? 0) + 1);
      gymie = null;
    } else if (/^[0-9a-f]{32}$/.test(outcome.reply ?? '')) {
      gymieInstance = outcome.reply as string;
    }
  }
  gymie?.close();

  // REST: gym-http-api's routes with good, bad and strange bodies.
  const made = await fetch(`${server.httpUrl}/v1/envs/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"env_id":"CartPole-v1"}' });
  const restId = ((await made.json()) as { instance_id: string }).instance_id;
  for (let i = 0; i < REST_PER_BURST && inTime(); i++) {
    const id = chance(0.7) ? restId : pick(['nope', '..', '%2e%2e', 'x'.repeat(200)]);
    const [method, path] = pick<[string, string]>([
      ['POST', '/v1/envs/'],
      ['GET', '/v1/envs/'],
      ['POST', `/v1/envs/${id}/reset/`],
      ['POST', `/v1/envs/${id}/step/`],
      ['GET', `/v1/envs/${id}/action_space/`],
      ['GET', `/v1/envs/${id}/action_space/sample`],
      ['GET', `/v1/envs/${id}/action_space/contains/${encodeURIComponent(chance(0.5) ? deepText(1 + int(4000)) : JSON.stringify(strangeValue()))}`],
      ['GET', `/v1/envs/${id}/observation_space/`],
      ['POST', `/v1/envs/${id}/monitor/start/`],
      ['POST', `/v1/envs/${id}/close/`],
      ['POST', '/v1/shutdown/'],
      ['PUT', '/v1/envs/'],
      ['DELETE', `/v1/envs/${id}/step/`],
      ['GET', '/nowhere'],
      ['POST', '/health'],
      ['GET', '/v1/nowhere'],
    ]);
    const roll = int(6);
    const body =
      method === 'GET' || method === 'HEAD'
        ? undefined
        : roll === 0
          ? `{"action":${deepText(1 + int(10_000))}}`
          : roll === 1
            ? nearLimit((pad) => `{"env_id":"${pad}"}`)
            : roll === 2
              ? 'not json'
              : JSON.stringify(chance(0.5) ? mutate({ env_id: pick(ENV_IDS), action: pick([0, 1, [0.1], 'x']), seed: pick(STRANGE_NUMBERS) }) : strangeValue());
    const res = await fetch(server.httpUrl + path, { method, headers: { 'content-type': chance(0.9) ? 'application/json' : 'text/plain' }, body });
    const text = await res.text();
    seen.http.set(res.status, (seen.http.get(res.status) ?? 0) + 1);
    if (res.status >= 500 && res.status !== 503) problems.push(`HTTP ${res.status} for ${method} ${path.slice(0, 80)}: ${text.slice(0, 200)}`);
    if (res.status >= 400) {
      let json: any;
      try {
        json = JSON.parse(text);
      } catch {
        problems.push(`HTTP ${res.status} body is not JSON for ${method} ${path.slice(0, 80)}: ${text.slice(0, 100)}`);
        continue;
      }
      const name = json?.name as string;
      if (!(name in ERRORS)) problems.push(`HTTP ${res.status} body names ${String(name)}, not a catalogue row (${method} ${path.slice(0, 80)})`);
      else if (ERRORS[name as ErrorName].http_status !== res.status) problems.push(`HTTP ${res.status} for ${name}, the catalogue says ${ERRORS[name as ErrorName].http_status}`);
    }
  }

  await expectHealthy();
  if (!inTime()) {
    // eslint-disable-next-line no-console
    console.log(`fuzz burst ${burst} stopped at its time budget`);
  }
  if (burst === BURSTS) {
    // eslint-disable-next-line no-console
    console.log(`fuzz seed ${SEED}: ${seen.replies} replies; errors ${JSON.stringify(Object.fromEntries(seen.errors))}; closes ${JSON.stringify(Object.fromEntries(seen.closes))}; HTTP ${JSON.stringify(Object.fromEntries(seen.http))}`);
  }
}, 60_000);
