/** The built-in environments, registered with Gymnasium's ids, specs and keyword arguments. */
import { AcrobotEnv } from './classic_control/acrobot';
import { CartPoleEnv } from './classic_control/cartpole';
import { Continuous_MountainCarEnv } from './classic_control/continuous_mountain_car';
import { MountainCarEnv } from './classic_control/mountain_car';
import { PendulumEnv } from './classic_control/pendulum';
import { BipedalWalker } from './box2d/bipedal_walker';
import { LunarLander } from './box2d/lunar_lander';
import { registry } from './registration';
import { BlackjackEnv } from './toy_text/blackjack';
import { CliffWalkingEnv } from './toy_text/cliffwalking';
import { FrozenLakeEnv, MAX_MAP_SIDE } from './toy_text/frozen_lake';
import { TaxiEnv } from './toy_text/taxi';

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

/** A bounded number: JSON allows 1e308, and no dynamics here mean anything that large. */
function range(minimum: number, maximum: number): Record<string, unknown> {
  return { type: 'number', minimum, maximum };
}

// Classic control
// ----------------------------------------

const cartPoleKwargs = kwargsSchema({ sutton_barto_reward: { type: 'boolean' } });
registry.register('CartPole-v0', (kw) => new CartPoleEnv(kw), { max_episode_steps: 200, reward_threshold: 195.0, kwargs_schema: cartPoleKwargs });
registry.register('CartPole-v1', (kw) => new CartPoleEnv(kw), { max_episode_steps: 500, reward_threshold: 475.0, kwargs_schema: cartPoleKwargs });

registry.register('MountainCar-v0', (kw) => new MountainCarEnv(kw), {
  max_episode_steps: 200,
  reward_threshold: -110.0,
  kwargs_schema: kwargsSchema({ goal_velocity: range(-1, 1) }),
});

registry.register('MountainCarContinuous-v0', (kw) => new Continuous_MountainCarEnv(kw), {
  max_episode_steps: 999,
  reward_threshold: 90.0,
  kwargs_schema: kwargsSchema({ goal_velocity: range(-1, 1) }),
});

registry.register('Pendulum-v1', (kw) => new PendulumEnv(kw), {
  max_episode_steps: 200,
  kwargs_schema: kwargsSchema({ g: range(0, 100) }),
});

registry.register('Acrobot-v1', (kw) => new AcrobotEnv(kw), {
  max_episode_steps: 500,
  reward_threshold: -100.0,
  kwargs_schema: kwargsSchema({}),
});

// Box2D
// ----------------------------------------

const lunarLanderKwargs = kwargsSchema({
  continuous: { type: 'boolean' },
  gravity: { type: 'number', exclusiveMinimum: -12, exclusiveMaximum: 0, description: 'between -12 and 0, exclusive' },
  enable_wind: { type: 'boolean' },
  // Gymnasium recommends 0..20 and 0..2 and only warns outside; the bounds here keep the forces finite.
  wind_power: range(-1e6, 1e6),
  turbulence_power: range(-1e6, 1e6),
});
registry.register('LunarLander-v3', (kw) => new LunarLander(kw), {
  max_episode_steps: 1000,
  reward_threshold: 200,
  kwargs_schema: lunarLanderKwargs,
});
registry.register('LunarLanderContinuous-v3', (kw) => new LunarLander(kw), {
  kwargs: { continuous: true },
  max_episode_steps: 1000,
  reward_threshold: 200,
  kwargs_schema: lunarLanderKwargs,
});

const bipedalWalkerKwargs = kwargsSchema({ hardcore: { type: 'boolean' } });
registry.register('BipedalWalker-v3', (kw) => new BipedalWalker(kw), {
  max_episode_steps: 1600,
  reward_threshold: 300,
  kwargs_schema: bipedalWalkerKwargs,
});
registry.register('BipedalWalkerHardcore-v3', (kw) => new BipedalWalker(kw), {
  kwargs: { hardcore: true },
  max_episode_steps: 2000,
  reward_threshold: 300,
  kwargs_schema: bipedalWalkerKwargs,
});

// Toy text
// ----------------------------------------

const boolean = { type: 'boolean' };
const probability = { type: 'number', minimum: 0, maximum: 1 };

registry.register('Blackjack-v1', (kw) => new BlackjackEnv(kw), {
  kwargs: { sab: true, natural: false },
  kwargs_schema: kwargsSchema({ natural: boolean, sab: boolean }, ['ansi']),
});

const frozenLakeKwargs = kwargsSchema(
  {
    desc: {
      type: ['array', 'null'],
      items: { type: 'string', pattern: '^[SFHG]+$', minLength: 1, maxLength: MAX_MAP_SIDE },
      minItems: 1,
      maxItems: MAX_MAP_SIDE,
    },
    map_name: { enum: ['4x4', '8x8', null] },
    is_slippery: boolean,
    success_rate: probability,
    reward_schedule: { type: 'array', items: range(-1e6, 1e6), minItems: 3, maxItems: 3 },
  },
  ['ansi'],
);
registry.register('FrozenLake-v1', (kw) => new FrozenLakeEnv(kw), {
  kwargs: { map_name: '4x4' },
  max_episode_steps: 100,
  reward_threshold: 0.7,
  kwargs_schema: frozenLakeKwargs,
});
registry.register('FrozenLake8x8-v1', (kw) => new FrozenLakeEnv(kw), {
  kwargs: { map_name: '8x8' },
  max_episode_steps: 200,
  reward_threshold: 0.85,
  kwargs_schema: frozenLakeKwargs,
});

const cliffWalkingKwargs = kwargsSchema({ is_slippery: boolean }, ['ansi']);
registry.register('CliffWalking-v1', (kw) => new CliffWalkingEnv(kw), { kwargs_schema: cliffWalkingKwargs });
registry.register('CliffWalkingSlippery-v1', (kw) => new CliffWalkingEnv(kw), {
  kwargs: { is_slippery: true },
  kwargs_schema: cliffWalkingKwargs,
});

registry.register('Taxi-v4', (kw) => new TaxiEnv(kw), {
  max_episode_steps: 200,
  reward_threshold: 8,
  kwargs_schema: kwargsSchema(
    { is_rainy: boolean, fickle_passenger: boolean, rainy_probability: probability, fickle_probability: probability },
    ['ansi'],
  ),
});

// Ids that older Gym clients still use.
registry.alias('FrozenLake-v0', 'FrozenLake-v1');
registry.alias('FrozenLake8x8-v0', 'FrozenLake8x8-v1');
registry.alias('Taxi-v3', 'Taxi-v4');
registry.alias('CliffWalking-v0', 'CliffWalking-v1');
// Older clients' examples make LunarLander-v2; v3 changed only the reset's determinism and the bounds.
registry.alias('LunarLander-v2', 'LunarLander-v3');
registry.alias('LunarLanderContinuous-v2', 'LunarLanderContinuous-v3');

export { registry, register, make, make_vec } from './registration';
export type { EnvSpec, EntryPoint, SpecOptions, MakeOptions, MakeVecOptions } from './registration';
export { SyncVectorEnv, VectorEnv, AutoresetMode, BoolArray } from './vector';
export type { VectorInfo, VectorResetArgs, VectorStepResult } from './vector';
export { Env, Wrapper } from './core';
export { Box, Dict, Discrete, MultiBinary, MultiDiscrete, NotInSpace, Space, Tuple } from './spaces';
export type { Info, StepResult, ResetArgs } from './core';
