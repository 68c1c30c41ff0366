/**
 * Gymnasium's `ClipAction`: the action space becomes an unbounded Box of the
 * same shape and dtype, and each action is clipped to the environment's
 * bounds before it is taken.
 */
import { PalestraError } from '../../errors';
import { Env, StepResult, Wrapper } from '../core';
import { ARRAYS, Box, BoxArray } from '../spaces/box';
import type { Space } from '../spaces/space';

export class ClipAction extends Wrapper<any, any> {
  private readonly wrappedActionSpace: Box;

  /** The space as wrapped. */
  override get action_space(): Box {
    return this.wrappedActionSpace;
  }
  private readonly inner: Box;

  constructor(env: Env<any, any>) {
    super(env);
    const space = env.action_space as Space<unknown>;
    if (!(space instanceof Box)) throw new PalestraError('invalid_wrapper', `ClipAction needs a Box action space, not ${space.toString()}`);
    this.inner = space;
    this.wrappedActionSpace = new Box(-Infinity, Infinity, space.shape, space.dtype);
  }

  /** The action clipped to the environment's bounds. */
  action(action: ArrayLike<number>): BoxArray {
    const { low, high, size, dtype } = this.inner;
    const out = new ARRAYS[dtype](size);
    for (let i = 0; i < size; i++) out[i] = Math.min(Math.max(action[i], low[i]), high[i]);
    return out;
  }

  override step(action: ArrayLike<number>): StepResult<unknown> {
    return this.env.step(this.action(action));
  }
}
