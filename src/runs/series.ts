/**
 * A run's progress lines as named series (each a column of timesteps,
 * elapsed seconds and values), optionally thinned for charting; the names
 * are those `run` answers, CSV columns and TensorBoard tags use.
 */
import { minMaxIndices } from './downsample';
import type { ProgressLine } from './lines';

/** One series: its points where it had a value. */
export interface Series {
  timesteps: number[];
  elapsed_s: number[];
  values: number[];
}

/** The figures of a progress line every algorithm may report, in the order they are listed. */
export const FIGURES = ['episodes', 'last_return', 'mean_return_100', 'last_length', 'mean_length_100', 'entropy', 'epsilon', 'steps_per_second'] as const;

/** Every figure of one progress line by series name (`losses/NAME` for each loss), skipping those it has no value for. */
export function figuresOf(p: ProgressLine): [string, number][] {
  const out: [string, number][] = [];
  for (const name of FIGURES) {
    const v = p[name];
    if (typeof v === 'number' && Number.isFinite(v)) out.push([name, v]);
  }
  for (const [name, v] of Object.entries(p.losses ?? {})) {
    if (typeof v === 'number' && Number.isFinite(v)) out.push([`losses/${name}`, v]);
  }
  return out;
}

/** The named series of a run's progress; with `maxPoints`, each thinned to at most that many points. */
export function seriesOf(progress: readonly ProgressLine[], maxPoints?: number): Record<string, Series> {
  const all: Record<string, Series> = {};
  for (const p of progress) {
    for (const [name, v] of figuresOf(p)) {
      const s = (all[name] ??= { timesteps: [], elapsed_s: [], values: [] });
      s.timesteps.push(p.timesteps);
      s.elapsed_s.push(p.elapsed_s);
      s.values.push(v);
    }
  }
  if (maxPoints === undefined) return all;
  const thinned: Record<string, Series> = {};
  for (const [name, s] of Object.entries(all)) {
    const keep = minMaxIndices(s.values, maxPoints);
    thinned[name] = { timesteps: keep.map((i) => s.timesteps[i]), elapsed_s: keep.map((i) => s.elapsed_s[i]), values: keep.map((i) => s.values[i]) };
  }
  return thinned;
}
