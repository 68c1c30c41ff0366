/**
 * Pathmind's policy routes: /predict/, /predict_deterministic/, /distribution/,
 * /predict_raw/ and /schema, at the root for --serve-model and under
 * /models/{name}/ for every model; FastAPI's 422, 404 and 403 bodies.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PalestraServer } from '../../../src';
import { validateOpenApi } from '../../helpers/openapi';
import { RpcClient, startTestServer } from '../../helpers/server';
import { finalFrame } from '../../train/helpers';
import { Policy } from '../../../src/train/core/policy';
import { actorCritic, cartpoleObservation, described, Box, Dict, Discrete, qNetwork, saveModel } from './models';

const SCHEMA_YAML = `Observation:
  type: "object"
  required: [cart_position, cart_velocity, pole_angle, pole_angular_velocity]
  properties:
    cart_position:
      type: "number"
      format: "float"
      description: "Cart position, -4.8 to 4.8"
    cart_velocity:
      type: "number"
      description: "Cart velocity"
    pole_angle:
      type: "number"
      minimum: -0.418
      maximum: 0.418
      description: "Pole angle in radians"
    pole_angular_velocity:
      type: "number"
      description: "Pole angular velocity"
`;

let dataDir: string;
let server: PalestraServer;
let cartpole: Policy;
const discrete2 = { name: 'Discrete', n: 2, start: 0 };

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.httpUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

async function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.httpUrl}${path}`, { headers });
  return { status: res.status, body: await res.json() };
}

const named = (o: number[]) => ({ cart_position: o[0], cart_velocity: o[1], pole_angle: o[2], pole_angular_velocity: o[3] });
const observations = [
  [0.01, -0.02, 0.03, 0.04],
  [1.5, 0.3, -0.2, -1.1],
  [-2, -1, 0.1, 2],
  [0.5, 2.5, 0.35, 0.8],
];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'palestra-policy-'));
  cartpole = actorCritic(cartpoleObservation(), discrete2);
  await saveModel(dataDir, 'cartpole', cartpole, { env_id: 'CartPole-v1' });
  await saveModel(dataDir, 'named', actorCritic(cartpoleObservation(), discrete2), { observation_names: ['x', 'x_dot', 'theta', 'theta_dot'] });
  const dict = described(new Dict({ position: new Box(-1, 1, [2]), mode: new Discrete(3, 1) }) as never);
  await saveModel(dataDir, 'dict', actorCritic(dict, { name: 'Discrete', n: 3, start: -1 }));
  await saveModel(dataDir, 'reacher', actorCritic(described(new Box(-5, 5, [3]) as never), described(new Box(-1, 1, [2]) as never)));
  await saveModel(dataDir, 'greedy', qNetwork(cartpoleObservation(), 2));
  const schemaFile = join(dataDir, 'schema.yaml');
  writeFileSync(schemaFile, SCHEMA_YAML);
  server = await startTestServer({ dataDir, serveModel: 'cartpole', observationSchema: schemaFile });
});

afterAll(async () => {
  await server.close();
});

test('POST /predict/ takes the schema.yaml fields and answers {actions, probability}, the action among the policy\'s', async () => {
  for (const o of observations) {
    const { status, body } = await post('/predict/', named(o));
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['actions', 'probability']);
    expect(body.actions).toHaveLength(1);
    expect([0, 1]).toContain(body.actions[0]);
    const probs = cartpole.predict(Float32Array.from(o), null, true, null as never).action_probs!;
    expect(body.probability).toBeCloseTo(probs[body.actions[0]], 5);
  }
});

test('/predict_deterministic/ answers the most likely action; /distribution/ every action\'s probability; both agree with predict', async () => {
  for (const o of observations) {
    const probs = cartpole.predict(Float32Array.from(o), null, true, null as never).action_probs!;
    const best = probs[1] > probs[0] ? 1 : 0;
    const det = await post('/predict_deterministic/', named(o));
    expect(det).toEqual({ status: 200, body: { actions: [best], probability: expect.closeTo(probs[best], 5) } });
    const dist = await post('/distribution/', named(o));
    expect(dist.status).toBe(200);
    expect(Object.keys(dist.body)).toEqual(['0', '1']);
    expect(dist.body['0']).toBeCloseTo(probs[0], 5);
    expect(dist.body['0'] + dist.body['1']).toBeCloseTo(1, 6);
  }
  // The root routes and the model's own routes are the same policy.
  const o = observations[1];
  expect((await post('/models/cartpole/distribution/', { obs: o })).body).toEqual((await post('/distribution/', named(o))).body);
});

test('/predict_raw/ takes the flattened observation; a wrong length is a 422 on obs', async () => {
  const { status, body } = await post('/predict_raw/', { obs: observations[2] });
  expect(status).toBe(200);
  expect([0, 1]).toContain(body.actions[0]);
  const short = await post('/predict_raw/', { obs: [1, 2, 3] });
  expect(short.status).toBe(422);
  expect(short.body.detail[0]).toMatchObject({ loc: ['body', 'obs'], type: 'too_short', msg: 'List should have at least 4 items after validation, not 3' });
  const notNumbers = await post('/predict_raw/', { obs: [1, 'x', 3, 4] });
  expect(notNumbers.status).toBe(422);
  expect(notNumbers.body.detail[0]).toEqual({ loc: ['body', 'obs', 1], msg: 'Input should be a valid number', type: 'float_type', input: 'x' });
  const missing = await post('/predict_raw/', {});
  expect(missing.body.detail).toEqual([{ loc: ['body', 'obs'], msg: 'Field required', type: 'missing' }]);
});

test('GET /schema answers the schema file as an Observation object, fields in declared order', async () => {
  const { status, body } = await get('/schema');
  expect(status).toBe(200);
  expect(Object.keys(body.Observation.properties)).toEqual(['cart_position', 'cart_velocity', 'pole_angle', 'pole_angular_velocity']);
  expect(body.Observation.properties.pole_angle).toMatchObject({ type: 'number', minimum: -0.418, maximum: 0.418, description: 'Pole angle in radians' });
  expect(body.Observation.required).toEqual(['cart_position', 'cart_velocity', 'pole_angle', 'pole_angular_velocity']);
});

test('a bad observation is a 422 in FastAPI\'s (pydantic 2) shape naming the field: missing, wrong type, out of range', async () => {
  const { pole_angle: _dropped, ...missing } = named(observations[0]);
  const a = await post('/predict/', missing);
  expect(a).toEqual({ status: 422, body: { detail: [{ loc: ['body', 'pole_angle'], msg: 'Field required', type: 'missing' }], message: 'body.pole_angle: Field required', code: 4010, name: 'validation_error' } });
  const b = await post('/predict_deterministic/', { ...named(observations[0]), cart_velocity: 'fast' });
  expect(b.status).toBe(422);
  expect(b.body.detail).toEqual([{ loc: ['body', 'cart_velocity'], msg: 'Input should be a valid number', type: 'float_type', input: 'fast' }]);
  const c = await post('/distribution/', { ...named(observations[0]), pole_angle: 1.2 });
  expect(c.status).toBe(422);
  expect(c.body.detail).toEqual([{ loc: ['body', 'pole_angle'], msg: 'Input should be less than or equal to 0.418', type: 'less_than_equal', input: 1.2 }]);
  const d = await post('/predict/', [1, 2, 3, 4]);
  expect(d.status).toBe(422);
  expect(d.body.detail[0]).toMatchObject({ loc: ['body'], type: 'dict_type' });
  // Extra keys are ignored, as pydantic ignores them.
  expect((await post('/predict/', { ...named(observations[0]), note: 'hi' })).status).toBe(200);
});

test('every model has the routes under /models/{name}/, its fields from its space: Box as obs, saved names, Dict keys', async () => {
  const box = await get('/models/cartpole/schema');
  expect(Object.keys(box.body.Observation.properties)).toEqual(['obs']);
  expect(box.body.Observation.properties.obs).toMatchObject({ type: 'array', minItems: 4, maxItems: 4 });
  expect((await post('/models/cartpole/predict/', { obs: observations[0] })).status).toBe(200);

  const names = await get('/models/named/schema');
  expect(Object.keys(names.body.Observation.properties)).toEqual(['x', 'x_dot', 'theta', 'theta_dot']);
  expect(names.body.Observation.properties.theta).toMatchObject({ type: 'number' });
  expect((await post('/models/named/predict/', { x: 0, x_dot: 0, theta: 0.1, theta_dot: 0 })).status).toBe(200);
  expect((await post('/models/named/predict/', { x: 0, x_dot: 0, theta: 0.1 })).body.detail[0].loc).toEqual(['body', 'theta_dot']);

  const dict = await get('/models/dict/schema');
  expect(Object.keys(dict.body.Observation.properties)).toEqual(['mode', 'position']);
  expect(dict.body.Observation.properties.mode).toMatchObject({ type: 'integer', minimum: 1, maximum: 3 });
  const dist = await post('/models/dict/distribution/', { mode: 2, position: [0.5, -0.5] });
  expect(dist.status).toBe(200);
  // Actions numbered as the environment numbers them (Discrete(3, start=-1)).
  expect(Object.keys(dist.body).sort()).toEqual(['-1', '0', '1']);
  const det = await post('/models/dict/predict_deterministic/', { mode: 2, position: [0.5, -0.5] });
  expect(det.body.probability).toBeCloseTo(Math.max(...(Object.values(dist.body) as number[])), 6);
  expect(det.body.actions[0]).toBe(Number(Object.entries(dist.body).sort((x: any, y: any) => y[1] - x[1])[0][0]));
  const bad = await post('/models/dict/predict/', { mode: 4, position: [0.5, -0.5] });
  expect(bad.body.detail).toEqual([{ loc: ['body', 'mode'], msg: 'Input should be less than or equal to 3', type: 'less_than_equal', input: 4 }]);
  const raw = await post('/models/dict/predict_raw/', { obs: [2, 0.5, -0.5] });
  expect(raw.status).toBe(200);
});

test('observation names given to train are saved with the model and become its fields; wrong names are refused', async () => {
  const client = await RpcClient.connect(server.url);
  try {
    const names = ['cart_x', 'cart_v', 'pole_theta', 'pole_omega'];
    const reply = await client.call('train', { env_id: 'CartPole-v1', algorithm: 'ppo', total_timesteps: 64, seed: 3, name: 'trained-named', observation_names: names });
    expect((await finalFrame(client, reply.job_id)).method).toBe('train.done');
    const schema = await get('/models/trained-named/schema');
    expect(Object.keys(schema.body.Observation.properties)).toEqual(names);
    const det = await post('/models/trained-named/predict_deterministic/', { cart_x: 0, cart_v: 0.1, pole_theta: 0.02, pole_omega: -0.1 });
    expect(det.status).toBe(200);
    await expect(client.call('train', { env_id: 'CartPole-v1', total_timesteps: 64, observation_names: ['a', 'b'] })).rejects.toMatchObject({
      code: -32602,
      message: 'observation_names must be 4 distinct names, one for each element of CartPole-v1\'s observation',
    });
    await expect(client.call('train', { env_id: 'FrozenLake-v1', total_timesteps: 64, observation_names: ['cell'] })).rejects.toMatchObject({ code: -32602 });
  } finally {
    await client.close();
  }
}, 60_000);

test('a Box action space: actions are the vector within its bounds, with a density; /distribution/ is refused', async () => {
  const det = await post('/models/reacher/predict_deterministic/', { obs: [1, 2, 3] });
  expect(det.status).toBe(200);
  expect(det.body.actions).toHaveLength(2);
  for (const a of det.body.actions) expect(Math.abs(a)).toBeLessThanOrEqual(1);
  expect(det.body.probability).toBeGreaterThan(0);
  const dist = await post('/models/reacher/distribution/', { obs: [1, 2, 3] });
  expect(dist.status).toBe(400);
  expect(dist.body).toMatchObject({ detail: expect.stringContaining('discrete action spaces'), name: 'not_supported' });
});

test('a Q policy answers its greedy action with probability 1', async () => {
  const { body } = await post('/models/greedy/predict/', { obs: observations[1] });
  expect(body.probability).toBe(1);
  const dist = await post('/models/greedy/distribution/', { obs: observations[1] });
  expect(dist.body[String(body.actions[0])]).toBe(1);
});

test('an unknown model is a 404 {"detail": ...}; an invalid name a 400', async () => {
  const a = await post('/models/nothing-here/predict/', { obs: [0, 0, 0, 0] });
  expect(a).toEqual({ status: 404, body: { detail: 'No saved model named nothing-here', code: 3000, name: 'model_not_found', data: { model: 'nothing-here' } } });
  expect((await get('/models/nothing-here/schema')).status).toBe(404);
  expect((await get('/models/nothing-here/export')).status).toBe(404);
  expect((await post('/models/..hidden/predict/', { obs: [0, 0, 0, 0] })).status).toBe(400);
});

test('/openapi.json documents every policy route, the served model\'s fields as its /predict/ body, and stays valid', async () => {
  const { body: doc } = await get('/openapi.json');
  const paths = [
    ...['/predict/', '/predict_deterministic/', '/distribution/', '/predict_raw/'].flatMap((p) => [[p, 'post'], [`/models/{name}${p}`, 'post']]),
    ['/schema', 'get'],
    ['/models/{name}/schema', 'get'],
    ['/models/{name}/export', 'get'],
    ['/models/{name}/export/model.json', 'get'],
    ['/models/{name}/export/weights.bin', 'get'],
    ['/models/import', 'post'],
  ];
  for (const [path, method] of paths) expect([path, method, doc.paths[path]?.[method] !== undefined]).toEqual([path, method, true]);
  const predict = doc.paths['/predict/'].post;
  expect(Object.keys(predict.requestBody.content['application/json'].schema.properties)).toEqual(['cart_position', 'cart_velocity', 'pole_angle', 'pole_angular_velocity']);
  expect(predict.responses['200'].content['application/json'].schema.required).toEqual(['actions', 'probability']);
  expect(predict.responses['422'].content['application/json'].schema.properties.detail.type).toBe('array');
  expect(doc.paths['/models/{name}/predict/'].post.parameters).toEqual([expect.objectContaining({ name: 'name', in: 'path', required: true })]);
  expect(validateOpenApi(doc)).toMatchObject({ valid: true, errors: null });
  // GET / lists them among the endpoints, as the GRPO API's root does.
  expect((await get('/')).body.endpoints).toMatchObject({
    predict: 'POST /predict/',
    distribution: 'POST /distribution/',
    schema: 'GET /schema',
    model_predict: 'POST /models/{name}/predict/',
    export_model: 'GET /models/{name}/export',
    import_model: 'POST /models/import',
  });
}, 30000);

describe('with API keys', () => {
  let keyed: PalestraServer;
  beforeAll(async () => {
    keyed = await startTestServer({ dataDir, apiKey: 'sesame-1234', serveModel: 'cartpole' });
  });
  afterAll(async () => {
    await keyed.close();
  });

  test("every policy route answers Pathmind's 403 without a key, and works with access_token", async () => {
    const routes: [string, string, unknown?][] = [
      ['POST', '/predict/', { obs: observations[0] }],
      ['POST', '/predict_deterministic/', { obs: observations[0] }],
      ['POST', '/distribution/', { obs: observations[0] }],
      ['POST', '/predict_raw/', { obs: observations[0] }],
      ['GET', '/schema'],
      ['POST', '/models/cartpole/predict/', { obs: observations[0] }],
      ['GET', '/models/cartpole/schema'],
      ['GET', '/models/cartpole/export'],
    ];
    for (const [method, path, body] of routes) {
      const init = { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) };
      const refused = await fetch(`${keyed.httpUrl}${path}`, init);
      expect([path, refused.status]).toEqual([path, 403]);
      expect(await refused.json()).toEqual({ detail: 'Could not validate credentials' });
      const wrong = await fetch(`${keyed.httpUrl}${path}`, { ...init, headers: { ...init.headers, access_token: 'nope' } });
      expect([path, wrong.status]).toEqual([path, 403]);
      const ok = await fetch(`${keyed.httpUrl}${path}`, { ...init, headers: { ...init.headers, access_token: 'sesame-1234' } });
      expect([path, ok.status]).toEqual([path, 200]);
    }
  });
});

describe('with several users', () => {
  let shared: PalestraServer;
  beforeAll(async () => {
    const usersDir = mkdtempSync(join(tmpdir(), 'palestra-policy-users-'));
    await saveModel(usersDir, 'alices', actorCritic(cartpoleObservation(), discrete2), { owner: 'alice' });
    writeFileSync(join(usersDir, 'keys.json'), JSON.stringify({ 'alice-key-0001': { name: 'alice' }, 'bob-key-0002': { name: 'bob' } }));
    shared = await startTestServer({ dataDir: usersDir, apiKeysFile: join(usersDir, 'keys.json'), serveModel: 'alices' });
  });
  afterAll(async () => {
    await shared.close();
  });

  test("a model's own routes are its owner's: another user gets 404 as for a name never saved; the served model answers every key", async () => {
    const call = (path: string, key: string) =>
      fetch(`${shared.httpUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', access_token: key }, body: JSON.stringify({ obs: observations[0] }) });
    expect((await call('/models/alices/predict/', 'alice-key-0001')).status).toBe(200);
    const hidden = await call('/models/alices/predict/', 'bob-key-0002');
    expect(hidden.status).toBe(404);
    expect((await hidden.json()).detail).toBe('No saved model named alices');
    expect((await fetch(`${shared.httpUrl}/models/alices/export`, { headers: { access_token: 'bob-key-0002' } })).status).toBe(404);
    expect((await call('/predict/', 'bob-key-0002')).status).toBe(200);
  });
});
