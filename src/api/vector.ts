/**
 * The vector environment methods: `make_vec`, and `reset`, `step`,
 * `action_sample`, the spaces and `close` on a vector instance, answering
 * Gymnasium's batched shapes (`[obs, infos]`, `[obs, rewards, terminations,
 * truncations, infos]`). The environment methods hand a vector instance's
 * calls here.
 */
import type { VectorInfo } from '../envs/vector';
import { Seed, checkSeed } from '../envs/utils/seeding';
import { PalestraError } from '../errors';
import type { Method, MethodContext } from './context';
import { guard } from './guard';
import { SpaceDescription, canonicalValue, describeSpace } from './spaces';
import { NDArray } from './values';
import { VectorInstance, VectorParams, closeVectorInstance, createVectorInstance } from './vector_instances';

/** What `make_vec` answers. */
export interface MadeVectorEnv {
  instance_id: string;
  env_id: string;
  num_envs: number;
  autoreset_mode: string;
  encoding: string;
  single_observation_space: SpaceDescription;
  single_action_space: SpaceDescription;
  observation_space: SpaceDescription;
  action_space: SpaceDescription;
  max_episode_steps: number | null;
  reward_threshold: number | null;
}

export const make_vec: Method = (ctx, p: VectorParams): MadeVectorEnv => {
  // Dialects without vector environments (the bare framing, gym-http-api) do not have the method at all.
  if (!ctx.vectors) throw new PalestraError('method_not_found', 'Method make_vec not found', { method: 'make_vec' });
  const instance = createVectorInstance(ctx, p);
  const { envs } = instance;
  const spec = envs.envs[0]?.spec ?? null;
  return {
    instance_id: instance.id,
    env_id: p.env_id,
    num_envs: instance.num_envs,
    autoreset_mode: envs.autoreset_mode,
    encoding: instance.encoding,
    single_observation_space: describeSpace(envs.single_observation_space),
    single_action_space: describeSpace(envs.single_action_space),
    observation_space: describeSpace(envs.observation_space),
    action_space: describeSpace(envs.action_space),
    max_episode_steps: spec?.max_episode_steps ?? null,
    reward_threshold: spec?.reward_threshold ?? null,
  };
};

/** A vector info with each copy's final observation in canonical form (the rest is batched already). */
function canonicalInfo(instance: VectorInstance, info: VectorInfo): VectorInfo {
  const finals = info.final_obs;
  if (!Array.isArray(finals)) return info;
  const space = instance.envs.single_observation_space;
  return { ...info, final_obs: finals.map((o) => (o === null || o === undefined ? null : canonicalValue(space, o))) };
}

/** Gymnasium's vector `reset`: every copy (copy i with seed + i), or those `options.reset_mask` marks. */
export function vectorReset(instance: VectorInstance, p: { seed?: Seed; options?: Record<string, unknown> | null }): [unknown, VectorInfo] {
  let seed: Seed | null = p.seed === undefined ? null : checkSeed(p.seed);
  if (seed === null && instance.pendingSeed !== null) seed = instance.pendingSeed;
  const { envs } = instance;
  const [obs, info] = guard('reset', () => envs.reset({ seed, options: p.options ?? null }));
  instance.pendingSeed = null;
  return [canonicalValue(envs.observation_space, obs), canonicalInfo(instance, info)];
}

/** A batch as the vector env reads it: a binary frame's NDArray as its flat data, 64-bit integers as numbers. */
function plainBatch(actions: unknown): unknown {
  if (actions instanceof NDArray) return plainBatch(actions.data);
  if (actions instanceof BigInt64Array || actions instanceof BigUint64Array) return Array.from(actions, Number);
  return actions;
}

/** Gymnasium's vector `step`: the whole batch is checked before any copy steps. */
export function vectorStep(ctx: MethodContext, instance: VectorInstance, action: unknown): unknown[] {
  const { envs } = instance;
  const batch = plainBatch(action);
  const [obs, rewards, terminations, truncations, info] = guard('step', () => envs.step(batch));
  ctx.server.counters.steps += instance.num_envs;
  return [canonicalValue(envs.observation_space, obs), rewards, terminations, truncations, canonicalInfo(instance, info)];
}

/** Samples the batched action space; with a seed, re-seeds it first (numpy-exact, as Gymnasium's `action_space.seed`). */
export function vectorActionSample(instance: VectorInstance, seed: Seed | undefined): unknown {
  const space = instance.envs.action_space;
  if (seed !== undefined) space.seed(seed);
  return canonicalValue(space, guard('action_sample', () => space.sample()));
}

/** The batched observation space. */
export function vectorObservationSpace(instance: VectorInstance): SpaceDescription {
  return describeSpace(instance.envs.observation_space);
}

/** The batched action space. */
export function vectorActionSpace(instance: VectorInstance): SpaceDescription {
  return describeSpace(instance.envs.action_space);
}

/** Closes every copy. */
export function vectorClose(ctx: MethodContext, instance: VectorInstance): true {
  closeVectorInstance(ctx, instance);
  return true;
}
