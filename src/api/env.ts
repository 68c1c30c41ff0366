/** The environment methods: make, reset, step, close, spaces, action_sample, render, envs. */
import type { Env } from '../envs/core';
import type { EnvSpec } from '../envs/registration';
import { NotInSpace } from '../envs/spaces/space';
import { Seed, checkSeed } from '../envs/utils/seeding';
import { PalestraError } from '../errors';
import { Method, MethodContext, RawReply } from './context';
import { EnvInstance, closeInstance, createInstance, lookupInstance } from './instances';
import { infoToWire, toWire } from './wire';

interface InstanceParams {
  instance_id: string;
}

/** Runs environment code, turning its plain exceptions into catalogue errors. */
function guard<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof PalestraError) throw err;
    if (err instanceof RangeError) throw new PalestraError('invalid_params', `${what}: ${err.message}`);
    throw new PalestraError('env_error', `${what} failed: ${(err as Error)?.message ?? String(err)}`);
  }
}

function observationToWire(instance: EnvInstance, obs: unknown, gymie: boolean): unknown {
  const space = instance.env.observation_space;
  return space.contains(obs) ? space.toJSONValue(obs, gymie) : toWire(obs, gymie);
}

export const make: Method = (ctx, p: { env_id: string; seed?: Seed; kwargs?: Record<string, unknown> }) => {
  const instance = createInstance(ctx, p.env_id, p.seed, p.kwargs);
  if (ctx.gymie) return new RawReply(instance.id);
  const { env } = instance;
  return {
    instance_id: instance.id,
    env_id: instance.env_id,
    observation_space: env.observation_space.describe(),
    action_space: env.action_space.describe(),
    max_episode_steps: env.spec?.max_episode_steps ?? null,
    reward_threshold: env.spec?.reward_threshold ?? null,
  };
};

export const reset: Method = (ctx, p: InstanceParams & { seed?: Seed; options?: Record<string, unknown> | null }) => {
  const instance = lookupInstance(ctx, p.instance_id);
  let seed: Seed | null = p.seed === undefined ? null : checkSeed(p.seed);
  if (seed === null && instance.pendingSeed !== null) seed = instance.pendingSeed;
  const [obs, info] = guard('reset', () => instance.env.reset({ seed, options: p.options ?? null }));
  instance.pendingSeed = null;
  const wireObs = observationToWire(instance, obs, ctx.gymie);
  return ctx.gymie ? wireObs : [wireObs, infoToWire(info, false)];
};

export const step: Method = (ctx, p: InstanceParams & { action: unknown }) => {
  const instance = lookupInstance(ctx, p.instance_id);
  const { env } = instance;
  let action: unknown;
  try {
    action = env.action_space.fromJSONValue(p.action);
  } catch (err) {
    if (!(err instanceof NotInSpace)) throw err;
    throw new PalestraError('invalid_action', `Action ${err.message}`, { action: p.action, space: env.action_space.describe() });
  }
  let result = guard('step', () => env.step(action));
  const hook = ctx.server.hooks.process_step;
  const gymie = ctx.gymie;
  let obs: unknown;
  if (hook) {
    result = guard('process_step', () => hook(result, { env_id: instance.env_id, instance_id: instance.id }));
    obs = toWire(result[0], gymie);
  } else {
    obs = observationToWire(instance, result[0], gymie);
  }
  const [, reward, terminated, truncated, info] = result;
  if (!gymie) return [obs, reward, terminated, truncated, infoToWire(info, false)];
  const gymInfo = infoToWire(info, true);
  if (truncated && !terminated) gymInfo['TimeLimit.truncated'] = true;
  return [obs, reward, terminated || truncated, gymInfo];
};

export const close: Method = (ctx, p: InstanceParams) => {
  closeInstance(ctx, lookupInstance(ctx, p.instance_id));
  return true;
};

export const observation_space: Method = (ctx, p: InstanceParams) => {
  const space = lookupInstance(ctx, p.instance_id).env.observation_space;
  return ctx.gymie ? space.describeGymie() : space.describe();
};

export const action_space: Method = (ctx, p: InstanceParams) => {
  const space = lookupInstance(ctx, p.instance_id).env.action_space;
  return ctx.gymie ? space.describeGymie() : space.describe();
};

export const action_sample: Method = (ctx, p: InstanceParams & { seed?: Seed }) => {
  const space = lookupInstance(ctx, p.instance_id).env.action_space;
  if (p.seed !== undefined) space.seed(p.seed);
  return space.toJSONValue(guard('action_sample', () => space.sample()), ctx.gymie);
};

export const render: Method = (ctx, p: InstanceParams) => {
  const out = guard('render', () => lookupInstance(ctx, p.instance_id).env.render());
  return out === undefined ? null : toWire(out);
};

/** A spec as JSON, with the spaces of a freshly made environment (cached per spec). */
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
      kwargs: toWire(spec.kwargs),
      accepted_kwargs: Object.keys((spec.kwargs_schema?.properties as object | undefined) ?? {}),
      observation_space: env.observation_space.describe(),
      action_space: env.action_space.describe(),
    };
    env.close();
    specCache.set(spec, described);
  }
  return { ...described, aliases };
}

export const envs: Method = (ctx) => {
  const aliasMap = ctx.server.registry.aliasMap();
  const aliasesOf = (id: string) => Object.keys(aliasMap).filter((a) => aliasMap[a] === id).sort();
  return {
    envs: ctx.server.registry.all().map((spec) => describeSpec(ctx, spec, aliasesOf(spec.id))),
    aliases: aliasMap,
  };
};
