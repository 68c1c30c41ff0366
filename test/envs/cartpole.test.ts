import { make } from '../../src/envs';
import { CartPoleEnv } from '../../src/envs/classic_control/cartpole';
import { PalestraError } from '../../src/errors';
import { episodesOf, loadConformance, plain } from '../helpers/conformance';
import { describeSpace } from '../../src/api/spaces';
import { jsonRpcValue } from '../../src/server/framing/jsonrpc_codec';

const files = loadConformance('CartPole');

describe.each(files.map((f) => [f.file, f] as const))('conformance %s', (_name, file) => {
  test('spec matches Gymnasium', () => {
    const env = make(file.env_id, { kwargs: file.kwargs });
    expect(env.spec?.max_episode_steps).toBe(file.spec.max_episode_steps);
    expect(env.spec?.reward_threshold).toBe(file.spec.reward_threshold);
    expect(jsonRpcValue(describeSpace(env.observation_space))).toEqual(file.spec.observation_space);
    expect(jsonRpcValue(describeSpace(env.action_space))).toEqual(file.spec.action_space);
  });

  test.each(file.cases.map((c, i) => [i, c.policy, c.seed, c] as const))(
    'case %i (%s, seed %s) reproduced exactly',
    (_i, policy, seed, c) => {
      const env = make(file.env_id, { kwargs: file.kwargs });
      if (c.action_seed !== null) env.action_space.seed(c.action_seed);
      episodesOf(c).forEach((episode, e) => {
        const [obs, info] = env.reset(e === 0 ? { seed } : {});
        expect(plain(obs)).toEqual(episode.reset_obs);
        expect(info).toEqual(episode.reset_info);
        expect(Array.from((env.unwrapped as CartPoleEnv).state!)).toEqual(episode.state.state);
        for (const step of episode.steps) {
          if (policy !== 'controller') expect(env.action_space.sample()).toBe(step.action);
          const [o, r, term, trunc, inf] = env.step(step.action as number);
          expect([plain(o), r, term, trunc, inf]).toEqual([step.obs, step.reward, step.terminated, step.truncated, step.info]);
        }
      });
    },
  );
});

test('step before reset is a reset_needed error', () => {
  const env = make('CartPole-v1');
  expect(() => env.step(0)).toThrow(PalestraError);
  try {
    env.step(0);
  } catch (e) {
    expect((e as PalestraError).errorName).toBe('reset_needed');
  }
});

test('the bare environment, without OrderEnforcing, also answers reset_needed from step before reset', () => {
  expect(() => new CartPoleEnv().step(0)).toThrow(expect.objectContaining({ errorName: 'reset_needed', code: 1004 }));
});

test('the episode terminates when the pole falls, with reward 1 on the last step and 0 after', () => {
  const env = make('CartPole-v1');
  env.reset({ seed: 5 });
  let result = env.step(1);
  let steps = 1;
  while (!result[2]) {
    result = env.step(1);
    steps++;
  }
  expect(steps).toBeLessThan(100);
  expect(result[1]).toBe(1);
  expect(env.step(1)[1]).toBe(0);
});

test('sutton_barto_reward gives 0 per step and -1 at termination', () => {
  const env = make('CartPole-v1', { kwargs: { sutton_barto_reward: true } });
  env.reset({ seed: 1 });
  let result = env.step(0);
  expect(result[1]).toBe(0);
  while (!result[2]) result = env.step(0);
  expect(result[1]).toBe(-1);
});

test('reset options low/high bound the initial state', () => {
  const env = make('CartPole-v1');
  const [obs] = env.reset({ seed: 123, options: { low: -0.1, high: 0.1 } });
  // Gymnasium's documented example for this seed and these bounds.
  expect(Array.from(obs as Float32Array).map((v) => Number(v.toFixed(8)))).toEqual([0.03647037, -0.0892358, -0.05592803, -0.06312564]);
});

test('unknown kwargs are refused with the accepted list', () => {
  expect(() => make('CartPole-v1', { kwargs: { gravity: 3 } })).toThrow(/Accepted: sutton_barto_reward, render_mode/);
});
