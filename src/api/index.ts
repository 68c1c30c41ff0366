/** Every method the server answers, by name. Each group lives in its own module. */
import * as algorithms from './algorithms';
import type { Method } from './context';
import * as env from './env';
import * as models from './models';
import * as runs from './runs';
import * as system from './system';
import * as train from './train';
import * as vector from './vector';

export const methods: Record<string, Method> = {
  make: env.make,
  make_vec: vector.make_vec,
  reset: env.reset,
  step: env.step,
  close: env.close,
  observation_space: env.observation_space,
  action_space: env.action_space,
  action_sample: env.action_sample,
  render: env.render,
  envs: env.envs,
  hello: system.hello,
  health: system.health,
  train: train.train,
  stop: train.stop,
  jobs: train.jobs,
  job: train.job,
  subscribe: train.subscribe,
  evaluate: train.evaluate,
  algorithms: algorithms.algorithms,
  predict: models.predict,
  models: models.models,
  delete_model: models.delete_model,
  runs: runs.runs,
  run: runs.run,
  delete_run: runs.delete_run,
};

/** The registry of environments a server makes from, for transports that take a default. */
export { registry as defaultRegistry } from '../envs/registration';
export type { Registry } from '../envs/registration';
