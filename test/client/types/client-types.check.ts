/**
 * Compiled by test/client/types.test.ts, never run: every line after a
 * `@ts-expect-error` must be refused by the compiler, every other line accepted.
 */
import type { Env, PalestraClient } from '../../../clients/src';

declare const client: PalestraClient;

export async function trainOptions(): Promise<void> {
  await client.train('CartPole-v1', { algorithm: 'ppo', hyperparameters: { learning_rate: 3e-4, n_envs: 8, activation: 'relu' } });
  await client.train('CartPole-v1', { algorithm: 'dqn', hyperparameters: { buffer_size: 50_000, double_q: true } });
  await client.train('FrozenLake-v1', { hyperparameters: { exploration_fraction: 0.4 } });
  await client.train('CartPole-v1', { algorithm: 'grpo', hyperparameters: { group_size: 16, kl_coef: 0.01 } });
  await client.train('CartPole-v1', { algorithm: 'a2c', hyperparameters: { optimizer: 'adam' } });
  // @ts-expect-error: no such algorithm on the server
  await client.train('CartPole-v1', { algorithm: 'trpo' });
  // @ts-expect-error: GRPO has no value network, so no vf_coef
  await client.train('CartPole-v1', { algorithm: 'grpo', hyperparameters: { vf_coef: 0.5 } });
  // @ts-expect-error: `lr` is no algorithm's hyperparameter
  await client.train('CartPole-v1', { hyperparameters: { lr: 0.1 } });
  // @ts-expect-error: PPO has no replay buffer
  await client.train('CartPole-v1', { algorithm: 'ppo', hyperparameters: { buffer_size: 1000 } });
  // @ts-expect-error: n_envs is an integer count, not a string
  await client.train('CartPole-v1', { algorithm: 'ppo', hyperparameters: { n_envs: '8' } });
  // @ts-expect-error: activation is tanh or relu
  await client.train('CartPole-v1', { algorithm: 'ppo', hyperparameters: { activation: 'sigmoid' } });
}

export async function spaces(): Promise<void> {
  const cartpole = await client.make('CartPole-v1');
  const [obs] = await cartpole.reset();
  const position: number = obs[0];
  await cartpole.step(1);
  // @ts-expect-error: a CartPole action is a Discrete number, not an array
  await cartpole.step([1]);
  // @ts-expect-error: a Box observation is number[], not a number
  const wrong: number = obs;

  const pendulum = await client.make('Pendulum-v1');
  await pendulum.step([0.5]);
  // @ts-expect-error: a Pendulum action is a Box, number[]
  await pendulum.step(0.5);

  const lake = await client.make('FrozenLake-v1');
  const [cell] = await lake.reset();
  const index: number = cell;
  const blackjack = await client.make('Blackjack-v1');
  const [[sum, dealer, ace]] = await blackjack.reset();

  // An environment the client cannot know statically stays unknown unless the caller says.
  const custom: Env<unknown, unknown> = await client.make('Corridor-v0');
  const typed: Env<number, number> = await client.make<number, number>('Corridor-v0');
  void [position, wrong, index, sum, dealer, ace, custom, typed];
}
