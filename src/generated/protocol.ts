/* eslint-disable */
/**
 * The wire types, generated from protocol/ by clients/scripts/protocol-types.cjs
 * into clients/src/protocol.ts and src/generated/protocol.ts alike.
 * Do not edit: change the schemas and run `npm run build:client`.
 */

/** An environment instance id, as `make` answered it. */
export type InstanceId = string;

/** A registered environment id, e.g. `CartPole-v1`. */
export type EnvId = string;

/** A non-negative integer seed, as Gymnasium's `reset(seed=...)` takes: a JSON number up to 2^53 - 1, or a string of at most 100 decimal digits; send a seed past 2^53 - 1 as a string (`"18446744073709551615"`), since JSON numbers lose digits there. */
export type Seed = number | string;

/** A non-negative integer seed for a training or evaluation job, up to 2^53 - 1. */
export type JobSeed = number;

/** A number; infinities and NaN are sent as the strings `Infinity`, `-Infinity` and `NaN`. */
export type JsonNumber = number | ("Infinity" | "-Infinity" | "NaN");

/** A value of a space as JSON: a number, or nested lists of numbers, or a list/object of such values for Tuple/Dict spaces. */
export type JsonArray = JsonNumber | unknown[] | Record<string, unknown>;

/** How replies to `reset`, `step` and `action_sample` on a vector instance travel: `json` (text), or `binary` (binary frames, protocol/binary-frames.md). */
export type Encoding = "json" | "binary";

/** Gymnasium's `AutoresetMode`: `NextStep` (the default: the step after a copy ended resets it), `SameStep` (it is reset in the step that ended it; `final_obs`/`final_info` in the info), `Disabled` (the client resets ended copies with `reset(options={"reset_mask": ...})`). */
export type AutoresetMode = "NextStep" | "SameStep" | "Disabled";

/** In a binary frame, a numeric array sent as raw bytes (protocol/binary-frames.md). */
export type NdarrayRef = {
  $ndarray: number;
  dtype: "float32" | "float64" | "int8" | "uint8" | "int16" | "uint16" | "int32" | "uint32" | "int64" | "uint64" | "bool";
  shape: number[];
  offset: number;
  [key: string]: unknown;
};

/** One boolean per copy of a vector environment. */
export type BatchFlags = boolean[];

/** The `info` dict that Gymnasium returns. */
export type Info = Record<string, unknown>;

/** A complete space description. */
export type Space = {
  name: "Discrete" | "Box" | "MultiBinary" | "MultiDiscrete" | "Tuple" | "Dict" | "Text" | "Custom";
  n?: unknown;
  start?: unknown;
  shape?: number[];
  dtype?: string;
  low?: unknown;
  high?: unknown;
  nvec?: unknown;
  spaces?: Space[] | Record<string, Space>;
  [key: string]: unknown;
};

export type EnvSpec = {
  id: string;
  max_episode_steps: number | null;
  reward_threshold: number | null;
  nondeterministic?: boolean;
  kwargs?: Record<string, unknown>;
  accepted_kwargs?: string[];
  aliases?: string[];
  observation_space: Space;
  action_space: Space;
  [key: string]: unknown;
};

/** A job id, as `train` answered it. */
export type JobId = string;

/** A job's state: `stopping` lasts from a `stop` (or a shutdown) until the training loop has ended; `saving` from the end of a training job's loop until its model is written (its step count no longer changes); then `completed`, `stopped` or `failed`. */
export type JobStatus = "queued" | "running" | "stopping" | "saving" | "completed" | "stopped" | "failed";

/** Why a job failed: a catalogue error (`name`, `code`) with its message and data. */
export type JobError = {
  code: number;
  name: string;
  message: string;
  data?: Record<string, unknown>;
  [key: string]: unknown;
};

/** A training or evaluation job, as `job`, `jobs`, `stop` and `subscribe` answer it. */
export type Job = {
  job_id: JobId;
  kind: "train" | "evaluate";
  status: JobStatus;
  env_id: string;
  algorithm: string;
  /** The model a training job saves to, or the model an evaluation runs. */
  model: string;
  session: string | null;
  /** The name of the API key that made the job (`local` on a server without keys). */
  owner?: string | null;
  seed: number;
  total_timesteps: number | null;
  hyperparameters: Record<string, unknown> | null;
  early_stop: boolean | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** Jobs ahead of this one in the queue (null unless queued). */
  queue_position: number | null;
  backend: string | null;
  /** The latest `train.progress` or `evaluate.progress` frame. */
  progress: Record<string, unknown> | null;
  /** The `train.done` summary or the evaluation's statistics, once finished. */
  result: Record<string, unknown> | null;
  error: null | JobError;
  [key: string]: unknown;
};

/** Statistics of evaluation episodes: their count, returns and mean length. */
export type EvaluationSummary = {
  episodes: number;
  mean_return: number;
  std_return: number;
  min_return: number;
  max_return: number;
  mean_length: number;
  [key: string]: unknown;
};

/** A deterministic evaluation made during training. */
export type EvaluationPoint = EvaluationSummary & {
  timesteps: number;
  elapsed_s?: number;
  confirmation?: boolean;
  [key: string]: unknown;
};

/** A saved model as `models` lists it; with `name`, its full record (hyperparameters, curve, evaluations, policy) too. */
export type ModelSummary = {
  name: string;
  algorithm: string;
  env_id: string;
  session: string | null;
  /** The name of the API key whose job saved the model (`local` without keys; null for models saved before keys existed). */
  owner?: string | null;
  created_at: string;
  timesteps: number;
  stop_reason: string;
  mean_return_100: number | null;
  evaluation: Record<string, unknown> | null;
  size_bytes: number;
  hyperparameters?: Record<string, unknown>;
  curve?: unknown[];
  evaluations?: unknown[];
  policy?: Record<string, unknown>;
  [key: string]: unknown;
};

/** A run's id: the id of the training job that made it. */
export type RunId = string;

/** A run's state: `interrupted` when the server ended without recording the run's end (killed, or the machine stopped). */
export type RunStatus = "running" | "stopping" | "completed" | "stopped" | "failed" | "interrupted";

/** A run as it was recorded: what it was asked, where it stands or how it ended. A training job's run holds its progress and periodic evaluations; an evaluation job's run (`kind` evaluate) holds the one evaluation it made. */
export type RunSummary = {
  run_id: RunId;
  /** train: a training job; evaluate: an evaluation of a saved model (`model`), its settings as `hyperparameters` (episodes, deterministic), its result as `evaluation`. */
  kind: "train" | "evaluate";
  status: RunStatus;
  env_id: string;
  env_kwargs: Record<string, unknown>;
  algorithm: string;
  /** Every hyperparameter the run trained with, defaults filled in. */
  hyperparameters: Record<string, unknown>;
  /** The training budget; for an evaluation, the timesteps the evaluated model was trained for. */
  total_timesteps: number;
  seed: number;
  early_stop: boolean;
  /** The TensorFlow.js backend that trained it. */
  backend: string | null;
  /** The saved model the run started from (its lineage), or null when it started from scratch. */
  init_model: string | null;
  /** The model a training run saves to, or the model an evaluation ran. */
  model: string;
  session: string | null;
  /** The name of the API key that started it (null without keys). */
  owner: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** Why it ended: total_timesteps, reward_threshold, stopped (by `stop`) or shutdown (the server shut down mid-run and kept what it had learned); an evaluation: episodes (all ran) or stopped; null while running, and for failed or interrupted runs. */
  stop_reason: string | null;
  /** Timesteps at the last recorded progress. */
  timesteps: number;
  episodes: number;
  mean_return_100: number | null;
  last_return: number | null;
  elapsed_s: number;
  /** The last evaluation recorded. */
  evaluation: null | EvaluationPoint;
  error: null | JobError;
  /** Why the record holds less than the run did: data_quota_exceeded when the data directory reached its quota (`--data-quota`) mid-run, after which progress was no longer written (every line written stays whole and readable). Null when the record is whole. */
  record_error: null | JobError;
  palestra_version?: string;
};

/** One of Gymnasium's wrappers, by its class name, with its keyword arguments; wrappers apply in the order listed, the first innermost. */
export type Wrapper = {
  name: "NormalizeObservation" | "NormalizeReward" | "ClipAction" | "RescaleAction" | "FlattenObservation" | "FrameStackObservation" | "TimeAwareObservation" | "TransformReward" | "RecordEpisodeStatistics";
  kwargs?: Record<string, unknown>;
};

/** Wrappers around the environment, innermost first (Gymnasium's `env = Wrapper(env, **kwargs)` in this order). */
export type Wrappers = Wrapper[];

/** The hyperparameters of `a2c`: Advantage Actor-Critic: synchronous short rollouts, one gradient step each; discrete and continuous actions. */
export type A2cHyperparameters = {
  /** Optimiser step size. */
  learning_rate?: number;
  /** Decay the learning rate linearly to 0 over the run. */
  anneal_lr?: boolean;
  /** RMSprop (PyTorch's definition, as A2C usually uses) or Adam. */
  optimizer?: "rmsprop" | "adam";
  /** RMSprop's smoothing constant for the squared gradient. */
  rms_prop_alpha?: number;
  /** The optimiser's ε, added to the root of the squared-gradient average. */
  optimizer_eps?: number;
  /** Environments stepped in parallel. */
  n_envs?: number;
  /** Steps per environment per rollout; each rollout is one gradient step. */
  n_steps?: number;
  /** Discount factor. */
  gamma?: number;
  /** GAE λ (1: plain n-step returns). */
  gae_lambda?: number;
  /** Entropy bonus coefficient. */
  ent_coef?: number;
  /** Value loss coefficient. */
  vf_coef?: number;
  /** Global gradient norm clip. */
  max_grad_norm?: number;
  /** Normalise advantages over each rollout. */
  normalize_advantage?: boolean;
  /** Units per hidden layer (actor and critic). */
  hidden_size?: number;
  /** Hidden layers (actor and critic). */
  hidden_layers?: number;
  /** Hidden-layer nonlinearity. */
  activation?: "tanh" | "relu";
  /** Initial log standard deviation (continuous actions). */
  log_std_init?: number;
  /** Environment steps between deterministic evaluations (0: only at the end); early stopping checks at each one. */
  eval_freq?: number;
  /** Episodes per periodic evaluation. */
  eval_episodes?: number;
};

/** The hyperparameters of `dqn`: Deep Q-Network with replay buffer and target network; discrete actions. */
export type DqnHyperparameters = {
  /** Adam step size. */
  learning_rate?: number;
  /** Replay buffer capacity, in transitions. */
  buffer_size?: number;
  /** Steps of pure collection before learning starts. */
  learning_starts?: number;
  /** Transitions per gradient step. */
  batch_size?: number;
  /** Discount factor. */
  gamma?: number;
  /** Steps between copies of the online network into the target. */
  target_update_interval?: number;
  /** Steps between training phases. */
  train_freq?: number;
  /** Gradient steps per training phase. */
  gradient_steps?: number;
  /** Fraction of the run over which ε decays. */
  exploration_fraction?: number;
  /** ε at the start. */
  exploration_initial_eps?: number;
  /** ε after the decay. */
  exploration_final_eps?: number;
  /** Units per hidden layer. */
  hidden_size?: number;
  /** Hidden layers. */
  hidden_layers?: number;
  /** Hidden-layer nonlinearity. */
  activation?: "tanh" | "relu";
  /** Global gradient norm clip. */
  max_grad_norm?: number;
  /** Use Double DQN targets. */
  double_q?: boolean;
  /** Huber (smooth L1) TD loss instead of squared error. */
  huber?: boolean;
  /** Environment steps between deterministic evaluations (0: only at the end); early stopping checks at each one. */
  eval_freq?: number;
  /** Episodes per periodic evaluation. */
  eval_episodes?: number;
};

/** The hyperparameters of `grpo`: Group Relative Policy Optimization: groups of episodes from one start state, group-normalised returns, clipped objective with a KL penalty, no value network. */
export type GrpoHyperparameters = {
  /** Adam step size. */
  learning_rate?: number;
  /** Episodes per group, all from the same start state (the same reset seed); their returns are normalised within the group. */
  group_size?: number;
  /** Steps per group member between updates: each update plays whole groups until it holds at least group_size × n_steps steps. */
  n_steps?: number;
  /** Minibatch size, in steps. */
  batch_size?: number;
  /** Passes over each update's steps. */
  n_epochs?: number;
  /** Surrogate clipping ε. */
  clip_range?: number;
  /** β: weight of the KL penalty to the reference policy. */
  kl_coef?: number;
  /** Updates between refreshes of the reference policy (a copy of the current one). */
  ref_update_interval?: number;
  /** Entropy bonus coefficient. */
  ent_coef?: number;
  /** Global gradient norm clip. */
  max_grad_norm?: number;
  /** Units per hidden layer of the policy network. */
  hidden_size?: number;
  /** Hidden layers of the policy network. */
  hidden_layers?: number;
  /** Hidden-layer nonlinearity. */
  activation?: "tanh" | "relu";
  /** Initial log standard deviation (continuous actions). */
  log_std_init?: number;
  /** Environment steps between deterministic evaluations (0: only at the end); early stopping checks at each one. */
  eval_freq?: number;
  /** Episodes per periodic evaluation. */
  eval_episodes?: number;
};

/** The hyperparameters of `ppo`: Proximal Policy Optimization with a clipped objective; discrete and continuous actions. */
export type PpoHyperparameters = {
  /** Adam step size. */
  learning_rate?: number;
  /** Decay the learning rate linearly to 0 over the run. */
  anneal_lr?: boolean;
  /** Environments stepped in parallel. */
  n_envs?: number;
  /** Steps per environment per rollout. */
  n_steps?: number;
  /** Minibatch size (at most n_envs × n_steps). */
  batch_size?: number;
  /** Passes over each rollout. */
  n_epochs?: number;
  /** Discount factor. */
  gamma?: number;
  /** GAE λ. */
  gae_lambda?: number;
  /** Surrogate clipping ε. */
  clip_range?: number;
  /** Decay the clipping range linearly to 0 over the run. */
  anneal_clip?: boolean;
  /** Entropy bonus coefficient. */
  ent_coef?: number;
  /** Value loss coefficient. */
  vf_coef?: number;
  /** Global gradient norm clip. */
  max_grad_norm?: number;
  /** Normalise advantages per minibatch. */
  normalize_advantage?: boolean;
  /** Units per hidden layer (actor and critic). */
  hidden_size?: number;
  /** Hidden layers (actor and critic). */
  hidden_layers?: number;
  /** Hidden-layer nonlinearity. */
  activation?: "tanh" | "relu";
  /** Initial log standard deviation (continuous actions). */
  log_std_init?: number;
  /** Generalized State-Dependent Exploration (continuous actions): the noise is the last hidden layer's output times a random matrix drawn from N(0, exp(log_std)²) per entry, held for sde_sample_freq steps, so it changes smoothly with the state; log_std is then one entry per hidden unit and action dimension. */
  use_sde?: boolean;
  /** With use_sde: steps between new exploration matrices (-1 or 0: one per rollout). */
  sde_sample_freq?: number;
  /** Orthogonal initial weights (gain √2, the policy head 0.01, the value head 1), as CleanRL; false: PyTorch's default for a linear layer, uniform in ±1/√fan_in. */
  ortho_init?: boolean;
  /** Environment steps between deterministic evaluations (0: only at the end); early stopping checks at each one. */
  eval_freq?: number;
  /** Episodes per periodic evaluation. */
  eval_episodes?: number;
};

/** The hyperparameters of `q_learning`: Tabular Q-learning with ε-greedy exploration; finite observations, discrete actions. */
export type QLearningHyperparameters = {
  /** Step size α. */
  learning_rate?: number;
  /** Decay the step size linearly to 0 over the run. */
  anneal_lr?: boolean;
  /** Discount factor. */
  gamma?: number;
  /** Fraction of the run over which ε decays. */
  exploration_fraction?: number;
  /** ε at the start. */
  exploration_initial_eps?: number;
  /** ε after the decay. */
  exploration_final_eps?: number;
  /** Environment steps between deterministic evaluations (0: only at the end); early stopping checks at each one. */
  eval_freq?: number;
  /** Episodes per periodic evaluation. */
  eval_episodes?: number;
};

/** The hyperparameters of `reinforce`: REINFORCE: Monte Carlo policy gradient on whole episodes, no value network; discrete and continuous actions. */
export type ReinforceHyperparameters = {
  /** Adam step size. */
  learning_rate?: number;
  /** Decay the learning rate linearly to 0 over the run. */
  anneal_lr?: boolean;
  /** Whole episodes per update, played side by side by as many environment copies. */
  n_episodes?: number;
  /** Discount factor. */
  gamma?: number;
  /** Normalise the returns over each update's steps (a constant baseline and a scale). */
  normalize_returns?: boolean;
  /** Entropy bonus coefficient. */
  ent_coef?: number;
  /** Global gradient norm clip. */
  max_grad_norm?: number;
  /** Units per hidden layer of the policy network. */
  hidden_size?: number;
  /** Hidden layers of the policy network. */
  hidden_layers?: number;
  /** Hidden-layer nonlinearity. */
  activation?: "tanh" | "relu";
  /** Initial log standard deviation (continuous actions). */
  log_std_init?: number;
  /** Environment steps between deterministic evaluations (0: only at the end); early stopping checks at each one. */
  eval_freq?: number;
  /** Episodes per periodic evaluation. */
  eval_episodes?: number;
};

/** The hyperparameters of `sac`: Soft Actor-Critic: a squashed Gaussian actor, twin critics with Polyak-averaged targets and an automatically tuned entropy coefficient; Box actions. */
export type SacHyperparameters = {
  /** Adam step size (actor and critics). */
  learning_rate?: number;
  /** Replay buffer capacity, in transitions (at most total_timesteps are allocated). */
  buffer_size?: number;
  /** Steps of uniformly random actions before learning starts. */
  learning_starts?: number;
  /** Transitions per gradient step. */
  batch_size?: number;
  /** Polyak coefficient of the target networks: target ← τ·online + (1 − τ)·target after each update. */
  tau?: number;
  /** Discount factor. */
  gamma?: number;
  /** Environment steps between training phases. */
  train_freq?: number;
  /** Gradient steps per training phase. */
  gradient_steps?: number;
  /** Entropy coefficient α: a fixed number, or "auto" to learn it so the policy's entropy stays near target_entropy. */
  ent_coef?: "auto" | number;
  /** Initial α when ent_coef is "auto". */
  ent_coef_init?: number;
  /** Entropy the tuning of α aims at; "auto" is −(action dimensions). */
  target_entropy?: "auto" | number;
  /** Units per hidden layer (actor and critics). */
  hidden_size?: number;
  /** Hidden layers (actor and critics). */
  hidden_layers?: number;
  /** Hidden-layer nonlinearity. */
  activation?: "tanh" | "relu";
  /** Environment steps between deterministic evaluations (0: only at the end); early stopping checks at each one. */
  eval_freq?: number;
  /** Episodes per periodic evaluation. */
  eval_episodes?: number;
};

/** The hyperparameters of `td3`: Twin Delayed DDPG: a deterministic actor, twin critics, target policy smoothing and delayed actor updates; Box actions. */
export type Td3Hyperparameters = {
  /** Adam step size (actor and critics). */
  learning_rate?: number;
  /** Replay buffer capacity, in transitions (at most total_timesteps are allocated). */
  buffer_size?: number;
  /** Steps of uniformly random actions before learning starts. */
  learning_starts?: number;
  /** Transitions per gradient step. */
  batch_size?: number;
  /** Polyak coefficient of the target networks: target ← τ·online + (1 − τ)·target after each update. */
  tau?: number;
  /** Discount factor. */
  gamma?: number;
  /** Environment steps between training phases. */
  train_freq?: number;
  /** Gradient steps per training phase. */
  gradient_steps?: number;
  /** Critic updates per actor (and target network) update. */
  policy_delay?: number;
  /** Standard deviation of the Gaussian noise added to the target actor's action (in units of half the Box's width). */
  target_policy_noise?: number;
  /** Bound on the target policy noise. */
  target_noise_clip?: number;
  /** Standard deviation of the Gaussian exploration noise added to the actor's action (in units of half the Box's width). */
  action_noise_std?: number;
  /** Exploration noise: independent Gaussian draws each step, or an Ornstein–Uhlenbeck process (θ = 0.15, dt = 0.01, back to 0 when an episode ends) that keeps pushing the same way for many steps; its σ is action_noise_std. */
  action_noise?: "normal" | "ornstein_uhlenbeck";
  /** Units per hidden layer (actor and critics). */
  hidden_size?: number;
  /** Hidden layers (actor and critics). */
  hidden_layers?: number;
  /** Hidden-layer nonlinearity. */
  activation?: "tanh" | "relu";
  /** Environment steps between deterministic evaluations (0: only at the end); early stopping checks at each one. */
  eval_freq?: number;
  /** Episodes per periodic evaluation. */
  eval_episodes?: number;
};

/** Every algorithm `train` takes: its hyperparameters, each optional (absent ones take the defaults). */
export interface Hyperparameters {
  a2c: A2cHyperparameters;
  dqn: DqnHyperparameters;
  grpo: GrpoHyperparameters;
  ppo: PpoHyperparameters;
  q_learning: QLearningHyperparameters;
  reinforce: ReinforceHyperparameters;
  sac: SacHyperparameters;
  td3: Td3Hyperparameters;
}

/** The algorithm names, as the protocol lists them. */
export const ALGORITHM_NAMES = ["a2c","dqn","grpo","ppo","q_learning","reinforce","sac","td3"] as const;

/** An algorithm `train` takes. */
export type AlgorithmName = keyof Hyperparameters;

/** Every method: its named params and its JSON-RPC result. */
export interface Methods {
  /** Samples the action space; with a seed, first re-seeds it as Gymnasium's `action_space.seed(seed)`. On a vector instance, the batched action space (numpy-exact). */
  "action_sample": {
    params: {
      /** An instance from `make` or from `make_vec`. */
      instance_id: InstanceId;
      seed?: Seed;
    };
    result: JsonArray;
  };
  /** Describes the instance's action space. On a vector instance, the batched space. */
  "action_space": {
    params: {
      /** An instance from `make` or from `make_vec`. */
      instance_id: InstanceId;
    };
    result: Space;
  };
  /** The algorithms `train` takes, each with its hyperparameter schema (types, ranges, defaults, meanings, as in `protocol/hyperparameters/`). With `env_id`, each also says whether it can train that environment and gives the environment's defaults (budget and hyperparameters), so a form can be filled in before `train`. */
  "algorithms": {
    params: {
      env_id?: EnvId;
    };
    result: {
      algorithms: {
        name: string;
        summary: string;
        /** The algorithm's hyperparameter schema: a JSON Schema object whose `properties` each have a type (or enum), bounds, `default` and `description`. */
        hyperparameters: Record<string, unknown>;
        /** With `env_id`: why the algorithm cannot train that environment, or null if it can. Null without `env_id`. */
        unsupported: string | null;
        /** With `env_id`: the budget and hyperparameters `train` uses on that environment when none are given; null without `env_id`. */
        defaults: {
          total_timesteps: number;
          /** Every hyperparameter as `train` would use it on this environment: the schema's defaults under the environment's own. */
          hyperparameters: Record<string, unknown>;
          /** The wrappers `train` puts around the environment when none are given (absent: none), e.g. observation normalisation; their statistics are saved with the model. */
          wrappers?: Wrappers;
        } | null;
      }[];
      /** With `env_id`: the algorithm `train` picks when none is named; null without `env_id`. */
      default: string | null;
    };
  };
  /** Closes an environment instance and frees it. */
  "close": {
    params: {
      /** An instance from `make` or from `make_vec`. */
      instance_id: InstanceId;
    };
    result: true;
  };
  /** Deletes a saved model. */
  "delete_model": {
    params: {
      /** A saved model's name (1 to 64 letters, digits, `.`, `_`, `-`, not starting with `.`). */
      name: string;
    };
    result: {
      deleted: string;
    };
  };
  /** Deletes a recorded run (its metrics; the model it saved stays). A run still training cannot be deleted: stop its job first. */
  "delete_run": {
    params: {
      run_id: RunId;
    };
    result: {
      deleted: string;
    };
  };
  /** The environment registry: every id with its spec and spaces, a page at a time (`limit` ids from `cursor`; `next_cursor` asks for the next page, null on the last). */
  "envs": {
    params: {
      /** Most environments in this page (100 by default, at most 500). */
      limit?: number;
      /** Where the page starts: a `next_cursor` an earlier call answered (opaque to clients). */
      cursor?: string;
    };
    result: {
      envs: EnvSpec[];
      aliases?: Record<string, string>;
      /** The cursor of the next page, or null when this page is the last. */
      next_cursor: string | null;
      [key: string]: unknown;
    };
  };
  /** Runs a saved policy on fresh seeded episodes (episode k is reset with seed + k) in a worker, streaming `evaluate.progress`; answers mean, std, min and max return, lengths and every episode's return. Each evaluation leaves a run record of kind `evaluate` (see `runs`). */
  "evaluate": {
    params: {
      /** A saved model's name (1 to 64 letters, digits, `.`, `_`, `-`, not starting with `.`). */
      model: string;
      /** By default the environment the model was trained on; another must have the same spaces. */
      env_id?: EnvId;
      /** Default 10. */
      episodes?: number;
      /** Greedy (argmax or mean) actions; default true. */
      deterministic?: boolean;
      /** Default 0. */
      seed?: JobSeed;
      /** By default the kwargs the model was trained with. */
      env_kwargs?: Record<string, unknown>;
    };
    result: {
      job_id: JobId;
      model: string;
      env_id: string;
      status: "completed" | "stopped";
      deterministic: boolean;
      seed: number;
      episodes: number;
      mean_return: number;
      std_return: number;
      min_return: number;
      max_return: number;
      mean_length: number;
      /** Return of each episode, in episode order (episode k was reset with seed + k). */
      returns: number[];
      lengths: number[];
      elapsed_s: number;
      [key: string]: unknown;
    };
  };
  /** Liveness and load: the same JSON as GET /health. */
  "health": {
    params: Record<string, never>;
    result: {
      status: "ok";
      version: string;
      protocol_version: string;
      uptime_s: number;
      connections: number;
      environments: number;
      backend?: string | null;
      /** Present when the server runs jobs on a cluster queue (--queue): the whole cluster's figures. */
      cluster?: {
        /** False while Redis cannot be reached. */
        connected: boolean;
        /** Jobs waiting on the shared queue. */
        queue_depth: number;
        /** palestra worker processes connected to the queue. */
        workers: number;
        /** Jobs per state (queued, running, completed, ...) over every node. */
        jobs: Record<string, number>;
        /** Jobs per state of the queue itself (waiting, active, completed, failed, delayed, prioritized). */
        queue: Record<string, number>;
        [key: string]: unknown;
      };
      [key: string]: unknown;
    };
  };
  /** What this server is and can do: versions, capabilities and environment ids. */
  "hello": {
    params: {
      /** Optional: the client's name and version, for the log. */
      client?: string;
      /** The encoding of replies to `reset`/`step`/`action_sample` on this connection's vector instances, unless `make_vec` names one. */
      encoding?: Encoding;
    };
    result: {
      server: "palestra";
      version: string;
      protocol_version: string;
      capabilities: string[];
      methods?: string[];
      env_ids: string[];
      backend?: string | null;
      limits?: Record<string, unknown>;
      [key: string]: unknown;
    };
  };
  /** One job: status, latest progress, and result or error once finished. */
  "job": {
    params: {
      job_id: JobId;
    };
    result: Job;
  };
  /** The jobs this server remembers (queued, running and recently finished), oldest first. A page at a time: `limit` entries from `cursor`; `next_cursor` asks for the next page, null on the last. */
  "jobs": {
    params: {
      /** Only jobs in this state, or in any of these states. */
      status?: JobStatus | JobStatus[];
      kind?: "train" | "evaluate";
      session?: string;
      /** Most entries in this page (100 by default, at most 500). */
      limit?: number;
      /** Where the page starts: a `next_cursor` an earlier call answered (opaque to clients). */
      cursor?: string;
    };
    result: {
      jobs: Job[];
      /** The cursor of the next page, or null when this page is the last. */
      next_cursor: string | null;
    };
  };
  /** Creates an environment instance owned by this connection. */
  "make": {
    params: {
      env_id: EnvId;
      /** Used by the first reset that is given no seed. */
      seed?: Seed;
      /** Keyword arguments of the environment, as `gymnasium.make(env_id, **kwargs)`. */
      kwargs?: Record<string, unknown>;
      /** Gymnasium wrappers around the environment, innermost first: `[{"name": "NormalizeObservation"}, {"name": "FrameStackObservation", "kwargs": {"stack_size": 4}}]`. The spaces answered are the wrapped ones. */
      wrappers?: Wrappers;
    };
    result: {
      instance_id: InstanceId;
      env_id: string;
      observation_space: Space;
      action_space: Space;
      max_episode_steps: number | null;
      reward_threshold: number | null;
    };
  };
  /** Creates a vector environment: `num_envs` copies of one environment stepped together, as Gymnasium's `make_vec(env_id, num_envs, vectorization_mode="sync")`. Counts as one environment toward the connection's limit, and as `num_envs` toward the server's. */
  "make_vec": {
    params: {
      env_id: EnvId;
      /** Copies; at most the server's `--max-vector-envs` (4096 by default). */
      num_envs: number;
      /** Used by the first reset that is given no seed (copy i gets seed + i). */
      seed?: Seed;
      /** Keyword arguments of each copy, as `gymnasium.make(env_id, **kwargs)`. */
      kwargs?: Record<string, unknown>;
      /** Gymnasium wrappers around each copy, innermost first, as `gymnasium.make_vec(env_id, wrappers=...)` applies them (each copy has its own statistics). */
      wrappers?: Wrappers;
      autoreset_mode?: AutoresetMode;
      /** How this instance's `reset`/`step`/`action_sample` replies travel; the connection's choice in `hello` by default, else `json`. */
      encoding?: Encoding;
    };
    result: {
      instance_id: InstanceId;
      env_id: string;
      num_envs: number;
      autoreset_mode: AutoresetMode;
      encoding: Encoding;
      single_observation_space: Space;
      single_action_space: Space;
      /** The batched observation space (Gymnasium's `batch_space`). */
      observation_space: Space;
      /** The batched action space: `MultiDiscrete` for a `Discrete` action, a `Box` of shape (num_envs, ...) for a `Box`. */
      action_space: Space;
      max_episode_steps: number | null;
      reward_threshold: number | null;
    };
  };
  /** Saved models, newest first, optionally one session's; with `name`, that model alone with its full record (hyperparameters, training curve, evaluations, policy). A page at a time: `limit` entries from `cursor`; `next_cursor` asks for the next page, null on the last. */
  "models": {
    params: {
      session?: string;
      /** A saved model's name (1 to 64 letters, digits, `.`, `_`, `-`, not starting with `.`). */
      name?: string;
      /** Most entries in this page (100 by default, at most 500). */
      limit?: number;
      /** Where the page starts: a `next_cursor` an earlier call answered (opaque to clients). */
      cursor?: string;
    };
    result: {
      models: ModelSummary[];
      /** The cursor of the next page, or null when this page is the last. */
      next_cursor: string | null;
    };
  };
  /** Describes the instance's observation space. On a vector instance, the batched space. */
  "observation_space": {
    params: {
      /** An instance from `make` or from `make_vec`. */
      instance_id: InstanceId;
    };
    result: Space;
  };
  /** The action a saved policy takes for one observation, with `action_probs` for discrete actions, `value` where the policy has a critic and `q_values` for Q-learners. Loaded models are cached. */
  "predict": {
    params: {
      /** A saved model's name (1 to 64 letters, digits, `.`, `_`, `-`, not starting with `.`). */
      model: string;
      /** A member of the model's observation space, as JSON; anything else answers invalid_observation. */
      observation: unknown;
      /** Greedy (argmax or mean) action; default true. False samples from the policy. */
      deterministic?: boolean;
    };
    result: {
      model: string;
      /** A member of the action space (Box actions clipped to its bounds). */
      action: number | number[];
      action_probs?: number[];
      value?: number;
      q_values?: number[];
    };
  };
  /** Renders the instance; toy-text environments made with render_mode `ansi` answer Gymnasium's text. */
  "render": {
    params: {
      instance_id: InstanceId;
    };
    result: string | null;
  };
  /** Starts a new episode: Gymnasium's `reset(seed=..., options=...)`. On a vector instance: every copy (copy i with seed + i), or under `Disabled` autoreset only the copies `options.reset_mask` marks; answers the batched `[observations, infos]`. */
  "reset": {
    params: {
      instance_id: InstanceId;
      seed?: Seed;
      options?: {
        /** Vector instances: one boolean per copy (a JSON list, or a `bool` array in a binary frame); only marked copies are reset. */
        reset_mask?: unknown;
        [key: string]: unknown;
      } | null;
    };
    result: [JsonArray, Info];
  };
  /** One recorded run with its full series: every progress frame's figures (returns, episode lengths, losses, entropy, KL, clip fraction, explained variance, epsilon, steps per second) by timesteps and elapsed seconds, and every evaluation. With `max_points`, each series is thinned by min-max bucketing to at most that many points, keeping its first and last points and each bucket's lowest and highest. */
  "run": {
    params: {
      run_id: RunId;
      /** Most points per series (all of them when absent). */
      max_points?: number;
    };
    result: {
      run: RunSummary;
      /** Progress frames recorded (before any thinning). */
      points: number;
      /** By name: `episodes`, `last_return`, `mean_return_100`, `last_length`, `mean_length_100`, `entropy`, `epsilon`, `steps_per_second`, and `losses/NAME` for each loss the algorithm reports (PPO: policy, value, approx_kl, clip_fraction, explained_variance; DQN: td, q_mean). A series holds only the frames that had a value. */
      series: Record<string, {
        timesteps: number[];
        elapsed_s: number[];
        values: number[];
      }>;
      evaluations: EvaluationPoint[];
    };
  };
  /** Recorded runs (every training and evaluation job leaves one, kept across restarts), filtered by environment, algorithm, session or status and sorted (newest first by default). A page at a time: `limit` entries from `cursor`; `next_cursor` asks for the next page, null on the last. */
  "runs": {
    params: {
      env_id?: string;
      algorithm?: string;
      session?: string;
      status?: RunStatus;
      /** Only training runs, or only evaluations of saved models (both by default). */
      kind?: "train" | "evaluate";
      /** The field to sort by (`evaluation`: the last evaluation's mean return); a leading `-` sorts largest first. Runs without a value come last. */
      sort?: "-started_at" | "started_at" | "-mean_return_100" | "mean_return_100" | "-evaluation" | "evaluation" | "-timesteps" | "timesteps";
      /** Most entries in this page (100 by default, at most 500). */
      limit?: number;
      /** Where the page starts: a `next_cursor` an earlier call answered (opaque to clients). */
      cursor?: string;
    };
    result: {
      runs: RunSummary[];
      /** The cursor of the next page, or null when this page is the last. */
      next_cursor: string | null;
    };
  };
  /** Takes one step: Gymnasium's `step(action)`. On a vector instance the action is a batch (one action per copy) and the answer is batched. */
  "step": {
    params: {
      instance_id: InstanceId;
      /** A member of the action space, as JSON; on a vector instance a batch of `num_envs` actions (a list, or an array in a binary frame). */
      action: unknown;
      /** Accepted for Gymie compatibility; rendering is asked for with `render`. */
      render?: boolean;
    };
    result: [JsonArray, number, boolean, boolean, Info] | [JsonArray, JsonNumber[], BatchFlags, BatchFlags, Info];
  };
  /** Stops a job and answers once its loop has ended (within about a second, whatever the network's size). A training job then saves the policy learned so far: the answer says `saving` (its step count final), and `train.done` follows once the model is written; an evaluation answers `stopped`. */
  "stop": {
    params: {
      job_id: JobId;
    };
    result: Job;
  };
  /** Sends this connection the job's `train.progress` and `train.done`/`train.error` (or `evaluate.progress`) frames from now on; answers the job as it stands. */
  "subscribe": {
    params: {
      job_id: JobId;
    };
    result: Job & {
      /** False when the job had already finished (or over Gymie's framing). */
      subscribed: boolean;
      [key: string]: unknown;
    };
  };
  /** Starts a training job and answers at once with its id (status `queued` when the job cap is reached); the caller receives `train.progress` frames, then `train.done` or `train.error`. Over Gymie's framing it answers once, when the job ends, with the `train.done` summary. */
  "train": {
    params: {
      env_id: EnvId;
      /** ppo, a2c, reinforce, grpo, dqn, q_learning, sac or td3 (dqn and q_learning for Discrete actions, sac and td3 for bounded Box actions); by default q_learning for finite observation spaces and ppo otherwise. */
      algorithm?: string;
      /** Overrides of the per-environment defaults; unknown names or out-of-range values answer invalid_hyperparameters. */
      hyperparameters?: Record<string, unknown>;
      /** Environment steps to train for (default per environment). */
      total_timesteps?: number;
      /** Seeds the environments and the learner; random when absent. */
      seed?: JobSeed;
      /** The name to save the model under; by default `<env>-<algorithm>-<job id prefix>`. */
      name?: string;
      /** A tag saved with the model, to list a session's models with `models`. */
      session?: string;
      /** Stop once a periodic deterministic evaluation reaches the environment's reward_threshold (confirmed over 100 episodes). */
      early_stop?: boolean;
      /** Keyword arguments of the environment, as for `make`. */
      env_kwargs?: Record<string, unknown>;
      /** Names of a 1-d Box observation's elements, saved with the model: its HTTP policy routes (`/models/{name}/predict/`) then take one named field each instead of an `obs` array. */
      observation_names?: string[];
      /** Gymnasium wrappers around the learner's environment, innermost first, as `make` takes them. The copies of a job share one set of normalisation statistics, saved with the model, so `evaluate` and `predict` apply them (frozen); evaluations leave reward wrappers out and report the environment's own return. */
      wrappers?: Wrappers;
      /** A saved model to continue: its weights, its optimiser state (where saved), its wrappers' statistics and its step count; `total_timesteps` more steps are trained and the curve continues. The environment, algorithm, kwargs, wrappers and hyperparameters default to the model's; anything that changes its network or spaces answers model_mismatch. The new model records it as `init_model`, with `lineage`. */
      init_model?: string;
      /** Save a numbered checkpoint `<name>-<timesteps>` every this many steps (0 or absent: none); each is a model like any other (`models`, `evaluate`, `predict`, `init_model`). */
      checkpoint_freq?: number;
      /** Keep the policy of the best periodic evaluation as `<name>-best` (needs `eval_freq` above 0). */
      save_best?: boolean;
    };
    result: {
      job_id: JobId;
      status: "queued" | "running";
      queue_position: number | null;
      model: string;
      env_id: string;
      algorithm: string;
      /** Every hyperparameter, defaults filled in. */
      hyperparameters: Record<string, unknown>;
      total_timesteps: number;
      seed: number;
      early_stop: boolean;
      session: string | null;
    };
  };
}

/** Every notification the server pushes: its params. */
export interface Frames {
  /** Pushed while an evaluation runs, at most about ten times a second: the latest finished episode and the running mean. */
  "evaluate.progress": {
    job_id: JobId;
    model: string;
    episodes_done: number;
    episodes: number;
    episode: number;
    return: number;
    length: number;
    mean_return: number;
    [key: string]: unknown;
  };
  /** Pushed once when a training job ends (completed or stopped) and its model is saved. */
  "train.done": {
    job_id: JobId;
    status: "completed" | "stopped";
    /** total_timesteps: the budget ran out; reward_threshold: early stopping; stopped: `stop` was called. */
    stop_reason: "total_timesteps" | "reward_threshold" | "stopped";
    /** The saved model's name (empty when the job was stopped before it started). */
    model: string;
    env_id: string;
    algorithm: string;
    timesteps: number;
    episodes: number;
    elapsed_s: number;
    steps_per_second: number;
    mean_return_100: number | null;
    last_return: number | null;
    /** A deterministic evaluation made during training (null before the first). */
    evaluation: null | EvaluationPoint;
    [key: string]: unknown;
  };
  /** Pushed once when a training job fails. */
  "train.error": {
    job_id: JobId;
    status: "failed";
    error: JobError;
    [key: string]: unknown;
  };
  /** Pushed to a job's subscribers while it trains, at most about ten times a second. */
  "train.progress": {
    job_id: JobId;
    /** Increases by one with every frame of this job. */
    seq: number;
    status: JobStatus;
    timesteps: number;
    total_timesteps: number;
    episodes: number;
    last_return: number | null;
    /** Mean return of the last 100 training episodes. */
    mean_return_100: number | null;
    /** Length in steps of the last training episode. */
    last_length?: number | null;
    /** Mean length of the last 100 training episodes. */
    mean_length_100?: number | null;
    /** The algorithm's latest losses and update statistics: policy, value, approx_kl, clip_fraction, explained_variance (PPO); td, q_mean (DQN). */
    losses: Record<string, number | null>;
    /** Policy entropy (PPO). */
    entropy: number | null;
    /** Exploration rate (DQN, Q-learning). */
    epsilon: number | null;
    steps_per_second: number;
    elapsed_s: number;
    remaining_s: number | null;
    /** A deterministic evaluation made during training (null before the first). */
    evaluation: null | EvaluationPoint;
    [key: string]: unknown;
  };
}

/** The method names, as the protocol lists them. */
export const METHOD_NAMES = ["action_sample","action_space","algorithms","close","delete_model","delete_run","envs","evaluate","health","hello","job","jobs","make","make_vec","models","observation_space","predict","render","reset","run","runs","step","stop","subscribe","train"] as const;

/** The notification names, as the protocol lists them. */
export const FRAME_NAMES = ["evaluate.progress","train.done","train.error","train.progress"] as const;

/** The error catalogue: name → code. */
export const ERROR_CODES = {
  /** The message is not valid JSON. */
  parse_error: -32700,
  /** The message is JSON but not a request: it lacks `method`, or `params` is not an object or array. */
  invalid_request: -32600,
  /** No method by that name. */
  method_not_found: -32601,
  /** The params do not match the method's schema; `data.errors` lists what is wrong. */
  invalid_params: -32602,
  /** The server failed while handling a valid request; the connection and its environments are kept. */
  internal_error: -32603,
  /** No environment is registered under that id; `data.available` lists the ids. */
  env_not_found: 1000,
  /** The environment id is not of the form `[namespace/]Name-vN`. */
  env_malformed: 1001,
  /** No environment instance with that id belongs to this connection (it never existed, was closed, or belongs to another connection). */
  instance_not_found: 1002,
  /** The action is not in the environment's action space; `data.space` describes the space. */
  invalid_action: 1003,
  /** `step` was called before `reset`. */
  reset_needed: 1004,
  /** A keyword argument to `make` is unknown or has a wrong value; `data.accepted` lists the accepted ones. */
  invalid_kwargs: 1005,
  /** A seed must be a non-negative integer. */
  invalid_seed: 1006,
  /** This connection already holds the configured maximum number of environments; close one first. */
  too_many_envs: 1007,
  /** The message is larger than the configured maximum. */
  message_too_large: 1008,
  /** The observation is not in the environment's observation space. */
  invalid_observation: 1009,
  /** The environment or the server does not support what was asked (e.g. a render mode). */
  not_supported: 1010,
  /** The environment itself failed (a user-supplied environment threw). */
  env_error: 1011,
  /** A binary message starts with the frame magic `PLBF` but breaks the layout in protocol/binary-frames.md; the message says what is wrong, and nothing ran. */
  invalid_binary_frame: 1012,
  /** `num_envs` is past the server's `--max-vector-envs` (`data.limit`). */
  too_many_vector_envs: 1014,
  /** A wrapper in `wrappers` is unknown, has wrong kwargs, or cannot wrap this environment's spaces; `data.available` lists the wrappers. */
  invalid_wrapper: 1020,
  /** No training or evaluation job with that id. */
  job_not_found: 2000,
  /** No trainer by that name, or it does not support this environment's spaces; `data.available` lists them. */
  unknown_algorithm: 2001,
  /** A hyperparameter is unknown or out of range; `data.errors` says which. */
  invalid_hyperparameters: 2002,
  /** The job queue is full; try again when a job has finished. */
  job_queue_full: 2003,
  /** The job stopped with an error; `data.reason` says why. */
  job_failed: 2004,
  /** The server is shutting down and starts no new work; try again once it is back. */
  shutting_down: 2010,
  /** No reward function by that name, or it cannot read this environment's observations; `data.available` lists the names. */
  unknown_reward_function: 2020,
  /** No saved model by that name. */
  model_not_found: 3000,
  /** Model names are 1 to 64 characters of letters, digits, `.`, `_` and `-`, not starting with `.`. */
  invalid_model_name: 3001,
  /** A model by that name already exists. */
  model_exists: 3002,
  /** A saved model's file cannot be used: its JSON, its weights or its policy's shape are damaged. */
  model_corrupt: 3003,
  /** `init_model` names a model that this run cannot continue: another algorithm, environment, spaces, network or wrappers; `data.reason` says which. */
  model_mismatch: 3005,
  /** The network these hyperparameters and spaces describe would be larger than the server's maximum model size; `data.max_model_bytes` is the limit. */
  model_too_large: 3010,
  /** The data directory holds as much as its quota allows; nothing more is written until models are deleted. `data.quota_bytes` is the limit. */
  data_quota_exceeded: 3011,
  /** The uploaded file is neither a TensorFlow.js export of a Palestra policy (a zip of `model.json` and its weights) nor a Palestra model file; `data.reason` says what is missing or wrong. */
  model_import_invalid: 3012,
  /** No recorded run with that id. */
  run_not_found: 3020,
  /** The run is still training; stop its job before deleting its record. */
  run_active: 3021,
  /** The server was not started with an option that allows this. */
  forbidden: 4000,
  /** No such route. */
  not_found: 4001,
  /** The route exists but does not take this HTTP method; the `Allow` header and `data.allow` list the methods it takes. */
  method_not_allowed: 4002,
  /** The request line and headers are larger than the server reads (16 KB); send long values in a JSON body instead of the URL. */
  headers_too_large: 4003,
  /** The request did not arrive in full within the server's time limit. */
  request_timeout: 4004,
  /** An HTTP request's body, path or query does not match its route's schema (the FastAPI-style routes); the reply's `detail` lists each field at fault with its location. */
  validation_error: 4010,
  /** The server needs an API key and none was given, or the key is not one it knows; send it as the `access_token` header, query parameter or cookie, or as `Authorization: Bearer KEY`. */
  invalid_credentials: 5000,
  /** The request comes from a web page whose origin is not allowed; the server's own origin and localhost are allowed, others are added with `--allow-origin`. */
  origin_not_allowed: 5001,
  /** The `Host` header names a host this server does not answer for (a defence against DNS rebinding); add names with `--allow-host`. */
  host_not_allowed: 5002,
  /** A request with a JSON body must say `Content-Type: application/json`. */
  unsupported_media_type: 5003,
  /** Too many requests of this kind in too short a time; `data.limit` names the limit and `data.retry_after_s` says when to try again. */
  rate_limited: 5004,
  /** The server already holds the configured maximum number of connections (`data.limit` names it); try again later. */
  too_many_connections: 5005,
  /** The server already holds the configured maximum number of environments over all clients (`data.limit` names it); close one first. */
  too_many_total_envs: 5006,
  /** This user already has as many running or queued jobs, or stored models, as the server allows; `data.limit` names the quota. */
  quota_exceeded: 5007,
  /** The message nests lists and objects deeper than the configured maximum (`data.limit`, 64 levels by default). */
  message_too_deep: 6000,
  /** The batch holds more requests than the configured maximum (`data.limit`); send it in smaller batches. */
  batch_too_large: 6001,
  /** The reply would be larger than the configured maximum (`data.limit` bytes; for a batch, all its replies together); ask for less (a smaller batch, or a `limit` on a list method). */
  reply_too_large: 6002,
  /** The client did not read its replies: the server stopped reading its requests, and closed the connection when the replies waiting to be sent stayed above the bound for too long. */
  client_too_slow: 6003,
} as const;

/** An error name from the catalogue. */
export type ErrorName = keyof typeof ERROR_CODES;
