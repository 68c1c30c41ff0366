/** Gymnasium's `TimeLimit`: truncates an episode after `max_episode_steps` steps. */
import { Env, Info, ResetArgs, StepResult, StepSlots, Wrapper } from '../core';

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

  override stepInto(action: A, slots: StepSlots, i: number): Info {
    const info = this.env.stepInto(action, slots, i);
    this.elapsedSteps = (this.elapsedSteps ?? 0) + 1;
    if (this.elapsedSteps >= this.max_episode_steps) slots.truncations[i] = 1;
    return info;
  }

  override reset(args?: ResetArgs): [O, Info] {
    this.elapsedSteps = 0;
    return this.env.reset(args);
  }
}
