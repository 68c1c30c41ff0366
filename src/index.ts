/** Palestra's public API: start a server, plug in environments and hooks. */
import { resolve } from 'node:path';
import './envs';
import { loadEnvModules } from './envs/env_modules';
import { defaultPlugins } from './plugins';
import { PalestraServer, StartOptions, listen } from './server/server';

/**
 * Starts a server: `start({ host, port, ... })`, or `start(host, port)` as in Gymie.
 * Resolves once it listens, with its address and a `close()`.
 */
export function start(options?: StartOptions): Promise<PalestraServer>;
export function start(host: string, port?: number): Promise<PalestraServer>;
export function start(hostOrOptions?: string | StartOptions, port?: number): Promise<PalestraServer> {
  const options: StartOptions = typeof hostOrOptions === 'string' ? { host: hostOrOptions, port } : { ...(hostOrOptions ?? {}) };
  try {
    loadEnvModules((options.envModules ?? []).map((m) => resolve(m)));
  } catch (err) {
    return Promise.reject(err);
  }
  return listen({ ...options, plugins: options.plugins ?? defaultPlugins() });
}

export { override, resetOverrides } from './hooks';
export type { GetEnv, GetEnvRequest, ProcessStep, GymLikeEnv } from './hooks';
export { register, make, registry, Env, Wrapper } from './envs';
export type { EnvSpec, EntryPoint, SpecOptions, MakeOptions, Info, StepResult, ResetArgs } from './envs';
export { Box } from './envs/spaces/box';
export { Discrete } from './envs/spaces/discrete';
export { Space } from './envs/spaces/space';
export { PalestraError, ERRORS } from './errors';
export type { ErrorName } from './errors';
export { ListenError, DEFAULTS } from './server/server';
export type { PalestraServer, StartOptions } from './server/server';
export type { Plugin } from './server/plugin';
export { VERSION } from './version';
export { registerRewardFunction } from './train/core/rewards';
export type { RewardFunction } from './train/core/rewards';
