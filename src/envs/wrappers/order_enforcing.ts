/** Gymnasium's `OrderEnforcing`: `step` before the first `reset` is an error. */
import { PalestraError } from '../../errors';
import { Info, ResetArgs, StepResult, StepSlots, Wrapper } from '../core';

export class OrderEnforcing<O, A> extends Wrapper<O, A> {
  private hasReset = false;

  override step(action: A): StepResult<O> {
    if (!this.hasReset) throw new PalestraError('reset_needed', 'Cannot call step before reset: call reset first');
    return this.env.step(action);
  }

  override stepInto(action: A, slots: StepSlots, i: number): Info {
    if (!this.hasReset) throw new PalestraError('reset_needed', 'Cannot call step before reset: call reset first');
    return this.env.stepInto(action, slots, i);
  }

  override reset(args?: ResetArgs): [O, Info] {
    this.hasReset = true;
    return this.env.reset(args);
  }

  override render(): unknown {
    if (!this.hasReset) throw new PalestraError('reset_needed', 'Cannot call render before reset: call reset first');
    return this.env.render();
  }
}
