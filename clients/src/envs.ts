/* eslint-disable */
/**
 * The server's built-in environments: the types of their observations and actions,
 * generated from their spaces by clients/scripts/env-types.cjs. Do not edit.
 */

/** Built-in environment id → the type of an observation and of an action. */
export interface KnownEnvs {
  "Acrobot-v1": { observation: number[]; action: number };
  "BipedalWalker-v3": { observation: number[]; action: number[] };
  "BipedalWalkerHardcore-v3": { observation: number[]; action: number[] };
  "Blackjack-v1": { observation: [number, number, number]; action: number };
  "CartPole-v0": { observation: number[]; action: number };
  "CartPole-v1": { observation: number[]; action: number };
  "CliffWalking-v0": { observation: number; action: number };
  "CliffWalking-v1": { observation: number; action: number };
  "CliffWalkingSlippery-v1": { observation: number; action: number };
  "FrozenLake-v0": { observation: number; action: number };
  "FrozenLake-v1": { observation: number; action: number };
  "FrozenLake8x8-v0": { observation: number; action: number };
  "FrozenLake8x8-v1": { observation: number; action: number };
  "LunarLander-v2": { observation: number[]; action: number };
  "LunarLander-v3": { observation: number[]; action: number };
  "LunarLanderContinuous-v2": { observation: number[]; action: number[] };
  "LunarLanderContinuous-v3": { observation: number[]; action: number[] };
  "MountainCar-v0": { observation: number[]; action: number };
  "MountainCarContinuous-v0": { observation: number[]; action: number[] };
  "Pendulum-v1": { observation: number[]; action: number[] };
  "Taxi-v3": { observation: number; action: number };
  "Taxi-v4": { observation: number; action: number };
}

/** A built-in environment id. */
export type KnownEnvId = keyof KnownEnvs;
