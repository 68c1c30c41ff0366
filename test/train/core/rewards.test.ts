/**
 * Reward functions for training: the GRPO training API's two CartPole rewards
 * (their equations at known states), the wrapper that shows the learner the
 * shaped reward while episode returns stay the environment's own, and one
 * registered by an env module and used by a training job in its worker.
 */
import { join } from 'node:path';
import type { PalestraServer } from '../../../src';
import { describeSpace } from '../../../src/api/spaces';
import { registry } from '../../../src/envs';
import { jsonRpcValue } from '../../../src/server/framing/jsonrpc_codec';
import { ENV_REWARD_INFO_KEY, ShapedReward, optimizedCartpole, registerRewardFunction, rewardFunction, rewardFunctionNames, simpleCartpole } from '../../../src/train/core/rewards';
import { actionSpec, obsEncoder } from '../../../src/train/core/spaces';
import { EncodedVectorEnv } from '../../../src/train/core/encoded_vector_env';
import { startTestServer } from '../../helpers/server';
import { call, finished } from '../../rest/grpo/http';

const state = (x: number, theta: number) => [x, 0, theta, 0];

describe('simple_cartpole: 1 - |θ|/0.2095, clipped to [0.1, 1]', () => {
  it.each([
    [0, 1],
    [0.1, 1 - 0.1 / 0.2095],
    [-0.1, 1 - 0.1 / 0.2095],
    [0.15, 1 - 0.15 / 0.2095],
    [0.3, 0.1],
  ])('θ = %p → %p', (theta, expected) => {
    expect(simpleCartpole(null, 0, state(1.5, theta), 1)).toBeCloseTo(expected, 12);
  });
});

describe('optimized_cartpole: 1.5 + 3e^(-8|θ|) + e^(-1.5x²) - 2(|x| - 2 past 2), clipped to [0.1, 6]', () => {
  it.each([
    [0, 0, 5.5],
    [1, 0.05, 1.5 + 3 * Math.exp(-0.4) + Math.exp(-1.5)],
    [-2.2, 0, 1.5 + 3 + Math.exp(-1.5 * 2.2 * 2.2) - 2 * 0.2],
    [4.8, 0.2, 0.1],
  ])('x = %p, θ = %p → %p', (x, theta, expected) => {
    expect(optimizedCartpole(null, 0, state(x, theta), 1)).toBeCloseTo(expected, 12);
  });

  it('refuses observations that are not CartPole\'s', () => {
    expect(() => optimizedCartpole(null, 0, [0, 0], 1)).toThrow(/CartPole/);
  });
});

describe('the registry of reward functions', () => {
  it('knows the built-in ones by name and refuses unknown names with the catalogue error', () => {
    expect(rewardFunctionNames()).toEqual(expect.arrayContaining(['optimized_cartpole', 'simple_cartpole']));
    expect(() => rewardFunction('nope')).toThrow(expect.objectContaining({ errorName: 'unknown_reward_function' }));
  });

  it('refuses a second function under a taken name, and bad names', () => {
    expect(() => registerRewardFunction('simple_cartpole', () => 0)).toThrow(/already registered/);
    expect(() => registerRewardFunction('has space', () => 0)).toThrow(/name/);
  });
});

describe('ShapedReward in a trainer\'s vector env', () => {
  it('the learner sees the shaped rewards, the episode returns are the environment\'s own', () => {
    const make = () => new ShapedReward(registry.make('CartPole-v1'), simpleCartpole);
    const probe = registry.make('CartPole-v1');
    const encoder = obsEncoder(jsonRpcValue(describeSpace(probe.observation_space)) as never);
    const actions = actionSpec(jsonRpcValue(describeSpace(probe.action_space)) as never);
    const envs = new EncodedVectorEnv(make, 1, encoder, actions);
    envs.reset(7);
    const seen: number[] = [];
    let steps = 0;
    // Always pushing right ends an episode within CartPole's 12° limit in a few dozen steps.
    while (steps < 500) {
      envs.step([1]);
      steps += 1;
      seen.push(envs.rewards[0]);
      const episodes = envs.drainEpisodes();
      if (episodes.length > 0) {
        expect(episodes[0]).toEqual({ return: steps, length: steps });
        break;
      }
    }
    expect(steps).toBeLessThan(500);
    expect(seen.some((r) => r < 1)).toBe(true);
    expect(seen.every((r) => r >= 0.1 && r <= 1)).toBe(true);
  });

  it('keeps the environment\'s reward in info.env_reward', () => {
    const env = new ShapedReward(registry.make('CartPole-v1'), optimizedCartpole);
    env.reset({ seed: 1 });
    const [obs, reward, , , info] = env.step(0);
    expect(info[ENV_REWARD_INFO_KEY]).toBe(1);
    expect(reward).toBeCloseTo(optimizedCartpole(null, 0, obs, 1), 12);
  });
});

describe('a reward function registered by an env module', () => {
  let server: PalestraServer;
  beforeAll(async () => {
    server = await startTestServer({ envModules: [join(__dirname, '..', '..', 'fixtures', 'reward_module.ts')] });
  });
  afterAll(() => server.close());

  it('trains a job in its worker by name, which reports the environment\'s own returns', async () => {
    // GRPO plays groups of 8 whole episodes side by side: 512 steps let a group finish.
    const started = await call(server.httpUrl, 'POST', '/train', { total_timesteps: 512, reward_function_type: 'hundredfold_reward', model_name: 'scaled' });
    expect(started.status).toBe(200);
    expect(started.body.config.reward_function_type).toBe('hundredfold_reward');
    const status = await finished(server.httpUrl, started.body.job_id);
    expect(status).toMatchObject({ status: 'completed', error_message: null });
    // CartPole pays 1 a step, so an episode's own return is at most the steps taken; the learner's would be 100 times its length.
    expect(status.metrics.episodes).toBeGreaterThan(0);
    expect(status.metrics.mean_return_100).toBeLessThanOrEqual(status.current_timesteps);
  }, 120_000);
});
