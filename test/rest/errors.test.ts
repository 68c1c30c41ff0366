/** Every REST error path answers JSON `{message, code, name}` with the catalogue's status, never HTML. */
import { Env, type PalestraServer, type StepResult } from '../../src';
import { Registry } from '../../src/envs/registration';
import { Discrete } from '../../src/envs/spaces/discrete';
import { startTestServer } from '../helpers/server';
import { PythonStyleClient, Reply, expectError, request } from './client';

let server: PalestraServer;
let client: PythonStyleClient;
let base: string;
beforeAll(async () => {
  server = await startTestServer();
  base = server.httpUrl;
  client = new PythonStyleClient(base);
});
afterAll(() => server.close());

const make = async (env_id = 'CartPole-v1'): Promise<string> => (await client.env_create(env_id)).json.instance_id;

describe('POST /v1/envs/', () => {
  test.each([
    ['no env_id', { seed: 1 }],
    ['an empty env_id', { env_id: '' }],
    ['a null body', null],
  ])('%s: 400 naming the parameter, as gym-http-api words it', async (_what, body) => {
    expectError(await client.post('/v1/envs/', body), 'invalid_params', 400, "A required request parameter 'env_id' was not provided");
  });

  test('a body that is not JSON: 400 parse_error', async () => {
    expectError(await request(base, 'POST', '/v1/envs/', '{"env_id": CartPole'), 'parse_error', 400, /not a valid json/);
  });

  test('a body that is JSON but not an object: 400 invalid_request', async () => {
    expectError(await request(base, 'POST', '/v1/envs/', '["CartPole-v1"]'), 'invalid_request', 400);
  });

  test('a malformed id: 400 with gym-http-api’s words', async () => {
    expectError(await client.env_create('bad string'), 'env_malformed', 400, "Attempted to look up malformed environment ID 'bad string'");
    expectError(await client.post('/v1/envs/', { env_id: 5 }), 'env_malformed', 400);
  });

  test('an id nobody registered: 400 env_not_found listing the ids', async () => {
    const reply = await client.env_create('Nope-v0');
    expectError(reply, 'env_not_found', 400, /Nope-v0/);
    expect(reply.json.data.available).toContain('CartPole-v1');
  });

  test.each([[-1], [1.5], ['seven'], [1e20]])('seed %p: 400 invalid_seed', async (seed) => {
    expectError(await client.post('/v1/envs/', { env_id: 'CartPole-v1', seed }), 'invalid_seed', 400);
  });

  test('kwargs unknown or not an object: 400 invalid_kwargs', async () => {
    expectError(await client.post('/v1/envs/', { env_id: 'CartPole-v1', kwargs: { nope: 1 } }), 'invalid_kwargs', 400, /nope/);
    expectError(await client.post('/v1/envs/', { env_id: 'CartPole-v1', kwargs: 5 }), 'invalid_kwargs', 400);
  });
});

describe('an unknown instance: 404 on every route that names one', () => {
  const routes: [string, (id: string) => Promise<Reply>][] = [
    ['reset', (id) => client.env_reset(id)],
    ['step', (id) => client.env_step(id, 1)],
    ['action_space', (id) => client.env_action_space_info(id)],
    ['action_space/sample', (id) => client.env_action_space_sample(id)],
    ['action_space/contains', (id) => client.env_action_space_contains(id, 1)],
    ['observation_space', (id) => client.env_observation_space_info(id)],
    ['observation_space/contains', (id) => client.env_observation_space_contains(id, { name: 'Box' })],
    ['monitor/start', (id) => client.env_monitor_start(id, 'tmp', true)],
    ['monitor/close', (id) => client.env_monitor_close(id)],
    ['close', (id) => client.env_close(id)],
  ];
  test.each(routes)('%s', async (_route, call) => {
    const reply = await call('bad_id');
    expectError(reply, 'instance_not_found', 404, /^Instance_id bad_id unknown/);
    expect(reply.json.data).toEqual({ instance_id: 'bad_id' });
  });

  test('a closed instance is unknown too', async () => {
    const id = await make();
    await client.env_close(id);
    expectError(await client.env_reset(id), 'instance_not_found', 404);
    expectError(await client.env_close(id), 'instance_not_found', 404);
  });
});

describe('step', () => {
  test.each([
    ['no action', { render: false }],
    ['an empty-list action', { action: [] }],
    ['a null body', null],
  ])('%s: 400 naming the parameter', async (_what, body) => {
    const id = await make();
    await client.env_reset(id);
    expectError(await client.post(`/v1/envs/${id}/step/`, body), 'invalid_params', 400, "A required request parameter 'action' was not provided");
  });

  test.each([[2], [-1], [0.5], ['1'], [[1]]])('action %p outside Discrete(2): 400 invalid_action', async (action) => {
    const id = await make();
    await client.env_reset(id);
    const reply = await client.env_step(id, action);
    expectError(reply, 'invalid_action', 400);
    expect(reply.json.data.space).toEqual({ name: 'Discrete', n: 2, start: 0 });
  });

  test('before any reset: 400 reset_needed', async () => {
    expectError(await client.env_step(await make(), 1), 'reset_needed', 400, /reset/);
  });

  test('an environment that throws: 500 env_error, as JSON', async () => {
    class Broken extends Env<number, number> {
      readonly observation_space = new Discrete(2);
      readonly action_space = new Discrete(2);
      reset(): [number, Record<string, unknown>] {
        return [0, {}];
      }
      step(): StepResult<number> {
        throw new Error('the broken environment broke');
      }
    }
    const registry = new Registry();
    registry.register('Broken-v0', () => new Broken());
    const other = await startTestServer({ registry });
    try {
      const otherClient = new PythonStyleClient(other.httpUrl);
      const id = (await otherClient.env_create('Broken-v0')).json.instance_id;
      await otherClient.env_reset(id);
      expectError(await otherClient.env_step(id, 0), 'env_error', 500, /the broken environment broke/);
    } finally {
      await other.close();
    }
  });
});

describe('reset', () => {
  test('a bad seed: 400 invalid_seed', async () => {
    expectError(await client.post(`/v1/envs/${await make()}/reset/`, { seed: -3 }), 'invalid_seed', 400);
  });

  test('a body that is not JSON: 400 parse_error', async () => {
    expectError(await request(base, 'POST', `/v1/envs/${await make()}/reset/`, 'seed=3'), 'parse_error', 400);
  });
});

describe('spaces', () => {
  test('action_space/contains with something that is not a value: 400', async () => {
    expectError(await client.env_action_space_contains(await make(), 'abc'), 'invalid_params', 400, /abc/);
  });

  test('observation_space/contains with a body that is not an object: 400', async () => {
    const id = await make();
    expectError(await client.env_observation_space_contains(id, null), 'invalid_params', 400);
    expectError(await client.env_observation_space_contains(id, [1, 2]), 'invalid_params', 400);
  });

  test('observation_space/contains with a property the space lacks: 400 listing the ones it has', async () => {
    const reply = await client.env_observation_space_contains(await make(), { dtype: 'float32' });
    expectError(reply, 'invalid_params', 400, /dtype/);
    expect(reply.json.data.known).toEqual(['name', 'shape', 'low', 'high']);
  });
});

describe('monitor, upload and shutdown', () => {
  test('monitor/start without a directory: 400 naming it', async () => {
    expectError(await client.post(`/v1/envs/${await make()}/monitor/start/`, { force: true, resume: false }), 'invalid_params', 400, /'directory'/);
  });

  test.each([['../outside'], ['a/../../b'], ['/'], [7]])('monitor/start into %p: 400', async (directory) => {
    expectError(await client.post(`/v1/envs/${await make()}/monitor/start/`, { directory }), 'invalid_params', 400);
  });

  test('upload: 400 not_supported, saying why', async () => {
    expectError(await client.upload('tmp', null, 'key'), 'not_supported', 400, /not supported.*closed/);
    expectError(await client.upload('tmp'), 'not_supported', 400);
  });

  test('shutdown without --allow-shutdown: 403 forbidden, and the server keeps running', async () => {
    expectError(await client.shutdown_server(), 'forbidden', 403, /--allow-shutdown/);
    expect((await client.env_list_all()).status).toBe(200);
  });
});

describe('routes', () => {
  test.each([['/v1/'], ['/v1/nope'], ['/v1/envs/abc'], ['/v1/envs/abc/nope/'], ['/v1/envs/abc/action_space/contains/']])(
    'GET %s: 404 not_found',
    async (path) => {
      expectError(await request(base, 'GET', path), 'not_found', 404);
    },
  );

  test.each([
    ['GET', '/v1/envs/abcd1234/step/', 'POST'],
    ['POST', '/v1/envs/abcd1234/action_space/', 'GET'],
    ['DELETE', '/v1/envs/', 'GET, POST'],
    ['PUT', '/v1/shutdown/', 'POST'],
  ])('%s %s: 405 with Allow: %s', async (method, path, allow) => {
    const reply = await request(base, method, path);
    expectError(reply, 'method_not_allowed', 405);
    expect(reply.headers.get('allow')).toBe(allow);
  });

  test('a path that is not valid percent-encoding: 400', async () => {
    expectError(await request(base, 'GET', '/v1/envs/%E0%A4%A/action_space/'), 'invalid_request', 400);
  });

  test('a body over the size limit: 413 message_too_large', async () => {
    const small = await startTestServer({ maxMessageBytes: 256 });
    try {
      const huge = JSON.stringify({ env_id: 'CartPole-v1', padding: 'x'.repeat(1000) });
      expectError(await request(small.httpUrl, 'POST', '/v1/envs/', huge), 'message_too_large', 413);
      expect((await request(small.httpUrl, 'POST', '/v1/envs/', { env_id: 'CartPole-v1' })).status).toBe(200);
    } finally {
      await small.close();
    }
  });

  test('more environments than restMaxEnvs: 429 too_many_envs, until one is closed', async () => {
    const capped = await startTestServer({ restMaxEnvs: 2 });
    try {
      const c = new PythonStyleClient(capped.httpUrl);
      const first = (await c.env_create('CartPole-v1')).json.instance_id;
      await c.env_create('CartPole-v1');
      expectError(await c.env_create('CartPole-v1'), 'too_many_envs', 429, /2 environments/);
      await c.env_close(first);
      expect((await c.env_create('CartPole-v1')).status).toBe(200);
    } finally {
      await capped.close();
    }
  });
});
