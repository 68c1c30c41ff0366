/**
 * The `algorithms` method: every trainer `train` takes, with its hyperparameter
 * schema, and for one environment whether it fits and the defaults it would
 * train with. Built from the algorithm table, so a new algorithm shows up here
 * (and in the page's training form) by being registered, with no list to edit.
 */
import type { Methods } from '../generated/protocol';
import { ALGORITHMS } from '../train/algorithms';
import { defaultAlgorithm, defaultsFor } from '../train/algorithms/defaults';
import { type AlgorithmName, hyperparameterSchema } from '../train/core/hyperparameters';
import { spacesOf } from '../train/jobs/runner';
import type { MethodContext } from './context';
import { training } from './train';

type Params = Methods['algorithms']['params'];
type Result = Methods['algorithms']['result'];

/** The algorithms, each with its schema; with `env_id`, whether it fits and its defaults there. */
export function algorithms(ctx: MethodContext, p: Params): Result {
  training(ctx);
  const names = Object.keys(ALGORITHMS).sort() as AlgorithmName[];
  const spec = p.env_id === undefined ? null : ctx.server.registry.spec(p.env_id);
  const spaces = spec ? spacesOf(ctx.server.registry, spec.id, {}) : null;
  return {
    algorithms: names.map((name) => {
      const algorithm = ALGORITHMS[name];
      const unsupported = spaces ? algorithm.unsupported(spaces.observation, spaces.action) : null;
      return {
        name,
        summary: algorithm.summary,
        hyperparameters: hyperparameterSchema(name) as unknown as Record<string, unknown>,
        unsupported,
        defaults: spec && unsupported === null ? (defaultsFor(name, spec.id) as Result['algorithms'][number]['defaults']) : null,
      };
    }),
    default: spec && spaces ? defaultAlgorithm(spec.id, spaces.observation, spaces.action, (a) => ALGORITHMS[a].unsupported(spaces.observation, spaces.action) === null) : null,
  };
}
