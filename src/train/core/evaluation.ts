/**
 * Runs a policy on fresh, seeded episodes: episode k is reset with seed
 * `seed + k`, so two evaluations with the same seed see the same starts.
 * Many episodes run side by side so each forward pass covers a batch.
 */
import type { Env } from '../../envs/core';
import type { EvaluationSummary } from '../../generated/protocol';
import type { Policy } from './policy';
import { Rng } from './random';
import { envAction } from './spaces';

/** Options of `evaluatePolicy`. */
export interface EvaluateOptions {
  episodes: number;
  seed: number;
  deterministic: boolean;
  /** Episodes run side by side (default: all of them, up to 100). */
  parallel?: number;
  /** Ends an episode after this many steps when the environment has no time limit of its own. */
  maxEpisodeSteps?: number;
  /** Called as each episode ends, in the order they end. */
  onEpisode?: (episode: number, ret: number, length: number) => void;
  /** Polled between steps; true ends the evaluation early (finished episodes are kept). */
  shouldStop?: () => boolean;
}

/** Per-episode results, indexed by episode number (unfinished episodes are absent when stopped). */
export interface EvaluationRun {
  returns: number[];
  lengths: number[];
}

export type { EvaluationSummary };

/** Mean, population std, min, max of the returns, and the mean length. */
export function summarise(run: EvaluationRun): EvaluationSummary {
  const r = run.returns;
  const n = r.length;
  const mean = n ? r.reduce((a, b) => a + b, 0) / n : 0;
  const std = n ? Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / n) : 0;
  return {
    episodes: n,
    mean_return: mean,
    std_return: std,
    min_return: n ? Math.min(...r) : 0,
    max_return: n ? Math.max(...r) : 0,
    mean_length: n ? run.lengths.reduce((a, b) => a + b, 0) / n : 0,
  };
}

/** Evaluates `policy` on environments from `makeEnv`. */
export function evaluatePolicy(policy: Policy, makeEnv: () => Env<unknown, unknown>, opts: EvaluateOptions): EvaluationRun {
  const total = opts.episodes;
  const width = Math.max(1, Math.min(opts.parallel ?? 100, total));
  const envs = Array.from({ length: width }, makeEnv);
  const limit = opts.maxEpisodeSteps ?? 100_000;
  const rng = new Rng(opts.seed ^ 0x5eed);
  const size = policy.encoder.size;
  const returns: number[] = [];
  const lengths: number[] = [];
  // slot → episode it is running (-1: idle), with its running return and length.
  const episodeOf = new Int32Array(width).fill(-1);
  const ret = new Float64Array(width);
  const len = new Int32Array(width);
  const raw: unknown[] = new Array(width);
  let next = 0;
  const start = (slot: number): void => {
    if (next >= total) {
      episodeOf[slot] = -1;
      return;
    }
    episodeOf[slot] = next;
    raw[slot] = envs[slot].reset({ seed: opts.seed + next })[0];
    ret[slot] = 0;
    len[slot] = 0;
    next += 1;
  };
  try {
    for (let s = 0; s < width; s++) start(s);
    const obs = new Float32Array(width * size);
    const active: number[] = [];
    for (;;) {
      active.length = 0;
      for (let s = 0; s < width; s++) if (episodeOf[s] >= 0) active.push(s);
      if (active.length === 0 || opts.shouldStop?.()) break;
      const batchRaw = active.map((s) => raw[s]);
      active.forEach((s, i) => policy.encoder.encode(raw[s], obs, i * size));
      const actions = policy.act({ obs: obs.subarray(0, active.length * size), raw: batchRaw }, active.length, opts.deterministic, rng);
      active.forEach((s, i) => {
        const [o, reward, terminated, truncated] = envs[s].step(envAction(policy.actions, actions[i]));
        raw[s] = o;
        ret[s] += reward;
        len[s] += 1;
        if (terminated || truncated || len[s] >= limit) {
          const k = episodeOf[s];
          returns[k] = ret[s];
          lengths[k] = len[s];
          opts.onEpisode?.(k, ret[s], len[s]);
          start(s);
        }
      });
    }
  } finally {
    for (const env of envs) env.close();
  }
  // When stopped early, keep only finished episodes, in episode order.
  const done = returns.map((_, k) => k).filter((k) => returns[k] !== undefined);
  return { returns: done.map((k) => returns[k]), lengths: done.map((k) => lengths[k]) };
}
