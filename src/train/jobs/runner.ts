/**
 * A training or evaluation job from start to end, independent of threads:
 * `planTraining` checks a request and resolves its defaults (main thread, so
 * errors answer the call at once); `runTraining` and `runEvaluation` do the
 * work (in a worker thread, or in-process for tests and benchmarks).
 */
import { describeSpace } from '../../api/spaces';
import type { PortableSpec, Registry } from '../../envs/registration';
import type { Space, SpaceDescription } from '../../envs/spaces/space';
import { PalestraError } from '../../errors';
import { jsonRpcValue } from '../../server/framing/jsonrpc_codec';
import { ALGORITHMS } from '../algorithms';
import { defaultAlgorithm, defaultsFor } from '../algorithms/defaults';
import type { Tf } from '../core/backend';
import { EvaluationRun, evaluatePolicy } from '../core/evaluation';
import { AlgorithmName, ResolvedHyperparameters, isAlgorithmName, resolveHyperparameters } from '../core/hyperparameters';
import { Policy, PolicySpec } from '../core/policy';
import { Rng } from '../core/random';
import { ShapedReward, rewardFunction } from '../core/rewards';
import { Algorithm, CurvePoint, EvaluationPoint, Monitor, MonitorOptions, StopReason, TrainProgress } from '../core/trainer';
import { Throttle } from './throttle';

/** A space's description in its JSON form (as saved with a model). */
const jsonSpace = (space: Space<unknown>) => jsonRpcValue(describeSpace(space)) as SpaceDescription;

/** What `train` asks for, before defaults. */
export interface TrainRequest {
  env_id: string;
  env_kwargs?: Record<string, unknown>;
  algorithm?: string;
  hyperparameters?: Record<string, unknown>;
  total_timesteps?: number;
  seed?: number;
  early_stop?: boolean;
  /** A registered reward function the learner sees in place of the environment's rewards. */
  reward_function?: string | null;
  /** Names of a 1-d Box observation's elements, saved with the model for its HTTP policy routes. */
  observation_names?: string[];
  /** The saved model the run starts from (its lineage); absent: from scratch. */
  init_model?: string | null;
}

/** A checked request with every default filled in; what a worker receives. */
export interface TrainPlan {
  env_id: string;
  env_kwargs: Record<string, unknown>;
  algorithm: AlgorithmName;
  hyperparameters: ResolvedHyperparameters;
  total_timesteps: number;
  seed: number;
  early_stop: boolean;
  reward_threshold: number | null;
  max_episode_steps: number | null;
  observation_space: SpaceDescription;
  action_space: SpaceDescription;
  /** The environment's spec as data when its entry point is a module path, so a worker can register it too. */
  env_spec: PortableSpec | null;
  /** The reward function the learner sees (its name); absent or null: the environment's own rewards. */
  reward_function?: string | null;
  /** Names of the observation's elements, saved with the model (absent: none). */
  observation_names?: string[] | null;
  /** The saved model the run starts from, as asked (recorded as the run's lineage); null: from scratch. */
  init_model?: string | null;
}

/** The spaces of an environment, from a throwaway instance (this also checks id and kwargs). */
export function spacesOf(registry: Registry, envId: string, kwargs: Record<string, unknown>): { observation: SpaceDescription; action: SpaceDescription } {
  const env = registry.make(envId, { kwargs });
  try {
    return { observation: jsonSpace(env.observation_space), action: jsonSpace(env.action_space) };
  } finally {
    env.close();
  }
}

/** Bounds a plan must keep. */
export interface PlanLimits {
  /** Largest saved weights allowed, in bytes (as the model file holds them: base64 float32). */
  maxModelBytes?: number;
}

/** Bytes that `parameters` float32 numbers take in a model file (base64). */
export function weightsBytes(parameters: number): number {
  return 4 * Math.ceil((parameters * 4) / 3);
}

/** Checks a train request against the registry and the algorithm; throws catalogue errors. */
export function planTraining(registry: Registry, req: TrainRequest, limits: PlanLimits = {}): TrainPlan {
  const spec = registry.spec(req.env_id);
  const envKwargs = req.env_kwargs ?? {};
  const spaces = spacesOf(registry, req.env_id, envKwargs);
  const name = req.algorithm ?? defaultAlgorithm(spaces.observation, spaces.action);
  const available = Object.keys(ALGORITHMS) as AlgorithmName[];
  if (!isAlgorithmName(name)) {
    throw new PalestraError('unknown_algorithm', `No algorithm ${JSON.stringify(name)}; available: ${available.join(', ')}`, { available });
  }
  const algorithm: Algorithm = ALGORITHMS[name];
  const why = algorithm.unsupported(spaces.observation, spaces.action);
  if (why) {
    const fits = available.filter((a) => ALGORITHMS[a].unsupported(spaces.observation, spaces.action) === null);
    throw new PalestraError('unknown_algorithm', `${name} cannot train ${spec.id}: ${why}; algorithms that can: ${fits.join(', ') || 'none'}`, {
      available: fits,
    });
  }
  const defaults = defaultsFor(name, spec.id);
  const hyperparameters = resolveHyperparameters(name, defaults.hyperparameters, req.hyperparameters, (hp) => algorithm.check?.(hp) ?? []);
  if (limits.maxModelBytes !== undefined) {
    // Known before a single step: the architecture follows from the spaces and the hyperparameters.
    const parameters = Policy.parameterCount(algorithm.policySpec(spaces.observation, spaces.action, hyperparameters));
    const bytes = weightsBytes(parameters);
    if (bytes > limits.maxModelBytes) {
      throw new PalestraError(
        'model_too_large',
        `A ${name} network for ${spec.id} with these hyperparameters holds ${parameters} parameters (${bytes} bytes saved), ` +
          `more than the server's maximum model size of ${limits.maxModelBytes} bytes (maxModelBytes, --max-model-bytes); use a smaller hidden_size or hidden_layers`,
        { max_model_bytes: limits.maxModelBytes, model_bytes: bytes, parameters },
      );
    }
  }
  if (req.reward_function != null) checkRewardFunction(registry, spec.id, envKwargs, req.reward_function);
  if (req.observation_names !== undefined) checkObservationNames(spec.id, spaces.observation, req.observation_names);
  return {
    env_id: spec.id,
    env_kwargs: envKwargs,
    algorithm: name,
    hyperparameters,
    total_timesteps: req.total_timesteps ?? defaults.total_timesteps,
    seed: req.seed ?? Math.floor(Math.random() * 2 ** 31),
    early_stop: req.early_stop ?? false,
    reward_threshold: spec.reward_threshold,
    max_episode_steps: spec.max_episode_steps,
    observation_space: spaces.observation,
    action_space: spaces.action,
    env_spec: registry.portable(spec.id),
    reward_function: req.reward_function ?? null,
    observation_names: req.observation_names ?? null,
    init_model: req.init_model ?? null,
  };
}

/** Refuses observation names unless they are distinct and name each element of a 1-d Box observation. */
function checkObservationNames(envId: string, space: SpaceDescription, names: string[]): void {
  const shape = space.shape as number[] | undefined;
  const size = space.name === 'Box' && shape?.length === 1 ? shape[0] : null;
  if (size === null || names.length !== size || new Set(names).size !== names.length) {
    throw new PalestraError(
      'invalid_params',
      size === null
        ? `observation_names name the elements of a 1-d Box observation; ${envId}'s observation space is ${space.name}${shape ? ` of shape [${shape.join(', ')}]` : ''}`
        : `observation_names must be ${size} distinct names, one for each element of ${envId}'s observation`,
      { expected: size },
    );
  }
}

/** Refuses a reward function that is not registered, or that fails on the environment's first step. */
function checkRewardFunction(registry: Registry, envId: string, kwargs: Record<string, unknown>, name: string): void {
  const fn = rewardFunction(name);
  const env = registry.make(envId, { kwargs });
  try {
    const [obs] = env.reset({ seed: 0 });
    const action = env.action_space.sample();
    const [next, reward] = env.step(action);
    const shaped = fn(obs, action, next, reward);
    if (typeof shaped !== 'number' || !Number.isFinite(shaped)) throw new Error(`it answered ${String(shaped)}, not a finite number`);
  } catch (err) {
    throw new PalestraError('unknown_reward_function', `The reward function ${name} cannot be used with ${envId}: ${(err as Error).message}`, {
      reward_function: name,
      env_id: envId,
    });
  } finally {
    env.close();
  }
}

/** A policy as it crosses threads and lands on disk. */
export interface PolicyData {
  spec: PolicySpec;
  params: Float32Array;
}

/** A running job's policy and record so far, saved as its model so a crash loses at most one interval. */
export type TrainCheckpoint = Omit<TrainResult, 'stop_reason'>;

/** What a finished or stopped training run hands back. */
export interface TrainResult {
  policy: PolicyData;
  stop_reason: StopReason;
  progress: TrainProgress;
  curve: CurvePoint[];
  evaluations: EvaluationPoint[];
}

/** Hooks of a running job. */
export interface JobHooks {
  shouldStop?(): boolean;
  /** Sees progress at most every `progress_interval_ms` (100 by default). */
  onProgress?(p: TrainProgress): void;
  progress_interval_ms?: number;
  /** Sees a copy of the policy every `checkpoint_interval_ms` (never when absent or 0). */
  onCheckpoint?(c: TrainCheckpoint): void;
  checkpoint_interval_ms?: number;
}

/** Hands a copy of the policy on once per interval, the first one interval after the start. */
function checkpointer(intervalMs: number, send: (c: TrainCheckpoint) => void): MonitorOptions['checkpoint'] {
  let next = performance.now() + intervalMs;
  return {
    get due() {
      return performance.now() >= next;
    },
    offer(c) {
      next = performance.now() + intervalMs;
      send({ policy: { spec: c.policy.spec, params: Float32Array.from(c.policy.params) }, progress: c.progress, curve: [...c.curve], evaluations: [...c.evaluations] });
    },
  };
}

/** What an evaluation reports as episodes end: the latest one and the running tally. */
export interface EpisodeReport {
  episode: number;
  return: number;
  length: number;
  episodes_done: number;
  mean_return: number;
}

/** Trains according to `plan`; synchronous, polls `shouldStop` between steps. */
export function runTraining(registry: Registry, plan: TrainPlan, tf: Tf, hooks: JobHooks = {}): TrainResult {
  const algorithm: Algorithm = ALGORITHMS[plan.algorithm];
  const makeEnv = () => registry.make(plan.env_id, { kwargs: plan.env_kwargs });
  // Only the learner's environments are shaped; the monitor's evaluations report the environment's own return.
  const shaping = plan.reward_function ? rewardFunction(plan.reward_function) : null;
  const makeLearnerEnv = shaping ? () => new ShapedReward(makeEnv(), shaping) : makeEnv;
  const hp = plan.hyperparameters;
  const monitor = new Monitor({
    total_timesteps: plan.total_timesteps,
    eval_freq: hp.eval_freq,
    eval_episodes: hp.eval_episodes,
    early_stop: plan.early_stop,
    reward_threshold: plan.reward_threshold,
    seed: plan.seed,
    makeEnv,
    progress: hooks.onProgress ? new Throttle(hooks.progress_interval_ms ?? 100, hooks.onProgress) : undefined,
    shouldStop: hooks.shouldStop,
    checkpoint: hooks.onCheckpoint && hooks.checkpoint_interval_ms ? checkpointer(hooks.checkpoint_interval_ms, hooks.onCheckpoint) : undefined,
    tf,
    maxEpisodeSteps: plan.max_episode_steps === null ? 10_000 : undefined,
  });
  const outcome = algorithm.train({
    env_id: plan.env_id,
    makeEnv: makeLearnerEnv,
    observation_space: plan.observation_space,
    action_space: plan.action_space,
    hp,
    total_timesteps: plan.total_timesteps,
    seed: plan.seed,
    rng: new Rng(plan.seed),
    tf,
    monitor,
  });
  return {
    policy: { spec: outcome.policy.spec, params: outcome.policy.params },
    stop_reason: outcome.stop_reason,
    progress: outcome.progress,
    curve: outcome.curve,
    evaluations: outcome.evaluations,
  };
}

/** What an evaluation job runs. */
export interface EvaluationPlan {
  policy: PolicyData;
  env_id: string;
  env_kwargs: Record<string, unknown>;
  episodes: number;
  deterministic: boolean;
  seed: number;
  max_episode_steps: number | null;
  /** As in TrainPlan: the spec as data when a worker can load it. */
  env_spec: PortableSpec | null;
  /** The timesteps the model was trained for (recorded with the evaluation's run). */
  model_timesteps?: number;
}

/** What `evaluate` is asked: a model, and optionally another environment and the episodes to run. */
export interface EvaluationRequest {
  env_id?: string;
  env_kwargs?: Record<string, unknown>;
  episodes?: number;
  deterministic?: boolean;
  seed?: number;
}

/**
 * Plans the evaluation of a saved policy: on its own environment unless another is named,
 * which must have the same spaces (not_supported otherwise).
 */
export function planEvaluation(
  registry: Registry,
  model: { name: string; env_id: string; env_kwargs: Record<string, unknown>; policy: PolicyData['spec']; timesteps?: number },
  params: PolicyData['params'],
  request: EvaluationRequest,
): EvaluationPlan {
  const envId = request.env_id ?? model.env_id;
  const envKwargs = request.env_kwargs ?? (request.env_id === undefined ? model.env_kwargs : {});
  const spec = registry.spec(envId);
  const spaces = spacesOf(registry, envId, envKwargs);
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (!same(spaces.observation, model.policy.observation_space) || !same(spaces.action, model.policy.action_space)) {
    throw new PalestraError('not_supported', `Model ${model.name} was trained on ${model.env_id}, whose spaces differ from ${envId}'s`, {
      model_env_id: model.env_id,
    });
  }
  return {
    policy: { spec: model.policy, params },
    env_id: spec.id,
    env_kwargs: envKwargs,
    episodes: request.episodes ?? 10,
    deterministic: request.deterministic ?? true,
    seed: request.seed ?? 0,
    max_episode_steps: spec.max_episode_steps,
    env_spec: registry.portable(spec.id),
    model_timesteps: model.timesteps ?? 0,
  };
}

/** Evaluates a saved policy; `onEpisode` sees the episodes as they end, at most every `progress_interval_ms` and always the last. */
export function runEvaluation(
  registry: Registry,
  plan: EvaluationPlan,
  tf: Tf | null,
  hooks: { shouldStop?(): boolean; onEpisode?(report: EpisodeReport): void; progress_interval_ms?: number } = {},
): EvaluationRun {
  const policy = new Policy(plan.policy.spec).load(plan.policy.params);
  if (tf) policy.attachTf(tf);
  const report = hooks.onEpisode ? new Throttle(hooks.progress_interval_ms ?? 100, hooks.onEpisode) : null;
  let done = 0;
  let sum = 0;
  const onEpisode = report
    ? (episode: number, ret: number, length: number) => {
        done += 1;
        sum += ret;
        report.offer({ episode, return: ret, length, episodes_done: done, mean_return: sum / done });
      }
    : undefined;
  try {
    return evaluatePolicy(policy, () => registry.make(plan.env_id, { kwargs: plan.env_kwargs }), {
      episodes: plan.episodes,
      seed: plan.seed,
      deterministic: plan.deterministic,
      maxEpisodeSteps: plan.max_episode_steps === null ? 10_000 : undefined,
      shouldStop: hooks.shouldStop,
      onEpisode,
    });
  } finally {
    report?.flush();
    policy.detachTf();
  }
}
