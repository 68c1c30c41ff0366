/**
 * Saved policies: one JSON file per model under `<dataDir>/models/`, holding
 * the weights (base64 float32) beside the metadata (algorithm, environment,
 * hyperparameters, seed, timesteps, dates, training curve, evaluations).
 *
 * Writes go to a hidden temporary file in the same directory, are flushed,
 * then renamed over the final name: a crash mid-save leaves at most a stray
 * temporary file, never a half-written model. Names are checked against one
 * pattern with no path separators and no leading dot, so nothing escapes.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { PalestraError } from '../errors';
import type { ModelSummary } from '../generated/protocol';
import type { SavedWrapper } from '../envs/wrappers/catalogue';
import type { AdamState } from '../train/core/nn';
import type { PolicySpec } from '../train/core/policy';
import { DataQuota } from './quota';
import { removeStaleTemps, tempPath } from './temp_files';

/** Model names: 1–64 letters, digits, `.`, `_`, `-`, not starting with `.`. */
export const MODEL_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/;

/** The format version written into every model file. */
export const MODEL_FORMAT = 1;

/** Everything saved about a model except its weights. */
export interface ModelMeta {
  format: number;
  name: string;
  algorithm: string;
  env_id: string;
  env_kwargs: Record<string, unknown>;
  hyperparameters: Record<string, unknown>;
  seed: number;
  session: string | null;
  /** The name of the API key whose job saved it; absent in models saved before keys existed. */
  owner?: string | null;
  job_id: string | null;
  total_timesteps: number;
  timesteps: number;
  episodes: number;
  stop_reason: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  elapsed_s: number;
  mean_return_100: number | null;
  /** The last evaluation made during training, if any. */
  evaluation: Record<string, unknown> | null;
  backend: string | null;
  palestra_version: string;
  policy: PolicySpec;
  /** Names of a 1-d Box observation's elements, the fields `/predict/` takes (absent: one `obs` array). */
  observation_names?: string[] | null;
  curve: unknown[];
  evaluations: unknown[];
  /** Wrappers the policy was trained in, with the normalising ones' statistics (absent: none). */
  wrappers?: SavedWrapper[];
  /** The model this one continued from (`init_model`), and its ancestors oldest first (absent: trained from scratch). */
  init_model?: string | null;
  lineage?: string[];
}

/** Optimiser states saved beside the weights, by name (base64 float32 moments). */
export type SavedOptimizers = Record<string, { t: number; m: string; v: string }>;

/** A model with its weights (and its optimisers' state, where saved). */
export interface StoredModel {
  meta: ModelMeta;
  params: Float32Array;
  optimizers?: Record<string, AdamState>;
}

/** What `models` lists for each model (no weights, no curve): the protocol's `model_summary`. */
export type { ModelSummary };

/** Throws invalid_model_name unless `name` is a valid model name. */
export function checkModelName(name: unknown): string {
  if (typeof name !== 'string' || !MODEL_NAME.test(name)) {
    throw new PalestraError(
      'invalid_model_name',
      `Invalid model name ${JSON.stringify(name)}: use 1 to 64 letters, digits, '.', '_' or '-', not starting with '.'`,
      { pattern: MODEL_NAME.source },
    );
  }
  return name;
}

function encodeWeights(params: Float32Array): string {
  return Buffer.from(params.buffer, params.byteOffset, params.byteLength).toString('base64');
}

function decodeWeights(data: string, length: number): Float32Array {
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length !== length * 4) throw new PalestraError('model_corrupt', `The weights hold ${bytes.length} bytes, expected ${length * 4}`);
  // Copy into an aligned buffer: Buffer slices may start at any offset.
  const out = new Float32Array(length);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** Optimiser states as the model file holds them. */
function encodeOptimizers(optimizers: Record<string, AdamState>): SavedOptimizers {
  const out: SavedOptimizers = {};
  for (const [k, o] of Object.entries(optimizers)) out[k] = { t: o.t, m: encodeWeights(o.m), v: encodeWeights(o.v) };
  return out;
}

function decodeOptimizers(saved: SavedOptimizers, name: string): Record<string, AdamState> {
  if (saved === null || typeof saved !== 'object') throw new PalestraError('model_corrupt', `Model ${name}'s optimiser state is not an object`, { model: name });
  const out: Record<string, AdamState> = {};
  for (const [k, o] of Object.entries(saved)) {
    if (!o || typeof o.m !== 'string' || typeof o.v !== 'string' || !Number.isSafeInteger(o.t)) throw new PalestraError('model_corrupt', `Model ${name}'s optimiser ${k} is unreadable`, { model: name });
    const length = Buffer.byteLength(o.m, 'base64') / 4;
    out[k] = { t: o.t, m: decodeWeights(o.m, length), v: decodeWeights(o.v, length) };
  }
  return out;
}

/** A model file's parsed JSON as metadata and weights; model_corrupt when it has no readable weights or policy. */
export function readModelFile(parsed: unknown, name: string): StoredModel {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new PalestraError('model_corrupt', `Model ${name} is not a JSON object`, { model: name });
  const { weights, optimizers, ...meta } = parsed as ModelMeta & { weights?: { length: number; data: string }; optimizers?: SavedOptimizers };
  if (!weights || typeof weights.data !== 'string' || !Number.isSafeInteger(weights.length)) {
    throw new PalestraError('model_corrupt', `Model ${name} has no readable weights`, { model: name });
  }
  const params = decodeWeights(weights.data, weights.length);
  if (!meta.policy || typeof meta.policy !== 'object') throw new PalestraError('model_corrupt', `Model ${name} has no policy description`, { model: name });
  return { meta: meta as ModelMeta, params, optimizers: optimizers ? decodeOptimizers(optimizers, name) : undefined };
}

/** The models of one data directory. */
export class ModelStore {
  readonly dir: string;
  private readonly summaries = new Map<string, { mtimeMs: number; summary: ModelSummary }>();

  readonly quota: DataQuota;

  /** `quotaBytes` bounds the whole data directory (0: no quota). */
  constructor(
    readonly dataDir: string,
    quotaBytes = 0,
  ) {
    this.dir = join(dataDir, 'models');
    this.quota = new DataQuota(dataDir, quotaBytes);
  }

  /**
   * Removes temporary files that interrupted saves left behind, whatever their
   * age, unless their writer is still running (the directory itself is made on first save).
   */
  async init(): Promise<string[]> {
    return removeStaleTemps(this.dir);
  }

  private file(name: string): string {
    return join(this.dir, `${checkModelName(name)}.json`);
  }

  /** True if a model by that name exists. */
  async exists(name: string): Promise<boolean> {
    return fs
      .access(this.file(name))
      .then(() => true)
      .catch(() => false);
  }

  /** Saves atomically; model_exists if the name is taken and `overwrite` is false. */
  async save(meta: ModelMeta, params: Float32Array, overwrite = false, optimizers?: Record<string, AdamState>): Promise<void> {
    const target = this.file(meta.name);
    await fs.mkdir(this.dir, { recursive: true });
    const file: Record<string, unknown> = { ...meta, weights: { dtype: 'float32', encoding: 'base64', length: params.length, data: encodeWeights(params) } };
    if (optimizers && Object.keys(optimizers).length) file.optimizers = encodeOptimizers(optimizers);
    const text = JSON.stringify(file);
    const replaced = overwrite ? ((await fs.stat(target).catch(() => null))?.size ?? 0) : 0;
    await this.quota.checkWrite(`Saving model ${meta.name}`, Buffer.byteLength(text), replaced);
    const tmp = tempPath(this.dir, meta.name);
    const handle = await fs.open(tmp, 'wx');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      if (!overwrite) {
        // link() fails if the target exists, so two savers of one name cannot both win.
        await fs.link(tmp, target).catch((err: NodeJS.ErrnoException) => {
          if (err.code === 'EEXIST') throw new PalestraError('model_exists', `A model named ${meta.name} already exists`, { model: meta.name });
          throw new PalestraError('internal_error', `Cannot save model ${meta.name}: ${err.message}`, { model: meta.name });
        });
      } else {
        await fs.rename(tmp, target);
      }
    } finally {
      await fs.rm(tmp, { force: true });
    }
    this.summaries.delete(meta.name);
  }

  /** Loads a model; model_not_found if there is none by that name. */
  async load(name: string): Promise<StoredModel> {
    const file = this.file(name);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new PalestraError('model_not_found', `No saved model named ${name}`, { model: name });
      throw new PalestraError('internal_error', `Cannot read model ${name}: ${(err as Error).message}`, { model: name });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new PalestraError('model_corrupt', `Model ${name} is not valid JSON: ${(err as Error).message}`, { model: name });
    }
    return readModelFile(parsed, name);
  }

  /** The file's modification time, to tell whether a cached copy is stale (null if absent). */
  async mtime(name: string): Promise<number | null> {
    const stat = await fs.stat(this.file(name)).catch(() => null);
    return stat ? stat.mtimeMs : null;
  }

  /** Summaries of every model, newest first, optionally only one session's. */
  async list(session?: string): Promise<ModelSummary[]> {
    let files: string[];
    try {
      files = await fs.readdir(this.dir);
    } catch {
      return [];
    }
    const out: ModelSummary[] = [];
    for (const f of files) {
      if (f.startsWith('.') || !f.endsWith('.json')) continue;
      const name = f.slice(0, -'.json'.length);
      if (!MODEL_NAME.test(name)) continue;
      const stat = await fs.stat(join(this.dir, f)).catch(() => null);
      if (!stat) continue;
      let cached = this.summaries.get(name);
      if (!cached || cached.mtimeMs !== stat.mtimeMs) {
        try {
          const { meta } = await this.load(name);
          cached = { mtimeMs: stat.mtimeMs, summary: summaryOf(meta, stat.size) };
          this.summaries.set(name, cached);
        } catch {
          continue; // Unreadable files are not models; leave them be.
        }
      }
      if (session === undefined || cached.summary.session === session) out.push(cached.summary);
    }
    return out.sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : a.name.localeCompare(b.name)));
  }

  /** Deletes a model; model_not_found if there is none. */
  async delete(name: string): Promise<void> {
    const file = this.file(name);
    try {
      await fs.unlink(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new PalestraError('model_not_found', `No saved model named ${name}`, { model: name });
      throw new PalestraError('internal_error', `Cannot delete model ${name}: ${(err as Error).message}`, { model: name });
    }
    this.summaries.delete(name);
  }
}

function summaryOf(meta: ModelMeta, size: number): ModelSummary {
  return {
    name: meta.name,
    algorithm: meta.algorithm,
    env_id: meta.env_id,
    session: meta.session,
    owner: meta.owner ?? null,
    created_at: meta.created_at,
    timesteps: meta.timesteps,
    stop_reason: meta.stop_reason,
    mean_return_100: meta.mean_return_100,
    evaluation: meta.evaluation,
    size_bytes: size,
  };
}
