/**
 * Override hooks, as in Gymie: `get_env` makes the environment for an id,
 * `process_step` post-processes what `step` answers before it is sent.
 */
import type { Env, StepResult } from './envs/core';
import type { Registry } from './envs/registration';
import type { Seed } from './envs/utils/seeding';

/** What `get_env` is asked for. */
export interface GetEnvRequest {
  env_id: string;
  seed?: Seed;
  kwargs?: Record<string, unknown>;
  registry: Registry;
}

/**
 * Makes an environment: a Palestra `Env`, or any gym-like object with
 * `observation_space`, `action_space` (Palestra spaces), `reset()` answering
 * `obs` or `[obs, info]`, and `step(action)` answering the 4- or 5-tuple.
 */
export type GetEnv = (request: GetEnvRequest) => Env<any, any> | GymLikeEnv;

/** Post-processes a step; the answer is sent as JSON (typed arrays become lists). */
export type ProcessStep = (step: StepResult<unknown>, context: { env_id: string; instance_id: string }) => StepResult<unknown>;

/** A gym-like environment written by a user (old gym or Gymnasium style). */
export interface GymLikeEnv {
  observation_space: Env['observation_space'];
  action_space: Env['action_space'];
  reset(args?: { seed?: Seed | null; options?: Record<string, unknown> | null }): unknown;
  step(action: any): unknown;
  close?(): void;
  render?(): unknown;
}

/** The hooks one server uses. */
export interface Hooks {
  get_env: GetEnv;
  process_step: ProcessStep | null;
}

/** The default `get_env`: Gymnasium's `make` on the registry. */
export const defaultGetEnv: GetEnv = ({ env_id, kwargs, registry }) => registry.make(env_id, { kwargs });

const globalHooks: Hooks = { get_env: defaultGetEnv, process_step: null };

/** Replaces `get_env` or `process_step` for every server in this process (Gymie's `override`). */
export function override(name: 'get_env', fn: GetEnv): void;
export function override(name: 'process_step', fn: ProcessStep): void;
export function override(name: 'get_env' | 'process_step', fn: GetEnv | ProcessStep): void {
  if (name === 'get_env') globalHooks.get_env = fn as GetEnv;
  else if (name === 'process_step') globalHooks.process_step = fn as ProcessStep;
  else throw new Error("Error overriding. Functions available: 'get_env', 'process_step'");
}

/** Puts the hooks back to their defaults. */
export function resetOverrides(): void {
  globalHooks.get_env = defaultGetEnv;
  globalHooks.process_step = null;
}

/** The hooks in force (a live object: later overrides apply too). */
export function currentHooks(): Hooks {
  return globalHooks;
}
