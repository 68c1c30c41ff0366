/**
 * Vector environment instances: `num_envs` copies made through `get_env`, held
 * by one session beside its single environments. One counts as one instance
 * toward the session's limit and as `num_envs` environments toward the
 * server's.
 */
import type { AutoresetMode } from '../envs/vector';
import { WrapperSpec, applyWrappers, checkWrappers } from '../envs/wrappers/catalogue';
import { SyncVectorEnv } from '../envs/vector';
import { Seed, checkSeed } from '../envs/utils/seeding';
import { PalestraError } from '../errors';
import type { MethodContext } from './context';
import { makeEnv } from './instances';
import { sessionsOf } from './sessions';

/** How replies on a vector instance travel: JSON text, or binary frames (protocol/binary-frames.md). */
export type Encoding = 'json' | 'binary';

/** One live vector environment. */
export interface VectorInstance {
  readonly id: string;
  readonly env_id: string;
  readonly envs: SyncVectorEnv;
  readonly num_envs: number;
  readonly encoding: Encoding;
  /** A seed given to `make_vec`, used by the first reset that has none. */
  pendingSeed: Seed | null;
}

/** What `make_vec` takes. */
export interface VectorParams {
  env_id: string;
  num_envs: number;
  seed?: Seed;
  kwargs?: Record<string, unknown>;
  /** Wrappers around each copy (Gymnasium's `make_vec(wrappers=...)`), each copy with its own state. */
  wrappers?: WrapperSpec[];
  autoreset_mode?: AutoresetMode;
  encoding?: Encoding;
}

/** Makes a vector environment for the caller's session, after every limit has been checked. */
export function createVectorInstance(ctx: MethodContext, p: VectorParams): VectorInstance {
  const { session, server } = ctx;
  const seed = p.seed === undefined ? null : checkSeed(p.seed);
  const { maxVectorEnvs, maxTotalEnvs } = server.options;
  if (p.num_envs > maxVectorEnvs) {
    throw new PalestraError('too_many_vector_envs', `num_envs ${p.num_envs} is past the limit of ${maxVectorEnvs} copies (--max-vector-envs)`, { limit: maxVectorEnvs });
  }
  if (session.instanceCount >= session.maxEnvs) {
    throw new PalestraError('too_many_envs', `This connection already holds ${session.maxEnvs} environments (the limit); close one first`, { limit: session.maxEnvs });
  }
  const held = sessionsOf(server).envCount();
  if (held + p.num_envs > maxTotalEnvs) {
    throw new PalestraError('too_many_total_envs', `The server holds ${held} environments and ${p.num_envs} more would pass its ${maxTotalEnvs} over all clients (--max-total-envs)`, {
      limit: 'max_total_envs',
      max_total_envs: maxTotalEnvs,
    });
  }
  const wrappers = p.wrappers?.length ? checkWrappers(p.wrappers) : [];
  const made: { close(): void }[] = [];
  let envs: SyncVectorEnv;
  try {
    const fn = () => {
      const env = makeEnv(ctx, p.env_id, undefined, p.kwargs);
      made.push(env);
      return wrappers.length ? applyWrappers(env, wrappers) : env;
    };
    // Replies are encoded before the next call, so the vector env may answer its own buffers (no copy per step).
    envs = new SyncVectorEnv(Array.from({ length: p.num_envs }, () => fn), { autoreset_mode: p.autoreset_mode ?? 'NextStep', copy: false });
  } catch (err) {
    for (const env of made) env.close();
    throw err;
  }
  const instance: VectorInstance = {
    id: session.newInstanceId(),
    env_id: p.env_id,
    envs,
    num_envs: p.num_envs,
    encoding: p.encoding ?? session.encoding,
    pendingSeed: seed,
  };
  session.vectors.set(instance.id, instance);
  return instance;
}

/** The session's vector instance with that id, when the caller's dialect has vector environments; undefined otherwise. */
export function vectorInstance(ctx: MethodContext, instance_id: string): VectorInstance | undefined {
  return ctx.vectors ? ctx.session.vectors.get(instance_id) : undefined;
}

/** Closes and forgets a vector instance; the session remembers it was closed. */
export function closeVectorInstance(ctx: MethodContext, instance: VectorInstance): void {
  ctx.session.vectors.delete(instance.id);
  ctx.session.markClosed(instance.id);
  try {
    instance.envs.close();
  } catch (err) {
    ctx.server.logger.warn({ err, instance_id: instance.id }, 'vector environment close failed');
  }
}
