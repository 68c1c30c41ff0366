/** Reads `../shared/conformance/` and replays its recorded Gymnasium episodes. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const CONFORMANCE_DIR = join(__dirname, '../../../shared/conformance');

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
