import { make } from '../../src/envs';
import { MountainCarEnv } from '../../src/envs/classic_control/mountain_car';
import { Continuous_MountainCarEnv } from '../../src/envs/classic_control/continuous_mountain_car';
import { PalestraError } from '../../src/errors';
import { loadConformance, replayCase, specOf } from '../helpers/conformance';

const files = [...loadConformance('MountainCar-'), ...loadConformance('MountainCarContinuous')];

describe.each(files.map((f) => [f.file, f] as const))('conformance %s', (_name, file) => {
  test('spec matches Gymnasium', () => {
    expect(specOf(make(file.env_id, { kwargs: file.kwargs }))).toEqual(file.spec);
  });

  test.each(file.cases.map((c, i) => [i, c.policy, c.seed, c] as const))('case %i (%s, seed %s) reproduced exactly', (_i, _p, _s, c) => {
    replayCase(make, file, c, { state: (env: MountainCarEnv | Continuous_MountainCarEnv) => ({ state: Array.from(env.state!) }) });
  });
});

describe('MountainCar', () => {
  /** Pushes in the direction the car moves: the classic energy-pumping controller. */
  const pump = (velocity: number) => (velocity >= 0 ? 2 : 0);

  test('reaching the flag terminates the episode; otherwise it is truncated at 200', () => {
    let env = make('MountainCar-v0');
    let [obs] = env.reset({ seed: 0 });
    let result;
    let steps = 0;
    do {
      result = env.step(pump((obs as Float32Array)[1]));
      obs = result[0];
      steps++;
    } while (!result[2] && !result[3]);
    expect(result[2]).toBe(true);
    expect((obs as Float32Array)[0]).toBeGreaterThanOrEqual(0.5);
    expect(steps).toBeLessThan(200);
    env = make('MountainCar-v0');
    env.reset({ seed: 0 });
    steps = 0;
    do {
      result = env.step(1);
      steps++;
    } while (!result[3]);
    expect([steps, result[2], result[1]]).toEqual([200, false, -1]);
  });

  test('goal_velocity raises the bar for termination', () => {
    // The speed is capped at 0.07, so the flag can be reached but never this fast.
    const env = make('MountainCar-v0', { kwargs: { goal_velocity: 0.071 } });
    let [obs] = env.reset({ seed: 0 });
    let result;
    do {
      result = env.step(pump((obs as Float32Array)[1]));
      obs = result[0];
    } while (!result[2] && !result[3]);
    expect(result[2]).toBe(false);
  });

  test('the left wall stops the car', () => {
    const env = make('MountainCar-v0');
    // From seed 2 the pumping car swings back into the left wall after 77 steps.
    let [obs] = env.reset({ seed: 2 });
    const car = env.unwrapped as MountainCarEnv;
    let hit = false;
    for (let t = 0; t < 200 && !hit; t++) {
      [obs] = env.step(pump((obs as Float32Array)[1]));
      hit = car.state![0] === -1.2;
    }
    expect(hit).toBe(true);
    expect(car.state![1]).toBe(0);
  });

  test('invalid actions, step before reset and unknown kwargs are clear errors', () => {
    const env = make('MountainCar-v0');
    expect(() => env.step(1)).toThrow(PalestraError);
    env.reset({ seed: 0 });
    expect(() => env.step(3)).toThrow(expect.objectContaining({ errorName: 'invalid_action' }));
    expect(() => make('MountainCar-v0', { kwargs: { force: 1 } })).toThrow(/unknown kwarg "force".*Accepted: goal_velocity, render_mode/);
    expect(() => make('MountainCar-v0', { kwargs: { goal_velocity: 'fast' } })).toThrow(/goal_velocity must be number/);
  });
});

describe('MountainCarContinuous', () => {
  test('the goal pays 100 less 0.1 * action^2, and out-of-range actions are clipped, not refused', () => {
    const env = make('MountainCarContinuous-v0');
    env.reset({ seed: 0, options: { low: 0.4495, high: 0.4495 } });
    const [obs, reward, terminated] = env.step(Float32Array.of(5));
    expect(terminated).toBe(true);
    expect((obs as Float32Array)[0]).toBeGreaterThanOrEqual(0.45);
    expect(reward).toBeCloseTo(100 - 0.1 * 25, 10);
  });

  test('the state is kept in float32 between steps, as Gymnasium keeps it', () => {
    const env = make('MountainCarContinuous-v0');
    env.reset({ seed: 1 });
    env.step(Float32Array.of(0.3));
    const state = (env.unwrapped as Continuous_MountainCarEnv).state!;
    expect(Array.from(state).every((v) => Math.fround(v) === v)).toBe(true);
  });

  test('is truncated at 999 steps', () => {
    const env = make('MountainCarContinuous-v0');
    env.reset({ seed: 0 });
    let steps = 0;
    let result;
    do {
      result = env.step(Float32Array.of(0));
      steps++;
    } while (!result[3] && !result[2]);
    expect([steps, result[2]]).toEqual([999, false]);
  });
});
