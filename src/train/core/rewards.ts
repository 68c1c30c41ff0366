/**
 * Reward functions: a named transform of each step's reward that the learner
 * sees in place of the environment's own, as the GRPO training API offers
 * (`reward_function_type`). The episode returns a job reports, and every
 * evaluation, stay the environment's own: the wrapper keeps the original
 * reward in `info.env_reward`, which the trainers' vector env adds up.
 *
 * Two CartPole transforms are built in; an env module adds more with
 * `registerRewardFunction`, and since env modules load in every training
 * worker too, a job can use them by name.
 */
import type { Env, Info, ResetArgs, StepResult } from '../../envs/core';
import { Wrapper } from '../../envs/core';
import { PalestraError } from '../../errors';

/** A reward transform: the observation before the step, the action, the one after, and the environment's reward. */
export type RewardFunction = (obs: unknown, action: unknown, next_obs: unknown, reward: number) => number;

/** Where the shaping wrapper keeps the environment's own reward of a step. */
export const ENV_REWARD_INFO_KEY = 'env_reward';

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** CartPole's observation as [x, x_dot, theta, theta_dot]; refuses anything else. */
function cartpoleState(obs: unknown): ArrayLike<number> {
  const arr = obs as ArrayLike<number> | null;
  if (arr === null || typeof arr !== 'object' || typeof arr.length !== 'number' || arr.length !== 4) {
    throw new PalestraError('not_supported', 'This reward function reads CartPole observations ([x, x_dot, theta, theta_dot])');
  }
  return arr;
}

/**
 * Angle-based: 1 - |θ| / 0.2095 (0.2095 rad ≈ 12°, where CartPole ends the episode),
 * clipped to [0.1, 1], from the pole angle θ after the step.
 */
export const simpleCartpole: RewardFunction = (_obs, _action, next) => {
  const theta = cartpoleState(next)[2];
  return clamp(1 - Math.abs(theta) / 0.2095, 0.1, 1);
};

/**
 * Performance-shaped, from the state after the step: a survival bonus 1.5, plus
 * 3·exp(-8|θ|) for an upright pole, plus exp(-1.5 x²) for a centred cart, minus
 * 2(|x| - 2) once the cart is more than 2 from the centre; clipped to [0.1, 6].
 */
export const optimizedCartpole: RewardFunction = (_obs, _action, next) => {
  const s = cartpoleState(next);
  const x = s[0];
  const theta = s[2];
  const boundary = Math.abs(x) > 2 ? -2 * (Math.abs(x) - 2) : 0;
  return clamp(1.5 + 3 * Math.exp(-8 * Math.abs(theta)) + Math.exp(-1.5 * x * x) + boundary, 0.1, 6);
};

const rewardFunctions = new Map<string, RewardFunction>([
  ['simple_cartpole', simpleCartpole],
  ['optimized_cartpole', optimizedCartpole],
]);

/** Names a reward function for training jobs (in an env module, so workers have it too); a name is registered once. */
export function registerRewardFunction(name: string, fn: RewardFunction): void {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) throw new PalestraError('invalid_params', `A reward function's name is 1 to 64 letters, digits, '_', '.', '-'; got ${JSON.stringify(name)}`);
  if (typeof fn !== 'function') throw new PalestraError('invalid_params', `The reward function ${name} must be a function (obs, action, next_obs, reward) => number`);
  const known = rewardFunctions.get(name);
  if (known !== undefined && known !== fn) throw new PalestraError('invalid_params', `A reward function named ${name} is already registered`);
  rewardFunctions.set(name, fn);
}

/** The names of the reward functions this process knows, sorted. */
export function rewardFunctionNames(): string[] {
  return [...rewardFunctions.keys()].sort();
}

/** The reward function by that name; unknown_reward_function otherwise. */
export function rewardFunction(name: string): RewardFunction {
  const fn = rewardFunctions.get(name);
  if (!fn) {
    const available = rewardFunctionNames();
    throw new PalestraError('unknown_reward_function', `No reward function ${JSON.stringify(name)}; available: ${available.join(', ')}`, { available });
  }
  return fn;
}

/** An environment whose rewards are replaced by a reward function's, the original kept in `info.env_reward`. */
export class ShapedReward<O, A> extends Wrapper<O, A> {
  private last: O | null = null;

  constructor(
    env: Env<O, A>,
    private readonly fn: RewardFunction,
  ) {
    super(env);
  }

  override reset(args?: ResetArgs): [O, Info] {
    const out = this.env.reset(args);
    this.last = out[0];
    return out;
  }

  override step(action: A): StepResult<O> {
    const [obs, reward, terminated, truncated, info] = this.env.step(action);
    const shaped = this.fn(this.last, action, obs, reward);
    if (typeof shaped !== 'number' || !Number.isFinite(shaped)) {
      throw new PalestraError('env_error', `The reward function answered ${String(shaped)}, not a finite number`);
    }
    this.last = obs;
    return [obs, shaped, terminated, truncated, { ...info, [ENV_REWARD_INFO_KEY]: reward }];
  }
}
