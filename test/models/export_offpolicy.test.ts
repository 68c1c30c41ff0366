/** SAC and TD3 models through the TensorFlow.js export: the actor travels, and the imported model acts as the saved one. */
import * as tf from '@tensorflow/tfjs';
import { exportLayers, importLayers } from '../../src/models/tfjs_export';
import type { StoredModel } from '../../src/models/store';
import { Policy, PolicySpec } from '../../src/train/core/policy';
import { Rng } from '../../src/train/core/random';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const box = (low: number, high: number, n: number) => ({ name: 'Box', shape: [n], low: new Array(n).fill(low), high: new Array(n).fill(high), dtype: 'float32' });

function stored(kind: 'squashed_gaussian' | 'deterministic_actor'): StoredModel {
  const width = kind === 'squashed_gaussian' ? 4 : 2;
  const spec = { kind, observation_space: box(-1, 1, 3), action_space: box(-2, 2, 2), actor: { sizes: [3, 8, width], activation: 'relu' }, critic: { sizes: [5, 8, 1], activation: 'relu' } } as PolicySpec;
  const policy = new Policy(spec);
  policy.params.forEach((_, i, p) => (p[i] = Math.sin(i * 1.3 + 0.2) * 0.8));
  return { meta: { name: `m-${kind}`, algorithm: kind === 'squashed_gaussian' ? 'sac' : 'td3', policy: spec, curve: [], evaluations: [] } as never, params: policy.params };
}

test.each(['squashed_gaussian', 'deterministic_actor'] as const)('a %s policy exports its actor and imports acting the same', async (kind) => {
  const model = stored(kind);
  const files = await exportLayers(tf as never, model);
  const palestra = (files.modelJson.userDefinedMetadata as { palestra: { outputs: string[] } }).palestra;
  expect(palestra.outputs).toEqual([kind === 'squashed_gaussian' ? 'mean_and_raw_log_std' : 'action_squashed']);
  const back = importLayers(files, 1 << 20);
  const before = new Policy(model.meta.policy).load(model.params);
  const after = new Policy(back.meta.policy).load(back.params);
  for (const obs of [Float32Array.of(0.1, -0.5, 0.9), Float32Array.of(-1, 0.3, 0)]) {
    const a = before.predict(obs, null, true, new Rng(0)).action as Float32Array;
    expect(Array.from(after.predict(obs, null, true, new Rng(0)).action as Float32Array)).toEqual(Array.from(a));
  }
});
