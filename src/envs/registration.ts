/** Gymnasium's registry: ids, specs, `register` and `make`. */
import Ajv, { ValidateFunction } from 'ajv';
import { PalestraError } from '../errors';
import type { Env } from './core';
import { SyncVectorEnv } from './vector/sync_vector_env';
import type { AutoresetMode } from './vector/vector_env';
import { OrderEnforcing } from './wrappers/order_enforcing';
import { TimeLimit } from './wrappers/time_limit';

/** Makes the environment from its keyword arguments. */
export type EntryPointFn = (kwargs: Record<string, unknown>) => Env<any, any>;

/**
 * A function that makes the environment, or Gymnasium's string form
 * `"/path/to/module:ExportName"` (the export is a class constructed with the
 * kwargs, or a function called with them). A string entry point can be
 * loaded again in a training worker, so environments of any registry train.
 */
export type EntryPoint = EntryPointFn | string;

/** What `register` takes beside the id and entry point. */
export interface SpecOptions {
  /** Truncate episodes after this many steps (TimeLimit); null or absent: no limit. */
  max_episode_steps?: number | null;
  /** The average return over 100 episodes at which the task counts as solved. */
  reward_threshold?: number | null;
  /** Default keyword arguments, overridden by those given to `make`. */
  kwargs?: Record<string, unknown>;
  /** JSON Schema for the keyword arguments `make` accepts. */
  kwargs_schema?: Record<string, unknown>;
  nondeterministic?: boolean;
  /** Wrap in OrderEnforcing (reset before step); default true. */
  order_enforce?: boolean;
}

/** Gymnasium's `EnvSpec`. */
export interface EnvSpec extends Required<Omit<SpecOptions, 'kwargs_schema'>> {
  id: string;
  entry_point: EntryPoint;
  kwargs_schema: Record<string, unknown> | null;
}

/** A spec whose entry point is a module path: plain data, so it can cross to a worker thread. */
export type PortableSpec = Omit<EnvSpec, 'entry_point'> & { entry_point: string };

/** Loads a string entry point `module:export` into a function. */
function loadEntryPoint(entryPoint: string): EntryPointFn {
  const at = entryPoint.lastIndexOf(':');
  const path = at > 0 ? entryPoint.slice(0, at) : entryPoint;
  const name = at > 0 ? entryPoint.slice(at + 1) : 'default';
  let made: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    made = (require(path) as Record<string, unknown>)[name];
  } catch (err) {
    throw new PalestraError('env_error', `Cannot load entry point ${entryPoint}: ${(err as Error)?.message ?? String(err)}`, { entry_point: entryPoint });
  }
  if (typeof made !== 'function') {
    throw new PalestraError('env_error', `Entry point ${entryPoint} names no class or function`, { entry_point: entryPoint });
  }
  const isClass = /^class[\s{]/.test(Function.prototype.toString.call(made));
  return isClass ? (kwargs) => new (made as new (kw: Record<string, unknown>) => Env<any, any>)(kwargs) : (made as EntryPointFn);
}

/** What `make` takes beside the id. */
export interface MakeOptions {
  kwargs?: Record<string, unknown>;
  max_episode_steps?: number | null;
}

/** What `make_vec` takes beside the id and the number of copies. */
export interface MakeVecOptions extends MakeOptions {
  /** When ended copies restart; `NextStep` unless given. */
  autoreset_mode?: AutoresetMode;
  /** Whether `reset`/`step` answer fresh arrays (the default) or the vector environment's own buffers. */
  copy?: boolean;
}

// Gymnasium's id grammar: [namespace/]name[-vN].
const ID_PATTERN = /^(?:[\w:.-]+\/)?[\w:.-]+?(?:-v\d+)?$/;

const ajv = new Ajv({ allErrors: true, strict: false });

/** Names refused as keyword arguments: every property a plain object inherits, and `__proto__`/`prototype`. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** A registry of environment specs; `registry` below is the one the server uses. */
export class Registry {
  private readonly specs = new Map<string, EnvSpec>();
  private readonly aliases = new Map<string, string>();
  private readonly validators = new Map<string, ValidateFunction>();

  /** Registers an environment (replacing any spec with the same id). */
  register(id: string, entry_point: EntryPoint, options: SpecOptions = {}): EnvSpec {
    if (!ID_PATTERN.test(id)) throw new PalestraError('env_malformed', `Environment id ${JSON.stringify(id)} is malformed`);
    const spec: EnvSpec = {
      id,
      entry_point,
      max_episode_steps: options.max_episode_steps ?? null,
      reward_threshold: options.reward_threshold ?? null,
      kwargs: options.kwargs ?? {},
      kwargs_schema: options.kwargs_schema ?? null,
      nondeterministic: options.nondeterministic ?? false,
      order_enforce: options.order_enforce ?? true,
    };
    this.specs.set(id, spec);
    this.validators.delete(id);
    return spec;
  }

  /** Makes `oldId` resolve to `id` (e.g. ids that older Gym clients still use). */
  alias(oldId: string, id: string): void {
    this.aliases.set(oldId, id);
  }

  /** The spec for an id (aliases resolved); env_not_found or env_malformed otherwise. */
  spec(id: string): EnvSpec {
    if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
      throw new PalestraError('env_malformed', `Environment id ${JSON.stringify(id)} is malformed: expected [namespace/]Name-vN`);
    }
    const spec = this.specs.get(this.aliases.get(id) ?? id);
    if (!spec) {
      throw new PalestraError('env_not_found', `Environment ${id} not found; available: ${this.ids().join(', ')}`, {
        available: this.ids(),
      });
    }
    return spec;
  }

  has(id: string): boolean {
    return this.specs.has(this.aliases.get(id) ?? id);
  }

  /** Registered ids, sorted (aliases not included). */
  ids(): string[] {
    return [...this.specs.keys()].sort();
  }

  /** Alias ids and what they resolve to. */
  aliasMap(): Record<string, string> {
    return Object.fromEntries(this.aliases);
  }

  /** Every spec, sorted by id. */
  all(): EnvSpec[] {
    return this.ids().map((id) => this.specs.get(id)!);
  }

  private checkKwargs(spec: EnvSpec, kwargs: Record<string, unknown>): void {
    // Names an object already has (`constructor`, `toString`, `__proto__`…) never reach an environment, schema or not.
    const reserved = Object.keys(kwargs).filter((k) => RESERVED_NAMES.has(k));
    if (reserved.length > 0) {
      throw new PalestraError('invalid_kwargs', `Invalid kwargs for ${spec.id}: ${reserved.map((k) => JSON.stringify(k)).join(', ')} ${reserved.length > 1 ? 'are reserved names' : 'is a reserved name'}`, {
        reserved,
      });
    }
    if (!spec.kwargs_schema) return;
    let validate = this.validators.get(spec.id);
    if (!validate) {
      validate = ajv.compile(spec.kwargs_schema);
      this.validators.set(spec.id, validate);
    }
    if (!validate(kwargs)) {
      const accepted = Object.keys((spec.kwargs_schema.properties as object | undefined) ?? {});
      const problems = (validate.errors ?? []).map((e) =>
        e.keyword === 'additionalProperties'
          ? `unknown kwarg ${JSON.stringify((e.params as { additionalProperty: string }).additionalProperty)}`
          : `${e.instancePath.slice(1) || 'kwargs'} ${e.message}`,
      );
      throw new PalestraError(
        'invalid_kwargs',
        `Invalid kwargs for ${spec.id}: ${problems.join('; ')}. Accepted: ${accepted.join(', ') || 'none'}`,
        { accepted, errors: problems },
      );
    }
  }

  /** The spec as plain data when its entry point is a module path, else null (a function cannot leave this thread). */
  portable(id: string): PortableSpec | null {
    const spec = this.spec(id);
    return typeof spec.entry_point === 'string' ? { ...spec, entry_point: spec.entry_point } : null;
  }

  /** Gymnasium's `make`: builds the environment and applies OrderEnforcing and TimeLimit. */
  make(id: string, options: MakeOptions = {}): Env<any, any> {
    const spec = this.spec(id);
    const given = options.kwargs ?? {};
    this.checkKwargs(spec, given);
    const kwargs = { ...spec.kwargs, ...given };
    const entryPoint = typeof spec.entry_point === 'string' ? loadEntryPoint(spec.entry_point) : spec.entry_point;
    let env: Env<any, any> = entryPoint(kwargs);
    const resolved: EnvSpec = { ...spec, kwargs };
    env.unwrapped.spec = resolved;
    env.spec = resolved;
    if (spec.order_enforce) env = new OrderEnforcing(env);
    const limit = options.max_episode_steps !== undefined ? options.max_episode_steps : spec.max_episode_steps;
    if (limit !== null && limit !== undefined) env = new TimeLimit(env, limit);
    return env;
  }

  /**
   * Gymnasium's `make_vec(id, num_envs, vectorization_mode="sync")`: a SyncVectorEnv
   * of `num_envs` copies, each made as `make` makes one.
   */
  make_vec(id: string, num_envs: number, options: MakeVecOptions = {}): SyncVectorEnv {
    if (!Number.isSafeInteger(num_envs) || num_envs < 1) {
      throw new PalestraError('invalid_params', `num_envs must be a positive integer, got ${String(num_envs)}`);
    }
    const { autoreset_mode, copy, ...makeOptions } = options;
    const first = this.make(id, makeOptions);
    const fns = Array.from({ length: num_envs }, (_, i) => (i === 0 ? () => first : () => this.make(id, makeOptions)));
    const envs = new SyncVectorEnv(fns, { autoreset_mode, copy });
    envs.spec = first.spec;
    return envs;
  }
}

/** The registry of built-in and user environments. */
export const registry = new Registry();

/** Registers an environment in the global registry. */
export function register(id: string, entry_point: EntryPoint, options?: SpecOptions): EnvSpec {
  return registry.register(id, entry_point, options);
}

/** Makes an environment from the global registry. */
export function make(id: string, options?: MakeOptions): Env<any, any> {
  return registry.make(id, options);
}

/** Makes a vector environment from the global registry (Gymnasium's `gymnasium.make_vec`). */
export function make_vec(id: string, num_envs: number, options?: MakeVecOptions): SyncVectorEnv {
  return registry.make_vec(id, num_envs, options);
}
