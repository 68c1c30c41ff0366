import { make } from '../../src/envs';
import { TaxiEnv } from '../../src/envs/toy_text/taxi';
import { describeConformance } from '../helpers/conformance';

describeConformance(make, 'Taxi', { state: (env: TaxiEnv) => ({ s: env.s }) });

/** The map with one character replaced. */
function put(rows: string[], r: number, c: number, text: string): string[] {
  return rows.map((row, i) => (i === r ? row.slice(0, c) + text + row.slice(c + 1) : row));
}

const MAP = ['+---------+', '|R: | : :G|', '| : | : : |', '| : : : : |', '| | : | : |', '|Y| : |B: |', '+---------+'];

describe('Taxi', () => {
  test('Taxi-v3 is an alias of Taxi-v4', () => {
    expect(make('Taxi-v3').spec?.id).toBe('Taxi-v4');
  });

  test('encode and decode are inverse, as Gymnasium numbers the 500 states', () => {
    const env = new TaxiEnv();
    expect(env.decode(314)).toEqual([3, 0, 3, 2]);
    for (let s = 0; s < 500; s++) expect(env.encode(...env.decode(s))).toBe(s);
  });

  test('info carries the action mask; a wall blocks east from the start of seed 0', () => {
    const env = make('Taxi-v4');
    const [s, info] = env.reset({ seed: 0 });
    expect(s).toBe(314);
    expect(Array.from(info.action_mask as Int8Array)).toEqual([1, 1, 0, 0, 0, 0]);
    expect(info.action_mask).toBeInstanceOf(Int8Array);
    expect(env.step(2)).toEqual([314, -1, false, false, { prob: 1.0, action_mask: Int8Array.from([1, 1, 0, 0, 0, 0]) }]);
  });

  test('an illegal pickup or dropoff costs -10; delivering pays 20 and ends the episode', () => {
    const env = make('Taxi-v4');
    const taxi = env.unwrapped as TaxiEnv;
    env.reset({ seed: 0 });
    expect(env.step(4)[1]).toBe(-10);
    expect(env.step(5)[1]).toBe(-10);
    // Put the taxi on the passenger at B (4, 3), then drive to Y (4, 0) and drop off.
    taxi.s = taxi.encode(4, 3, 3, 2);
    expect(env.step(4)).toEqual([taxi.encode(4, 3, 4, 2), -1, false, false, expect.anything()]);
    for (const a of [1, 1, 3, 3, 3, 0, 0]) env.step(a);
    expect(taxi.decode(taxi.s!)).toEqual([4, 0, 4, 2]);
    expect(env.step(5)).toEqual([taxi.encode(4, 0, 2, 2), 20, true, false, expect.anything()]);
  });

  test('ansi render colours taxi, passenger and destination as Gymnasium does', () => {
    const env = make('Taxi-v4', { kwargs: { render_mode: 'ansi' } });
    env.reset({ seed: 0 });
    let rows = put(MAP, 4, 1, '\x1b[43m \x1b[0m');
    rows = put(rows, 5, 7, '\x1b[34;1mB\x1b[0m');
    rows = put(rows, 5, 1, '\x1b[35mY\x1b[0m');
    expect(env.render()).toBe(rows.join('\n') + '\n\n');
    env.step(1);
    expect((env.render() as string).endsWith('\n  (North)\n')).toBe(true);
  });

  test('rain makes moves slip sideways with the remaining probability', () => {
    const env = new TaxiEnv({ is_rainy: true, rainy_probability: 0.9 });
    const probs = env.P[env.encode(2, 2, 0, 1)][0].map((t) => t[0]);
    expect(probs).toEqual([0.9, (1 - 0.9) / 2, (1 - 0.9) / 2]);
    const [intended, left, right] = env.P[env.encode(2, 2, 0, 1)][0].map((t) => env.decode(t[1]));
    expect([intended, left, right]).toEqual([
      [3, 2, 0, 1],
      [2, 3, 0, 1],
      [2, 1, 0, 1],
    ]);
  });

  test('a fickle passenger may change destination once the taxi moves with them aboard', () => {
    let changed = 0;
    for (let seed = 0; seed < 40; seed++) {
      const env = new TaxiEnv({ fickle_passenger: true, fickle_probability: 1 });
      env.reset({ seed });
      env.s = env.encode(2, 2, 4, 0);
      const [s] = env.step(0);
      const [row, col, pass, dest] = env.decode(s);
      expect([row, col, pass]).toEqual([3, 2, 4]);
      if (dest !== 0) changed++;
      // Only once per episode.
      expect(env.decode(env.step(1)[0])[3]).toBe(dest);
    }
    expect(changed).toBe(40);
  });

  test('episodes are truncated at 200 steps', () => {
    const env = make('Taxi-v4');
    env.reset({ seed: 1 });
    let steps = 0;
    let result;
    do {
      result = env.step(4);
      steps++;
    } while (!result[2] && !result[3]);
    expect([steps, result[3]]).toEqual([200, true]);
  });

  test('unknown kwargs and out-of-range probabilities are refused', () => {
    expect(() => make('Taxi-v4', { kwargs: { rainy: true } })).toThrow(
      /Accepted: is_rainy, fickle_passenger, rainy_probability, fickle_probability, render_mode/,
    );
    expect(() => make('Taxi-v4', { kwargs: { rainy_probability: 1.5 } })).toThrow(/rainy_probability must be <= 1/);
  });
});
