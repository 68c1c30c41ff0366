/** Gymnasium's `TimeLimit`: truncates an episode after `max_episode_steps` steps. */
import { Env, Info, ResetArgs, StepResult, Wrapper } from '../core';

export class TimeLimit<O, A> extends Wrapper<O, A> {
  private elapsedSteps: number | null = null;

  constructor(
    env: Env<O, A>,
    readonly max_episode_steps: number,
  ) {
    super(env);
  }

  override step(action: A): StepResult<O> {
    const result = this.env.step(action);
    this.elapsedSteps = (this.elapsedSteps ?? 0) + 1;
    if (this.elapsedSteps >= this.max_episode_steps) result[3] = true;
    return result;
  }

  override reset(args?: ResetArgs): [O, Info] {
    this.elapsedSteps = 0;
    return this.env.reset(args);
  }
}
