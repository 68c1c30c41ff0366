/** Policies built directly (no training) and saved as the model store saves them, for the policy-route tests. */
import { describeSpace } from '../../../src/api/spaces';
import { registry } from '../../../src/envs';
import { Box } from '../../../src/envs/spaces/box';
import { Dict } from '../../../src/envs/spaces/dict';
import { Discrete } from '../../../src/envs/spaces/discrete';
import type { Space, SpaceDescription } from '../../../src/envs/spaces/space';
import { jsonRpcValue } from '../../../src/server/framing/jsonrpc_codec';
import { MODEL_FORMAT, ModelMeta, ModelStore } from '../../../src/models/store';
import { Policy, PolicySpec } from '../../../src/train/core/policy';

/** A space's description as a saved model holds it (JSON, infinite bounds as "Infinity"). */
export function described(space: Space<unknown>): SpaceDescription {
  return jsonRpcValue(describeSpace(space)) as SpaceDescription;
}

/** CartPole's observation space, from the registered environment. */
export function cartpoleObservation(): SpaceDescription {
  const env = registry.make('CartPole-v1');
  try {
    return described(env.observation_space as Space<unknown>);
  } finally {
    env.close();
  }
}

/** An actor-critic over `obs` → `actions` with one hidden layer, its parameters filled with a fixed pattern. */
export function actorCritic(obs: SpaceDescription, actions: SpaceDescription, hidden = 8): Policy {
  const inSize = new Policy({ kind: 'q_network', q: { sizes: [1, 1], activation: 'tanh' }, observation_space: obs, action_space: { name: 'Discrete', n: 1, start: 0 } }).encoder.size;
  const out = actions.name === 'Discrete' ? Number(actions.n) : (actions.shape as number[]).reduce((a, b) => a * b, 1);
  const spec: PolicySpec = {
    kind: 'actor_critic',
    observation_space: obs,
    action_space: actions,
    actor: { sizes: [inSize, hidden, out], activation: 'tanh' },
    critic: { sizes: [inSize, hidden, 1], activation: 'tanh' },
  };
  return filled(new Policy(spec));
}

/** A lone actor (REINFORCE's and GRPO's policies): the actor of `actorCritic` without its critic. */
export function actorOnly(obs: SpaceDescription, actions: SpaceDescription, hidden = 8): Policy {
  const { actor } = actorCritic(obs, actions, hidden).spec as Extract<PolicySpec, { kind: 'actor_critic' }>;
  return filled(new Policy({ kind: 'actor', observation_space: obs, action_space: actions, actor }));
}

/** A Q network over `obs` with Discrete(n) actions. */
export function qNetwork(obs: SpaceDescription, n: number, hidden = 6): Policy {
  const inSize = new Policy({ kind: 'q_network', q: { sizes: [1, 1], activation: 'relu' }, observation_space: obs, action_space: { name: 'Discrete', n, start: 0 } }).encoder.size;
  return filled(new Policy({ kind: 'q_network', observation_space: obs, action_space: { name: 'Discrete', n, start: 0 }, q: { sizes: [inSize, hidden, n], activation: 'relu' } }));
}

/** Parameters in a fixed, varied pattern, so different observations choose different actions. */
function filled(policy: Policy): Policy {
  const p = policy.params;
  for (let i = 0; i < p.length; i++) p[i] = Math.sin(i * 1.7 + 0.3) * 0.9;
  return policy;
}

/** Saves a policy as a model named `name`, as a training job would. */
export async function saveModel(dataDir: string, name: string, policy: Policy, extra: Partial<ModelMeta> = {}): Promise<void> {
  const now = new Date().toISOString();
  const meta: ModelMeta = {
    format: MODEL_FORMAT,
    name,
    algorithm: policy.spec.kind === 'q_network' ? 'dqn' : 'ppo',
    env_id: 'Test-v0',
    env_kwargs: {},
    hyperparameters: {},
    seed: 1,
    session: null,
    owner: null,
    job_id: null,
    total_timesteps: 0,
    timesteps: 0,
    episodes: 0,
    stop_reason: 'done',
    created_at: now,
    started_at: now,
    finished_at: now,
    elapsed_s: 0,
    mean_return_100: null,
    evaluation: null,
    backend: 'cpu',
    palestra_version: 'test',
    policy: policy.spec,
    curve: [],
    evaluations: [],
    ...extra,
  };
  await new ModelStore(dataDir).save(meta, policy.params);
}

export { Box, Dict, Discrete };
