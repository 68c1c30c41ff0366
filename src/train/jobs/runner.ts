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
import { RewardFunction, ShapedReward, rewardFunction } from '../core/rewards';
import { Algorithm, CurvePoint, EvaluationPoint, Monitor, MonitorOptions, StopReason, TrainProgress, TrainSnapshot } from '../core/trainer';
import { Adam, AdamState } from '../core/nn';
import { SavedWrapper, WrapperSpec, WrapperStats, applyWrappers, checkWrappers } from '../../envs/wrappers/catalogue';
import type { StoredModel } from '../../models/store';
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
  /** Gymnasium wrappers around the learner's environment, innermost first. */
  wrappers?: WrapperSpec[];
  /** A saved model to continue from (its weights, optimiser state, statistics and counters). */
  init_model?: string;
  /** Steps between numbered checkpoints `<name>-<timesteps>` (0 or absent: none). */
  checkpoint_freq?: number;
  /** Keep the best periodically evaluated policy as `<name>-best`. */
  save_best?: boolean;
}

/** What a run continues from: a saved model, as `planTraining` reads it. */
export interface ResumeFrom {
  model: string;
  params: Float32Array;
  optimizers: Record<string, AdamState>;
  wrappers: SavedWrapper[];
  timesteps: number;
  episodes: number;
  elapsed_s: number;
  curve: CurvePoint[];
  evaluations: EvaluationPoint[];
  /** The saved model's own ancestors, oldest first. */
  lineage: string[];
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
  /** Wrappers around the learner's environment (absent: none). */
  wrappers?: WrapperSpec[];
  /** The saved model this run continues (absent or null: from scratch). */
  init?: ResumeFrom | null;
  /** Its name (what run records show), or null. */
  init_model?: string | null;
  /** Steps between numbered checkpoints (0: none). */
  checkpoint_freq?: number;
  save_best?: boolean;
}

/** The spaces of an environment in its wrappers, from a throwaway instance (this also checks id, kwargs and wrappers). */
export function spacesOf(
  registry: Registry,
  envId: string,
  kwargs: Record<string, unknown>,
  wrappers: readonly WrapperSpec[] = [],
): { observation: SpaceDescription; action: SpaceDescription } {
  const inner = registry.make(envId, { kwargs });
  let env = inner;
  try {
    env = applyWrappers(inner, wrappers);
  } catch (err) {
    inner.close();
    throw err;
  }
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

/**
 * Checks a train request against the registry and the algorithm; throws catalogue errors.
 * With `init` (the model `init_model` names), the run continues it: its environment,
 * kwargs, wrappers and hyperparameters are the defaults, and what is given must fit its network.
 */
export function planTraining(registry: Registry, req: TrainRequest, limits: PlanLimits = {}, init?: StoredModel): TrainPlan {
  const spec = registry.spec(req.env_id);
  const saved = init?.meta;
  const envKwargs = req.env_kwargs ?? saved?.env_kwargs ?? {};
  const given = req.wrappers ?? saved?.wrappers?.map(({ name, kwargs }) => ({ name, kwargs }));
  let wrappers = checkWrappers(given ?? []);
  let spaces = spacesOf(registry, req.env_id, envKwargs, wrappers);
  const name = req.algorithm ?? saved?.algorithm ?? defaultAlgorithm(spec.id, spaces.observation, spaces.action, (a) => ALGORITHMS[a].unsupported(spaces.observation, spaces.action) === null);
  const available = Object.keys(ALGORITHMS) as AlgorithmName[];
  if (!isAlgorithmName(name)) {
    throw new PalestraError('unknown_algorithm', `No algorithm ${JSON.stringify(name)}; available: ${available.join(', ')}`, { available });
  }
  const algorithm: Algorithm = ALGORITHMS[name];
  const defaults = defaultsFor(name, spec.id);
  // Without wrappers of its own (or a model's), a run takes those of its algorithm's row for the environment.
  if (given === undefined && defaults.wrappers) {
    wrappers = checkWrappers(defaults.wrappers);
    spaces = spacesOf(registry, req.env_id, envKwargs, wrappers);
  }
  const why = algorithm.unsupported(spaces.observation, spaces.action);
  if (why) {
    const fits = available.filter((a) => ALGORITHMS[a].unsupported(spaces.observation, spaces.action) === null);
    throw new PalestraError('unknown_algorithm', `${name} cannot train ${spec.id}: ${why}; algorithms that can: ${fits.join(', ') || 'none'}`, {
      available: fits,
    });
  }
  const base = saved && saved.algorithm === name ? { ...defaults.hyperparameters, ...saved.hyperparameters } : defaults.hyperparameters;
  const hyperparameters = resolveHyperparameters(name, base, req.hyperparameters, (hp) => algorithm.check?.(hp) ?? []);
  const resume = init ? resumeFrom(init, { env_id: spec.id, algorithm: name, wrappers, policy: algorithm.policySpec(spaces.observation, spaces.action, hyperparameters) }) : null;
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
  if (req.save_best && hyperparameters.eval_freq <= 0) {
    throw new PalestraError('invalid_params', 'save_best keeps the best periodically evaluated policy, so it needs evaluations: set eval_freq above 0', { eval_freq: hyperparameters.eval_freq });
  }
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
    observation_names: req.observation_names ?? saved?.observation_names ?? null,
    wrappers,
    init: resume,
    init_model: resume?.model ?? null,
    checkpoint_freq: req.checkpoint_freq ?? 0,
    save_best: req.save_best ?? false,
  };
}

const toBase64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
const fromBase64 = (text: string) => {
  const bytes = Buffer.from(text, 'base64');
  const out = new Float32Array(bytes.length / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
};

/** A plan as JSON can keep it (queue.json): a resumed run's arrays as base64. */
export function planToJSON(plan: TrainPlan): unknown {
  if (!plan.init) return plan;
  const { params, optimizers, ...rest } = plan.init;
  const opt = Object.fromEntries(Object.entries(optimizers).map(([k, o]) => [k, { t: o.t, m: toBase64(o.m), v: toBase64(o.v) }]));
  return { ...plan, init: { ...rest, params: toBase64(params), optimizers: opt } };
}

/** The plan `planToJSON` wrote. */
export function planFromJSON(json: unknown): TrainPlan {
  const plan = json as TrainPlan & { init?: (Omit<ResumeFrom, 'params' | 'optimizers'> & { params: string; optimizers: Record<string, { t: number; m: string; v: string }> }) | null };
  if (!plan.init) return plan as TrainPlan;
  const { params, optimizers, ...rest } = plan.init;
  const opt = Object.fromEntries(Object.entries(optimizers).map(([k, o]) => [k, { t: o.t, m: fromBase64(o.m), v: fromBase64(o.v) }]));
  return { ...plan, init: { ...rest, params: fromBase64(params), optimizers: opt } };
}

/**
 * The plan of a job whose worker died, going on from the checkpoint that job saved: its weights,
 * optimiser state, step count and curve, to the same last step as before. The checkpoint is the
 * job's own model, so the run's `init_model` and lineage stay what they were. Null when the
 * checkpoint already holds every step (the job then runs again from its start).
 */
export function continueFromCheckpoint(plan: TrainPlan, checkpoint: StoredModel): TrainPlan | null {
  const algorithm: Algorithm = ALGORITHMS[plan.algorithm];
  const policy = algorithm.policySpec(plan.observation_space, plan.action_space, plan.hyperparameters);
  const from = resumeFrom(checkpoint, { env_id: plan.env_id, algorithm: plan.algorithm, wrappers: plan.wrappers ?? [], policy });
  const lastStep = (plan.init?.timesteps ?? 0) + plan.total_timesteps;
  if (from.timesteps >= lastStep) return null;
  return {
    ...plan,
    init: { ...from, lineage: checkpoint.meta.lineage ?? [] },
    total_timesteps: lastStep - from.timesteps,
  };
}

/** What a run continues from, once the saved model is known to fit it; model_mismatch, saying why, otherwise. */
function resumeFrom(init: StoredModel, want: { env_id: string; algorithm: string; wrappers: WrapperSpec[]; policy: PolicySpec }): ResumeFrom {
  const { meta } = init;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const savedWrappers = (meta.wrappers ?? []).map(({ name, kwargs }) => ({ name, kwargs: kwargs ?? {} }));
  const mismatch = (reason: string) => {
    throw new PalestraError('model_mismatch', `Cannot continue model ${meta.name}: ${reason}`, { model: meta.name, reason });
  };
  if (meta.algorithm !== want.algorithm) mismatch(`it was trained with ${meta.algorithm}, not ${want.algorithm}`);
  if (meta.env_id !== want.env_id) mismatch(`it was trained on ${meta.env_id}, not ${want.env_id}`);
  if (!same(savedWrappers, want.wrappers.map(({ name, kwargs }) => ({ name, kwargs: kwargs ?? {} })))) mismatch('it was trained in other wrappers');
  if (!same(meta.policy.observation_space, want.policy.observation_space) || !same(meta.policy.action_space, want.policy.action_space)) {
    mismatch(`its spaces differ from ${want.env_id}'s with these kwargs and wrappers`);
  }
  if (!same(meta.policy, want.policy)) mismatch('its network differs from the one these hyperparameters make (hidden_size, hidden_layers or activation)');
  return {
    model: meta.name,
    params: init.params,
    optimizers: init.optimizers ?? {},
    wrappers: meta.wrappers ?? [],
    timesteps: meta.timesteps,
    episodes: meta.episodes,
    elapsed_s: meta.elapsed_s,
    curve: (meta.curve ?? []) as CurvePoint[],
    evaluations: (meta.evaluations ?? []) as EvaluationPoint[],
    lineage: [...(meta.lineage ?? []), meta.name],
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

/** A policy as it crosses threads and lands on disk, with its optimisers' state and its wrappers' statistics. */
export interface PolicyData {
  spec: PolicySpec;
  params: Float32Array;
  optimizers?: Record<string, AdamState>;
  wrappers?: SavedWrapper[];
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

/** What kind of checkpoint a running job hands over: the periodic copy saved as its model, a numbered one, or the best so far. */
export type CheckpointKind = 'interval' | 'numbered' | 'best';

/** Hooks of a running job. */
export interface JobHooks {
  shouldStop?(): boolean;
  /** Sees progress at most every `progress_interval_ms` (100 by default). */
  onProgress?(p: TrainProgress): void;
  progress_interval_ms?: number;
  /** Sees a copy of the policy every `checkpoint_interval_ms` (never when absent or 0), every `checkpoint_freq` steps, and at each new best evaluation. */
  onCheckpoint?(c: TrainCheckpoint, kind: CheckpointKind): void;
  checkpoint_interval_ms?: number;
}

/** Hands a copy of the policy on once per interval, the first one interval after the start. */
function checkpointer(intervalMs: number, send: (c: TrainSnapshot) => void): MonitorOptions['checkpoint'] {
  let next = performance.now() + intervalMs;
  return {
    get due() {
      return performance.now() >= next;
    },
    offer(c) {
      next = performance.now() + intervalMs;
      send(c);
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
  const wrappers = plan.wrappers ?? [];
  const init = plan.init ?? null;
  // The learner's copies share one set of normalisation statistics, continued from the saved model's.
  const stats = new WrapperStats(wrappers, init?.wrappers ?? null);
  const makeBase = () => registry.make(plan.env_id, { kwargs: plan.env_kwargs });
  // The monitor's evaluations see observations as the learner does (statistics frozen) and report the environment's own return.
  const makeEnv = () => applyWrappers(makeBase(), wrappers, { stats, evaluation: true });
  // Only the learner's environments are shaped. Shaping, or a reward wrapper, keeps the environment's own
  // reward in info.env_reward (the innermost wrapper), so the episode returns reported stay the environment's.
  const shaping = plan.reward_function ? rewardFunction(plan.reward_function) : wrappers.some((w) => w.name === 'NormalizeReward' || w.name === 'TransformReward') ? ownReward : null;
  const makeLearnerEnv = () => applyWrappers(shaping ? new ShapedReward(makeBase(), shaping) : makeBase(), wrappers, { stats });
  const hp = plan.hyperparameters;
  const optimizers = new Map<string, Adam>();
  let resumed = false;
  // Everything a saved copy needs beside the weights: the optimisers' moments and the wrappers' statistics.
  const policyData = (policy: Policy, copy: boolean): PolicyData => {
    const out: PolicyData = { spec: policy.spec, params: copy ? Float32Array.from(policy.params) : policy.params };
    if (optimizers.size) out.optimizers = Object.fromEntries([...optimizers].map(([k, a]) => [k, a.state()]));
    if (wrappers.length) out.wrappers = stats.toSaved();
    return out;
  };
  const send = (kind: CheckpointKind) => (c: TrainSnapshot) =>
    hooks.onCheckpoint?.({ policy: policyData(c.policy, true), progress: c.progress, curve: [...c.curve], evaluations: [...c.evaluations] }, kind);
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
    checkpoint: hooks.onCheckpoint && hooks.checkpoint_interval_ms ? checkpointer(hooks.checkpoint_interval_ms, send('interval')) : undefined,
    numbered: hooks.onCheckpoint && plan.checkpoint_freq ? { every: plan.checkpoint_freq, offer: send('numbered') } : undefined,
    best: hooks.onCheckpoint && plan.save_best ? { offer: send('best') } : undefined,
    resume: init ?? undefined,
    checkResumed: init
      ? () => {
          if (!resumed) throw new PalestraError('not_supported', `${plan.algorithm} cannot continue a saved model yet (it does not load one); train it without init_model`, { algorithm: plan.algorithm });
        }
      : undefined,
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
    resume(policy) {
      if (init) policy.load(init.params);
      resumed = true;
    },
    optimizer(name, size, beta1, beta2, eps) {
      const adam = new Adam(size, beta1, beta2, eps);
      const saved = init?.optimizers[name];
      // A model saved without this optimiser's state (or by an older Palestra) continues with fresh moments.
      if (saved && saved.m.length === size) adam.restore(saved);
      optimizers.set(name, adam);
      return adam;
    },
  });
  return {
    policy: policyData(outcome.policy, false),
    stop_reason: outcome.stop_reason,
    progress: outcome.progress,
    curve: outcome.curve,
    evaluations: outcome.evaluations,
  };
}

/** The reward as it is, kept in info.env_reward by ShapedReward beneath the reward wrappers. */
const ownReward: RewardFunction = (_obs, _action, _next, reward) => reward;

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
  model: { name: string; env_id: string; env_kwargs: Record<string, unknown>; policy: PolicyData['spec']; wrappers?: SavedWrapper[]; timesteps?: number },
  params: PolicyData['params'],
  request: EvaluationRequest,
): EvaluationPlan {
  const envId = request.env_id ?? model.env_id;
  const envKwargs = request.env_kwargs ?? (request.env_id === undefined ? model.env_kwargs : {});
  const spec = registry.spec(envId);
  const wrappers = model.wrappers ?? [];
  const spaces = spacesOf(registry, envId, envKwargs, wrappers);
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (!same(spaces.observation, model.policy.observation_space) || !same(spaces.action, model.policy.action_space)) {
    throw new PalestraError('not_supported', `Model ${model.name} was trained on ${model.env_id}, whose spaces differ from ${envId}'s`, {
      model_env_id: model.env_id,
    });
  }
  return {
    policy: { spec: model.policy, params, wrappers },
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
    // The saved wrappers with their statistics frozen; reward wrappers left out, so returns are the environment's own.
    const wrappers = plan.policy.wrappers ?? [];
    const stats = new WrapperStats(wrappers, wrappers);
    const makeEnv = () => applyWrappers(registry.make(plan.env_id, { kwargs: plan.env_kwargs }), wrappers, { stats, evaluation: true });
    return evaluatePolicy(policy, makeEnv, {
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
