/**
 * A saved policy as a TensorFlow.js LayersModel, and back. The export is
 * the folder `tf.loadLayersModel` reads (`model.json` beside `weights.bin`),
 * zipped into one download; the model maps the encoded observation to the
 * action head (softmax probabilities for Discrete actions, the Gaussian's mean
 * for Box, Q-values for Q policies) and, for actor-critics, the state value;
 * SAC and TD3 export their actor only, so an import acts but its critics start from zero.
 * `model.json`'s `userDefinedMetadata.palestra` keeps what the layers cannot:
 * the model's record, its spaces and a Gaussian's log standard deviation,
 * so an import rebuilds the same Palestra model.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import { PalestraError } from '../errors';
import type { Tf } from '../train/core/backend';
import type { MLP } from '../train/core/nn';
import { Policy } from '../train/core/policy';
import { VERSION } from '../version';
import type { ModelMeta, StoredModel } from './store';

/** The files of an export. */
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** The version of `userDefinedMetadata.palestra`. */
const EXPORT_FORMAT = 1;

/** What an export keeps beside the layers. */
interface PalestraMetadata {
  format: number;
  meta: Omit<ModelMeta, 'curve' | 'evaluations'>;
  log_std: number[] | null;
  outputs: string[];
}

/** An export as files: `model.json` (parsed) and the weights' bytes. */
export interface LayersExport {
  modelJson: Record<string, unknown>;
  weights: Uint8Array;
}

/** The networks of a policy as named layer stacks, and what each output means. */
function heads(policy: Policy): { prefix: string; net: MLP; last: 'softmax' | 'linear' | 'tanh'; output: string }[] {
  // SAC and TD3 export their actor alone (their critics take the action as a second input): TD3's tanh output is the
  // action in [-1, 1] before scaling to the Box; SAC's linear output is the Gaussian's means then its raw log-stds.
  if (policy.twinQ) {
    const deterministic = policy.spec.kind === 'deterministic_actor';
    return [{ prefix: 'actor', net: policy.actor!, last: deterministic ? 'tanh' : 'linear', output: deterministic ? 'action_squashed' : 'mean_and_raw_log_std' }];
  }
  if (policy.actor) {
    const discrete = policy.actions.type === 'discrete';
    const actor = { prefix: 'actor', net: policy.actor, last: discrete ? 'softmax' : 'linear', output: discrete ? 'action_probs' : 'action_mean' } as const;
    // A lone actor (REINFORCE, GRPO) has no value head.
    return policy.critic ? [actor, { prefix: 'critic', net: policy.critic, last: 'linear', output: 'value' }] : [actor];
  }
  if (policy.q) return [{ prefix: 'q', net: policy.q, last: 'linear', output: 'q_values' }];
  return [];
}

/** Builds the policy as a tf LayersModel (the caller disposes it). */
function layersModel(tf: Tf, policy: Policy): { model: LayersModel; outputs: string[] } {
  const input = tf.input({ shape: [policy.encoder.size], name: 'observation' });
  const outputs: SymbolicTensor[] = [];
  const names: string[] = [];
  const stacks = heads(policy);
  if (stacks.length === 0) {
    // A Q table over a Discrete observation is a dense layer without bias on its one-hot input.
    const spec = policy.spec;
    if (spec.kind !== 'q_table' || policy.encoder.size !== spec.states) {
      throw new PalestraError('not_supported', 'Only Q tables over a Discrete observation space can be exported as a layers model');
    }
    const layer = tf.layers.dense({ units: spec.actions, useBias: false, name: 'q_0' });
    outputs.push(layer.apply(input) as SymbolicTensor);
    tf.tidy(() => layer.setWeights([tf.tensor2d(policy.set.view(policy.table!), [spec.states, spec.actions])]));
    names.push('q_values');
  }
  for (const { prefix, net, last, output } of stacks) {
    let h = input;
    net.layers.forEach((slot, l) => {
      const final = l === net.layers.length - 1;
      const layer = tf.layers.dense({ units: slot.outSize, activation: final ? last : net.activation, name: `${prefix}_${l}` });
      h = layer.apply(h) as SymbolicTensor;
      tf.tidy(() => layer.setWeights([tf.tensor2d(policy.set.view(slot.w), [slot.inSize, slot.outSize]), tf.tensor1d(policy.set.view(slot.b))]));
    });
    outputs.push(h);
    names.push(output);
  }
  return { model: tf.model({ inputs: input, outputs, name: 'palestra_policy' }), outputs: names };
}

function concat(data: ArrayBuffer | ArrayBuffer[]): Uint8Array {
  const parts = (Array.isArray(data) ? data : [data]).map((b) => new Uint8Array(b));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The policy of a stored model as `model.json` and its weights, written by TensorFlow.js itself. */
export async function exportLayers(tf: Tf, stored: StoredModel): Promise<LayersExport> {
  const policy = new Policy(stored.meta.policy).load(stored.params);
  const { model, outputs } = layersModel(tf, policy);
  try {
    const { curve: _curve, evaluations: _evaluations, ...meta } = stored.meta;
    const palestra: PalestraMetadata = {
      format: EXPORT_FORMAT,
      meta,
      log_std: policy.logStd === null ? null : Array.from(policy.set.view(policy.logStd)),
      outputs,
    };
    model.setUserDefinedMetadata({ palestra });
    let saved: import('@tensorflow/tfjs').io.ModelArtifacts | null = null;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const artifacts = saved! as import('@tensorflow/tfjs').io.ModelArtifacts;
    return {
      modelJson: {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: `Palestra ${VERSION}`,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs }],
        userDefinedMetadata: artifacts.userDefinedMetadata ?? { palestra },
      },
      weights: concat(artifacts.weightData as ArrayBuffer | ArrayBuffer[]),
    };
  } finally {
    model.dispose();
  }
}

/** The export as one zip of `model.json` and `weights.bin`. */
export function zipExport(files: LayersExport): Uint8Array {
  return zipSync({ [MODEL_JSON]: strToU8(JSON.stringify(files.modelJson)), [WEIGHTS_BIN]: files.weights }, { level: 6 });
}

/** model_too_large when the policy's weights would pass `maxModelBytes`; model_import_invalid when its size cannot be told. */
export function checkModelBytes(spec: ModelMeta['policy'], maxModelBytes: number): void {
  let bytes: number;
  try {
    bytes = Policy.parameterCount(spec) * 4;
  } catch (err) {
    throw invalid(`its policy description cannot be read (${(err as Error).message})`);
  }
  if (!Number.isSafeInteger(bytes) || bytes <= 0) throw invalid('its policy description gives no valid network size');
  if (bytes > maxModelBytes) {
    throw new PalestraError('model_too_large', `The model holds ${bytes} bytes of weights, more than the server's maximum of ${maxModelBytes} (--max-model-bytes)`, {
      max_model_bytes: maxModelBytes,
      model_bytes: bytes,
    });
  }
}

function invalid(reason: string): PalestraError {
  return new PalestraError('model_import_invalid', `The file is not a TensorFlow.js export of a Palestra policy: ${reason}`, { reason });
}

/** Reads a zip holding `model.json` and the weight files it names; model_import_invalid when it is not one. */
export function unzipExport(bytes: Uint8Array): LayersExport {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (err) {
    throw invalid(`it is not a readable zip (${(err as Error).message})`);
  }
  // Files may sit in a folder inside the zip; names are matched by their last part.
  const byName = new Map(Object.entries(files).map(([path, data]) => [path.split('/').pop()!, data]));
  const json = byName.get(MODEL_JSON);
  if (!json) throw invalid(`it holds no ${MODEL_JSON}`);
  let modelJson: Record<string, unknown>;
  try {
    modelJson = JSON.parse(strFromU8(json));
  } catch (err) {
    throw invalid(`${MODEL_JSON} is not valid JSON (${(err as Error).message})`);
  }
  const manifest = modelJson.weightsManifest as { paths?: string[] }[] | undefined;
  if (!Array.isArray(manifest)) throw invalid(`${MODEL_JSON} has no weightsManifest`);
  const parts: ArrayBuffer[] = [];
  for (const group of manifest) {
    for (const path of group.paths ?? []) {
      const data = byName.get(String(path).split('/').pop()!);
      if (!data) throw invalid(`the weight file ${path} named in ${MODEL_JSON} is missing`);
      parts.push(data.slice().buffer as ArrayBuffer);
    }
  }
  return { modelJson, weights: concat(parts) };
}

/**
 * The stored model an export describes: its record from the metadata, its numbers from the named weights.
 * A policy larger than `maxModelBytes` is refused before anything is allocated for it.
 */
export function importLayers(files: LayersExport, maxModelBytes: number): StoredModel {
  const palestra = (files.modelJson.userDefinedMetadata as { palestra?: PalestraMetadata } | undefined)?.palestra;
  if (!palestra || typeof palestra !== 'object' || !palestra.meta?.policy) throw invalid('model.json has no userDefinedMetadata.palestra describing the policy');
  checkModelBytes(palestra.meta.policy, maxModelBytes);
  let policy: Policy;
  try {
    policy = new Policy(palestra.meta.policy);
  } catch (err) {
    throw invalid(`its policy description cannot be built (${(err as Error).message})`);
  }
  // The weights, by name, as the manifest lays them out one after another.
  const specs = (files.modelJson.weightsManifest as { weights?: { name: string; shape: number[]; dtype?: string }[] }[]).flatMap((g) => g.weights ?? []);
  const tensors = new Map<string, Float32Array>();
  let at = 0;
  for (const spec of specs) {
    if ((spec.dtype ?? 'float32') !== 'float32') throw invalid(`weight ${spec.name} is ${spec.dtype}; only float32 is read`);
    const n = spec.shape.reduce((a, b) => a * b, 1);
    if ((at + n) * 4 > files.weights.length) throw invalid(`the weights end before ${spec.name}`);
    tensors.set(spec.name, new Float32Array(files.weights.slice(at * 4, (at + n) * 4).buffer));
    at += n;
  }
  const take = (name: string, slot: number): void => {
    const view = policy.set.view(slot);
    const values = tensors.get(name);
    if (!values) throw invalid(`weight ${name} is missing`);
    if (values.length !== view.length) throw invalid(`weight ${name} holds ${values.length} numbers, the policy expects ${view.length}`);
    view.set(values);
  };
  for (const { prefix, net } of heads(policy)) {
    net.layers.forEach((slot, l) => {
      take(`${prefix}_${l}/kernel`, slot.w);
      take(`${prefix}_${l}/bias`, slot.b);
    });
  }
  if (policy.table !== null) take('q_0/kernel', policy.table);
  if (policy.logStd !== null) {
    const logStd = palestra.log_std;
    if (!Array.isArray(logStd) || logStd.length !== policy.set.view(policy.logStd).length) throw invalid('userDefinedMetadata.palestra.log_std does not match the action space');
    policy.set.view(policy.logStd).set(logStd);
  }
  return { meta: { ...palestra.meta, curve: [], evaluations: [] } as ModelMeta, params: Float32Array.from(policy.params) };
}
