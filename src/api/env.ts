/** The environment methods: make, reset, step, close, spaces, action_sample, render, envs. */
import type { Env, Info } from '../envs/core';
import type { EnvSpec } from '../envs/registration';
import type { WrapperSpec } from '../envs/wrappers/catalogue';
import { NotInSpace } from '../envs/spaces/space';
import { Seed, checkSeed } from '../envs/utils/seeding';
import { PalestraError } from '../errors';
import type { Method, MethodContext } from './context';
import { guard } from './guard';
import { EnvInstance, closeInstance, createInstance, lookupInstance } from './instances';
import { PageParams, pageOf } from './pages';
import { SpaceDescription, canonicalValue, describeSpace, fromPlainValue } from './spaces';
import { vectorActionSample, vectorActionSpace, vectorClose, vectorObservationSpace, vectorReset, vectorStep } from './vector';
import { vectorInstance } from './vector_instances';

interface InstanceParams {
  instance_id: string;
}

/** What `make` answers: the instance and what a client needs to drive it. */
export interface MadeEnv {
  instance_id: string;
  env_id: string;
  observation_space: SpaceDescription;
  action_space: SpaceDescription;
  max_episode_steps: number | null;
  reward_threshold: number | null;
}

/** Gymnasium's `reset` answer. */
export type ResetResult = [obs: unknown, info: Info];

/** Gymnasium's `step` answer. */
export type StepResult = [obs: unknown, reward: number, terminated: boolean, truncated: boolean, info: Info];

// Gymnasium's classic-control and Box2D environments clip a Box action themselves,
// so the action is checked for shape, type and finiteness only; range is the environment's.
const ACTION_READ = { boxRange: false };
// ...and where the environment uses float Box actions as float64, they are not rounded to the space's float32.
const FLOAT64_ACTION_READ = { boxRange: false, float64: true };

export const make: Method = (ctx, p: { env_id: string; seed?: Seed; kwargs?: Record<string, unknown>; wrappers?: WrapperSpec[] }): MadeEnv => {
  const { id, env_id, env } = createInstance(ctx, p.env_id, p.seed, p.kwargs, p.wrappers);
  return {
    instance_id: id,
    env_id,
    observation_space: describeSpace(env.observation_space),
    action_space: describeSpace(env.action_space),
    max_episode_steps: env.spec?.max_episode_steps ?? null,
    reward_threshold: env.spec?.reward_threshold ?? null,
  };
};

export const reset: Method = (ctx, p: InstanceParams & { seed?: Seed; options?: Record<string, unknown> | null }) => {
  const vector = vectorInstance(ctx, p.instance_id);
  if (vector) return vectorReset(vector, p);
  const instance = lookupInstance(ctx, p.instance_id);
  let seed: Seed | null = p.seed === undefined ? null : checkSeed(p.seed);
  if (seed === null && instance.pendingSeed !== null) seed = instance.pendingSeed;
  const [obs, info] = guard('reset', () => instance.env.reset({ seed, options: p.options ?? null }));
  instance.pendingSeed = null;
  return [canonicalValue(instance.env.observation_space, obs), info];
};

/** Reads the action a client sent; invalid_action, naming the space, when it cannot be one. */
function readAction(instance: EnvInstance, action: unknown): unknown {
  const { env } = instance;
  try {
    return fromPlainValue(env.action_space, action, instance.float64Actions ? FLOAT64_ACTION_READ : ACTION_READ);
  } catch (err) {
    if (!(err instanceof NotInSpace)) throw err;
    const hint = typeof action === 'boolean' ? ' (booleans are not integers here: send 1 or 0)' : '';
    throw new PalestraError('invalid_action', `Action ${err.message}${hint}`, { action, space: describeSpace(env.action_space) });
  }
}

export const step: Method = (ctx, p: InstanceParams & { action: unknown }) => {
  const vector = vectorInstance(ctx, p.instance_id);
  if (vector) return vectorStep(ctx, vector, p.action);
  const instance = lookupInstance(ctx, p.instance_id);
  const { env } = instance;
  const action = readAction(instance, p.action);
  const result = guard('step', () => env.step(action));
  ctx.server.counters.steps++;
  const hook = ctx.server.hooks.process_step;
  if (hook) return guard('process_step', () => hook(result, { env_id: instance.env_id, instance_id: instance.id }));
  result[0] = canonicalValue(env.observation_space, result[0]);
  return result;
};

/** Closes an instance; closing one this session already closed answers true too, as Gymnasium allows. */
export const close: Method = (ctx, p: InstanceParams): true => {
  const vector = vectorInstance(ctx, p.instance_id);
  if (vector) return vectorClose(ctx, vector);
  if (!ctx.session.envs.has(p.instance_id) && ctx.session.wasClosed(p.instance_id)) return true;
  closeInstance(ctx, lookupInstance(ctx, p.instance_id));
  return true;
};

/** Whether a plain value is a member of the instance's action space, bounds included (gym-http-api's `contains`). */
export function actionContains(ctx: MethodContext, instance_id: string, value: unknown): boolean {
  const space = lookupInstance(ctx, instance_id).env.action_space;
  try {
    fromPlainValue(space, value);
    return true;
  } catch (err) {
    if (err instanceof NotInSpace) return false;
    throw err;
  }
}

export const observation_space: Method = (ctx, p: InstanceParams): SpaceDescription => {
  const vector = vectorInstance(ctx, p.instance_id);
  return vector ? vectorObservationSpace(vector) : describeSpace(lookupInstance(ctx, p.instance_id).env.observation_space);
};

export const action_space: Method = (ctx, p: InstanceParams): SpaceDescription => {
  const vector = vectorInstance(ctx, p.instance_id);
  return vector ? vectorActionSpace(vector) : describeSpace(lookupInstance(ctx, p.instance_id).env.action_space);
};

export const action_sample: Method = (ctx, p: InstanceParams & { seed?: Seed }) => {
  const vector = vectorInstance(ctx, p.instance_id);
  if (vector) return vectorActionSample(vector, p.seed);
  const space = lookupInstance(ctx, p.instance_id).env.action_space;
  if (p.seed !== undefined) space.seed(p.seed);
  return canonicalValue(space, guard('action_sample', () => space.sample()));
};

export const render: Method = (ctx, p: InstanceParams) => {
  const out = guard('render', () => lookupInstance(ctx, p.instance_id).env.render());
  return out === undefined ? null : out;
};

/** A spec with the spaces of a freshly made environment (cached per spec). */
const specCache = new WeakMap<EnvSpec, Record<string, unknown>>();

/** Describes one registered environment. */
export function describeSpec(ctx: MethodContext, spec: EnvSpec, aliases: string[]): Record<string, unknown> {
  let described = specCache.get(spec);
  if (!described) {
    const env: Env<any, any> = ctx.server.registry.make(spec.id);
    described = {
      id: spec.id,
      max_episode_steps: spec.max_episode_steps,
      reward_threshold: spec.reward_threshold,
      nondeterministic: spec.nondeterministic,
      kwargs: spec.kwargs,
      accepted_kwargs: Object.keys((spec.kwargs_schema?.properties as object | undefined) ?? {}),
      observation_space: describeSpace(env.observation_space),
      action_space: describeSpace(env.action_space),
    };
    env.close();
    specCache.set(spec, described);
  }
  return { ...described, aliases };
}

/** Environments in a page of `envs` when the caller names no limit: more than are built in, so that answer stays whole. */
export const ENVS_PAGE = 100;

/** The registry a page at a time: each id's spec and spaces, and every alias. */
export const envs: Method = (ctx, p: PageParams) => {
  const aliasMap = ctx.server.registry.aliasMap();
  const aliasesOf = (id: string) => Object.keys(aliasMap).filter((a) => aliasMap[a] === id).sort();
  const page = pageOf(ctx.server.registry.all(), p, ENVS_PAGE);
  return {
    envs: page.items.map((spec) => describeSpec(ctx, spec, aliasesOf(spec.id))),
    aliases: aliasMap,
    next_cursor: page.next_cursor,
  };
};
