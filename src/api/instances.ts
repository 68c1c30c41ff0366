/** Environment instances: made through `get_env`, owned by one session, found by id. */
import { Env, Info, StepResult } from '../envs/core';
import { WrapperSpec, applyWrappers, checkWrappers } from '../envs/wrappers/catalogue';
import { Seed, checkSeed } from '../envs/utils/seeding';
import { PalestraError } from '../errors';
import type { GymLikeEnv } from '../hooks';
import type { MethodContext } from './context';
import { sessionsOf } from './sessions';

/** One live environment. */
export interface EnvInstance {
  readonly id: string;
  readonly env_id: string;
  readonly env: Env<any, any>;
  /** A seed given to `make`, used by the first reset that has none. */
  pendingSeed: Seed | null;
  /** Whether `step` takes float Box actions as float64 (the environment's `metadata.float64_actions`), read once here. */
  readonly float64Actions: boolean;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x);
}

/** Wraps a user's gym-like object so it answers Gymnasium's API. */
class GymLikeAdapter extends Env<unknown, unknown> {
  constructor(private readonly inner: GymLikeEnv) {
    super();
  }

  get observation_space() {
    return this.inner.observation_space;
  }

  get action_space() {
    return this.inner.action_space;
  }

  reset(args: { seed?: Seed | null; options?: Record<string, unknown> | null } = {}): [unknown, Info] {
    const result = this.inner.reset(args);
    if (Array.isArray(result) && result.length === 2 && isPlainObject(result[1])) return [result[0], result[1]];
    return [result, {}];
  }

  step(action: unknown): StepResult<unknown> {
    const result = this.inner.step(action) as unknown[];
    if (!Array.isArray(result) || (result.length !== 4 && result.length !== 5)) {
      throw new PalestraError('env_error', 'The environment step answered neither a 4-tuple nor a 5-tuple');
    }
    if (result.length === 5) return result as StepResult<unknown>;
    const [obs, reward, done, info] = result as [unknown, number, boolean, Info];
    const truncated = Boolean(info?.['TimeLimit.truncated']);
    return [obs, reward, Boolean(done) && !truncated, truncated, info ?? {}];
  }

  override render(): unknown {
    return this.inner.render ? this.inner.render() : super.render();
  }

  override close(): void {
    this.inner.close?.();
  }
}

/** Makes an environment for the caller's session through the `get_env` hook. */
export function createInstance(ctx: MethodContext, env_id: string, seed?: Seed, kwargs?: Record<string, unknown>, wrappers?: WrapperSpec[]): EnvInstance {
  const { session, server } = ctx;
  // A bad seed is refused now, not at the first reset; hooks and environments get an integer.
  if (seed !== undefined) seed = checkSeed(seed);
  const cap = session.maxEnvs;
  if (session.instanceCount >= cap) {
    throw new PalestraError('too_many_envs', `This connection already holds ${cap} environments (the limit); close one first`, {
      limit: cap,
    });
  }
  const total = server.options.maxTotalEnvs;
  if (sessionsOf(server).envCount() >= total) {
    throw new PalestraError('too_many_total_envs', `The server already holds ${total} environments over all clients (--max-total-envs); close one first`, {
      limit: 'max_total_envs',
      max_total_envs: total,
    });
  }
  let env = makeEnv(ctx, env_id, seed, kwargs);
  if (wrappers?.length) {
    try {
      env = applyWrappers(env, checkWrappers(wrappers));
    } catch (err) {
      env.close();
      throw err;
    }
  }
  const instance: EnvInstance = { id: session.newInstanceId(), env_id, env, pendingSeed: seed ?? null, float64Actions: env.unwrapped.metadata.float64_actions === true };
  session.envs.set(instance.id, instance);
  return instance;
}

/** One environment made through the `get_env` hook (a user's gym-like object adapted to Gymnasium's API). */
export function makeEnv(ctx: MethodContext, env_id: string, seed?: Seed, kwargs?: Record<string, unknown>): Env<any, any> {
  const { server } = ctx;
  let made: Env<any, any> | GymLikeEnv;
  try {
    made = server.hooks.get_env({ env_id, seed, kwargs, registry: server.registry });
  } catch (err) {
    if (err instanceof PalestraError) throw err;
    if (err instanceof RangeError || err instanceof TypeError) {
      throw new PalestraError('invalid_kwargs', `Cannot make ${env_id}: ${err.message}`);
    }
    throw new PalestraError('env_error', `Cannot make ${env_id}: ${(err as Error).message ?? String(err)}`);
  }
  if (!made || typeof made.step !== 'function' || typeof made.reset !== 'function' || !made.action_space || !made.observation_space) {
    throw new PalestraError('env_error', `get_env answered something that is not an environment for ${env_id}`);
  }
  return made instanceof Env ? made : new GymLikeAdapter(made);
}

/** The session's instance with that id; instance_not_found otherwise (other sessions' too). */
export function lookupInstance(ctx: MethodContext, instance_id: string): EnvInstance {
  const instance = ctx.session.envs.get(instance_id);
  if (!instance) throw new PalestraError('instance_not_found', `Instance ${instance_id} not found`, { instance_id });
  return instance;
}

/** Closes and forgets an instance; the session remembers it was closed. */
export function closeInstance(ctx: MethodContext, instance: EnvInstance): void {
  ctx.session.envs.delete(instance.id);
  ctx.session.markClosed(instance.id);
  try {
    instance.env.close();
  } catch (err) {
    ctx.server.logger.warn({ err, instance_id: instance.id }, 'environment close failed');
  }
}
