/**
 * A finite MDP given by its transition table, as old gym's `DiscreteEnv`:
 * FrozenLake, CliffWalking and Taxi fill in `P` and `initial_state_distrib`
 * and share the sampling of Gymnasium's `categorical_sample`.
 */
import { PalestraError } from '../../errors';
import { Env, Info, ResetArgs, StepResult, withIntKeys } from '../core';
import type { Discrete } from '../spaces/discrete';
import { Transition, categoricalSampleCdf, checkDiscreteAction, cumsum } from './utils';

export abstract class TabularEnv extends Env<number, number> {
  abstract override readonly observation_space: Discrete;
  abstract override readonly action_space: Discrete;
  /** Gymnasium's transition table: `P[s][a]` lists `[prob, next_state, reward, terminated]`. */
  abstract readonly P: Transition[][][];
  abstract readonly initial_state_distrib: Float64Array;
  /** The current state, or null before the first reset. */
  s: number | null = null;
  lastaction: number | null = null;
  // Running sums of P's probabilities, made once on first use: sampling then costs one draw and a scan.
  private cdfs: Float64Array[][] | null = null;
  private initialCdf: Float64Array | null = null;

  /** Draws the next transition from `P[s][a]`, as Gymnasium's step does; records the action. */
  protected sampleTransition(a: number): Transition {
    if (this.s === null) throw new PalestraError('reset_needed', 'Call reset before using step method.');
    checkDiscreteAction(a, this.action_space.n);
    this.cdfs ??= this.P.map((perAction) => perAction.map((li) => cumsum(li.map((t) => t[0]))));
    const i = categoricalSampleCdf(this.cdfs[this.s][a], this.np_random);
    this.lastaction = a;
    return this.P[this.s][a][i];
  }

  /** Draws a start state from `initial_state_distrib`, after seeding as Gymnasium's reset does. */
  protected sampleInitialState(seed: ResetArgs['seed']): number {
    this.seedReset(seed);
    this.initialCdf ??= cumsum(this.initial_state_distrib);
    this.s = categoricalSampleCdf(this.initialCdf, this.np_random);
    this.lastaction = null;
    return this.s;
  }

  step(a: number): StepResult<number> {
    const [p, s, r, t] = this.sampleTransition(a);
    this.s = s;
    return [s, r, t, false, { prob: p }];
  }

  reset({ seed }: ResetArgs = {}): [number, Info] {
    // Gymnasium answers `{"prob": 1}`, a Python int, which a vector info batches as int64.
    return [this.sampleInitialState(seed), withIntKeys({ prob: 1 }, ['prob'])];
  }
}
