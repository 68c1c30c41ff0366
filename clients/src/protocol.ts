/* eslint-disable */
/**
 * The wire types, generated from protocol/ by clients/scripts/protocol-types.cjs.
 * Do not edit: change the schemas and run `npm run build:client`.
 */

/** An environment instance id, as `make` answered it. */
export type InstanceId = string;

/** A registered environment id, e.g. `CartPole-v1`. */
export type EnvId = string;

/** A non-negative integer seed, as Gymnasium's `reset(seed=...)` takes. */
export type Seed = number;

/** A number; infinities and NaN are sent as the strings `Infinity`, `-Infinity` and `NaN`. */
export type JsonNumber = number | ("Infinity" | "-Infinity" | "NaN");

/** A value of a space as JSON: a number, or nested lists of numbers, or a list/object of such values for Tuple/Dict spaces. */
export type JsonArray = JsonNumber | unknown[] | Record<string, unknown>;

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

/** Every method: its named params and its JSON-RPC result. */
export interface Methods {
  /** Samples the action space; with a seed, first re-seeds it as Gymnasium's `action_space.seed(seed)`. */
  "action_sample": {
    params: {
      instance_id: InstanceId;
      seed?: Seed;
    };
    result: JsonArray;
  };
  /** Describes the instance's action space. */
  "action_space": {
    params: {
      instance_id: InstanceId;
    };
    result: Space;
  };
  /** Closes an environment instance and frees it. */
  "close": {
    params: {
      instance_id: InstanceId;
    };
    result: true;
  };
  /** The environment registry: every id with its spec and spaces. */
  "envs": {
    params: Record<string, never>;
    result: {
      envs: EnvSpec[];
      aliases?: Record<string, string>;
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
      [key: string]: unknown;
    };
  };
  /** What this server is and can do: versions, capabilities and environment ids. */
  "hello": {
    params: {
      /** Optional: the client's name and version, for the log. */
      client?: string;
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
  /** Creates an environment instance owned by this connection. */
  "make": {
    params: {
      env_id: EnvId;
      /** Used by the first reset that is given no seed. */
      seed?: Seed;
      /** Keyword arguments of the environment, as `gymnasium.make(env_id, **kwargs)`. */
      kwargs?: Record<string, unknown>;
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
  /** Describes the instance's observation space. */
  "observation_space": {
    params: {
      instance_id: InstanceId;
    };
    result: Space;
  };
  /** Renders the instance; toy-text environments made with render_mode `ansi` answer Gymnasium's text. */
  "render": {
    params: {
      instance_id: InstanceId;
    };
    result: string | null;
  };
  /** Starts a new episode: Gymnasium's `reset(seed=..., options=...)`. */
  "reset": {
    params: {
      instance_id: InstanceId;
      seed?: Seed;
      options?: Record<string, unknown> | null;
    };
    result: [JsonArray, Info];
  };
  /** Takes one step: Gymnasium's `step(action)`. */
  "step": {
    params: {
      instance_id: InstanceId;
      /** A member of the action space, as JSON. */
      action: unknown;
      /** Accepted for Gymie compatibility; rendering is asked for with `render`. */
      render?: boolean;
    };
    result: [JsonArray, number, boolean, boolean, Info];
  };
}

/** Every notification the server pushes: its params. */
export interface Frames {
}

/** The method names, as the protocol lists them. */
export const METHOD_NAMES = ["action_sample","action_space","close","envs","health","hello","make","observation_space","render","reset","step"] as const;

/** The notification names, as the protocol lists them. */
export const FRAME_NAMES = [] as const;

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
  /** No saved model by that name. */
  model_not_found: 3000,
  /** Model names are 1 to 64 characters of letters, digits, `.`, `_` and `-`, not starting with `.`. */
  invalid_model_name: 3001,
  /** A model by that name already exists. */
  model_exists: 3002,
  /** The server was not started with an option that allows this. */
  forbidden: 4000,
  /** No such route. */
  not_found: 4001,
} as const;

/** An error name from the catalogue. */
export type ErrorName = keyof typeof ERROR_CODES;
