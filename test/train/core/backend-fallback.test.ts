/**
 * tfjs-node on disk without its native addon (install scripts skipped) throws when
 * loaded; the server must fall back to WebAssembly whatever the error says.
 */
jest.mock(
  '@tensorflow/tfjs-node',
  () => {
    throw new Error('Cannot find module tfjs_binding.node (a broken install, simulated)');
  },
  { virtual: true },
);

import { loadBackend } from '../../../src/train/core/backend';

test('a tfjs-node that throws on load is passed over for wasm, and the reason is kept', async () => {
  const backend = await loadBackend('auto');
  expect(backend.name).toBe('wasm');
  expect(backend.skipped).toEqual([{ name: 'tensorflow', reason: expect.stringMatching(/tfjs_binding\.node/) }]);
});

test('forcing that tfjs-node is an error that says why', async () => {
  await expect(loadBackend('tensorflow')).rejects.toThrow(/tfjs_binding\.node/);
});
