/**
 * LunarLander against Gymnasium's recorded episodes (test/fixtures/gymnasium/conformance-box2d):
 * every observation, reward and flag of every step, bit for bit, for the heuristic controller
 * and for seeded random actions, in the discrete and continuous variants; then the 100
 * random-policy episodes behind random_stats.json, episode by episode.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { make, registry } from '../../../src/envs';
import { Box } from '../../../src/envs/spaces/box';
import { LunarLander } from '../../../src/envs/box2d/lunar_lander';
import { heuristic } from '../../../src/envs/box2d/lunar_lander_heuristic';
import { FIXTURES_DIR, plain, specOf } from '../../helpers/conformance';

const DIR = join(FIXTURES_DIR, 'conformance-box2d');

interface Box2dStep {
  action: number | number[];
  obs: number[];
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Record<string, unknown>;
}
interface Box2dCase {
  policy: 'heuristic' | 'sample';
  seed: number;
  action_seed?: number;
  reset_obs: number[];
  reset_info: Record<string, unknown>;
  steps: Box2dStep[];
  episode_return: number;
  episode_length: number;
}
interface Box2dFile {
  env_id: string;
  kwargs: Record<string, unknown>;
  spec: ReturnType<typeof specOf> & { observation_space: { low: number[] } };
  cases: Box2dCase[];
}

const load = (name: string): Box2dFile => JSON.parse(readFileSync(join(DIR, name), 'utf8'));
const FILES = ['LunarLander-v3.json', 'LunarLander-v3__continuous=True.json'];

describe.each(FILES)('%s', (name) => {
  const file = load(name);
  const continuous = file.kwargs.continuous === true;

  test("make gives Gymnasium's spec (the leg-contact bounds are -0.0, which JSON on the wire writes as 0)", () => {
    const env = make(file.env_id, { kwargs: file.kwargs });
    const wire = JSON.parse(JSON.stringify(file.spec)); // -0 becomes 0, as Palestra's JSON encoder writes it
    expect(specOf(env)).toEqual(wire);
    expect(Array.from((env.observation_space as Box).low).map((v) => Object.is(v, -0))).toEqual(file.spec.observation_space.low.map((v: number) => Object.is(v, -0)));
  });

  test.each(file.cases.map((c) => [c.policy, c.seed, c] as const))('%s policy, seed %i: every step as recorded', (_p, _s, c) => {
    const env = make(file.env_id, { kwargs: file.kwargs });
    if (c.policy === 'sample') env.action_space.seed(c.action_seed);
    let [obs, info] = env.reset({ seed: c.seed });
    expect([plain(obs), info]).toEqual([c.reset_obs, c.reset_info]);
    let total = 0;
    c.steps.forEach((step, t) => {
      const action = c.policy === 'sample' ? env.action_space.sample() : heuristic(obs, continuous);
      expect({ t, action: plain(action) }).toEqual({ t, action: step.action });
      const [o, r, term, trunc, inf] = env.step(action);
      expect({ t, step: [plain(o), r, term, trunc, inf] }).toEqual({ t, step: [step.obs, step.reward, step.terminated, step.truncated, step.info] });
      obs = o;
      info = inf;
      total += r;
    });
    expect([total, c.steps.length]).toEqual([c.episode_return, c.episode_length]);
  });
});

describe('random policy, seeds 1000..1099 (random_stats.json)', () => {
  const stats = JSON.parse(readFileSync(join(DIR, 'random_stats.json'), 'utf8'));
  const variants = Object.entries(stats.envs as Record<string, any>).filter(([, v]) => v.env_id.startsWith('LunarLander'));

  test.each(variants)('%s: each episode returns and lasts as recorded', (_key, v) => {
    const returns: number[] = [];
    const lengths: number[] = [];
    const env = make(v.env_id, { kwargs: v.kwargs });
    for (let seed = stats.seeds[0]; seed <= stats.seeds[1]; seed++) {
      env.reset({ seed });
      env.action_space.seed(seed + 1);
      let total = 0;
      let length = 0;
      for (;;) {
        const [, r, term, trunc] = env.step(env.action_space.sample());
        total += r;
        length += 1;
        if (term || trunc) break;
      }
      returns.push(total);
      lengths.push(length);
    }
    expect({ returns, lengths }).toEqual({ returns: v.returns, lengths: v.lengths });
  }, 120_000);
});

test('LunarLander-v2 (what Gymie clients make) is v3, and the continuous ids carry continuous=true', () => {
  expect(make('LunarLander-v2').spec).toMatchObject({ id: 'LunarLander-v3', max_episode_steps: 1000, reward_threshold: 200 });
  expect(make('LunarLanderContinuous-v3').action_space.toString()).toBe(make('LunarLander-v3', { kwargs: { continuous: true } }).action_space.toString());
  expect(registry.has('LunarLanderContinuous-v2')).toBe(true);
});

test("gravity outside (-12, 0) is refused as Gymnasium's assertion refuses it", () => {
  for (const gravity of [-12, 0, 1, -20]) {
    expect(() => make('LunarLander-v3', { kwargs: { gravity } })).toThrow(expect.objectContaining({ errorName: 'invalid_kwargs' }));
  }
  expect((make('LunarLander-v3', { kwargs: { gravity: -11.99 } }).unwrapped as LunarLander).gravity).toBe(-11.99);
});

test('with wind, the same seed gives the same episode, and a different one from no wind', () => {
  const run = (kwargs: Record<string, unknown>): number[] => {
    const env = make('LunarLander-v3', { kwargs });
    let [obs] = env.reset({ seed: 3 });
    const xs: number[] = [];
    for (let t = 0; t < 60; t++) {
      [obs] = env.step(heuristic(obs, false));
      xs.push(obs[0]);
    }
    return xs;
  };
  const windy = run({ enable_wind: true, wind_power: 20, turbulence_power: 2 });
  expect(run({ enable_wind: true, wind_power: 20, turbulence_power: 2 })).toEqual(windy);
  expect(run({})).not.toEqual(windy);
});

test('render is refused with a catalogue error: there is no text rendering, the page draws from observations', () => {
  const env = make('LunarLander-v3');
  env.reset({ seed: 0 });
  expect(() => env.render()).toThrow(expect.objectContaining({ errorName: 'not_supported' }));
  expect(() => make('LunarLander-v3', { kwargs: { render_mode: 'ansi' } })).toThrow(expect.objectContaining({ errorName: 'invalid_kwargs' }));
});
