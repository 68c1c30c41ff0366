/**
 * What one client may send and be sent over the socket (issue #12): message
 * size in bytes, batch length, reply size, paged lists, and the crashes the
 * audit found (a 1 MB batch of `jobs`, `envs` amplification, a reply that
 * cannot be encoded). Each is answered with a catalogue error, the connection
 * stays usable where the framing allows, and the server answers `health`.
 */
import WebSocket from 'ws';
import type { PalestraServer } from '../../src';
import { override, resetOverrides } from '../../src';
import { ERRORS } from '../../src/errors';
import { GymieClient, RpcClient, opened, rejection, startTestServer } from '../helpers/server';

let server: PalestraServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function expectHealthy(on: PalestraServer = server): Promise<void> {
  const client = await RpcClient.connect(on.url);
  expect(await client.call('health')).toMatchObject({ status: 'ok' });
  await client.close();
}

/** Sends text on a raw socket and resolves the next message, parsed. */
function exchange(ws: WebSocket, text: string | Buffer, binary = false): Promise<any> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(data.toString())));
    ws.send(text, { binary });
  });
}

describe('message size counts bytes', () => {
  test('1.8 MB of € (600,000 characters) under a 1 MB limit is message_too_large', async () => {
    const client = await RpcClient.connect(server.url);
    const text = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'make', params: { env_id: '€'.repeat(600_000) } });
    expect(text.length).toBeLessThan(1024 * 1024);
    expect(Buffer.byteLength(text)).toBeGreaterThan(1024 * 1024);
    const reply = await client.raw(text);
    expect(reply.error).toMatchObject({ code: ERRORS.message_too_large.code, data: { name: 'message_too_large', limit: 1024 * 1024 } });
    expect(reply.error.message).toBe(`Message of ${Buffer.byteLength(text)} bytes exceeds the limit of 1048576 bytes`);
    expect(await client.call('health')).toMatchObject({ status: 'ok' });
    await client.close();
  });

  test('a Gymie message over the limit closes with 1009 and the reason', async () => {
    const client = await GymieClient.connect(server.url);
    const closed = await client.expectClose(JSON.stringify({ method: 'make', params: { env_id: '€'.repeat(600_000) } }));
    expect(closed.code).toBe(ERRORS.message_too_large.gymie_close);
    expect(closed.reason).toMatch(/^Message of \d+ bytes exceeds the limit of 1048576 bytes$/);
  });

  test('far past the limit, ws itself closes with 1009 before reading it all', async () => {
    const client = await RpcClient.connect(server.url);
    client.ws.send('x'.repeat(3 * 1024 * 1024));
    expect((await client.closed).code).toBe(1009);
    await expectHealthy();
  });

  test('a binary frame is read as UTF-8 text; bytes that are not UTF-8 are a parse error', async () => {
    const ws = await opened(new WebSocket(server.url));
    const health = await exchange(ws, Buffer.from('{"jsonrpc":"2.0","id":1,"method":"health"}'), true);
    expect(health.result.status).toBe('ok');
    const bad = await exchange(ws, Buffer.from([0x7b, 0xff, 0xfe, 0x80, 0x7d]), true);
    expect(bad.error.data.name).toBe('parse_error');
    ws.close();
  });
});

describe('batches', () => {
  test('a 1 MB batch of 41,942 `jobs` requests is batch_too_large, and the connection goes on', async () => {
    const client = await RpcClient.connect(server.url);
    const text = `[${Array(41_942).fill('{"id":0,"method":"jobs"}').join(',')}]`;
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1024 * 1024);
    const reply = await client.raw(text);
    expect(reply).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: ERRORS.batch_too_large.code, message: 'A batch of 41942 requests exceeds the limit of 100', data: { limit: 100, name: 'batch_too_large' } },
    });
    expect(await client.call('jobs')).toEqual({ jobs: [], next_cursor: null });
    await client.close();
  });

  test('a batch at the limit is answered whole', async () => {
    const client = await RpcClient.connect(server.url);
    const batch = Array.from({ length: 100 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'envs' }));
    const replies = await client.raw(JSON.stringify(batch));
    expect(replies).toHaveLength(100);
    expect(replies.map((r: any) => r.id)).toEqual(batch.map((b) => b.id));
    expect(replies.every((r: any) => r.result.envs.length > 0)).toBe(true);
    await client.close();
  });

  test('the `envs` amplification: a 1 MB batch of `envs` is refused before any is answered', async () => {
    const client = await RpcClient.connect(server.url);
    const text = `[${Array(40_000).fill('{"id":1,"method":"envs"}').join(',')}]`;
    const reply = await client.raw(text);
    expect(reply.error.data.name).toBe('batch_too_large');
    await client.close();
  });
});

describe('reply size', () => {
  let small: PalestraServer;
  beforeAll(async () => {
    small = await startTestServer({ maxReplyBytes: 16 * 1024 });
  });
  afterAll(() => small.close());

  test('a batch whose replies would pass the limit: the replies past it are reply_too_large, one per entry', async () => {
    const client = await RpcClient.connect(small.url);
    const one = await client.raw('{"jsonrpc":"2.0","id":"one","method":"envs"}');
    const size = Buffer.byteLength(JSON.stringify(one));
    const fit = Math.floor((16 * 1024) / size);
    const batch = Array.from({ length: fit + 3 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'envs' }));
    const replies = await client.raw(JSON.stringify(batch));
    expect(replies.map((r: any) => r.id)).toEqual(batch.map((b) => b.id));
    expect(replies.slice(0, fit).every((r: any) => Array.isArray(r.result?.envs))).toBe(true);
    for (const r of replies.slice(fit)) {
      expect(r.error).toEqual({
        code: ERRORS.reply_too_large.code,
        message: 'The reply would exceed the limit of 16384 bytes; ask for less (a smaller batch, or a limit on a list)',
        data: { limit: 16 * 1024, name: 'reply_too_large' },
      });
    }
    await client.close();
  });

  test('a single reply past the limit is reply_too_large; a smaller page of the same list fits', async () => {
    const client = await RpcClient.connect(small.url);
    const tiny = await startTestServer({ maxReplyBytes: 1024 });
    try {
      const c = await RpcClient.connect(tiny.url);
      const error = await rejection<any>(c.call('envs'));
      expect(error.data.name).toBe('reply_too_large');
      const page = await c.call('envs', { limit: 1 });
      expect(page.envs).toHaveLength(1);
      await c.close();
    } finally {
      await tiny.close();
    }
    await client.close();
  });

  test('a Gymie reply past the limit closes with reply_too_large', async () => {
    const tiny = await startTestServer({ maxReplyBytes: 1024 });
    try {
      const client = await GymieClient.connect(tiny.url);
      const closed = await client.expectClose('{"method":"envs","params":{}}');
      expect(closed).toEqual({ code: ERRORS.reply_too_large.gymie_close, reason: expect.stringMatching(/^The reply would exceed the limit of 1024 bytes/) });
    } finally {
      await tiny.close();
    }
  });
});

describe('envs is paged', () => {
  test('without params, one page holds every built-in environment and no next cursor', async () => {
    const client = await RpcClient.connect(server.url);
    const all = await client.call('envs');
    expect(all.envs.map((e: any) => e.id)).toEqual(server.state.registry.ids());
    expect(all.next_cursor).toBeNull();
    await client.close();
  });

  test('pages of 5 walk the registry in order, and the last says so', async () => {
    const client = await RpcClient.connect(server.url);
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = await client.call('envs', cursor === undefined ? { limit: 5 } : { limit: 5, cursor });
      expect(page.envs.length).toBeLessThanOrEqual(5);
      ids.push(...page.envs.map((e: any) => e.id));
      if (page.next_cursor === null) break;
      cursor = page.next_cursor;
    }
    expect(ids).toEqual(server.state.registry.ids());
    // Positional params, as JSON-RPC allows: [limit, cursor].
    const second = await client.call('envs', [2, '2']);
    expect(second.envs.map((e: any) => e.id)).toEqual(ids.slice(2, 4));
    await client.close();
  });

  test('jobs and models are paged the same way', async () => {
    const client = await RpcClient.connect(server.url);
    expect(await client.call('jobs', { limit: 5 })).toEqual({ jobs: [], next_cursor: null });
    expect(await client.call('models', { limit: 5 })).toEqual({ models: [], next_cursor: null });
    await expect(rejection(client.call('jobs', { cursor: '3' }))).resolves.toMatchObject({ data: { name: 'invalid_params' } });
    await expect(rejection(client.call('models', { limit: 1000 }))).resolves.toMatchObject({ data: { name: 'invalid_params' } });
    await client.close();
  });

  test('a cursor it never answered, or a limit out of range, is invalid_params', async () => {
    const client = await RpcClient.connect(server.url);
    await expect(rejection(client.call('envs', { cursor: '999999' }))).resolves.toMatchObject({ data: { name: 'invalid_params', cursor: '999999' } });
    await expect(rejection(client.call('envs', { cursor: '../etc' }))).resolves.toMatchObject({ data: { name: 'invalid_params' } });
    await expect(rejection(client.call('envs', { limit: 0 }))).resolves.toMatchObject({ data: { name: 'invalid_params' } });
    await expect(rejection(client.call('envs', { limit: 501 }))).resolves.toMatchObject({ data: { name: 'invalid_params' } });
    await client.close();
  });
});

describe('a reply that fails to encode answers that request alone', () => {
  afterEach(() => resetOverrides());

  function throwingInfo(): void {
    override('process_step', (step) => {
      const info = {};
      Object.defineProperty(info, 'boom', { enumerable: true, get: () => { throw new Error('a hook value that throws when read'); } });
      return [step[0], step[1], step[2], step[3], info];
    });
  }

  test('JSON-RPC: internal_error with the request id, and the connection steps on', async () => {
    const client = await RpcClient.connect(server.url);
    const { instance_id } = await client.call('make', { env_id: 'CartPole-v1' });
    await client.call('reset', { instance_id, seed: 1 });
    throwingInfo();
    const reply = await client.raw(JSON.stringify({ jsonrpc: '2.0', id: 'x', method: 'step', params: { instance_id, action: 0 } }));
    expect(reply).toMatchObject({ id: 'x', error: { code: ERRORS.internal_error.code, data: { name: 'internal_error' } } });
    resetOverrides();
    const [obs] = await client.call('step', { instance_id, action: 1 });
    expect(obs).toHaveLength(4);
    await client.close();
  });

  test('Gymie: the socket closes with a reason, and the server lives on', async () => {
    const client = await GymieClient.connect(server.url);
    const id = await client.request('make', { env_id: 'CartPole-v1' });
    await client.request('reset', { instance_id: id });
    throwingInfo();
    const closed = await client.expectClose(JSON.stringify({ method: 'step', params: { instance_id: id, action: 0 } }));
    expect(closed.code).toBe(ERRORS.internal_error.gymie_close);
    expect(closed.reason).toMatch(/a hook value that throws when read/);
    await expectHealthy();
  });
});
