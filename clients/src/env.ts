/** A remote environment with Gymnasium's API: reset → [obs, info], step → [obs, reward, terminated, truncated, info]. */
import type { CallOptions } from './rpc.js';
import type { Info, Methods, Seed } from './protocol.js';
import { Space, spaceFromJSON } from './spaces.js';

/** What `make` answered. */
export type MakeResult = Methods['make']['result'];

/** Gymnasium's `step` result. */
export type StepResult<Obs> = [observation: Obs, reward: number, terminated: boolean, truncated: boolean, info: Info];

/** Gymnasium's `reset` result. */
export type ResetResult<Obs> = [observation: Obs, info: Info];

/** A seed as the wire carries it: a bigint becomes its decimal digits, which stay exact past 2^53. */
export function wireSeed(seed: Seed | bigint): Seed {
  return typeof seed === 'bigint' ? seed.toString() : seed;
}

/** Options of `reset`, as Gymnasium's `reset(seed=..., options=...)`. */
export interface ResetOptions {
  /** A non-negative integer; past 2^53 - 1 give a bigint or a string of decimal digits. */
  seed?: Seed | bigint;
  options?: Record<string, unknown> | null;
}

/** The calls an Env makes through its client (kept narrow so Env does not depend on the client class). */
export interface EnvHost {
  call(method: string, params: unknown, options?: CallOptions): Promise<unknown>;
  forget(env: Env<any, any>): void;
}

/** A Gymnasium environment living on the server; its spaces are local objects. */
export class Env<Obs = unknown, Act = unknown> {
  /** The instance id the server gave it. */
  readonly instanceId: string;
  /** The registered id, e.g. `CartPole-v1`. */
  readonly envId: string;
  readonly observationSpace: Space<Obs>;
  readonly actionSpace: Space<Act>;
  readonly maxEpisodeSteps: number | null;
  readonly rewardThreshold: number | null;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly host: EnvHost,
    /** The `make` reply as the server sent it. */
    readonly spec: MakeResult,
  ) {
    this.instanceId = spec.instance_id;
    this.envId = spec.env_id;
    this.observationSpace = spaceFromJSON(spec.observation_space) as Space<Obs>;
    this.actionSpace = spaceFromJSON(spec.action_space) as Space<Act>;
    this.maxEpisodeSteps = spec.max_episode_steps;
    this.rewardThreshold = spec.reward_threshold;
  }

  /** True once `close()` was called (or the client closed). */
  get closed(): boolean {
    return this.closing !== null;
  }

  /** Starts an episode; answers `[observation, info]`. */
  async reset({ seed, options }: ResetOptions = {}): Promise<ResetResult<Obs>> {
    const params: Record<string, unknown> = { instance_id: this.instanceId };
    if (seed !== undefined) params.seed = wireSeed(seed);
    if (options !== undefined) params.options = options;
    const [obs, info] = (await this.host.call('reset', params)) as Methods['reset']['result'];
    return [this.observationSpace.decode(obs), info];
  }

  /** Takes one step; answers `[observation, reward, terminated, truncated, info]`. */
  async step(action: Act): Promise<StepResult<Obs>> {
    // A single environment answers the scalar form of `step`'s result (a vector one the batched form).
    const result = (await this.host.call('step', { instance_id: this.instanceId, action: this.actionSpace.encode(action) })) as [unknown, number, boolean, boolean, Info];
    const [obs, reward, terminated, truncated, info] = result;
    return [this.observationSpace.decode(obs), reward, terminated, truncated, info];
  }

  /** Samples the action space on the server: with a seed, numpy-exact as Gymnasium's `action_space.seed(seed); sample()`. */
  async actionSample(seed?: Seed | bigint): Promise<Act> {
    const params: Record<string, unknown> = { instance_id: this.instanceId };
    if (seed !== undefined) params.seed = wireSeed(seed);
    return this.actionSpace.decode(await this.host.call('action_sample', params));
  }

  /** The server's rendering, for environments that render to text (`render_mode: 'ansi'`); null otherwise. */
  async render(): Promise<string | null> {
    return (await this.host.call('render', { instance_id: this.instanceId })) as string | null;
  }

  /** Closes the environment on the server; calling it again does nothing. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.host.forget(this);
      await this.host.call('close', { instance_id: this.instanceId });
    })();
    return this.closing;
  }

  toString(): string {
    return `<Env ${this.envId} ${this.instanceId}>`;
  }
}
