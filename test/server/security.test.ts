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
import { RpcClient, RpcError, rejection, startTestServer } from '../helpers/server';
import { parsePrometheus } from '../helpers/prometheus';
import { rawRequest, tryUpgrade } from '../helpers/raw_http';
import { instrumentsOf } from '../../src/server/instruments';

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

  it('a cross-site form or text/plain POST is refused with 415 before it is read', async () => {
    const before = JSON.parse((await rawRequest(server.httpUrl, 'GET', '/health')).body).environments;
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const reply = await rawRequest(server.httpUrl, 'POST', '/v1/envs/', { origin: 'http://localhost:3000', 'content-type': type }, '{"env_id": "CartPole-v1"}');
      expect([type, reply.status, JSON.parse(reply.body).name]).toEqual([type, 415, 'unsupported_media_type']);
    }
    expect(JSON.parse((await rawRequest(server.httpUrl, 'GET', '/health')).body).environments).toBe(before);
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

  it('a page opened with ?access_token= keeps the key in an HttpOnly, SameSite cookie its socket then sends', async () => {
    const page = await rawRequest(server.httpUrl, 'GET', '/?access_token=alice-key', { accept: 'application/json' });
    expect(page.status).toBe(200);
    const cookie = String(page.headers['set-cookie']);
    expect(cookie).toMatch(/^access_token=alice-key; Path=\/; HttpOnly; SameSite=Strict$/);
    const outcome = await tryUpgrade(server.url, { headers: { cookie: cookie.split(';')[0] } });
    expect(outcome.opened).toBe(true);
    if (outcome.opened) outcome.socket.close();
    const wrong = await rawRequest(server.httpUrl, 'GET', '/?access_token=wrong');
    expect(wrong.status).toBe(403);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('/health stays open; /metrics needs a key', async () => {
    expect((await rawRequest(server.httpUrl, 'GET', '/health')).status).toBe(200);
    const refused = await rawRequest(server.httpUrl, 'GET', '/metrics');
    expect([refused.status, refused.body]).toEqual([403, CREDENTIALS]);
    expect((await rawRequest(server.httpUrl, 'GET', '/metrics', { access_token: 'bob-key' })).status).toBe(200);
  });

  it('REST environments belong to the key that made them; others get 404, the admin sees all', async () => {
    const json = { 'content-type': 'application/json' };
    const made = await rawRequest(server.httpUrl, 'POST', '/v1/envs/', { ...json, access_token: 'alice-key' }, JSON.stringify({ env_id: 'CartPole-v1' }));
    expect(made.status).toBe(200);
    const id = JSON.parse(made.body).instance_id as string;
    const asBob = { ...json, access_token: 'bob-key' };
    for (const [method, path, body] of [
      ['POST', `/v1/envs/${id}/reset/`, '{}'],
      ['POST', `/v1/envs/${id}/step/`, '{"action": 0}'],
      ['GET', `/v1/envs/${id}/action_space/`, undefined],
      ['POST', `/v1/envs/${id}/close/`, '{}'],
    ] as const) {
      const reply = await rawRequest(server.httpUrl, method, path, asBob, body);
      expect([path, reply.status, JSON.parse(reply.body).name]).toEqual([path, 404, 'instance_not_found']);
    }
    const bobList = JSON.parse((await rawRequest(server.httpUrl, 'GET', '/v1/envs/', asBob)).body).all_envs;
    expect(bobList).not.toHaveProperty(id);
    const aliceList = JSON.parse((await rawRequest(server.httpUrl, 'GET', '/v1/envs/', { access_token: 'alice-key' })).body).all_envs;
    expect(aliceList).toMatchObject({ [id]: 'CartPole-v1' });
    // Another tab, or a reload, with Alice's key is Alice: it steps her environment.
    expect((await rawRequest(server.httpUrl, 'POST', `/v1/envs/${id}/reset/`, { ...json, authorization: 'Bearer alice-key' }, '{}')).status).toBe(200);
    const asOps = { ...json, access_token: 'ops-key' };
    expect(JSON.parse((await rawRequest(server.httpUrl, 'GET', '/v1/envs/', asOps)).body).all_envs).toHaveProperty(id);
    expect((await rawRequest(server.httpUrl, 'POST', `/v1/envs/${id}/step/`, asOps, '{"action": 1}')).status).toBe(200);
    expect((await rawRequest(server.httpUrl, 'POST', `/v1/envs/${id}/close/`, asOps, '{}')).status).toBe(200);
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

  it('an environment past --max-total-envs is refused, over every connection and REST', async () => {
    const server = await startTestServer({ maxTotalEnvs: 3 });
    try {
      const a = await RpcClient.connect(server.url);
      const b = await RpcClient.connect(server.url);
      await a.call('make', { env_id: 'CartPole-v1' });
      await b.call('make', { env_id: 'CartPole-v1' });
      const rest = await rawRequest(server.httpUrl, 'POST', '/v1/envs/', { 'content-type': 'application/json' }, '{"env_id": "CartPole-v1"}');
      expect(rest.status).toBe(200);
      const error = await rejection<RpcError>(a.call('make', { env_id: 'CartPole-v1' }));
      expect(error.data).toMatchObject({ name: 'too_many_total_envs', limit: 'max_total_envs', max_total_envs: 3 });
      const refused = await rawRequest(server.httpUrl, 'POST', '/v1/envs/', { 'content-type': 'application/json' }, '{"env_id": "CartPole-v1"}');
      expect([refused.status, JSON.parse(refused.body).name]).toEqual([503, 'too_many_total_envs']);
      // Closing one makes room.
      await b.close();
      expect((await a.call('make', { env_id: 'CartPole-v1' })).env_id).toBe('CartPole-v1');
      await a.close();
    } finally {
      await server.close();
    }
  });

  it('train and evaluate are rate limited per connection, with a catalogue error naming the limit', async () => {
    const server = await startTestServer({ rateLimits: { train: { perSecond: 0.001, burst: 2 } } });
    try {
      const a = await RpcClient.connect(server.url);
      const b = await RpcClient.connect(server.url);
      for (let i = 0; i < 2; i++) {
        expect((await rejection<RpcError>(a.call('train', { env_id: 'NoSuchEnv-v0' }))).data.name).toBe('env_not_found');
      }
      const limited = await rejection<RpcError>(a.call('train', { env_id: 'NoSuchEnv-v0' }));
      expect(limited.data).toMatchObject({ name: 'rate_limited', limit: 'train', retry_after_s: expect.any(Number) });
      expect(limited.message).toMatch(/Rate limit "train"/);
      // Another connection has its own bucket; the connection stays open after the refusal.
      expect((await rejection<RpcError>(b.call('train', { env_id: 'NoSuchEnv-v0' }))).data.name).toBe('env_not_found');
      expect(await a.call('health')).toMatchObject({ status: 'ok' });
      // Without keys a bucket belongs to its connection, and goes with it.
      const limits = instrumentsOf(server.state)!.gate.limits;
      expect(limits.clients).toBe(2);
      await a.close();
      for (let i = 0; i < 100 && limits.clients > 1; i++) await new Promise((r) => setTimeout(r, 10));
      expect(limits.clients).toBe(1);
      await b.close();
    } finally {
      await server.close();
    }
  });

  it('HTTP requests are rate limited when --rate-limit http is set: 429 with Retry-After', async () => {
    const server = await startTestServer({ rateLimits: { http: { perSecond: 0.001, burst: 3 } } });
    try {
      for (let i = 0; i < 3; i++) expect((await rawRequest(server.httpUrl, 'GET', '/v1/envs/')).status).toBe(200);
      const refused = await rawRequest(server.httpUrl, 'GET', '/v1/envs/');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.parse(refused.body)).toMatchObject({ name: 'rate_limited', data: { limit: 'http' } });
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

describe('/metrics', () => {
  it('parses as Prometheus text and counts the step a client made', async () => {
    const server = await startTestServer();
    try {
      const client = await RpcClient.connect(server.url);
      const { instance_id } = await client.call('make', { env_id: 'CartPole-v1' });
      await client.call('reset', { instance_id, seed: 0 });
      await client.call('step', { instance_id, action: 1 });
      await rejection(client.call('step', { instance_id: 'nope', action: 1 }));
      const reply = await rawRequest(server.httpUrl, 'GET', '/metrics');
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      const samples = parsePrometheus(reply.body);
      expect(samples.get('palestra_env_steps_total')).toBe(1);
      expect(samples.get('palestra_connections')).toBe(1);
      expect(samples.get('palestra_environments')).toBe(1);
      expect(samples.get('palestra_requests_total{transport="ws",method="step"}')).toBe(2);
      expect(samples.get('palestra_request_errors_total{transport="ws",method="step",code="instance_not_found"}')).toBe(1);
      expect(samples.get('palestra_request_duration_seconds_count{transport="ws",method="make"}')).toBe(1);
      expect(samples.has('process_resident_memory_bytes') || samples.has('nodejs_heap_size_used_bytes')).toBe(true);
      await client.close();
      // HTTP requests are counted by route pattern.
      const again = parsePrometheus((await rawRequest(server.httpUrl, 'GET', '/metrics')).body);
      expect(again.get('palestra_requests_total{transport="http",method="GET /metrics"}')).toBe(1);
    } finally {
      await server.close();
    }
  });
});
