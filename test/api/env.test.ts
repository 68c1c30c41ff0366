/** The environment methods called in-process: Gymnasium's shapes, sessions, no socket and no JSON. */
import type { MethodContext } from '../../src/api/context';
import { action_sample, action_space, close, envs, make, observation_space, reset, step } from '../../src/api/env';
import type { MadeEnv, ResetResult, StepResult } from '../../src/api/env';
import { endSession, sessionsOf } from '../../src/api/sessions';
import { NDArray } from '../../src/api/values';
import { PalestraError } from '../../src/errors';
import { apiContext, apiServer } from '../helpers/api';
import { loadConformance, plain } from '../helpers/conformance';

const server = apiServer();

/** The catalogue error a call throws. */
function thrown(fn: () => unknown): PalestraError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PalestraError);
    return err as PalestraError;
  }
  throw new Error('expected the call to throw');
}

const makeEnv = (ctx: MethodContext, env_id: string): MadeEnv => make(ctx, { env_id }) as MadeEnv;

test('make answers a canonical record: id, env id, spaces with real infinities, limits', () => {
  const ctx = apiContext(server);
  const made = makeEnv(ctx, 'CartPole-v1');
  expect(made.instance_id).toMatch(/^[0-9a-f]{32}$/);
  expect(made).toMatchObject({ env_id: 'CartPole-v1', max_episode_steps: 500, reward_threshold: 475 });
  const obsSpace = made.observation_space;
  expect(obsSpace).toMatchObject({ name: 'Box', shape: [4], dtype: 'float32' });
  const high = obsSpace.high as NDArray;
  expect(high).toBeInstanceOf(NDArray);
  expect(Array.from(high.data)).toEqual([4.800000190734863, Infinity, 0.41887903213500977, Infinity]);
  expect(made.action_space).toEqual({ name: 'Discrete', n: 2, start: 0 });
  expect(observation_space(ctx, { instance_id: made.instance_id })).toBe(obsSpace);
  expect(action_space(ctx, { instance_id: made.instance_id })).toEqual({ name: 'Discrete', n: 2, start: 0 });
  endSession(server, ctx.session);
});

test("reset and step replay Gymnasium's recorded CartPole episode as [obs, info] and 5-tuples", () => {
  const file = loadConformance('CartPole-v1')[0];
  const recorded = file.cases[0];
  const ctx = apiContext(server);
  const { instance_id } = makeEnv(ctx, 'CartPole-v1');
  const [obs, info] = reset(ctx, { instance_id, seed: recorded.seed }) as ResetResult;
  expect(obs).toBeInstanceOf(Float32Array);
  expect([plain(obs), info]).toEqual([recorded.reset_obs, recorded.reset_info]);
  for (const s of recorded.steps!) {
    const [o, r, terminated, truncated, i] = step(ctx, { instance_id, action: s.action }) as StepResult;
    expect([plain(o), r, terminated, truncated, i]).toEqual([s.obs, s.reward, s.terminated, s.truncated, s.info]);
  }
  endSession(server, ctx.session);
});

test('action_sample answers a member of the space, reproducibly for a seed', () => {
  const ctx = apiContext(server);
  const { instance_id } = makeEnv(ctx, 'Pendulum-v1');
  const a = action_sample(ctx, { instance_id, seed: 3 });
  const b = action_sample(ctx, { instance_id, seed: 3 });
  expect(a).toBeInstanceOf(Float32Array);
  expect(Array.from(a as Float32Array)).toEqual(Array.from(b as Float32Array));
  expect(Math.abs((a as Float32Array)[0])).toBeLessThanOrEqual(2);
  endSession(server, ctx.session);
});

test('close answers true, twice too; the closed instance is gone for step', () => {
  const ctx = apiContext(server);
  const { instance_id } = makeEnv(ctx, 'CartPole-v1');
  expect(close(ctx, { instance_id })).toBe(true);
  expect(close(ctx, { instance_id })).toBe(true);
  expect(thrown(() => step(ctx, { instance_id, action: 0 })).errorName).toBe('instance_not_found');
  expect(thrown(() => close(ctx, { instance_id: 'never-made' })).errorName).toBe('instance_not_found');
  endSession(server, ctx.session);
});

test("a session sees only its own instances, and ending it closes them", () => {
  const mine = apiContext(server);
  const other = apiContext(server);
  const before = sessionsOf(server).envCount();
  const { instance_id } = makeEnv(mine, 'CartPole-v1');
  makeEnv(mine, 'MountainCar-v0');
  expect(sessionsOf(server).envCount()).toBe(before + 2);
  expect(thrown(() => reset(other, { instance_id })).errorName).toBe('instance_not_found');
  // A session that closed nothing does not answer true for another's instance.
  expect(thrown(() => close(other, { instance_id })).errorName).toBe('instance_not_found');
  const env = mine.session.envs.get(instance_id)!.env;
  let closed = false;
  const original = env.close.bind(env);
  env.close = () => {
    closed = true;
    original();
  };
  endSession(server, mine.session);
  expect(closed).toBe(true);
  expect(sessionsOf(server).envCount()).toBe(before);
  endSession(server, other.session);
});

test('too_many_envs past the session limit', () => {
  const ctx = apiContext(server);
  for (let i = 0; i < 8; i++) makeEnv(ctx, 'CartPole-v1');
  expect(thrown(() => makeEnv(ctx, 'CartPole-v1'))).toMatchObject({ errorName: 'too_many_envs', data: { limit: 8 } });
  endSession(server, ctx.session);
});

describe("out-of-range Box actions are the environment's to clip, as in Gymnasium's test_box_actions_out_of_bound", () => {
  test.each([
    ['Pendulum-v1', 2, -2],
    ['MountainCarContinuous-v0', 1, -1],
  ])('%s: an action past a bound moves the environment exactly as the bound does', (env_id, high, low) => {
    const ctx = apiContext(server);
    for (const [bound, beyond] of [
      [high, high + 97],
      [low, low - 97],
    ]) {
      const a = makeEnv(ctx, env_id).instance_id;
      const b = makeEnv(ctx, env_id).instance_id;
      reset(ctx, { instance_id: a, seed: 42 });
      reset(ctx, { instance_id: b, seed: 42 });
      const atBound = step(ctx, { instance_id: a, action: [bound] }) as StepResult;
      const past = step(ctx, { instance_id: b, action: [beyond] }) as StepResult;
      // Gymnasium's test compares observations: MountainCarContinuous's reward charges the unclipped action.
      expect(plain(past[0])).toEqual(plain(atBound[0]));
      close(ctx, { instance_id: a });
      close(ctx, { instance_id: b });
    }
    endSession(server, ctx.session);
  });

  test('shape, type and finiteness are still checked', () => {
    const ctx = apiContext(server);
    const { instance_id } = makeEnv(ctx, 'Pendulum-v1');
    reset(ctx, { instance_id, seed: 0 });
    expect(thrown(() => step(ctx, { instance_id, action: [1, 2] })).message).toMatch(/expected shape \[1\], got length 2/);
    expect(thrown(() => step(ctx, { instance_id, action: ['Infinity'] })).message).toMatch(/element 0 \(Infinity\) is not finite/);
    expect(thrown(() => step(ctx, { instance_id, action: ['NaN'] })).message).toMatch(/element 0 is NaN/);
    expect(thrown(() => step(ctx, { instance_id, action: ['1'] })).errorName).toBe('invalid_action');
    endSession(server, ctx.session);
  });
});

test('a Discrete action true/false is refused with a message that says to send 1 or 0', () => {
  const ctx = apiContext(server);
  const { instance_id } = makeEnv(ctx, 'CartPole-v1');
  reset(ctx, { instance_id, seed: 0 });
  const error = thrown(() => step(ctx, { instance_id, action: true }));
  expect(error.errorName).toBe('invalid_action');
  expect(error.message).toBe('Action true is not in Discrete(2): expected an integer, got a boolean (booleans are not integers here: send 1 or 0)');
  expect(error.data.space).toEqual({ name: 'Discrete', n: 2, start: 0 });
  endSession(server, ctx.session);
});

test('envs lists every registered environment with canonical spaces and its aliases', () => {
  const ctx = apiContext(server);
  const listed = envs(ctx, {}) as { envs: Record<string, any>[]; aliases: Record<string, string> };
  const cartpole = listed.envs.find((e) => e.id === 'CartPole-v1')!;
  expect(cartpole).toMatchObject({ max_episode_steps: 500, reward_threshold: 475, action_space: { name: 'Discrete', n: 2 } });
  expect(Array.from((cartpole.observation_space.low as NDArray).data)).toContain(-Infinity);
  expect(listed.aliases['FrozenLake-v0']).toBe('FrozenLake-v1');
  endSession(server, ctx.session);
});
