/** The trainers, by the name `train` takes. */
import type { AlgorithmName } from '../core/hyperparameters';
import type { Algorithm } from '../core/trainer';
import { a2c } from './a2c';
import { dqn } from './dqn';
import { grpo } from './grpo';
import { ppo } from './ppo';
import { qLearning } from './q_learning';
import { reinforce } from './reinforce';
import { sac } from './sac';
import { td3 } from './td3';

export const ALGORITHMS: { readonly [A in AlgorithmName]: Algorithm<A> } = {
  ppo,
  a2c,
  reinforce,
  grpo,
  dqn,
  q_learning: qLearning,
  sac,
  td3,
};
