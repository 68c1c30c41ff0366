/** Gymnasium's `FlattenObservation`: observations flattened to a 1-d Box (`flatten_space`, `flatten`). */
import { PalestraError } from '../../errors';
import { Env, Info, ResetArgs, StepResult, Wrapper } from '../core';
import type { Box, BoxArray } from '../spaces/box';
import type { Space } from '../spaces/space';
import { flatten, flatten_space } from '../spaces/utils';

export class FlattenObservation extends Wrapper<any, any> {
  private readonly wrappedObservationSpace: Box;

  /** The space as wrapped. */
  override get observation_space(): Box {
    return this.wrappedObservationSpace;
  }
  private readonly inner: Space<unknown>;

  constructor(env: Env<any, any>) {
    super(env);
    this.inner = env.observation_space;
    try {
      this.wrappedObservationSpace = flatten_space(this.inner);
    } catch (err) {
      throw new PalestraError('invalid_wrapper', `FlattenObservation: ${(err as Error).message}`);
    }
  }

  observation(obs: unknown): BoxArray {
    return flatten(this.inner, obs, this.observation_space.dtype);
  }

  override reset(args?: ResetArgs): [BoxArray, Info] {
    const [obs, info] = this.env.reset(args);
    return [this.observation(obs), info];
  }

  override step(action: unknown): StepResult<BoxArray> {
    const [obs, reward, terminated, truncated, info] = this.env.step(action);
    return [this.observation(obs), reward, terminated, truncated, info];
  }
}
