/** Reads the recorded Gymnasium episodes in `test/fixtures/gymnasium/` and replays them. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describeSpace, fromPlainValue } from '../../src/api/spaces';
import { jsonRpcValue } from '../../src/server/framing/jsonrpc_codec';

/** Where the recorded Gymnasium data lives (see its README). */
export const FIXTURES_DIR = join(__dirname, '..', 'fixtures', 'gymnasium');
/** Single-environment episodes and `rng.json`. */
export const CONFORMANCE_DIR = join(FIXTURES_DIR, 'conformance');
/** Episodes seeded past 2^53. */
export const BIGSEED_DIR = join(FIXTURES_DIR, 'conformance-bigseed');
/** Vector-environment rollouts. */
export const VECTOR_DIR = join(FIXTURES_DIR, 'conformance-vector');

export interface RecordedStep {
  action: unknown;
  obs: unknown;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Record<string, unknown>;
}

export interface RecordedEpisode {
  reset_obs: unknown;
  reset_info: Record<string, unknown>;
  state: Record<string, unknown>;
  steps: RecordedStep[];
  capped?: boolean;
}

export interface RecordedCase extends Partial<RecordedEpisode> {
  policy: 'sample' | 'controller' | 'multi_episode';
  seed: number;
  action_seed: number | null;
  episodes?: RecordedEpisode[];
}

export interface ConformanceFile {
  file: string;
  env_id: string;
  kwargs: Record<string, unknown>;
  spec: {
    max_episode_steps: number | null;
    reward_threshold: number | null;
    observation_space: Record<string, unknown>;
    action_space: Record<string, unknown>;
  };
  invalid_action_behavior: string;
  cases: RecordedCase[];
}

/** Every conformance file, or those whose name starts with `prefix`. */
export function loadConformance(prefix = ''): ConformanceFile[] {
  return readdirSync(CONFORMANCE_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'rng.json' && f.startsWith(prefix))
    .sort()
    .map((file) => ({ file, ...JSON.parse(readFileSync(join(CONFORMANCE_DIR, file), 'utf8')) }));
}

/** The episodes of a case, in order: one for single-episode policies, several for multi_episode. */
export function episodesOf(c: RecordedCase): RecordedEpisode[] {
  return c.episodes ?? [c as RecordedEpisode];
}

/** Converts typed arrays (and nested ones) to plain arrays, for comparing with recorded JSON. */
export function plain(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** What a conformance test needs to know about one environment family. */
export interface ReplayOptions {
  /** The environment's internal state right after reset, in the recorded form (`state`, `s`, or hands). */
  state?: (env: any) => Record<string, unknown>;
}

/**
 * Replays one recorded case in-process: seeded reset, seeded action space, every step,
 * and for multi-episode cases the unseeded resets that carry the random stream on.
 * Each step is compared whole, labelled with its episode and index, so a failure says where.
 */
export function replayCase(
  make: (id: string, options: { kwargs: Record<string, unknown> }) => any,
  file: ConformanceFile,
  c: RecordedCase,
  options: ReplayOptions = {},
): void {
  const env = make(file.env_id, { kwargs: file.kwargs });
  if (c.action_seed !== null) env.action_space.seed(c.action_seed);
  episodesOf(c).forEach((episode, e) => {
    const [obs, info] = env.reset(e === 0 ? { seed: c.seed } : {});
    expect({ e, reset: [plain(obs), plain(info)] }).toEqual({ e, reset: [episode.reset_obs, episode.reset_info] });
    if (options.state) expect({ e, state: options.state(env.unwrapped) }).toEqual({ e, state: episode.state });
    episode.steps.forEach((step, t) => {
      let action: unknown;
      if (c.policy === 'controller') {
        action = fromPlainValue(env.action_space, step.action);
      } else {
        action = env.action_space.sample();
        expect({ e, t, action: plain(action) }).toEqual({ e, t, action: step.action });
      }
      const [o, r, term, trunc, inf] = env.step(action);
      expect({ e, t, step: [plain(o), r, term, trunc, plain(inf)] }).toEqual({
        e,
        t,
        step: [step.obs, step.reward, step.terminated, step.truncated, step.info],
      });
    });
  });
}

/** The recorded spec (limits and spaces) of a conformance file, to compare with a made environment's. */
export function specOf(env: any): ConformanceFile['spec'] {
  return {
    max_episode_steps: env.spec?.max_episode_steps ?? null,
    reward_threshold: env.spec?.reward_threshold ?? null,
    observation_space: jsonRpcValue(describeSpace(env.observation_space)) as Record<string, unknown>,
    action_space: jsonRpcValue(describeSpace(env.action_space)) as Record<string, unknown>,
  };
}

/**
 * The standard conformance suite for every file whose name starts with `prefix`: the spec
 * of a made environment, then each case replayed in-process. Jest globals are used, so call
 * it from a test file.
 */
export function describeConformance(
  make: (id: string, options: { kwargs: Record<string, unknown> }) => any,
  prefix: string,
  options: ReplayOptions = {},
): void {
  const files = loadConformance(prefix);
  test(`conformance files for ${prefix} exist`, () => expect(files.length).toBeGreaterThan(0));
  describe.each(files.map((f) => [f.file, f] as const))('conformance %s', (_name, file) => {
    test('spec matches Gymnasium', () => {
      expect(specOf(make(file.env_id, { kwargs: file.kwargs }))).toEqual(file.spec);
    });
    test.each(file.cases.map((c, i) => [i, c.policy, c.seed, c] as const))('case %i (%s, seed %s) reproduced exactly', (_i, _p, _s, c) => {
      replayCase(make, file, c, options);
    });
  });
}
