/**
 * Deep values over gym-http-api's REST routes (issue #12: a deep `action`
 * reached "Maximum call stack size exceeded" and a bare 500). A body or a
 * `contains/{x}` argument nested past the limit is a 400 with the catalogue's
 * message_too_deep; below it, a deep action is the space's invalid_action.
 */
import type { PalestraServer } from '../../src';
import { ERRORS } from '../../src/errors';
import { startTestServer } from '../helpers/server';
import { request } from './client';

let server: PalestraServer;
let base: string;
beforeAll(async () => {
  server = await startTestServer();
  base = server.httpUrl;
});
afterAll(() => server.close());

const JSON_TYPE = { 'content-type': 'application/json' };
const deepList = (depth: number) => '['.repeat(depth) + '0' + ']'.repeat(depth);

async function cartPole(): Promise<string> {
  const made = await request(base, 'POST', '/v1/envs/', { env_id: 'CartPole-v1' }, JSON_TYPE);
  const id = made.json.instance_id as string;
  await request(base, 'POST', `/v1/envs/${id}/reset/`, {}, JSON_TYPE);
  return id;
}

test('a step whose action nests 2,250 lists deep is 400 message_too_deep, and the env steps on', async () => {
  const id = await cartPole();
  const reply = await request(base, 'POST', `/v1/envs/${id}/step/`, `{"action":${deepList(2250)}}`, JSON_TYPE);
  expect(reply.status).toBe(ERRORS.message_too_deep.http_status);
  expect(reply.json).toEqual({
    message: 'The request body nests deeper than the limit of 64 levels',
    code: ERRORS.message_too_deep.code,
    name: 'message_too_deep',
    data: { limit: 64 },
  });
  const step = await request(base, 'POST', `/v1/envs/${id}/step/`, { action: 1 }, JSON_TYPE);
  expect(step.status).toBe(200);
  expect(step.json.observation).toHaveLength(4);
});

test('an action 60 lists deep (under the limit) is the space\'s invalid_action, not a 500', async () => {
  const id = await cartPole();
  const reply = await request(base, 'POST', `/v1/envs/${id}/step/`, `{"action":${deepList(60)}}`, JSON_TYPE);
  expect(reply.status).toBe(400);
  expect(reply.json.name).toBe('invalid_action');
});

test('action_space/contains/{x} with a deep argument is message_too_deep', async () => {
  const id = await cartPole();
  const reply = await request(base, 'GET', `/v1/envs/${id}/action_space/contains/${encodeURIComponent(deepList(1000))}`);
  expect(reply.status).toBe(400);
  expect(reply.json.name).toBe('message_too_deep');
});
