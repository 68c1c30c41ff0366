/** A one-step continuous task for the learners' tests: the observation is a target in [-0.8, 0.8]; the reward is −(action − target)². */
import { Env, Info, StepResult } from '../../src/envs/core';
import { Registry } from '../../src/envs/registration';
import { Box, BoxArray } from '../../src/envs/spaces/box';

export class ReachEnv extends Env<BoxArray, BoxArray> {
  readonly observation_space = new Box(-1, 1, [1]);
  readonly action_space: Box;
  private target = 0;

  /** Actions in [low, high] (default [-1, 1]), so a test can check the scaling to the Box. */
  constructor(low = -1, high = 1) {
    super();
    this.action_space = new Box(low, high, [1]);
  }

  reset(args: { seed?: number | null } = {}): [Float32Array, Info] {
    this.seedReset(args.seed);
    this.target = this.np_random.uniform(-0.8, 0.8);
    return [Float32Array.of(this.target), {}];
  }

  step(action: BoxArray): StepResult<BoxArray> {
    return [Float32Array.of(this.target), -((action[0] - this.target) ** 2), true, false, {}];
  }
}

/** The mean reward of always acting 0: E[target²] for a target uniform in [-0.8, 0.8]. */
export const REACH_ZERO_RETURN = -(0.8 ** 2) / 3;

/** A registry holding `Reach-v0` (actions in [-1, 1]), `ReachWide-v0` (in [-2, 3]) and `ReachUnbounded-v0` (no bounds). */
export function reachRegistry(): Registry {
  const reg = new Registry();
  reg.register('Reach-v0', () => new ReachEnv(), { reward_threshold: -0.01 });
  reg.register('ReachWide-v0', () => new ReachEnv(-2, 3), { reward_threshold: -0.01 });
  reg.register('ReachUnbounded-v0', () => new ReachEnv(-Infinity, Infinity));
  return reg;
}
