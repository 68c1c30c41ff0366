/**
 * A GRPO training API request (`POST /train`) as a Palestra training request:
 * its defaults (read from its schema in `protocol/http/grpo/train.json`),
 * `env_name` as the environment id, and its PPO-style fields (`learning_rate`,
 * `n_steps`, `batch_size`, `n_epochs`) as hyperparameters of the algorithm
 * named, by default Palestra's own `grpo` trainer.
 */
import { PalestraError } from '../../errors';
import type { TrainRequest } from '../../train/jobs/runner';
import { hyperparameterSchema, isAlgorithmName } from '../../train/core/hyperparameters';
import { routeFiles } from '../route_schemas';

/** The body of `POST /train`, as its schema admits it. */
export interface GrpoTrainBody {
  env_name?: string;
  total_timesteps?: number;
  learning_rate?: number;
  n_steps?: number;
  batch_size?: number;
  n_epochs?: number;
  reward_function_type?: string | null;
  model_name?: string | null;
  algorithm?: string;
  seed?: number;
  hyperparameters?: Record<string, unknown>;
  early_stop?: boolean;
  env_kwargs?: Record<string, unknown>;
  session?: string;
}

/** The GRPO API's fields that are hyperparameters of the trainer. */
const HYPERPARAMETER_FIELDS = ['learning_rate', 'n_steps', 'batch_size', 'n_epochs'] as const;

function defaults(): Required<Pick<GrpoTrainBody, 'env_name' | 'total_timesteps' | 'learning_rate' | 'n_steps' | 'batch_size' | 'n_epochs' | 'algorithm'>> & {
  reward_function_type: string;
} {
  const props = routeFiles('grpo').train.body!.properties as Record<string, { default?: unknown }>;
  const d = (name: string) => props[name].default;
  return {
    env_name: d('env_name') as string,
    total_timesteps: d('total_timesteps') as number,
    learning_rate: d('learning_rate') as number,
    n_steps: d('n_steps') as number,
    batch_size: d('batch_size') as number,
    n_epochs: d('n_epochs') as number,
    algorithm: d('algorithm') as string,
    reward_function_type: d('reward_function_type') as string,
  };
}

/** Whether the default reward function (a CartPole one) fits the environment. */
function isCartPole(envId: string): boolean {
  return /^CartPole-v\d+$/.test(envId);
}

/** The training request, and the `config` the reply echoes (the request with its defaults, and what runs). */
export function trainRequest(body: GrpoTrainBody): { request: TrainRequest & { name?: string; session?: string }; config: Record<string, unknown> } {
  const d = defaults();
  const env_id = body.env_name ?? d.env_name;
  const algorithm = body.algorithm ?? d.algorithm;
  const hyperparameters: Record<string, unknown> = { ...(body.hyperparameters ?? {}) };
  const known = isAlgorithmName(algorithm) ? hyperparameterSchema(algorithm).properties : null;
  for (const field of HYPERPARAMETER_FIELDS) {
    const given = body[field];
    if (known && !(field in known)) {
      if (given !== undefined) {
        throw new PalestraError('invalid_hyperparameters', `${algorithm} has no hyperparameter ${field}; leave it out or choose another algorithm`, { field, algorithm });
      }
      continue;
    }
    // An explicit `hyperparameters` entry wins over the GRPO default, not over the GRPO field itself.
    if (given !== undefined) hyperparameters[field] = given;
    else if (!(field in hyperparameters)) hyperparameters[field] = d[field];
  }
  const reward_function = body.reward_function_type !== undefined ? body.reward_function_type : isCartPole(env_id) ? d.reward_function_type : null;
  const request = {
    env_id,
    algorithm,
    hyperparameters,
    total_timesteps: body.total_timesteps ?? d.total_timesteps,
    seed: body.seed,
    early_stop: body.early_stop,
    env_kwargs: body.env_kwargs,
    reward_function,
    name: body.model_name ?? undefined,
    session: body.session,
  };
  const config: Record<string, unknown> = {
    env_name: env_id,
    total_timesteps: request.total_timesteps,
    ...Object.fromEntries(HYPERPARAMETER_FIELDS.map((f) => [f, hyperparameters[f] ?? null])),
    reward_function_type: reward_function,
    model_name: body.model_name ?? null,
    algorithm,
  };
  return { request, config };
}
