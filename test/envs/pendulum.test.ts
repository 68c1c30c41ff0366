import { make } from '../../src/envs';
import { PendulumEnv, angle_normalize } from '../../src/envs/classic_control/pendulum';
import { describeConformance } from '../helpers/conformance';

describeConformance(make, 'Pendulum', { state: (env: PendulumEnv) => ({ state: Array.from(env.state!) }) });

describe('Pendulum', () => {
  test('never terminates and is truncated at 200 steps', () => {
    const env = make('Pendulum-v1');
    env.reset({ seed: 0 });
    let steps = 0;
    let result;
    do {
      result = env.step(Float32Array.of(0));
      steps++;
    } while (!result[3]);
    expect([steps, result[2]]).toEqual([200, false]);
  });

  test('the reward is minus the cost of angle, speed and torque; torque is clipped to [-2, 2]', () => {
    const env = make('Pendulum-v1');
    env.reset({ seed: 0, options: { x_init: 0, y_init: 0 } });
    expect(env.step(Float32Array.of(0))[1]).toBe(-0);
    const [, reward] = env.step(Float32Array.of(5));
    expect((env.unwrapped as PendulumEnv).last_u).toBe(2);
    expect(reward).toBeLessThan(0);
  });

  test('an upright pendulum at rest stays up; g changes how fast it falls', () => {
    const fall = (g: number) => {
      const env = make('Pendulum-v1', { kwargs: { g } });
      env.reset({ seed: 0, options: { x_init: 0.1, y_init: 0 } });
      for (let i = 0; i < 5; i++) env.step(Float32Array.of(0));
      return Math.abs((env.unwrapped as PendulumEnv).state![1]);
    };
    expect(fall(20)).toBeGreaterThan(fall(5));
  });

  test('reset options x_init and y_init bound the initial state', () => {
    const env = make('Pendulum-v1');
    for (let seed = 0; seed < 20; seed++) {
      env.reset({ seed, options: { x_init: 0.5, y_init: 0.25 } });
      const [th, thdot] = (env.unwrapped as PendulumEnv).state!;
      expect(Math.abs(th)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(thdot)).toBeLessThanOrEqual(0.25);
    }
    expect(() => env.reset({ options: { x_init: 'wide' } })).toThrow(/could not be converted/);
  });

  test('angle_normalize wraps into [-pi, pi) as Python\'s modulo does', () => {
    expect(angle_normalize(0)).toBe(0);
    expect(angle_normalize(Math.PI)).toBe(-Math.PI);
    expect(angle_normalize(-Math.PI - 0.5)).toBeCloseTo(Math.PI - 0.5, 12);
    expect(angle_normalize(7)).toBeCloseTo(7 - 2 * Math.PI, 12);
  });

  test('kwargs other than g and render_mode are refused', () => {
    expect(() => make('Pendulum-v1', { kwargs: { gravity: 9.8 } })).toThrow(/Accepted: g, render_mode/);
  });
});
