import { make } from '../../src/envs';
import { AcrobotEnv, bound, wrap } from '../../src/envs/classic_control/acrobot';
import { describeConformance } from '../helpers/conformance';

describeConformance(make, 'Acrobot', { state: (env: AcrobotEnv) => ({ state: Array.from(env.state!) }) });

describe('Acrobot', () => {
  test('is truncated at 500 steps with reward -1 per step when the tip stays low', () => {
    const env = make('Acrobot-v1');
    env.reset({ seed: 0 });
    let steps = 0;
    let result;
    do {
      result = env.step(1);
      steps++;
      expect(result[1]).toBe(-1);
    } while (!result[3]);
    expect([steps, result[2]]).toEqual([500, false]);
  });

  test('lifting the tip above the line ends the episode with reward 0', () => {
    const env = make('Acrobot-v1');
    env.reset({ seed: 0 });
    // Both links pointing up: -cos(theta1) - cos(theta1 + theta2) = 2 > 1.
    (env.unwrapped as AcrobotEnv).state = Float64Array.of(Math.PI - 0.05, 0, 0, 0);
    const [obs, reward, terminated] = env.step(1);
    expect([reward, terminated]).toEqual([0, true]);
    expect(env.observation_space.contains(obs)).toBe(true);
  });

  test('wrap and bound keep angles in [-pi, pi] and speeds within their limits', () => {
    expect(wrap(4, -Math.PI, Math.PI)).toBeCloseTo(4 - 2 * Math.PI, 12);
    expect(wrap(-7, -Math.PI, Math.PI)).toBeCloseTo(-7 + 2 * Math.PI, 12);
    expect(bound(20, -4 * Math.PI, 4 * Math.PI)).toBe(4 * Math.PI);
    expect(bound(-1, -2, 2)).toBe(-1);
  });

  test('invalid actions and step before reset are errors', () => {
    const env = make('Acrobot-v1');
    expect(() => env.step(0)).toThrow(expect.objectContaining({ errorName: 'reset_needed' }));
    env.reset({ seed: 0 });
    expect(() => env.step(3)).toThrow(expect.objectContaining({ errorName: 'invalid_action' }));
  });

  test('Acrobot takes no kwargs but render_mode', () => {
    expect(() => make('Acrobot-v1', { kwargs: { book_or_nips: 'nips' } })).toThrow(/Accepted: render_mode/);
  });
});
