/** The numerics backend: chosen at start-up (tfjs-node, else wasm, else cpu), forceable, reported. */
import { BackendUnavailable, backendPreference, loadBackend } from '../../../src/train/core/backend';
import { RpcClient, startTestServer } from '../../helpers/server';

function tfjsNodeInstalled(): boolean {
  try {
    require.resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

test('auto picks the best backend that loads; here that is wasm unless tfjs-node is installed', async () => {
  const backend = await loadBackend('auto');
  if (tfjsNodeInstalled()) expect(backend.name).toBe('tensorflow');
  else {
    expect(backend.name).toBe('wasm');
    expect(backend.skipped.map((s) => s.name)).toEqual(['tensorflow']);
  }
  expect(backend.tf.getBackend()).toBe(backend.name);
});

test('option names: node is tensorflow, unknown names are refused', () => {
  expect(backendPreference(undefined)).toBe('auto');
  expect(backendPreference('node')).toBe('tensorflow');
  expect(() => backendPreference('gpu')).toThrow(BackendUnavailable);
});

test('start({ backend: "cpu" }) forces the CPU backend, and health and the workers use it', async () => {
  const server = await startTestServer({ backend: 'cpu' });
  const client = await RpcClient.connect(server.url);
  try {
    expect((await client.call('health')).backend).toBe('cpu');
    const reply = await client.call('train', { env_id: 'CartPole-v1', total_timesteps: 256, seed: 1 });
    await client.call('stop', { job_id: reply.job_id }).catch(() => undefined);
    const job = await client.call('job', { job_id: reply.job_id });
    // A stop answers once the loop ends; the save may still be under way.
    expect(['completed', 'stopped', 'saving']).toContain(job.status);
    expect(job.backend).toBe('cpu');
  } finally {
    client.close();
    await server.close();
  }
});

test('a forced backend that cannot load stops the server from starting, with the reason', async () => {
  await expect(startTestServer({ backend: 'bogus' })).rejects.toThrow(/Unknown backend "bogus"/);
  if (!tfjsNodeInstalled()) await expect(startTestServer({ backend: 'tensorflow' })).rejects.toThrow(/tensorflow: /);
});
