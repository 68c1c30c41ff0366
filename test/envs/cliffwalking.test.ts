import { make } from '../../src/envs';
import { CliffWalkingEnv } from '../../src/envs/toy_text/cliffwalking';
import { describeConformance } from '../helpers/conformance';

describeConformance(make, 'CliffWalking', { state: (env: CliffWalkingEnv) => ({ s: env.s }) });

describe('CliffWalking', () => {
  test('CliffWalking-v0 is an alias of CliffWalking-v1; the slippery variant is its own id', () => {
    expect(make('CliffWalking-v0').spec?.id).toBe('CliffWalking-v1');
    expect((make('CliffWalkingSlippery-v1').unwrapped as CliffWalkingEnv).is_slippery).toBe(true);
    expect((make('CliffWalking-v1', { kwargs: { is_slippery: true } }).unwrapped as CliffWalkingEnv).is_slippery).toBe(true);
  });

  test('the cliff costs -100 and sends the agent back to the start without ending the episode', () => {
    const env = make('CliffWalking-v1');
    expect(env.reset({ seed: 0 })).toEqual([36, { prob: 1 }]);
    expect(env.step(1)).toEqual([36, -100, false, false, { prob: 1.0 }]);
  });

  test('the goal ends the episode; there is no time limit', () => {
    const env = make('CliffWalking-v1');
    env.reset({ seed: 0 });
    let last: unknown[] = [];
    for (const a of [0, ...Array(11).fill(1), 2]) last = env.step(a);
    expect(last).toEqual([47, -1, true, false, { prob: 1.0 }]);
    expect(env.spec?.max_episode_steps).toBeNull();
  });

  test('ansi render prints the grid as Gymnasium does', () => {
    const env = make('CliffWalking-v1', { kwargs: { render_mode: 'ansi' } });
    env.reset({ seed: 0 });
    const row = 'o  o  o  o  o  o  o  o  o  o  o  o\n';
    expect(env.render()).toBe(row + row + row + 'x  C  C  C  C  C  C  C  C  C  C  T\n\n');
  });

  test('slippery moves go sideways a third of the time each', () => {
    const env = new CliffWalkingEnv({ is_slippery: true });
    expect(env.P[13][1].map((t) => [t[0], t[1]])).toEqual([
      [1 / 3, 1],
      [1 / 3, 14],
      [1 / 3, 25],
    ]);
  });

  test('invalid actions and step before reset are errors', () => {
    const env = make('CliffWalking-v1');
    expect(() => env.step(0)).toThrow(expect.objectContaining({ errorName: 'reset_needed' }));
    env.reset({ seed: 0 });
    expect(() => env.step(-1)).toThrow(expect.objectContaining({ errorName: 'invalid_action' }));
    expect(() => make('CliffWalking-v1', { kwargs: { is_slippery: 'yes' } })).toThrow(/is_slippery must be boolean/);
  });
});
