/** `palestra models` and `palestra delete`: from a data directory on disk, or from a running server with --url. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ModelStore } from '../../src/models/store';
import { cli, dataDir, serve } from './run';

const dir = dataDir();

beforeAll(async () => {
  const trained = await cli([
    'train', 'FrozenLake-v1', '--algo', 'q_learning', '--timesteps', '2000', '--seed', '1',
    '--env-kwarg', 'is_slippery=false', '--name', 'lake', '--session', 'class', '--data-dir', dir,
  ]);
  expect(trained.code).toBe(0);
  // A second model in another session: the first one saved again under a new name.
  const store = new ModelStore(dir);
  const { meta, params } = await store.load('lake');
  await store.save({ ...meta, name: 'pond', session: 'other', created_at: new Date(Date.parse(meta.created_at) + 1000).toISOString() }, params);
}, 120_000);

test('an empty data directory lists no models, as a sentence or as JSON', async () => {
  const empty = dataDir();
  const listed = await cli(['models', '--data-dir', empty]);
  expect(listed.code).toBe(0);
  expect(listed.out.trim()).toBe(`No saved models in ${join(empty, 'models')}`);
  const json = await cli(['models', '--data-dir', empty, '--json']);
  expect(JSON.parse(json.out)).toEqual({ models: [] });
});

test('models prints a table, newest first; --session filters; --json gives the records', async () => {
  const listed = await cli(['models', '--data-dir', dir]);
  expect(listed.code).toBe(0);
  const lines = listed.out.trim().split('\n');
  expect(lines[0].split(/\s{2,}/)).toEqual(['NAME', 'ALGORITHM', 'ENV', 'STEPS', 'MEAN100', 'EVAL', 'CREATED (UTC)', 'SIZE']);
  expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 4))).toEqual([
    ['pond', 'q_learning', 'FrozenLake-v1', '2000'],
    ['lake', 'q_learning', 'FrozenLake-v1', '2000'],
  ]);
  // The columns line up under the header.
  expect(lines[1].indexOf('q_learning')).toBe(lines[0].indexOf('ALGORITHM'));

  const session = await cli(['models', '--data-dir', dir, '--session', 'class']);
  expect(session.out.trim().split('\n').slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['lake']);

  const json = JSON.parse((await cli(['models', '--data-dir', dir, '--json'])).out);
  expect(json.models.map((m: { name: string }) => m.name)).toEqual(['pond', 'lake']);
  expect(json.models[1]).toMatchObject({ name: 'lake', algorithm: 'q_learning', env_id: 'FrozenLake-v1', session: 'class', timesteps: 2000 });
  expect(json.models[1].size_bytes).toBeGreaterThan(0);
}, 60_000);

test('with --url the running server lists and deletes; the model is gone from its data directory', async () => {
  const server = await serve(['--data-dir', dir, '--log-level', 'silent']);
  try {
    const listed = JSON.parse((await cli(['models', '--url', server.url, '--json'])).out);
    expect(listed.models.map((m: { name: string }) => m.name)).toEqual(['pond', 'lake']);
    const table = await cli(['models', '--url', server.url]);
    expect(table.out).toMatch(/^lake\s+q_learning\s+FrozenLake-v1\s+2000/m);

    const deleted = await cli(['delete', 'pond', '--url', server.url]);
    expect(deleted.code).toBe(0);
    expect(deleted.out.trim()).toBe(`Deleted model pond on ${server.url}`);
    expect(existsSync(join(dir, 'models', 'pond.json'))).toBe(false);

    const again = await cli(['delete', 'pond', '--url', server.url]);
    expect(again.code).toBe(1);
    expect(again.err.trim()).toBe('palestra: No saved model named pond');
  } finally {
    await server.stop();
  }
}, 90_000);

test('delete removes the file from the data directory; a second delete says there is no such model', async () => {
  const own = dataDir();
  const store = new ModelStore(own);
  const { meta, params } = await new ModelStore(dir).load('lake');
  await store.save({ ...meta, name: 'spare' }, params);
  const deleted = await cli(['delete', 'spare', '--data-dir', own]);
  expect(deleted.code).toBe(0);
  expect(deleted.out.trim()).toBe(`Deleted model spare from ${join(own, 'models')}`);
  expect(existsSync(join(own, 'models', 'spare.json'))).toBe(false);
  const again = await cli(['delete', 'spare', '--data-dir', own]);
  expect(again.code).toBe(1);
  expect(again.err.trim()).toBe('palestra: No saved model named spare');
}, 60_000);

test('mistakes: no name, a name that could escape the folder, both --url and --data-dir, no server there', async () => {
  const noName = await cli(['delete', '--data-dir', dir]);
  expect(noName.code).toBe(1);
  expect(noName.err.trim()).toBe('palestra: delete takes one model name; palestra delete --help lists the options');
  const escape = await cli(['delete', '../lake', '--data-dir', dir]);
  expect(escape.code).toBe(1);
  expect(escape.err).toMatch(/^palestra: Invalid model name "\.\.\/lake"/);
  expect(existsSync(join(dir, 'models', 'lake.json'))).toBe(true);
  const both = await cli(['models', '--url', 'ws://127.0.0.1:1', '--data-dir', dir]);
  expect(both.err.trim()).toBe('palestra: give --url or --data-dir, not both');
  const nobody = await cli(['models', '--url', 'ws://127.0.0.1:1']);
  expect(nobody.code).toBe(1);
  expect(nobody.err.trim()).toBe('palestra: cannot reach a Palestra server at ws://127.0.0.1:1 (nothing is listening there); start one with `palestra` or pass --url');
}, 60_000);
