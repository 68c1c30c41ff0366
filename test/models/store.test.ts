/** The model store answers catalogue errors for files it cannot use, never a bare Error. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PalestraError } from '../../src/errors';
import { ModelStore } from '../../src/models/store';
import { Policy } from '../../src/train/core/policy';

async function rejection(p: Promise<unknown>): Promise<PalestraError> {
  try {
    await p;
  } catch (err) {
    return err as PalestraError;
  }
  throw new Error('resolved');
}

test('a model file that is not JSON, or whose weights are cut short, is model_corrupt', async () => {
  const store = new ModelStore(mkdtempSync(join(tmpdir(), 'palestra-store-')));
  await store.init();
  mkdirSync(store.dir, { recursive: true });
  writeFileSync(join(store.dir, 'broken.json'), '{"name": "broken", ');
  const notJson = await rejection(store.load('broken'));
  expect(notJson).toBeInstanceOf(PalestraError);
  expect(notJson.errorName).toBe('model_corrupt');
  expect(notJson.code).toBe(3003);

  writeFileSync(join(store.dir, 'short.json'), JSON.stringify({ name: 'short', weights: { length: 4, data: Buffer.alloc(8).toString('base64') } }));
  const short = await rejection(store.load('short'));
  expect(short.errorName).toBe('model_corrupt');
  expect(short.message).toMatch(/8 bytes, expected 16/);

  expect((await rejection(store.load('absent'))).errorName).toBe('model_not_found');
  expect((await rejection(store.delete('absent'))).errorName).toBe('model_not_found');
});

test('weights that do not fit the policy are model_corrupt', () => {
  const policy = new Policy({
    kind: 'q_table',
    observation_space: { name: 'Discrete', n: 2, start: 0 },
    action_space: { name: 'Discrete', n: 2, start: 0 },
    states: 2,
    actions: 2,
  } as never);
  expect(() => policy.load(new Float32Array(3))).toThrow(expect.objectContaining({ errorName: 'model_corrupt' }));
});
