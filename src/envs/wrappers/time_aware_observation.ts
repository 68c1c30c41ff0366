/**
 * Gymnasium's `TimeAwareObservation`: the step count within the episode is
 * added to each observation: under `time` in a Dict, as the last member of a
 * Tuple, otherwise as `Dict(obs, time)`; then, with `flatten` (the default),
 * everything is flattened to one Box. The time is an int32 in
 * `[0, max_episode_steps]`, or a float32 in `[0, 1]` with `normalize_time`.
 * The environment needs a time limit (its spec's `max_episode_steps`).
 */
import { PalestraError } from '../../errors';
import { Env, Info, ResetArgs, StepResult, Wrapper } from '../core';
import { Box } from '../spaces/box';
import { Dict } from '../spaces/dict';
import type { Space } from '../spaces/space';
import { Tuple } from '../spaces/tuple';
import { flatten, flatten_space } from '../spaces/utils';

export class TimeAwareObservation extends Wrapper<any, any> {
  private readonly wrappedObservationSpace: Space<unknown>;

  /** The space as wrapped. */
  override get observation_space(): Space<unknown> {
    return this.wrappedObservationSpace;
  }
  readonly max_timesteps: number;
  timesteps = 0;
  private readonly joined: Space<unknown>;
  private readonly append: (obs: unknown, time: Int32Array | Float32Array) => unknown;

  constructor(
    env: Env<any, any>,
    readonly flatten = true,
    readonly normalize_time = false,
    readonly dict_time_key = 'time',
  ) {
    super(env);
    const limit = env.spec?.max_episode_steps ?? null;
    if (limit === null) throw new PalestraError('invalid_wrapper', 'TimeAwareObservation needs an environment with a time limit (max_episode_steps)');
    this.max_timesteps = limit;
    const time = normalize_time ? new Box(0, 1, [1], 'float32') : new Box(0, limit, [1], 'int32');
    const inner = env.observation_space as Space<unknown>;
    if (inner instanceof Dict) {
      if (inner.keyList().includes(dict_time_key)) throw new PalestraError('invalid_wrapper', `TimeAwareObservation: the key ${JSON.stringify(dict_time_key)} is already in the observation space`);
      this.joined = new Dict({ [dict_time_key]: time, ...inner.spaces });
      this.append = (obs, t) => ({ [dict_time_key]: t, ...(obs as Record<string, unknown>) });
    } else if (inner instanceof Tuple) {
      this.joined = new Tuple([...inner.spaces, time]);
      this.append = (obs, t) => [...(obs as unknown[]), t];
    } else {
      this.joined = new Dict({ obs: inner, time });
      this.append = (obs, t) => ({ obs, time: t });
    }
    try {
      this.wrappedObservationSpace = flatten ? flatten_space(this.joined) : this.joined;
    } catch (err) {
      throw new PalestraError('invalid_wrapper', `TimeAwareObservation: ${(err as Error).message}`);
    }
  }

  observation(obs: unknown): unknown {
    const t = this.normalize_time ? Float32Array.of(this.timesteps / this.max_timesteps) : Int32Array.of(this.timesteps);
    const joined = this.append(obs, t);
    return this.flatten ? flatten(this.joined, joined, (this.observation_space as Box).dtype) : joined;
  }

  override reset(args?: ResetArgs): [unknown, Info] {
    this.timesteps = 0;
    const [obs, info] = this.env.reset(args);
    return [this.observation(obs), info];
  }

  override step(action: unknown): StepResult<unknown> {
    this.timesteps += 1;
    const [obs, reward, terminated, truncated, info] = this.env.step(action);
    return [this.observation(obs), reward, terminated, truncated, info];
  }
}
