/** The client library against a real server: Gymnasium's flow, parallel calls, typed errors, timeouts, lost connections. */
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { PalestraServer } from '../../src';
import { Box, ConnectionClosedError, Discrete, ERROR_CODES, PalestraClient, RpcError, TimeoutError, connect } from '../../clients/src';
import { loadConformance } from '../helpers/conformance';
import { rejection, startTestServer } from '../helpers/server';

let server: PalestraServer;
let client: PalestraClient;
beforeAll(async () => {
  server = await startTestServer({ maxEnvsPerConnection: 8 });
  client = await connect(server.url);
});
afterAll(async () => {
  await client.close();
  await server.close();
});

/** A bare ws server that answers nothing unless told to: for timeouts and dropped connections. */
async function silentServer(onMessage?: (socket: import('ws').WebSocket, message: any) => void): Promise<{ url: string; wss: WebSocketServer }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', (socket) => socket.on('message', (data) => onMessage?.(socket, JSON.parse(data.toString()))));
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, wss };
}

test("Gymnasium's flow: make, spaces, reset → [obs, info], step → 5-tuple, close", async () => {
  const env = await client.make<number[], number>('CartPole-v1', { seed: 0 });
  expect(env.envId).toBe('CartPole-v1');
  expect(env.maxEpisodeSteps).toBe(500);
  expect(env.rewardThreshold).toBe(475);
  expect(env.actionSpace).toBeInstanceOf(Discrete);
  expect(String(env.actionSpace)).toBe('Discrete(2)');
  const box = env.observationSpace as unknown as Box;
  expect(box).toBeInstanceOf(Box);
  expect(box.shape).toEqual([4]);
  // Infinite bounds arrive as "Infinity" strings and become numbers.
  expect(box.highFlat[1]).toBe(Infinity);
  expect(box.lowFlat[3]).toBe(-Infinity);

  // make(seed=0) seeds the first reset, as reset(seed=0) would.
  const [obs, info] = await env.reset();
  expect(obs).toEqual([0.013696168549358845, -0.023021329194307327, -0.04590264707803726, -0.04834723472595215]);
  expect(info).toEqual({});
  expect(env.observationSpace.contains(obs)).toBe(true);

  let steps = 0;
  let total = 0;
  for (;;) {
    const action = env.actionSpace.sample();
    expect(env.actionSpace.contains(action)).toBe(true);
    const [next, reward, terminated, truncated, stepInfo] = await env.step(action);
    expect(next).toHaveLength(4);
    expect(typeof reward).toBe('number');
    expect(stepInfo).toEqual({});
    steps++;
    total += reward;
    if (terminated || truncated) break;
  }
  expect(total).toBe(steps);
  expect(client.environments).toContain(env);
  await env.close();
  expect(env.closed).toBe(true);
  expect(client.environments).not.toContain(env);
  await env.close(); // closing twice is harmless
});

test('reset with a seed reproduces a recorded Gymnasium episode, and actionSample(seed) is numpy-exact', async () => {
  const recorded = loadConformance('CartPole-v1')[0].cases[0];
  const env = await client.make<number[], number>('CartPole-v1');
  const [obs] = await env.reset({ seed: recorded.seed });
  expect(obs).toEqual(recorded.reset_obs);
  const actions = [await env.actionSample(recorded.action_seed!)];
  for (let i = 1; i < 5; i++) actions.push(await env.actionSample());
  expect(actions).toEqual(recorded.steps!.slice(0, 5).map((s) => s.action));
  for (const step of recorded.steps!.slice(0, 5)) {
    const [o, r, terminated, truncated] = await env.step(step.action as number);
    expect([o, r, terminated, truncated]).toEqual([step.obs, step.reward, step.terminated, step.truncated]);
  }
  await env.close();
});

test('the server, its registry and its health', async () => {
  const hello = await client.hello();
  expect(hello.server).toBe('palestra');
  expect(hello.env_ids).toContain('CartPole-v1');
  const { envs } = await client.envs();
  expect(envs.map((e) => e.id)).toContain('CartPole-v0');
  const health = await client.health();
  expect(health.status).toBe('ok');
  expect(health.connections).toBeGreaterThanOrEqual(1);
});

test('many requests in flight at once, each answered to its caller', async () => {
  const envs = await Promise.all([1, 2, 3, 4].map((seed) => client.make<number[], number>('CartPole-v1', { seed })));
  const firsts = await Promise.all(envs.map((env) => env.reset()));
  // Sixty steps across four environments, all sent before any answer arrives.
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < 15; i++) for (const env of envs) pending.push(env.step(i % 2));
  const inFlight = (client as unknown as { session: { inFlight: number } }).session.inFlight;
  expect(inFlight).toBeGreaterThan(1);
  const results = (await Promise.all(pending)) as [number[], number, boolean, boolean][];
  expect(results).toHaveLength(60);

  // The same seeds and actions, one call at a time, give the same trajectories.
  const again = await Promise.all([1, 2, 3, 4].map((seed) => client.make<number[], number>('CartPole-v1', { seed })));
  for (let e = 0; e < 4; e++) {
    expect((await again[e].reset())[0]).toEqual(firsts[e][0]);
    for (let i = 0; i < 15; i++) {
      const result = results[i * 4 + e];
      if (result[2] || result[3]) break;
      expect(await again[e].step(i % 2)).toEqual(result);
    }
  }
  await Promise.all([...envs, ...again].map((env) => env.close()));
});

test('errors are typed and carry the catalogue code and name', async () => {
  const notFound = await rejection(client.make('NoSuchEnv-v0'));
  expect(notFound).toBeInstanceOf(RpcError);
  expect(notFound).toMatchObject({ code: ERROR_CODES.env_not_found, name: 'env_not_found', method: 'make' });
  expect((notFound as RpcError).is('env_not_found')).toBe(true);
  expect((notFound as RpcError).data.available).toEqual(expect.arrayContaining(['CartPole-v1']));

  const env = await client.make('CartPole-v1');
  expect(await rejection(env.step(0))).toMatchObject({ code: 1004, name: 'reset_needed' });
  await env.reset({ seed: 1 });
  const bad = await rejection(env.step(7));
  expect(bad).toMatchObject({ code: 1003, name: 'invalid_action' });
  expect(bad.message).toMatch(/Discrete\(2\)/);
  expect(await rejection(client.call('no_such_method'))).toMatchObject({ code: -32601, name: 'method_not_found' });
  expect(await rejection(client.call('make', { env_id: 'CartPole-v1', seed: -1 }))).toMatchObject({ code: 1006, name: 'invalid_seed' });
  // The connection survives errors.
  expect((await env.reset({ seed: 1 }))[0]).toHaveLength(4);
  await env.close();
  expect(await rejection(env.reset())).toMatchObject({ code: 1002, name: 'instance_not_found' });
});

test('a call with no answer times out with TimeoutError, and the late answer is dropped', async () => {
  const held: { socket: import('ws').WebSocket; id: number }[] = [];
  const { url, wss } = await silentServer((socket, message) => {
    if (message.method === 'fast') socket.send(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: 'quick' }));
    else held.push({ socket, id: message.id });
  });
  const slow = await connect(url, { timeout: 150 });
  const error = await rejection(slow.call('health'));
  expect(error).toBeInstanceOf(TimeoutError);
  expect(error.message).toMatch(/health got no answer within 150 ms/);
  // A per-call timeout overrides the default; other calls still work.
  expect(await rejection(slow.call('hello', {}, { timeout: 50 }))).toMatchObject({ name: 'TimeoutError', timeoutMs: 50 });
  expect(await slow.call('fast')).toBe('quick');
  for (const h of held) h.socket.send(JSON.stringify({ jsonrpc: '2.0', id: h.id, result: 'late' }));
  expect(await slow.call('fast')).toBe('quick');
  await slow.close();
  wss.close();
});

test('a dropped connection rejects every call in flight with ConnectionClosedError, and later calls too', async () => {
  let sockets = 0;
  const { url, wss } = await silentServer((socket, message) => {
    if (message.method === 'drop') socket.terminate();
  });
  wss.on('connection', () => sockets++);
  const doomed = await connect(url, { timeout: 0 });
  const inFlight = [doomed.call('health'), doomed.call('hello'), doomed.make('CartPole-v1')];
  const closed = doomed.closed;
  void doomed.call('drop').catch(() => undefined);
  const errors = await Promise.all(inFlight.map(rejection));
  for (const e of errors) {
    expect(e).toBeInstanceOf(ConnectionClosedError);
    expect(e.message).toMatch(/was lost/);
  }
  expect(errors[0].message).toMatch(/^health got no answer/);
  expect((await closed).byClient).toBe(false);
  expect(doomed.open).toBe(false);
  expect(await rejection(doomed.health())).toBeInstanceOf(ConnectionClosedError);
  expect(sockets).toBe(1);
  wss.close();
});

test('a server that goes away fails the calls of its clients; connecting to nothing fails clearly', async () => {
  const other = await startTestServer();
  const c = await connect(other.url);
  const env = await c.make('CartPole-v1');
  await env.reset({ seed: 3 });
  await other.close();
  await c.closed;
  const error = await rejection(env.step(0));
  expect(error).toBeInstanceOf(ConnectionClosedError);
  expect(error.message).toMatch(new RegExp(`step: the connection to ${other.url.replace(/[.]/g, '\\.')} was lost`));
  const refused = await rejection(connect(other.url, { connectTimeout: 2000 }));
  expect(refused).toBeInstanceOf(ConnectionClosedError);
  expect(refused.message).toMatch(/^Cannot connect to ws:\/\/127\.0\.0\.1:\d+/);
});

test('closing the client closes its environments on the server, then the socket', async () => {
  const c = await connect(server.url);
  const envs = await Promise.all([c.make('CartPole-v1'), c.make('CartPole-v0')]);
  await envs[0].reset();
  const pending = envs[0].step(1);
  await c.close();
  expect(envs.every((e) => e.closed)).toBe(true);
  await pending; // answered before the socket closed
  expect(c.open).toBe(false);
  const late = await rejection(envs[1].reset());
  expect(late).toBeInstanceOf(ConnectionClosedError);
  expect(late.message).toMatch(/client was closed/);
  // Only the shared client's environments (none now) are left on the server.
  expect((await client.health()).environments).toBe(client.environments.length);
});

test('works over http:// addresses and accepts a WebSocket class of ones own', async () => {
  const { WebSocket } = await import('ws');
  const c = await connect(server.httpUrl, { WebSocket: WebSocket as never });
  expect(c.url).toMatch(/^ws:\/\//);
  expect((await c.hello('jest')).server).toBe('palestra');
  await c.close();
});
