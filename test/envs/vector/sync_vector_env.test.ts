/** SyncVectorEnv beyond the recordings: seeding, bad batches, autoreset details, buffers, custom spaces. */
import { Box, Dict, Discrete, Env, Info, StepResult, Tuple, make, make_vec } from '../../../src/envs';
import { SyncVectorEnv } from '../../../src/envs/vector';
import { CartPoleEnv } from '../../../src/envs/classic_control/cartpole';
import { PalestraError } from '../../../src/errors';

/** The error a call throws, for asserting its catalogue name, message and data. */
function thrown(fn: () => unknown): PalestraError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PalestraError) return err;
    throw err;
  }
  throw new Error('expected a PalestraError');
}

/** The observations of single environments reset with these seeds, concatenated. */
function singles(id: string, seeds: (number | bigint)[]): number[] {
  return seeds.flatMap((seed) => Array.from(make(id).reset({ seed })[0] as Float32Array));
}

describe('reset seeds', () => {
  test('an integer seeds copy i with seed + i', () => {
    const envs = make_vec('CartPole-v1', 3);
    expect(Array.from(envs.reset({ seed: 5 })[0] as Float32Array)).toEqual(singles('CartPole-v1', [5, 6, 7]));
    expect(envs.np_random_seed).toEqual([5n, 6n, 7n]);
  });

  test('a list seeds each copy; null leaves a copy to fresh entropy', () => {
    const envs = make_vec('CartPole-v1', 3);
    const obs = Array.from(envs.reset({ seed: [9, null, 2] })[0] as Float32Array);
    expect([...obs.slice(0, 4), ...obs.slice(8)]).toEqual(singles('CartPole-v1', [9, 2]));
    expect(envs.np_random_seed[1]).not.toBeNull();
  });

  test('a seed past 2^53, as a decimal string, offsets exactly', () => {
    const envs = make_vec('CartPole-v1', 2);
    const base = 2n ** 64n - 2n;
    expect(Array.from(envs.reset({ seed: String(base) })[0] as Float32Array)).toEqual(singles('CartPole-v1', [base, base + 1n]));
    const edge = make_vec('CartPole-v1', 2);
    edge.reset({ seed: Number.MAX_SAFE_INTEGER });
    expect(edge.np_random_seed).toEqual([BigInt(Number.MAX_SAFE_INTEGER), BigInt(Number.MAX_SAFE_INTEGER) + 1n]);
  });

  test('a list of the wrong length, or a bad seed in it, is invalid_seed and resets no copy', () => {
    const envs = make_vec('CartPole-v1', 2);
    envs.reset({ seed: 1 });
    expect(thrown(() => envs.reset({ seed: [1, 2, 3] })).message).toMatch(/one per copy: got 3 for num_envs=2/);
    expect(thrown(() => envs.reset({ seed: [1, -4] })).errorName).toBe('invalid_seed');
    expect(envs.np_random_seed).toEqual([1n, 2n]);
  });
});

describe('a bad batch changes no copy', () => {
  test('step before reset is reset_needed', () => {
    expect(thrown(() => make_vec('CartPole-v1', 2).step([0, 1])).errorName).toBe('reset_needed');
  });

  test('a batch of the wrong length, or an action outside the single space, is invalid_action naming the copy', () => {
    const envs = make_vec('CartPole-v1', 3);
    const twin = make_vec('CartPole-v1', 3);
    envs.reset({ seed: 0 });
    twin.reset({ seed: 0 });
    const short = thrown(() => envs.step([0, 1]));
    expect([short.errorName, short.message]).toEqual(['invalid_action', 'Expected a batch of 3 actions (one per copy), got 2 actions']);
    const bad = thrown(() => envs.step([0, 2, 1]));
    expect(bad.errorName).toBe('invalid_action');
    expect(bad.message).toMatch(/^Action of copy 1 \(2\) is not in Discrete\(2\)/);
    expect(bad.data).toEqual({ copy: 1, action: 2 });
    expect(thrown(() => envs.step([0, 1, 0.5])).data).toEqual({ copy: 2, action: 0.5 });
    // Nothing moved: the refused steps left every copy where its twin is.
    expect(envs.step(Int32Array.of(1, 0, 1))).toEqual(twin.step([1, 0, 1]));
  });

  test('Box actions: nested or flat batches are the same; NaN is refused for its copy', () => {
    const envs = make_vec('Pendulum-v1', 3);
    const twin = make_vec('Pendulum-v1', 3);
    envs.reset({ seed: 3 });
    twin.reset({ seed: 3 });
    const nan = thrown(() => envs.step([[0.5], [1], [NaN]]));
    expect([nan.errorName, nan.data.copy]).toEqual(['invalid_action', 2]);
    expect(thrown(() => envs.step([[0.5], [1, 2], [0]])).data.copy).toBe(1);
    expect(envs.step([[0.5], [1], [-3]])).toEqual(twin.step(Float32Array.of(0.5, 1, -3)));
  });

  test('reset_mask must hold one boolean per copy and mark at least one', () => {
    const envs = make_vec('CartPole-v1', 2, { autoreset_mode: 'Disabled' });
    envs.reset({ seed: 0 });
    expect(thrown(() => envs.reset({ options: { reset_mask: [true] } })).message).toMatch(/one boolean per copy \(2\), got 1/);
    expect(thrown(() => envs.reset({ options: { reset_mask: [false, false] } })).message).toMatch(/at least one copy/);
    expect(thrown(() => envs.reset({ options: { reset_mask: [1, 0] as unknown as boolean[] } })).message).toMatch(/reset_mask\[0\] is 1, expected a boolean/);
    expect(envs.np_random_seed).toEqual([0n, 1n]);
  });
});

/** Steps with all-zero actions until some copy ends; answers the step that ended it. */
function runUntilEnd(envs: SyncVectorEnv): ReturnType<SyncVectorEnv['step']> {
  for (let t = 0; t < 500; t++) {
    const result = envs.step(new Array(envs.num_envs).fill(0));
    if (result[2].some(Boolean) || result[3].some(Boolean)) return result;
  }
  throw new Error('no copy ended');
}

describe('autoreset modes', () => {
  test('Disabled: stepping a copy that ended is reset_needed until a masked reset restarts it', () => {
    const envs = make_vec('CartPole-v1', 2, { autoreset_mode: 'Disabled' });
    envs.reset({ seed: 0 });
    const [, , terminations] = runUntilEnd(envs);
    const ended = [...terminations.keys()].filter((i) => terminations[i]);
    const err = thrown(() => envs.step([0, 0]));
    expect([err.errorName, err.data]).toEqual(['reset_needed', { copies: ended }]);
    const [obs, info] = envs.reset({ options: { reset_mask: [...terminations].map(Boolean) } });
    expect(info).toEqual({});
    expect((obs as Float32Array).length).toBe(8);
    expect(envs.step([0, 0])[1]).toEqual(Float64Array.of(1, 1));
  });

  test('NextStep: the step after an end answers the reset observation, reward 0, flags false, and ignores that copy\'s action', () => {
    const a = make_vec('CartPole-v1', 2);
    const b = make_vec('CartPole-v1', 2);
    a.reset({ seed: 4 });
    b.reset({ seed: 4 });
    const [, , terminations] = runUntilEnd(a);
    runUntilEnd(b);
    const i = terminations[0] ? 0 : 1;
    const actionsA = [0, 0];
    const actionsB = [0, 0];
    actionsB[i] = 1;
    const [obsA, rewardsA, termA, truncA] = a.step(actionsA);
    const [obsB] = b.step(actionsB);
    expect([rewardsA[i], termA[i], truncA[i]]).toEqual([0, 0, 0]);
    expect(obsA).toEqual(obsB);
  });

  test('SameStep: final_obs is the observation NextStep shows at the end, and obs already the one it shows after', () => {
    const same = make_vec('CartPole-v1', 3, { autoreset_mode: 'SameStep' });
    const next = make_vec('CartPole-v1', 3);
    same.reset({ seed: 8 });
    next.reset({ seed: 8 });
    const [obsS, , terminations, , info] = runUntilEnd(same);
    const [obsN] = runUntilEnd(next);
    const [obsAfter] = next.step([0, 0, 0]);
    for (let i = 0; i < 3; i++) {
      const row = (o: unknown) => Array.from((o as Float32Array).subarray(i * 4, i * 4 + 4));
      if (terminations[i]) {
        expect(Array.from((info.final_obs as Float32Array[])[i])).toEqual(row(obsN));
        expect(row(obsS)).toEqual(row(obsAfter));
      } else {
        expect((info.final_obs as unknown[])[i]).toBeNull();
      }
    }
  });
});

describe('buffers', () => {
  test('copy: true answers fresh arrays the next step leaves alone', () => {
    const envs = make_vec('CartPole-v1', 2);
    const [first] = envs.reset({ seed: 0 });
    const kept = (first as Float32Array).slice();
    const step1 = envs.step([1, 1]);
    const rewards = step1[1].slice();
    envs.step([1, 1]);
    expect(first).toEqual(kept);
    expect(step1[1]).toEqual(rewards);
    expect(step1[0]).not.toBe(first);
  });

  test('copy: false answers the same buffers each time, overwritten by the next call', () => {
    const envs = make_vec('CartPole-v1', 2, { copy: false });
    const [first] = envs.reset({ seed: 0 });
    const kept = (first as Float32Array).slice();
    const [obs, rewards, terminations] = envs.step([1, 1]);
    expect(obs).toBe(first);
    expect(first).not.toEqual(kept);
    const again = envs.step([1, 1]);
    expect([again[0], again[1], again[2]]).toEqual([obs, rewards, terminations]);
    expect(again[1]).toBe(rewards);
  });
});

describe('copies that write their step into the batch (CartPole)', () => {
  test('a long run matches single environments stepped alone, time limit and restarts included', () => {
    const n = 3;
    const envs = make_vec('CartPole-v1', n, { copy: false, max_episode_steps: 40 });
    const singlesEnvs = Array.from({ length: n }, () => make('CartPole-v1', { max_episode_steps: 40 }));
    envs.reset({ seed: 11 });
    singlesEnvs.forEach((env, i) => env.reset({ seed: 11 + i }));
    const restart = new Array<boolean>(n).fill(false);
    let ends = 0;
    for (let t = 0; t < 200; t++) {
      const actions = Array.from({ length: n }, (_, i) => (t * (i + 2)) % 3 === 0 ? 1 : 0);
      const [obs, rewards, terminations, truncations] = envs.step(actions);
      singlesEnvs.forEach((env, i) => {
        const [o, r, term, trunc] = restart[i] ? [env.reset()[0], 0, false, false] : env.step(actions[i]);
        expect(Array.from((obs as Float32Array).subarray(4 * i, 4 * i + 4))).toEqual(Array.from(o as Float32Array));
        expect([rewards[i], terminations[i], truncations[i]]).toEqual([r, term ? 1 : 0, trunc ? 1 : 0]);
        restart[i] = term || trunc;
        if (restart[i]) ends++;
      });
    }
    // Both ways an episode ends were met on the way.
    expect(ends).toBeGreaterThan(3);
  });

  test('a subclass that overrides step is stepped through its step', () => {
    class Doubled extends CartPoleEnv {
      override step(action: number): StepResult<Float32Array> {
        const result = super.step(action);
        result[1] *= 2;
        return result;
      }
    }
    const envs = new SyncVectorEnv([() => new Doubled(), () => new CartPoleEnv()]);
    envs.reset({ seed: 0 });
    expect(Array.from(envs.step([0, 1])[1])).toEqual([2, 1]);
  });
});

/** A tiny environment with Dict observations and Tuple actions, recording what it is given. */
class Recorder extends Env<Record<string, unknown>, [number, Float32Array]> {
  readonly observation_space = new Dict({ pos: new Box(-10, 10, [2]), n: new Discrete(3) });
  readonly action_space = new Tuple<[number, Float32Array]>([new Discrete(2), new Box(-1, 1, [1])]);
  readonly seen: [number, number][] = [];
  closed = false;
  private t = 0;

  reset(): [Record<string, unknown>, Info] {
    this.t = 0;
    return [{ n: 0, pos: Float32Array.of(0, 0) }, {}];
  }

  step([k, v]: [number, Float32Array]): StepResult<Record<string, unknown>> {
    this.seen.push([k, v[0]]);
    this.t += 1;
    return [{ n: this.t % 3, pos: Float32Array.of(k, v[0]) }, 0.5, false, this.t >= 2, { t: this.t }];
  }

  override close(): void {
    this.closed = true;
  }
}

test('Dict observations and Tuple actions are batched member by member', () => {
  const copies: Recorder[] = [];
  const envs = new SyncVectorEnv(
    [0, 1].map(() => () => {
      const env = new Recorder();
      copies.push(env);
      return env;
    }),
  );
  expect(envs.observation_space.toString()).toBe("Dict('n': MultiDiscrete([3 3]), 'pos': Box(-10.0, 10.0, (2, 2), float32))");
  expect(envs.action_space.toString()).toBe('Tuple(MultiDiscrete([2 2]), Box(-1.0, 1.0, (2, 1), float32))');
  envs.reset();
  const [obs, , , truncations, info] = envs.step([[1, 0], Float32Array.of(0.5, -0.25)]);
  expect(copies.map((c) => c.seen)).toEqual([[[1, 0.5]], [[0, -0.25]]]);
  expect(obs).toEqual({ n: Float64Array.of(1, 1), pos: Float32Array.of(1, 0.5, 0, -0.25) });
  expect(Array.from(truncations)).toEqual([0, 0]);
  expect(info.t).toEqual(Float64Array.of(1, 1));
  const bad = thrown(() => envs.step([[1, 5], Float32Array.of(0, 0)]));
  expect([bad.errorName, bad.data.copy]).toEqual(['invalid_action', 1]);
  envs.close();
  envs.close();
  expect(copies.map((c) => c.closed)).toEqual([true, true]);
  expect(envs.closed).toBe(true);
});

describe('construction', () => {
  test('make_vec names the environment and its autoreset mode', () => {
    const envs = make_vec('FrozenLake-v1', 2, { kwargs: { is_slippery: false }, autoreset_mode: 'SameStep' });
    expect(envs.toString()).toBe('SyncVectorEnv(FrozenLake-v1, num_envs=2)');
    expect(envs.metadata.autoreset_mode).toBe('SameStep');
    expect(envs.spec?.kwargs).toMatchObject({ is_slippery: false });
    expect(envs.envs[1].spec?.max_episode_steps).toBe(100);
  });

  test('bad arguments get catalogue errors', () => {
    expect(thrown(() => make_vec('CartPole-v1', 0)).errorName).toBe('invalid_params');
    expect(thrown(() => make_vec('NoSuchEnv-v0', 2)).errorName).toBe('env_not_found');
    expect(thrown(() => make_vec('CartPole-v1', 2, { autoreset_mode: 'Sometimes' as never })).message).toMatch(/expected one of NextStep, SameStep, Disabled/);
    const mixed = thrown(() => new SyncVectorEnv([() => make('CartPole-v1'), () => make('MountainCar-v0')]));
    expect(mixed.message).toMatch(/^Copy 1 has observation space Box/);
  });
});
