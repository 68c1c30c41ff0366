/**
 * Gymnasium's `TransformReward`, with the function given by its registered
 * name (see `registerRewardFunction`) so it can be named in a message: each
 * step's reward becomes `func(obs, action, next_obs, reward)`.
 */
import type { RewardFunction } from '../../train/core/rewards';
import { PalestraError } from '../../errors';
import { Env, Info, ResetArgs, StepResult, Wrapper } from '../core';

export class TransformReward extends Wrapper<any, any> {
  private last: unknown = null;

  constructor(
    env: Env<any, any>,
    readonly func: RewardFunction,
  ) {
    super(env);
  }

  override reset(args?: ResetArgs): [unknown, Info] {
    const out = this.env.reset(args);
    this.last = out[0];
    return out;
  }

  override step(action: unknown): StepResult<unknown> {
    const [obs, reward, terminated, truncated, info] = this.env.step(action);
    const r = this.func(this.last, action, obs, reward);
    if (typeof r !== 'number' || !Number.isFinite(r)) throw new PalestraError('env_error', `The reward function answered ${String(r)}, not a finite number`);
    this.last = obs;
    return [obs, r, terminated, truncated, info];
  }
}
