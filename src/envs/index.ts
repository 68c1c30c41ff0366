/** The built-in environments, registered with Gymnasium's ids, specs and keyword arguments. */
import { AcrobotEnv } from './classic_control/acrobot';
import { CartPoleEnv } from './classic_control/cartpole';
import { Continuous_MountainCarEnv } from './classic_control/continuous_mountain_car';
import { MountainCarEnv } from './classic_control/mountain_car';
import { PendulumEnv } from './classic_control/pendulum';
import { registry } from './registration';

/** `render_mode` as Palestra can honour it: null, or one of the text modes the environment has. */
function renderModeSchema(modes: string[]): Record<string, unknown> {
  return {
    enum: [null, ...modes],
    description: modes.length ? `null or ${modes.map((m) => `"${m}"`).join(', ')}` : 'null: this environment renders no text',
  };
}

/** A closed JSON Schema for an environment's keyword arguments. */
function kwargsSchema(properties: Record<string, unknown>, renderModes: string[] = []): Record<string, unknown> {
  return { type: 'object', properties: { ...properties, render_mode: renderModeSchema(renderModes) }, additionalProperties: false };
}

const number = { type: 'number' };

// Classic control
// ----------------------------------------

const cartPoleKwargs = kwargsSchema({ sutton_barto_reward: { type: 'boolean' } });
registry.register('CartPole-v0', (kw) => new CartPoleEnv(kw), { max_episode_steps: 200, reward_threshold: 195.0, kwargs_schema: cartPoleKwargs });
registry.register('CartPole-v1', (kw) => new CartPoleEnv(kw), { max_episode_steps: 500, reward_threshold: 475.0, kwargs_schema: cartPoleKwargs });

registry.register('MountainCar-v0', (kw) => new MountainCarEnv(kw), {
  max_episode_steps: 200,
  reward_threshold: -110.0,
  kwargs_schema: kwargsSchema({ goal_velocity: number }),
});

registry.register('MountainCarContinuous-v0', (kw) => new Continuous_MountainCarEnv(kw), {
  max_episode_steps: 999,
  reward_threshold: 90.0,
  kwargs_schema: kwargsSchema({ goal_velocity: number }),
});

registry.register('Pendulum-v1', (kw) => new PendulumEnv(kw), {
  max_episode_steps: 200,
  kwargs_schema: kwargsSchema({ g: number }),
});

registry.register('Acrobot-v1', (kw) => new AcrobotEnv(kw), {
  max_episode_steps: 500,
  reward_threshold: -100.0,
  kwargs_schema: kwargsSchema({}),
});

export { registry, register, make } from './registration';
export type { EnvSpec, EntryPoint, SpecOptions, MakeOptions } from './registration';
export { Env, Wrapper } from './core';
export type { Info, StepResult, ResetArgs } from './core';
