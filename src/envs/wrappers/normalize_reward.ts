/**
 * Gymnasium's `NormalizeReward`: each reward is divided by the running
 * standard deviation of a discounted sum of rewards, `r / √(var + ε)`, where
 * the sum is `G ← γ·G·(1 − terminated) + r` (kept across resets, as
 * Gymnasium keeps it) and its statistics are float64. The mean is not
 * subtracted. `update_running_mean` false freezes the statistics.
 */
import { PalestraError } from '../../errors';
import { Env, StepResult, Wrapper } from '../core';
import { RunningMeanStd } from './running_mean_std';

export class NormalizeReward extends Wrapper<any, any> {
  readonly return_rms: RunningMeanStd;
  discounted_reward = 0;
  update_running_mean = true;

  constructor(
    env: Env<any, any>,
    readonly gamma = 0.99,
    readonly epsilon = 1e-8,
    returnRms?: RunningMeanStd,
  ) {
    super(env);
    if (!(gamma >= 0 && gamma <= 1)) throw new PalestraError('invalid_wrapper', `NormalizeReward's gamma must be in [0, 1], got ${gamma}`);
    if (!(epsilon > 0)) throw new PalestraError('invalid_wrapper', `NormalizeReward's epsilon must be positive, got ${epsilon}`);
    this.return_rms = returnRms ?? new RunningMeanStd(1, 'float64');
  }

  override step(action: unknown): StepResult<unknown> {
    const [obs, reward, terminated, truncated, info] = this.env.step(action);
    this.discounted_reward = this.discounted_reward * this.gamma * (terminated ? 0 : 1) + reward;
    if (this.update_running_mean) this.return_rms.update([this.discounted_reward]);
    return [obs, reward / Math.sqrt(this.return_rms.var[0] + this.epsilon), terminated, truncated, info];
  }
}
