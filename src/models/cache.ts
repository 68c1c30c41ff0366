/**
 * Loaded models kept in memory for `predict`: parsing a model file and
 * building its policy costs far more than one forward pass. Entries are
 * checked against the file's modification time and evicted least recently used.
 */
import type { Registry } from '../envs/registration';
import type { Space } from '../envs/spaces/space';
import { applyWrappers, trailingObservationNormalizer } from '../envs/wrappers/catalogue';
import { normalizeWith } from '../envs/wrappers/normalize_observation';
import { Policy } from '../train/core/policy';
import { spaceFromDescription } from '../train/core/spaces';
import type { ModelMeta, ModelStore } from './store';

/** A model ready to act. */
export interface LoadedModel {
  meta: ModelMeta;
  policy: Policy;
  /** The environment's observation space, to validate observations (null if it cannot be rebuilt). */
  observationSpace: Space<unknown> | null;
  mtimeMs: number;
}

export class ModelCache {
  private readonly entries = new Map<string, LoadedModel>();

  constructor(
    private readonly store: ModelStore,
    private readonly registry: Registry,
    private readonly capacity = 32,
  ) {}

  /** The model, loaded from disk unless a fresh copy is cached; model_not_found if there is none. */
  async get(name: string): Promise<LoadedModel> {
    const mtimeMs = await this.store.mtime(name);
    const cached = this.entries.get(name);
    if (cached && mtimeMs !== null && cached.mtimeMs === mtimeMs) {
      // Re-insert to mark as most recently used.
      this.entries.delete(name);
      this.entries.set(name, cached);
      return cached;
    }
    const { meta, params } = await this.store.load(name);
    const policy = withObservationNormalizer(new Policy(meta.policy).load(params), trailingObservationNormalizer(meta.wrappers));
    const loaded: LoadedModel = { meta, policy, observationSpace: this.observationSpace(meta), mtimeMs: mtimeMs ?? 0 };
    this.entries.delete(name);
    this.entries.set(name, loaded);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return loaded;
  }

  /** The environment's own space when it is registered, else one rebuilt from the saved description. */
  private observationSpace(meta: ModelMeta): Space<unknown> | null {
    try {
      const env = applyWrappers(this.registry.make(meta.env_id, { kwargs: meta.env_kwargs }), meta.wrappers ?? []);
      try {
        return env.observation_space;
      } finally {
        env.close();
      }
    } catch {
      return spaceFromDescription(meta.policy.observation_space);
    }
  }

  /** Whether a model is in memory now. */
  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** How many models are in memory. */
  get size(): number {
    return this.entries.size;
  }

  /** Forgets a model (after `delete_model`). */
  drop(name: string): void {
    this.entries.delete(name);
  }
}

/**
 * A policy trained behind NormalizeObservation acts on normalised observations: its encoder
 * applies the saved statistics first, so `predict` and the policy routes take the observation
 * as the environment (in its other wrappers) gives it.
 */
function withObservationNormalizer(policy: Policy, norm: ReturnType<typeof trailingObservationNormalizer>): Policy {
  if (!norm) return policy;
  const inner = policy.encoder;
  const encoder: typeof inner = Object.create(inner);
  encoder.encode = (obs, out, offset) => inner.encode(normalizeWith(norm.rms, obs as ArrayLike<number>, norm.epsilon), out, offset);
  Object.defineProperty(policy, 'encoder', { value: encoder });
  return policy;
}
