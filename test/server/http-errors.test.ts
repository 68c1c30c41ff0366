/**
 * Every HTTP error answers JSON `{message, code, name}` from the catalogue with its
 * `http_status`: unknown routes, wrong methods, bodies that are not JSON or too large,
 * URLs too long, and the server's own failures.
 */
import { request as httpRequest } from 'node:http';
import { Socket, connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { PalestraServer } from '../../src';
import { ERRORS, ErrorName } from '../../src/errors';
import { clientErrorHandler } from '../../src/server/http_errors';
import { defaultPlugins } from '../../src/plugins';
import { startTestServer } from '../helpers/server';

let server: PalestraServer;
beforeAll(async () => {
  // The default rooms, and one that fails the way a bug would.
  const broken = async (app: FastifyInstance) => {
    app.get('/broken', () => {
      throw new Error('a bug in a route');
    });
  };
  server = await startTestServer({ maxMessageBytes: 1024, plugins: [...defaultPlugins(), broken] });
});
afterAll(() => server.close());

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: any;
}

/** One request over node:http, so nothing adds headers the test did not ask for. */
function send(method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const length: Record<string, string> = body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) };
    const req = httpRequest(`${server.httpUrl}${path}`, { method, headers: { ...length, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json: text === '' ? undefined : JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

function expectCatalogue(reply: Raw, name: ErrorName): void {
  expect({ status: reply.status, name: reply.json?.name }).toEqual({ status: ERRORS[name].http_status, name });
  expect(reply.json).toEqual(expect.objectContaining({ message: expect.any(String), code: ERRORS[name].code }));
  expect(reply.headers['content-type']).toMatch(/^application\/json/);
}

test('an unknown route: 404 not_found', async () => {
  expectCatalogue(await send('GET', '/no/such/route'), 'not_found');
  expectCatalogue(await send('POST', '/v1/envs/abc/nope', { 'content-type': 'application/json' }, '{}'), 'not_found');
});

test('a known route with another method: 405 method_not_allowed, with Allow', async () => {
  const reply = await send('PATCH', '/v1/envs/');
  expectCatalogue(reply, 'method_not_allowed');
  expect(reply.headers.allow).toBe('GET, POST');
  expect(reply.json.data).toEqual({ allow: 'GET, POST' });
  // Refused before the body is looked at.
  expectCatalogue(await send('GET', '/v1/envs/abcd1234/reset/', { 'content-type': 'text/plain' }, 'x'), 'method_not_allowed');
});

describe('a JSON POST needs Content-Type: application/json (a cross-site form cannot send it)', () => {
  test.each([
    ['text/plain', 'text/plain;charset=UTF-8'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['multipart', 'multipart/form-data; boundary=x'],
  ])('%s: 415 unsupported_media_type, and nothing is made', async (_what, type) => {
    const before = (await send('GET', '/v1/envs/')).json.all_envs;
    const reply = await send('POST', '/v1/envs/', { 'content-type': type }, JSON.stringify({ env_id: 'CartPole-v1' }));
    expectCatalogue(reply, 'unsupported_media_type');
    expect(reply.json.message).toMatch(/application\/json/);
    expect((await send('GET', '/v1/envs/')).json.all_envs).toEqual(before);
  });

  test('a body with no Content-Type at all: 415', async () => {
    expectCatalogue(await send('POST', '/v1/envs/', {}, JSON.stringify({ env_id: 'CartPole-v1' })), 'unsupported_media_type');
  });

  test('application/json with a charset, and +json types, are read', async () => {
    const made = await send('POST', '/v1/envs/', { 'content-type': 'application/json; charset=utf-8' }, '{"env_id": "CartPole-v1"}');
    expect(made.status).toBe(200);
    const id = made.json.instance_id;
    expect((await send('POST', `/v1/envs/${id}/reset/`, { 'content-type': 'application/vnd.api+json' }, '{}')).status).toBe(200);
    // A POST with no body needs no type.
    expect((await send('POST', `/v1/envs/${id}/close/`)).json).toEqual({});
  });
});

test('a body over the size limit: 413 message_too_large as JSON, naming the limit, and the connection closes', async () => {
  const reply = await send('POST', '/v1/envs/', { 'content-type': 'application/json' }, JSON.stringify({ env_id: 'CartPole-v1', pad: 'x'.repeat(4096) }));
  expectCatalogue(reply, 'message_too_large');
  expect(reply.json.message).toMatch(/1024 bytes/);
  expect(reply.headers.connection).toBe('close');
});

test('a URL over 16 KB: 431 headers_too_large with a JSON body, and the server keeps serving', async () => {
  const reply = await send('GET', `/v1/envs/abcd1234/action_space/contains/${'1'.repeat(17 * 1024)}`);
  expectCatalogue(reply, 'headers_too_large');
  expect(reply.json.message).toMatch(/16 KB/);
  expect((await send('GET', '/health')).status).toBe(200);
});

test('a route that fails: 500 internal_error as JSON', async () => {
  expectCatalogue(await send('GET', '/broken'), 'internal_error');
});

test('a body that is not JSON: 400 parse_error; a path that is not valid percent-encoding: 400 invalid_request', async () => {
  expectCatalogue(await send('POST', '/v1/envs/', { 'content-type': 'application/json' }, '{"env_id": '), 'parse_error');
  expectCatalogue(await send('GET', '/v1/envs/%E0%A4%A/action_space/'), 'invalid_request');
});

test('/health keeps its exact JSON: the response schema documents it, nothing is dropped', async () => {
  const reply = await send('GET', '/health');
  // Palestra's own fields, then the GRPO training API's.
  expect(Object.keys(reply.json)).toEqual(['status', 'version', 'protocol_version', 'uptime_s', 'connections', 'environments', 'backend', 'timestamp', 'active_jobs', 'loaded_models']);
  expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
});

/** The HTTP response in raw bytes, split into status line, headers and the parsed JSON body. */
function parseRaw(text: string): { status: string; headers: string; json: any } {
  const [head, body] = text.split('\r\n\r\n');
  const [status, ...headers] = head.split('\r\n');
  return { status, headers: headers.join('\n').toLowerCase(), json: JSON.parse(body) };
}

test('bytes that are not HTTP: 400 invalid_request as JSON, straight from the parser', async () => {
  const socket = connect(server.port, '127.0.0.1');
  const text = await new Promise<string>((resolve, reject) => {
    let got = '';
    socket.on('data', (d) => (got += d.toString()));
    socket.on('end', () => resolve(got));
    socket.on('error', reject);
    socket.write('NOT HTTP AT ALL\r\n\r\n');
  });
  socket.destroy();
  const reply = parseRaw(text);
  expect(reply.status).toBe('HTTP/1.1 400 Bad Request');
  expect(reply.headers).toContain('content-type: application/json');
  expect(reply.json).toMatchObject({ name: 'invalid_request', code: ERRORS.invalid_request.code });
});

test('a request that never finishes: 408 request_timeout as JSON', () => {
  let written = '';
  const socket = { destroyed: false, writable: true, end: (text: string) => (written += text), destroy: () => undefined } as unknown as Socket;
  clientErrorHandler(Object.assign(new Error('timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }), socket);
  const reply = parseRaw(written);
  expect(reply.status).toBe('HTTP/1.1 408 Request Timeout');
  expect(reply.json).toMatchObject({ name: 'request_timeout', code: ERRORS.request_timeout.code });
});
