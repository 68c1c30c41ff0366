/** The trainers, by the name `train` takes. */
import type { Algorithm } from '../core/trainer';
import { dqn } from './dqn';
import { ppo } from './ppo';
import { qLearning } from './q_learning';

export const ALGORITHMS: Record<string, Algorithm> = {
  ppo,
  dqn,
  q_learning: qLearning,
};
