/** The trainers, by the name `train` takes. */
import type { AlgorithmName } from '../core/hyperparameters';
import type { Algorithm } from '../core/trainer';
import { dqn } from './dqn';
import { ppo } from './ppo';
import { qLearning } from './q_learning';

export const ALGORITHMS: { readonly [A in AlgorithmName]: Algorithm<A> } = {
  ppo,
  dqn,
  q_learning: qLearning,
};
