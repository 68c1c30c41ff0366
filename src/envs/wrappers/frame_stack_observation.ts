/**
 * Gymnasium's `FrameStackObservation`: the last `stack_size` observations,
 * oldest first, as one value of `batch_space(space, stack_size)` (a Box of
 * shape `[stack_size, ...]` for a Box, a MultiDiscrete for a Discrete). At
 * reset the stack is padded with the first observation (`padding_type:
 * "reset"`) or with zeros (`"zero"`).
 */
import { PalestraError } from '../../errors';
import { Env, Info, ResetArgs, StepResult, Wrapper } from '../core';
import { ARRAYS, Box } from '../spaces/box';
import { Dict } from '../spaces/dict';
import { Discrete } from '../spaces/discrete';
import { MultiBinary } from '../spaces/multi_binary';
import { MultiDiscrete } from '../spaces/multi_discrete';
import type { Space } from '../spaces/space';
import { Tuple } from '../spaces/tuple';
import { batch_space, concatenate, copy_batch, create_empty_array } from '../vector/utils/space_utils';

export class FrameStackObservation extends Wrapper<any, any> {
  private readonly wrappedObservationSpace: Space<unknown>;

  /** The space as wrapped. */
  override get observation_space(): Space<unknown> {
    return this.wrappedObservationSpace;
  }
  private readonly queue: unknown[] = [];
  private readonly zero: unknown;

  constructor(
    env: Env<any, any>,
    readonly stack_size: number,
    readonly padding_type: 'reset' | 'zero' = 'reset',
  ) {
    super(env);
    if (!Number.isSafeInteger(stack_size) || stack_size < 1) {
      throw new PalestraError('invalid_wrapper', `FrameStackObservation's stack_size must be a positive integer, got ${stack_size}`);
    }
    try {
      this.wrappedObservationSpace = batch_space(env.observation_space, stack_size);
    } catch (err) {
      throw new PalestraError('invalid_wrapper', `FrameStackObservation: ${(err as Error).message}`);
    }
    // One zero value of the single space: the first row of a zeroed batch.
    this.zero = zeroValue(env.observation_space);
  }

  private stacked(): unknown {
    const out = create_empty_array(this.env.observation_space, this.stack_size);
    return copy_batch(this.observation_space, concatenate(this.env.observation_space, this.queue, out));
  }

  override reset(args?: ResetArgs): [unknown, Info] {
    const [obs, info] = this.env.reset(args);
    const pad = this.padding_type === 'reset' ? obs : this.zero;
    this.queue.length = 0;
    for (let i = 0; i < this.stack_size - 1; i++) this.queue.push(pad);
    this.queue.push(obs);
    return [this.stacked(), info];
  }

  override step(action: unknown): StepResult<unknown> {
    const [obs, reward, terminated, truncated, info] = this.env.step(action);
    this.queue.push(obs);
    if (this.queue.length > this.stack_size) this.queue.shift();
    return [this.stacked(), reward, terminated, truncated, info];
  }
}

/** Gymnasium's `create_zero_array`: zeros moved inside the bounds (a Box's low or high, a Discrete's start). */
function zeroValue(space: Space<unknown>): unknown {
  if (space instanceof Box) {
    const out = new ARRAYS[space.dtype](space.size);
    for (let i = 0; i < space.size; i++) out[i] = Math.min(Math.max(0, space.low[i]), space.high[i]);
    return out;
  }
  if (space instanceof Discrete) return space.start;
  if (space instanceof MultiDiscrete) return Float64Array.from(space.start);
  if (space instanceof MultiBinary) return new Int8Array(space.shape.reduce((a, b) => a * b, 1));
  if (space instanceof Tuple) return space.spaces.map(zeroValue);
  if (space instanceof Dict) return Object.fromEntries(space.keyList().map((k) => [k, zeroValue(space.spaces[k])]));
  throw new PalestraError('invalid_wrapper', `FrameStackObservation cannot pad ${space.toString()} with zeros`);
}
