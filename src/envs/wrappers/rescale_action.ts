/**
 * Gymnasium's `RescaleAction`: the agent acts in `[min_action, max_action]`
 * (scalars broadcast to the shape) and each action is mapped affinely onto
 * the environment's Box, `a ↦ (a − intercept) / gradient` with
 * `gradient = (max − min) / (high − low)` and `intercept = −gradient·low + min`,
 * both held in the Box's dtype as Gymnasium holds them. Infinite bounds stay
 * where they are (gradient 1).
 */
import { PalestraError } from '../../errors';
import { Env, StepResult, Wrapper } from '../core';
import { ARRAYS, Box, BoxArray } from '../spaces/box';
import type { Space } from '../spaces/space';

export class RescaleAction extends Wrapper<any, any> {
  private readonly wrappedActionSpace: Box;

  /** The space as wrapped. */
  override get action_space(): Box {
    return this.wrappedActionSpace;
  }
  private readonly gradient: BoxArray;
  private readonly intercept: BoxArray;
  private readonly inner: Box;

  constructor(env: Env<any, any>, min_action: number | number[], max_action: number | number[]) {
    super(env);
    const box = env.action_space as Space<unknown>;
    if (!(box instanceof Box)) throw new PalestraError('invalid_wrapper', `RescaleAction needs a Box action space, not ${box.toString()}`);
    this.inner = box;
    const n = box.size;
    const full = (v: number | number[], what: string): number[] => {
      if (typeof v === 'number') return new Array<number>(n).fill(v);
      if (v.length !== n) throw new PalestraError('invalid_wrapper', `RescaleAction's ${what} has ${v.length} values; the action has ${n}`);
      return v;
    };
    const lo = full(min_action, 'min_action');
    const hi = full(max_action, 'max_action');
    const low = (i: number) => (box.bounded_below[i] ? box.low[i] : -Infinity);
    const high = (i: number) => (box.bounded_above[i] ? box.high[i] : Infinity);
    for (let i = 0; i < n; i++) {
      const infinite = (a: number, b: number) => (!Number.isFinite(a) || !Number.isFinite(b)) && a !== b;
      if (infinite(lo[i], low(i)) || infinite(hi[i], high(i))) {
        throw new PalestraError('invalid_wrapper', 'RescaleAction: where a bound is infinite, the target bound must be the same infinity');
      }
      if (!(lo[i] < hi[i])) throw new PalestraError('invalid_wrapper', `RescaleAction: min_action (${lo[i]}) must be strictly smaller than max_action (${hi[i]})`);
    }
    this.gradient = new ARRAYS[box.dtype](n).fill(1);
    this.intercept = new ARRAYS[box.dtype](n);
    for (let i = 0; i < n; i++) {
      const finiteMin = Number.isFinite(lo[i]);
      const finiteMax = Number.isFinite(hi[i]);
      if (finiteMin && finiteMax) this.gradient[i] = (hi[i] - lo[i]) / (high(i) - low(i));
      if (finiteMax) this.intercept[i] = hi[i] - high(i);
      if (finiteMin) this.intercept[i] = this.gradient[i] * -low(i) + lo[i];
    }
    this.wrappedActionSpace = new Box(lo, hi, box.shape, box.dtype);
  }

  /** The environment's action for the agent's rescaled one. */
  action(action: ArrayLike<number>): BoxArray {
    const { size, dtype } = this.inner;
    const out = new ARRAYS[dtype](size);
    // numpy computes in the Box's dtype: with float32, each operation rounds to float32.
    const r = dtype === 'float32' ? Math.fround : (x: number) => x;
    for (let i = 0; i < size; i++) out[i] = r(r(action[i] - this.intercept[i]) / this.gradient[i]);
    return out;
  }

  override step(action: ArrayLike<number>): StepResult<unknown> {
    return this.env.step(this.action(action));
  }
}
