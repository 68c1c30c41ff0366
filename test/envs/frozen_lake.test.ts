import { make } from '../../src/envs';
import { FrozenLakeEnv, generate_random_map, is_valid } from '../../src/envs/toy_text/frozen_lake';
import { PalestraError } from '../../src/errors';
import { describeConformance } from '../helpers/conformance';
import { describeSpace } from '../../src/api/spaces';
import { jsonRpcValue } from '../../src/server/framing/jsonrpc_codec';

describeConformance(make, 'FrozenLake', { state: (env: FrozenLakeEnv) => ({ s: env.s }) });

const RED = (c: string) => `\x1b[41m${c}\x1b[0m`;

describe('FrozenLake', () => {
  test('the old id FrozenLake-v0 makes FrozenLake-v1', () => {
    expect(make('FrozenLake-v0').spec?.id).toBe('FrozenLake-v1');
  });

  test('ansi render prints the map with the agent highlighted and the last action', () => {
    const env = make('FrozenLake-v1', { kwargs: { render_mode: 'ansi', is_slippery: false } });
    env.reset({ seed: 0 });
    expect(env.render()).toBe(`\n${RED('S')}FFF\nFHFH\nFFFH\nHFFG\n`);
    env.step(2);
    expect(env.render()).toBe(`  (Right)\nS${RED('F')}FF\nFHFH\nFFFH\nHFFG\n`);
  });

  test('render without render_mode is refused with a hint', () => {
    const env = make('FrozenLake-v1');
    env.reset({ seed: 0 });
    expect(() => env.render()).toThrow(/render_mode "ansi"/);
  });

  test('falling into a hole ends the episode with reward 0; the goal pays 1', () => {
    const env = make('FrozenLake-v1', { kwargs: { is_slippery: false } });
    env.reset({ seed: 0 });
    expect(env.step(1)).toEqual([4, 0, false, false, { prob: 1 }]);
    expect(env.step(2)).toEqual([5, 0, true, false, { prob: 1 }]);
    env.reset();
    let last: unknown[] = [];
    for (const a of [1, 1, 2, 2, 1, 2]) last = env.step(a);
    expect(last).toEqual([15, 1, true, false, { prob: 1 }]);
  });

  test('reward_schedule and success_rate are honoured', () => {
    const env = make('FrozenLake-v1', { kwargs: { reward_schedule: [10, -5, -1], success_rate: 1, is_slippery: true } });
    env.reset({ seed: 3 });
    expect(env.step(2)).toEqual([1, -1, false, false, { prob: 1 }]);
    expect(env.step(1)).toEqual([5, -5, true, false, { prob: 1 }]);
    const p = (env.unwrapped as FrozenLakeEnv).P[0][2];
    expect(p.map((t) => t[0])).toEqual([0, 1, 0]);
  });

  test('episodes are truncated at 100 steps (200 for 8x8)', () => {
    const env = make('FrozenLake-v1', { kwargs: { is_slippery: false } });
    env.reset({ seed: 0 });
    let result = env.step(0);
    let steps = 1;
    while (!result[3]) {
      result = env.step(0);
      steps++;
    }
    expect([steps, result[2]]).toEqual([100, false]);
    expect(make('FrozenLake8x8-v1').spec?.max_episode_steps).toBe(200);
  });

  test('step before reset and invalid actions are errors', () => {
    const env = make('FrozenLake-v1');
    expect(() => env.step(0)).toThrow(expect.objectContaining({ errorName: 'reset_needed' }));
    env.reset({ seed: 0 });
    expect(() => env.step(4)).toThrow(PalestraError);
    expect(() => env.step(4)).toThrow(/expected an integer from 0 to 3/);
  });

  test('a custom desc is used as the map', () => {
    const env = make('FrozenLake-v1', { kwargs: { desc: ['SH', 'FG'], is_slippery: false } });
    expect(jsonRpcValue(describeSpace(env.observation_space))).toEqual({ name: 'Discrete', n: 4, start: 0 });
    env.reset({ seed: 0 });
    env.step(1);
    expect(env.step(2)).toEqual([3, 1, true, false, { prob: 1 }]);
  });

  test('generate_random_map is seeded, valid and starts at S and ends at G', () => {
    const a = generate_random_map(6, 0.7, 42);
    expect(generate_random_map(6, 0.7, 42)).toEqual(a);
    expect(a).toHaveLength(6);
    expect(a[0][0]).toBe('S');
    expect(a[5][5]).toBe('G');
    expect(is_valid(a.map((r) => [...r]), 6)).toBe(true);
    expect(generate_random_map(6, 0.7, 43)).not.toEqual(a);
  });

  test('generate_random_map draws tiles with numpy\'s choice(p=[p, 1 - p])', () => {
    // Seed 0 draws F F F F H H F F F H H F H F F F for a 4x4 board (numpy reference);
    // the corners become S and G, and a path exists, so the first board is kept.
    expect(generate_random_map(4, 0.8, 0)).toEqual(['SFFF', 'HHFF', 'FHHF', 'HFFG']);
  });

  test('map_name null with no desc makes a random 8x8 map', () => {
    const env = make('FrozenLake-v1', { kwargs: { map_name: null } });
    expect(jsonRpcValue(describeSpace(env.observation_space))).toEqual({ name: 'Discrete', n: 64, start: 0 });
  });

  test('bad kwargs are refused, naming the accepted ones', () => {
    expect(() => make('FrozenLake-v1', { kwargs: { slippery: false } })).toThrow(
      /unknown kwarg "slippery".*Accepted: desc, map_name, is_slippery, success_rate, reward_schedule, render_mode/,
    );
    expect(() => make('FrozenLake-v1', { kwargs: { map_name: '5x5' } })).toThrow(expect.objectContaining({ errorName: 'invalid_kwargs' }));
    expect(() => make('FrozenLake-v1', { kwargs: { desc: ['SX'] } })).toThrow(expect.objectContaining({ errorName: 'invalid_kwargs' }));
    expect(() => make('FrozenLake-v1', { kwargs: { desc: ['SF', 'F'] } })).toThrow(/equal length/);
    expect(() => make('FrozenLake-v1', { kwargs: { render_mode: 'human' } })).toThrow(/render_mode/);
  });
});
