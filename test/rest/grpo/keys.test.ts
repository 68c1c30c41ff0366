/**
 * With API keys, every GRPO route needs one (the `access_token` header or query
 * parameter, or a Bearer token) and answers Pathmind's 403 without; jobs and
 * models belong to the key's name, and another user finds none of them (404).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PalestraServer } from '../../../src';
import { RpcClient, startTestServer } from '../../helpers/server';
import { call, finished } from './http';

const dir = mkdtempSync(join(tmpdir(), 'palestra-grpo-keys-'));
const keysFile = join(dir, 'keys.json');
writeFileSync(keysFile, JSON.stringify({ 'alice-key': { name: 'alice' }, 'bob-key': { name: 'bob' } }));
const alice = { access_token: 'alice-key' };
const bob = { access_token: 'bob-key' };

let server: PalestraServer;
let base: string;
let jobId: string;

beforeAll(async () => {
  server = await startTestServer({ apiKeysFile: keysFile });
  base = server.httpUrl;
  const started = await call(base, 'POST', '/train', { total_timesteps: 64, model_name: 'alice_model', seed: 1 }, alice);
  expect(started.status).toBe(200);
  jobId = started.body.job_id;
  expect((await finished(base, jobId, alice)).status).toBe('completed');
}, 120_000);
afterAll(() => server.close());

const ROUTES: [string, string, unknown?][] = [
  ['POST', '/train', { total_timesteps: 64 }],
  ['GET', '/training/jobs'],
  ['GET', '/training/0123/status'],
  ['POST', '/training/0123/stop'],
  ['POST', '/inference', { model_name: 'alice_model', observation: [0, 0, 0, 0] }],
  ['GET', '/models'],
  ['DELETE', '/models/alice_model'],
  ['GET', '/openapi.json'],
  ['GET', '/docs'],
  ['GET', '/redoc'],
];

it('answers 403 {"detail": "Could not validate credentials"} on every route without a valid key', async () => {
  for (const [method, path, body] of ROUTES) {
    for (const headers of [{}, { access_token: 'wrong-key' }, { authorization: 'Bearer wrong-key' }] as Record<string, string>[]) {
      const res = await call(base, method, path, body, headers);
      expect([method, path, res.status, res.body]).toEqual([method, path, 403, { detail: 'Could not validate credentials' }]);
    }
  }
  // Nothing was trained or deleted by those requests.
  expect((await call(base, 'GET', '/models', undefined, alice)).body.models.map((m: { name: string }) => m.name)).toEqual(['alice_model']);
});

it('takes the key from the access_token header, the access_token query parameter or a Bearer token', async () => {
  expect((await call(base, 'GET', '/training/jobs', undefined, alice)).status).toBe(200);
  expect((await call(base, 'GET', '/training/jobs?access_token=alice-key')).status).toBe(200);
  expect((await call(base, 'GET', '/training/jobs', undefined, { authorization: 'Bearer alice-key' })).status).toBe(200);
  expect((await call(base, 'GET', '/openapi.json?access_token=alice-key')).status).toBe(200);
});

it("another user finds none of Alice's jobs or models: 404, never forbidden", async () => {
  expect((await call(base, 'GET', `/training/${jobId}/status`, undefined, bob)).status).toBe(404);
  expect((await call(base, 'POST', `/training/${jobId}/stop`, undefined, bob)).status).toBe(404);
  expect((await call(base, 'GET', '/training/jobs', undefined, bob)).body.jobs).toEqual([]);
  expect((await call(base, 'GET', '/models', undefined, bob)).body.models).toEqual([]);
  const inference = await call(base, 'POST', '/inference', { model_name: 'alice_model', observation: [0, 0, 0, 0] }, bob);
  expect([inference.status, inference.body.detail]).toEqual([404, 'No saved model named alice_model']);
  expect((await call(base, 'DELETE', '/models/alice_model', undefined, bob)).status).toBe(404);
  // Alice still has both.
  expect((await call(base, 'GET', `/training/${jobId}/status`, undefined, alice)).body.status).toBe('completed');
  expect((await call(base, 'POST', '/inference', { model_name: 'alice_model', observation: [0, 0, 0, 0] }, alice)).status).toBe(200);
});

it("a job started over HTTP belongs to the key's user over the socket too", async () => {
  const aliceSocket = await RpcClient.connect(`${server.url}/?access_token=alice-key`);
  const bobSocket = await RpcClient.connect(`${server.url}/?access_token=bob-key`);
  try {
    expect((await aliceSocket.call('jobs', {})).jobs.map((j: { job_id: string }) => j.job_id)).toContain(jobId);
    expect((await bobSocket.call('jobs', {})).jobs).toEqual([]);
  } finally {
    await aliceSocket.close();
    await bobSocket.close();
  }
});
