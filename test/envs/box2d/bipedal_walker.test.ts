/**
 * BipedalWalker against Gymnasium's recorded episodes (test/fixtures/gymnasium/conformance-box2d):
 * seeded random actions, every step bit for bit (recordings stop at 300 steps), then the 100
 * random-policy episodes behind random_stats.json; and the hardcore terrain's obstacles.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { make } from '../../../src/envs';
import { BipedalWalker } from '../../../src/envs/box2d/bipedal_walker';
import { Box } from '../../../src/envs/spaces/box';
import { FIXTURES_DIR, plain, specOf } from '../../helpers/conformance';

const DIR = join(FIXTURES_DIR, 'conformance-box2d');
const file = JSON.parse(readFileSync(join(DIR, 'BipedalWalker-v3.json'), 'utf8'));
const cases: Array<[number, any]> = file.cases.map((c: any) => [c.seed, c]);

test("make gives Gymnasium's spec (contact bounds -0.0, written 0 in JSON)", () => {
  const env = make(file.env_id, { kwargs: file.kwargs });
  expect(specOf(env)).toEqual(JSON.parse(JSON.stringify(file.spec)));
  const low = Array.from((env.observation_space as Box).low);
  expect(low.map((v) => Object.is(v, -0))).toEqual(file.spec.observation_space.low.map((v: number) => Object.is(v, -0)));
});

test.each(cases)('seed %i: every step as recorded', (_seed, c) => {
  const env = make(file.env_id, { kwargs: file.kwargs });
  env.action_space.seed(c.action_seed);
  const [obs, info] = env.reset({ seed: c.seed });
  expect([plain(obs), info]).toEqual([c.reset_obs, c.reset_info]);
  let total = 0;
  c.steps.forEach((step: any, t: number) => {
    const action = env.action_space.sample();
    expect({ t, action: plain(action) }).toEqual({ t, action: step.action });
    const [o, r, term, trunc, inf] = env.step(action);
    expect({ t, step: [plain(o), r, term, trunc, inf] }).toEqual({ t, step: [step.obs, step.reward, step.terminated, step.truncated, step.info] });
    total += r;
  });
  expect([total, c.steps.length, c.capped]).toEqual([c.episode_return, c.episode_length, c.steps.length === file.step_cap && !c.steps.at(-1).terminated]);
});

test('random policy, seeds 1000..1099 capped at 300 steps: each episode returns and lasts as in random_stats.json', () => {
  const stats = JSON.parse(readFileSync(join(DIR, 'random_stats.json'), 'utf8'));
  const v = stats.envs['BipedalWalker-v3'];
  const returns: number[] = [];
  const lengths: number[] = [];
  for (let seed = stats.seeds[0]; seed <= stats.seeds[1]; seed++) {
    const env = make(v.env_id, { kwargs: v.kwargs });
    env.reset({ seed });
    env.action_space.seed(seed + 1);
    let total = 0;
    let length = 0;
    for (;;) {
      const [, r, term, trunc] = env.step(env.action_space.sample());
      total += r;
      length += 1;
      if (term || trunc || length === v.step_cap) break;
    }
    returns.push(total);
    lengths.push(length);
  }
  expect({ returns, lengths }).toEqual({ returns: v.returns, lengths: v.lengths });
}, 120_000);

test('hardcore terrain has stumps, stairs or pits, and its episodes are reproducible from the seed', () => {
  const run = (): number[] => {
    const env = make('BipedalWalkerHardcore-v3');
    env.action_space.seed(8);
    env.reset({ seed: 7 });
    const out: number[] = [];
    for (let t = 0; t < 50; t++) out.push(env.step(env.action_space.sample())[1]);
    expect((env.unwrapped as BipedalWalker).scene!.obstacles.length).toBeGreaterThan(0);
    return out;
  };
  expect(run()).toEqual(run());
  expect(make('BipedalWalkerHardcore-v3').spec).toMatchObject({ max_episode_steps: 2000, reward_threshold: 300, kwargs: { hardcore: true } });
  const plainWalker = make('BipedalWalker-v3').unwrapped as BipedalWalker;
  plainWalker.reset({ seed: 7 });
  expect(plainWalker.scene!.obstacles).toEqual([]);
});
