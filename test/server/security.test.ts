/**
 * Who may connect, over real sockets: a page on another origin cannot
 * upgrade or post, DNS rebinding is refused, and with API keys nothing but
 * /health answers without one.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { PalestraServer } from '../../src';
import { RpcClient, rejection, startTestServer } from '../helpers/server';
import { rawRequest, tryUpgrade } from '../helpers/raw_http';

const CREDENTIALS = '{"detail":"Could not validate credentials"}';

/** Makes one JSON-RPC call on an opened socket and closes it. */
async function callOn(ws: WebSocket, method: string, params: unknown = {}): Promise<any> {
  const reply = new Promise<any>((resolve) => ws.once('message', (data) => resolve(JSON.parse(data.toString()))));
  ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }));
  const message = await reply;
  ws.close();
  return message;
}

describe('Origin and Host, without keys', () => {
  let server: PalestraServer;
  let hostHeader: string;
  beforeAll(async () => {
    server = await startTestServer({ allowOrigins: ['https://app.example'] });
    hostHeader = `127.0.0.1:${server.port}`;
  });
  afterAll(() => server.close());

  it('a page on a foreign origin cannot open the socket', async () => {
    for (const path of ['/', '/gym']) {
      const outcome = await tryUpgrade(server.url + path, { origin: 'http://evil.example' });
      expect(outcome).toMatchObject({ opened: false, status: 403 });
      if (!outcome.opened) expect(JSON.parse(outcome.body)).toMatchObject({ name: 'origin_not_allowed' });
    }
  });

  it('the opaque null origin (sandboxed frames, file: pages) is refused', async () => {
    expect(await tryUpgrade(server.url, { origin: 'null' })).toMatchObject({ opened: false, status: 403 });
  });

  it('a client without Origin, a localhost page and an added origin connect', async () => {
    for (const origin of [undefined, 'http://localhost:3000', `http://127.0.0.1:${server.port}`, 'https://app.example']) {
      const outcome = await tryUpgrade(server.url, origin === undefined ? {} : { origin });
      expect([origin, outcome.opened]).toEqual([origin, true]);
      if (outcome.opened) expect((await callOn(outcome.socket, 'make', { env_id: 'CartPole-v1' })).result.env_id).toBe('CartPole-v1');
    }
  });

  it('a rebound host name is refused on the socket and over HTTP', async () => {
    const outcome = await tryUpgrade(server.url, { headers: { host: `evil.example:${server.port}` } });
    expect(outcome).toMatchObject({ opened: false, status: 421 });
    const reply = await rawRequest(server.httpUrl, 'GET', '/v1/envs/', { host: `evil.example:${server.port}` });
    expect(reply.status).toBe(421);
    expect(JSON.parse(reply.body)).toMatchObject({ name: 'host_not_allowed' });
    expect((await rawRequest(server.httpUrl, 'GET', '/health', { host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('a foreign page cannot POST: no environment is made', async () => {
    const before = JSON.parse((await rawRequest(server.httpUrl, 'GET', '/health')).body).environments;
    const body = JSON.stringify({ env_id: 'CartPole-v1' });
    const refused = await rawRequest(server.httpUrl, 'POST', '/v1/envs/', { host: hostHeader, origin: 'http://evil.example', 'content-type': 'application/json' }, body);
    expect(refused.status).toBe(403);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    expect(JSON.parse((await rawRequest(server.httpUrl, 'GET', '/health')).body).environments).toBe(before);
    const allowed = await rawRequest(server.httpUrl, 'POST', '/v1/envs/', { host: hostHeader, origin: 'http://localhost:3000', 'content-type': 'application/json' }, body);
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(JSON.parse(allowed.body).instance_id).toEqual(expect.any(String));
  });

  it('answers CORS preflights for allowed origins only', async () => {
    const ok = await rawRequest(server.httpUrl, 'OPTIONS', '/v1/envs/', {
      origin: 'https://app.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    });
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(ok.headers['access-control-allow-headers']).toContain('content-type');
    const foreign = await rawRequest(server.httpUrl, 'OPTIONS', '/v1/envs/', { origin: 'http://evil.example', 'access-control-request-method': 'POST' });
    expect(foreign.status).toBe(403);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('API keys', () => {
  let server: PalestraServer;
  const dir = mkdtempSync(join(tmpdir(), 'palestra-keys-'));
  const keysFile = join(dir, 'keys.json');
  writeFileSync(keysFile, JSON.stringify({ 'alice-key': { name: 'alice' }, 'bob-key': { name: 'bob' }, 'ops-key': { name: 'ops', admin: true } }));
  beforeAll(async () => {
    server = await startTestServer({ apiKeysFile: keysFile });
  });
  afterAll(() => server.close());

  it('HTTP without a key, or with a wrong one, is 403 with exactly Pathmind’s body', async () => {
    const attempts: Record<string, string>[] = [{}, { access_token: 'wrong' }, { authorization: 'Bearer wrong' }, { cookie: 'access_token=alice-ke' }];
    for (const headers of attempts) {
      const reply = await rawRequest(server.httpUrl, 'GET', '/v1/envs/', headers);
      expect([headers, reply.status, reply.body]).toEqual([headers, 403, CREDENTIALS]);
    }
    const query = await rawRequest(server.httpUrl, 'GET', '/v1/envs/?access_token=wrong');
    expect([query.status, query.body]).toEqual([403, CREDENTIALS]);
  });

  it('HTTP accepts the key in the header, as a Bearer token, in the query and in a cookie', async () => {
    const ways: [string, Record<string, string>][] = [
      ['/v1/envs/', { access_token: 'alice-key' }],
      ['/v1/envs/', { authorization: 'Bearer alice-key' }],
      ['/v1/envs/?access_token=alice-key', {}],
      ['/v1/envs/', { cookie: 'theme=dark; access_token=alice-key' }],
    ];
    for (const [path, headers] of ways) {
      const reply = await rawRequest(server.httpUrl, 'GET', path, headers);
      expect([path, headers, reply.status]).toEqual([path, headers, 200]);
      expect(JSON.parse(reply.body)).toHaveProperty('all_envs');
    }
  });

  it('the socket refuses an upgrade without a valid key, and opens with one in each of the four places', async () => {
    for (const options of [{}, { headers: { access_token: 'nope' } }]) {
      const outcome = await tryUpgrade(server.url, options);
      expect(outcome).toMatchObject({ opened: false, status: 403 });
      if (!outcome.opened) expect(outcome.body).toBe(CREDENTIALS);
    }
    const ways: [string, WebSocket.ClientOptions][] = [
      [server.url, { headers: { access_token: 'bob-key' } }],
      [server.url, { headers: { authorization: 'Bearer bob-key' } }],
      [`${server.url}/?access_token=bob-key`, {}],
      [`${server.url}/gym?access_token=bob-key`, {}],
      [server.url, { headers: { cookie: 'access_token=bob-key' } }],
    ];
    for (const [url, options] of ways) {
      const outcome = await tryUpgrade(url, options);
      expect([url, options, outcome.opened]).toEqual([url, options, true]);
      if (outcome.opened) outcome.socket.close();
    }
  });

  it('/health stays open; /metrics needs a key', async () => {
    expect((await rawRequest(server.httpUrl, 'GET', '/health')).status).toBe(200);
    const refused = await rawRequest(server.httpUrl, 'GET', '/metrics');
    expect([refused.status, refused.body]).toEqual([403, CREDENTIALS]);
    expect((await rawRequest(server.httpUrl, 'GET', '/metrics', { access_token: 'bob-key' })).status).toBe(200);
  });

  it('a server bound beyond loopback without keys does not start', async () => {
    const error = await rejection(startTestServer({ host: '0.0.0.0' }));
    expect(error.message).toMatch(/Refusing to listen on 0\.0\.0\.0 without API keys.*--insecure/);
  });
});

describe('limits', () => {
  it('a connection past --max-connections is closed with 1013 and a reason naming the limit', async () => {
    const server = await startTestServer({ maxConnections: 2 });
    try {
      const a = await RpcClient.connect(server.url);
      const b = await RpcClient.connect(server.url);
      const third = new WebSocket(server.url);
      const closed = await new Promise<{ code: number; reason: string }>((resolve) => third.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
      expect(closed.code).toBe(1013);
      expect(closed.reason).toMatch(/--max-connections/);
      await a.close();
      // A slot is free again.
      const c = await RpcClient.connect(server.url);
      expect(await c.call('health')).toMatchObject({ status: 'ok' });
      await b.close();
      await c.close();
    } finally {
      await server.close();
    }
  });

  it('an idle socket is closed after idleSeconds, with 1001', async () => {
    const server = await startTestServer({ idleSeconds: 0.2 });
    try {
      const client = await RpcClient.connect(server.url);
      await client.call('make', { env_id: 'CartPole-v1' });
      const closed = await client.closed;
      expect(closed.code).toBe(1001);
      expect(closed.reason).toMatch(/Idle/);
    } finally {
      await server.close();
    }
  });
});
