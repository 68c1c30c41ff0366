/** The trainers, by the name `train` takes. */
import type { AlgorithmName } from '../core/hyperparameters';
import type { Algorithm } from '../core/trainer';
import { dqn } from './dqn';
import { ppo } from './ppo';
import { qLearning } from './q_learning';
import { sac } from './sac';
import { td3 } from './td3';

export const ALGORITHMS: { readonly [A in AlgorithmName]: Algorithm<A> } = {
  ppo,
  dqn,
  q_learning: qLearning,
  sac,
  td3,
};
