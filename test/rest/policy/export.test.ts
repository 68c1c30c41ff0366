/**
 * Model export and import: GET /models/{name}/export is a zip of a
 * TensorFlow.js LayersModel that tf.loadLayersModel loads and that acts as
 * /predict_deterministic/ does; the same files load by URL; POST
 * /models/import brings an export or a Palestra model file back.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { strFromU8, unzipSync, zipSync, strToU8 } from 'fflate';
import type { PalestraServer } from '../../../src';
import { startTestServer } from '../../helpers/server';
import { actorCritic, actorOnly, cartpoleObservation, described, Box, Discrete, qNetwork, saveModel } from './models';

let dataDir: string;
let server: PalestraServer;

const observations = [
  [0.01, -0.02, 0.03, 0.04],
  [1.5, 0.3, -0.2, -1.1],
  [-2, -1, 0.1, 2],
  [0.5, 2.5, 0.35, 0.8],
  [-0.3, 0.9, -0.3, -2.5],
  [2.2, -1.8, 0.05, 0.6],
];

beforeAll(async () => {
  await tf.setBackend('cpu');
  dataDir = mkdtempSync(join(tmpdir(), 'palestra-export-'));
  await saveModel(dataDir, 'cartpole', actorCritic(cartpoleObservation(), { name: 'Discrete', n: 2, start: 0 }), { env_id: 'CartPole-v1' });
  await saveModel(dataDir, 'greedy', qNetwork(cartpoleObservation(), 2));
  await saveModel(dataDir, 'lone', actorOnly(cartpoleObservation(), { name: 'Discrete', n: 2, start: 0 }), { env_id: 'CartPole-v1' });
  await saveModel(dataDir, 'reacher', actorCritic(described(new Box(-5, 5, [3]) as never), described(new Box(-1, 1, [2]) as never)));
  // A one-hot input: FrozenLake-like Discrete observations.
  await saveModel(dataDir, 'lake', actorCritic(described(new Discrete(16) as never), { name: 'Discrete', n: 4, start: 0 }));
  server = await startTestServer({ dataDir, maxModelBytes: 64 * 1024 });
});

afterAll(async () => {
  await server.close();
});

async function download(name: string): Promise<{ status: number; type: string | null; disposition: string | null; bytes: Uint8Array }> {
  const res = await fetch(`${server.httpUrl}/models/${name}/export`);
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), bytes: new Uint8Array(await res.arrayBuffer()) };
}

/** Loads an unzipped export the way a browser loads user-picked files: model.json, then the weights it names. */
function loadFromFiles(files: Record<string, Uint8Array>): Promise<tf.LayersModel> {
  const modelJson = JSON.parse(strFromU8(files['model.json']));
  return tf.loadLayersModel({
    load: async () => {
      const specs = modelJson.weightsManifest.flatMap((g: { weights: tf.io.WeightsManifestEntry[] }) => g.weights);
      const paths: string[] = modelJson.weightsManifest.flatMap((g: { paths: string[] }) => g.paths);
      const data = paths.map((p) => files[p]);
      const weightData = new Uint8Array(data.reduce((n, d) => n + d.length, 0));
      let at = 0;
      for (const d of data) {
        weightData.set(d, at);
        at += d.length;
      }
      return { modelTopology: modelJson.modelTopology, weightSpecs: specs, weightData: weightData.buffer, userDefinedMetadata: modelJson.userDefinedMetadata, format: modelJson.format };
    },
  });
}

async function deterministic(model: string, obs: number[] | number): Promise<{ actions: number[]; probability: number }> {
  const res = await fetch(`${server.httpUrl}/models/${model}/predict_deterministic/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ obs }) });
  expect(res.status).toBe(200);
  return res.json();
}

function outputs(model: tf.LayersModel, rows: number[][]): number[][][] {
  const out = model.predict(tf.tensor2d(rows)) as tf.Tensor | tf.Tensor[];
  return (Array.isArray(out) ? out : [out]).map((t) => t.arraySync() as number[][]);
}

const argmax = (row: number[]) => row.indexOf(Math.max(...row));

test('the export is a zip of model.json and weights.bin that tf.loadLayersModel loads and that acts as predict does', async () => {
  const { status, type, disposition, bytes } = await download('cartpole');
  expect(status).toBe(200);
  expect(type).toBe('application/zip');
  expect(disposition).toBe('attachment; filename="cartpole.tfjs.zip"');
  const files = unzipSync(bytes);
  expect(Object.keys(files).sort()).toEqual(['model.json', 'weights.bin']);
  const modelJson = JSON.parse(strFromU8(files['model.json']));
  expect(modelJson.format).toBe('layers-model');
  expect(modelJson.weightsManifest[0].paths).toEqual(['weights.bin']);
  expect(modelJson.userDefinedMetadata.palestra.outputs).toEqual(['action_probs', 'value']);

  const model = await loadFromFiles(files);
  const [probs, values] = outputs(model, observations);
  for (let i = 0; i < observations.length; i++) {
    const served = await deterministic('cartpole', observations[i]);
    expect(argmax(probs[i])).toBe(served.actions[0]);
    expect(probs[i][served.actions[0]]).toBeCloseTo(served.probability, 5);
    expect(values[i]).toHaveLength(1);
  }
  model.dispose();
});

test('tf.loadLayersModel(url) loads the same model straight from /models/{name}/export/model.json', async () => {
  // tf's own HTTP loader fetches model.json, then weights.bin beside it. Under jest, Node's fetch parses JSON
  // into objects of another realm, which tf's `instanceof` checks refuse; reading the text here avoids that.
  const fetchFunc = async (url: string | URL | Request, init?: RequestInit) => {
    const res = await fetch(url, init);
    const body = new Uint8Array(await res.arrayBuffer());
    return { ok: res.ok, status: res.status, headers: res.headers, url, json: async () => JSON.parse(strFromU8(body)), arrayBuffer: async () => body.slice().buffer };
  };
  const model = await tf.loadLayersModel(`${server.httpUrl}/models/greedy/export/model.json`, { fetchFunc: fetchFunc as unknown as typeof fetch });
  const [q] = outputs(model, observations);
  for (let i = 0; i < observations.length; i++) expect(argmax(q[i])).toBe((await deterministic('greedy', observations[i])).actions[0]);
  model.dispose();
});

test('a Box policy exports its mean; a Discrete observation is read one-hot', async () => {
  const reacher = await loadFromFiles(unzipSync((await download('reacher')).bytes));
  const rows = [
    [1, 2, 3],
    [-4, 0.5, 2],
  ];
  const [means] = outputs(reacher, rows);
  for (let i = 0; i < rows.length; i++) {
    const served = await deterministic('reacher', rows[i]);
    served.actions.forEach((a, j) => expect(a).toBeCloseTo(Math.min(1, Math.max(-1, means[i][j])), 5));
  }
  reacher.dispose();

  const lake = await loadFromFiles(unzipSync((await download('lake')).bytes));
  const oneHot = (k: number) => Array.from({ length: 16 }, (_, i) => (i === k ? 1 : 0));
  const [probs] = outputs(lake, [3, 7, 12].map(oneHot));
  for (const [i, k] of [3, 7, 12].entries()) expect(argmax(probs[i])).toBe((await deterministic('lake', k)).actions[0]);
  lake.dispose();
});

test('a lone actor (REINFORCE, GRPO) exports its action probabilities only, and imports back acting the same', async () => {
  const { bytes } = await download('lone');
  const files = unzipSync(bytes);
  expect(JSON.parse(strFromU8(files['model.json'])).userDefinedMetadata.palestra.outputs).toEqual(['action_probs']);
  const model = await loadFromFiles(files);
  const [probs] = outputs(model, observations);
  for (let i = 0; i < observations.length; i++) expect(argmax(probs[i])).toBe((await deterministic('lone', observations[i])).actions[0]);
  model.dispose();
  expect((await upload('?name=lone-copy', bytes, 'application/zip')).status).toBe(201);
  for (const o of observations) expect(await deterministic('lone-copy', o)).toEqual(await deterministic('lone', o));
});

async function upload(query: string, body: Uint8Array | string, type: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.httpUrl}/models/import${query}`, { method: 'POST', headers: { 'content-type': type }, body: typeof body === 'string' ? body : Buffer.from(body) });
  return { status: res.status, body: await res.json() };
}

test('POST /models/import brings an export back under a new name: same actions, same values', async () => {
  const { bytes } = await download('cartpole');
  const imported = await upload('?name=cartpole-copy', bytes, 'application/zip');
  expect(imported.status).toBe(201);
  expect(imported.body).toMatchObject({ imported: 'cartpole-copy', model: { name: 'cartpole-copy', algorithm: 'ppo', env_id: 'CartPole-v1' } });
  for (const o of observations) expect(await deterministic('cartpole-copy', o)).toEqual(await deterministic('cartpole', o));
  // A Gaussian policy keeps its standard deviation: the density of the mean is the same.
  expect((await upload('?name=reacher-copy', (await download('reacher')).bytes, 'application/zip')).status).toBe(201);
  expect(await deterministic('reacher-copy', [1, 2, 3])).toEqual(await deterministic('reacher', [1, 2, 3]));
  // The name is taken now; overwrite replaces it.
  expect((await upload('?name=cartpole-copy', bytes, 'application/zip')).status).toBe(409);
  expect((await upload('?name=cartpole-copy&overwrite=true', bytes, 'application/zip')).status).toBe(201);
});

test('POST /models/import reads a Palestra model file as the models folder holds it, with observation names', async () => {
  const file = readFileSync(join(dataDir, 'models', 'greedy.json'), 'utf8');
  const imported = await upload('?name=greedy-named&observation_names=x,x_dot,theta,theta_dot', file, 'application/json');
  expect(imported.status).toBe(201);
  const schema = await (await fetch(`${server.httpUrl}/models/greedy-named/schema`)).json();
  expect(Object.keys(schema.Observation.properties)).toEqual(['x', 'x_dot', 'theta', 'theta_dot']);
  const res = await fetch(`${server.httpUrl}/models/greedy-named/predict_deterministic/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ x: 1.5, x_dot: 0.3, theta: -0.2, theta_dot: -1.1 }),
  });
  expect((await res.json()).actions).toEqual((await deterministic('greedy', observations[1])).actions);
  const badNames = await upload('?name=greedy-bad&observation_names=a,b', file, 'application/json');
  expect(badNames.status).toBe(400);
  expect(badNames.body.detail).toMatch(/observation_names must be 4 distinct names/);
});

test('a bad upload is refused with a catalogue error: not a zip, no model.json, missing weights, a model too large', async () => {
  const notZip = await upload('?name=x1', strToU8('hello'), 'application/zip');
  expect(notZip).toMatchObject({ status: 400, body: { name: 'model_import_invalid', code: 3012 } });
  const noModel = await upload('?name=x2', zipSync({ 'readme.txt': strToU8('hi') }), 'application/zip');
  expect(noModel.body).toMatchObject({ name: 'model_import_invalid', detail: expect.stringContaining('no model.json') });
  const files = unzipSync((await download('cartpole')).bytes);
  const noWeights = await upload('?name=x3', zipSync({ 'model.json': files['model.json'] }), 'application/zip');
  expect(noWeights.body).toMatchObject({ name: 'model_import_invalid', detail: expect.stringContaining('weights.bin') });
  const shortWeights = await upload('?name=x4', zipSync({ 'model.json': files['model.json'], 'weights.bin': files['weights.bin'].slice(0, 40) }), 'application/zip');
  expect(shortWeights.body).toMatchObject({ name: 'model_import_invalid' });
  const alone = await upload('?name=x5', strFromU8(files['model.json']), 'application/json');
  expect(alone.body).toMatchObject({ name: 'model_import_invalid', detail: expect.stringContaining('no weights') });
  const notAModel = await upload('?name=x6', JSON.stringify({ hello: 1 }), 'application/json');
  expect(notAModel).toMatchObject({ status: 400, body: { name: 'model_import_invalid' } });
  // Past --max-model-bytes (64 KiB here): a wide network's file.
  const big = JSON.parse(readFileSync(join(dataDir, 'models', 'greedy.json'), 'utf8'));
  big.policy.q.sizes = [4, 4096, 2];
  const tooLarge = await upload('?name=x7', JSON.stringify(big), 'application/json');
  expect(tooLarge).toMatchObject({ status: 413, body: { name: 'model_too_large' } });
  // An export whose metadata claims a huge network is refused before anything is allocated for it.
  const claimed = JSON.parse(strFromU8(files['model.json']));
  claimed.userDefinedMetadata.palestra.meta.policy.actor.sizes = [4, 10_000_000, 2];
  const huge = await upload('?name=x8', zipSync({ 'model.json': strToU8(JSON.stringify(claimed)), 'weights.bin': files['weights.bin'] }), 'application/zip');
  expect(huge).toMatchObject({ status: 413, body: { name: 'model_too_large' } });
  const badName = await upload('?name=../evil', (await download('cartpole')).bytes, 'application/zip');
  expect(badName).toMatchObject({ status: 400, body: { name: 'invalid_model_name' } });
  const listed = await (await fetch(`${server.httpUrl}/models/x1/schema`)).json();
  expect(listed.name).toBe('model_not_found');
});

test('an upload larger than twice --max-model-bytes plus --max-message-bytes is refused unread (413)', async () => {
  const limit = 64 * 1024 * 2 + 1024 * 1024;
  const res = await upload('?name=huge', new Uint8Array(limit + 1), 'application/zip');
  expect(res).toMatchObject({ status: 413, body: { name: 'message_too_large' } });
});

test('imports count against --max-models-per-user', async () => {
  const own = mkdtempSync(join(tmpdir(), 'palestra-import-quota-'));
  const small = await startTestServer({ dataDir: own, maxModelsPerUser: 1 });
  try {
    const bytes = (await download('cartpole')).bytes;
    const send = (name: string) => fetch(`${small.httpUrl}/models/import?name=${name}`, { method: 'POST', headers: { 'content-type': 'application/zip' }, body: Buffer.from(bytes) });
    expect((await send('first')).status).toBe(201);
    const refused = await send('second');
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ name: 'quota_exceeded', data: { limit: 'max_models_per_user' } });
  } finally {
    await small.close();
  }
});
