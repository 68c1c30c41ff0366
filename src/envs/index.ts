/** The built-in environments, registered with Gymnasium's ids and specs. */
import { CartPoleEnv } from './classic_control/cartpole';
import { registry } from './registration';

const renderModeSchema = { type: ['string', 'null'] };

registry.register('CartPole-v0', (kw) => new CartPoleEnv(kw), {
  max_episode_steps: 200,
  reward_threshold: 195.0,
  kwargs_schema: {
    type: 'object',
    properties: { sutton_barto_reward: { type: 'boolean' }, render_mode: renderModeSchema },
    additionalProperties: false,
  },
});
registry.register('CartPole-v1', (kw) => new CartPoleEnv(kw), {
  max_episode_steps: 500,
  reward_threshold: 475.0,
  kwargs_schema: {
    type: 'object',
    properties: { sutton_barto_reward: { type: 'boolean' }, render_mode: renderModeSchema },
    additionalProperties: false,
  },
});

export { registry, register, make } from './registration';
export type { EnvSpec, EntryPoint, SpecOptions, MakeOptions } from './registration';
export { Env, Wrapper } from './core';
export type { Info, StepResult, ResetArgs } from './core';
