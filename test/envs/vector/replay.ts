/**
 * Replays the recorded Gymnasium vector rollouts (`test/fixtures/gymnasium/conformance-vector/`,
 * format in its README) against anything with a vector environment's `reset`,
 * `step` and `actionSample`: the in-process SyncVectorEnv here, the server over a
 * socket elsewhere. Answers may be promises; values are compared after `plain`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { NDArray } from '../../../src/api/values';
import { BoolArray } from '../../../src/envs/vector';
import { nestArray } from '../../../src/envs/spaces/box';
import { VECTOR_DIR } from '../../helpers/conformance';

/** One step of a recorded rollout; under Disabled, a step where copies ended also holds the masked reset. */
export interface RecordedVectorStep {
  actions: unknown;
  obs: unknown;
  rewards: number[];
  terminations: boolean[];
  truncations: boolean[];
  info: Record<string, unknown>;
  reset_mask?: boolean[];
  reset_obs?: unknown;
  reset_info?: Record<string, unknown>;
}

/** One rollout: a seeded reset, a seeded batched action space, then `steps`. */
export interface RecordedVectorCase {
  seed: number;
  action_seed: number;
  reset_obs: unknown;
  reset_info: Record<string, unknown>;
  steps: RecordedVectorStep[];
}

/** One fixture file: an environment variant, a number of copies and an autoreset mode. */
export interface VectorConformanceFile {
  file: string;
  env_id: string;
  kwargs: Record<string, unknown>;
  num_envs: number;
  autoreset_mode: 'NextStep' | 'SameStep' | 'Disabled';
  single_observation_space: Record<string, unknown>;
  single_action_space: Record<string, unknown>;
  cases: RecordedVectorCase[];
}

/** Every vector fixture file, sorted by name. */
export function loadVectorConformance(): VectorConformanceFile[] {
  return readdirSync(VECTOR_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, ...JSON.parse(readFileSync(join(VECTOR_DIR, file), 'utf8')) }));
}

type MaybePromise<T> = T | Promise<T>;

/** What the replay drives: one vector environment made from the file's env_id, kwargs, num_envs and autoreset mode. */
export interface VectorReplayTarget {
  reset(args: { seed?: number; options?: { reset_mask: boolean[] } }): MaybePromise<[unknown, unknown]>;
  /** Steps with a batch as `actionSample` answered it. */
  step(actions: unknown): MaybePromise<[unknown, unknown, unknown, unknown, unknown]>;
  /** Samples the batched action space, seeding it first when `seed` is given. */
  actionSample(seed?: number): MaybePromise<unknown>;
}

/**
 * A value as the recordings spell it: NDArrays nested to their shape, boolean
 * arrays as booleans, other typed arrays as lists of numbers.
 */
export function plain(value: unknown): unknown {
  if (value instanceof NDArray) return nestArray(Array.from(value.data, Number), value.shape);
  if (value instanceof BoolArray) return Array.from(value, Boolean);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/**
 * Replays one case: the seeded reset, then each step's batched action sample
 * (seeded before the first), the step itself and, where the recording has one,
 * the masked reset. Each comparison is labelled with the step index, so a
 * failure says where the replay left Gymnasium's path.
 */
export async function replayVectorCase(target: VectorReplayTarget, c: RecordedVectorCase): Promise<void> {
  const [obs, info] = await target.reset({ seed: c.seed });
  expect({ reset: [plain(obs), plain(info)] }).toEqual({ reset: [c.reset_obs, c.reset_info] });
  for (const [t, step] of c.steps.entries()) {
    const actions = await target.actionSample(t === 0 ? c.action_seed : undefined);
    expect({ t, actions: plain(actions) }).toEqual({ t, actions: step.actions });
    const [o, rewards, terminations, truncations, infos] = await target.step(actions);
    expect({ t, step: [plain(o), plain(rewards), plain(terminations), plain(truncations), plain(infos)] }).toEqual({
      t,
      step: [step.obs, step.rewards, step.terminations, step.truncations, step.info],
    });
    if (step.reset_mask) {
      const [ro, ri] = await target.reset({ options: { reset_mask: step.reset_mask } });
      expect({ t, masked_reset: [plain(ro), plain(ri)] }).toEqual({ t, masked_reset: [step.reset_obs, step.reset_info] });
    }
  }
}
