/**
 * A run's metrics as CSV (RFC 4180): one row per progress frame, a column per
 * figure the run has, and the evaluation columns filled on the row of the
 * frame that first carried that evaluation (or on a row of its own when no
 * frame did, as in an evaluation run). Empty cells are figures the frame did not have.
 */
import type { RunFile } from './lines';
import { FIGURES, figuresOf } from './series';

const EVAL_COLUMNS = ['eval_mean_return', 'eval_std_return', 'eval_mean_length', 'eval_episodes'] as const;

/** The CSV text of a run's record. */
export function metricsCsv(file: RunFile): string {
  const losses = new Set<string>();
  for (const p of file.progress) for (const k of Object.keys(p.losses ?? {})) losses.add(`losses/${k}`);
  const columns = ['wall_time', 'timesteps', 'elapsed_s', ...FIGURES, ...[...losses].sort(), ...EVAL_COLUMNS];
  // Each evaluation goes on the first frame at or after its timesteps.
  const evals = [...file.evaluations];
  const rows = file.progress.map((p) => {
    const cells = new Map<string, number | string>([
      ['wall_time', new Date(p.t).toISOString()],
      ['timesteps', p.timesteps],
      ['elapsed_s', p.elapsed_s],
      ...figuresOf(p),
    ]);
    if (evals.length > 0 && evals[0].timesteps <= p.timesteps) {
      const e = evals.shift()!;
      cells.set('eval_mean_return', e.mean_return);
      cells.set('eval_std_return', e.std_return);
      cells.set('eval_mean_length', e.mean_length);
      cells.set('eval_episodes', e.episodes);
    }
    return columns.map((c) => cell(cells.get(c))).join(',');
  });
  // An evaluation no frame carried (an evaluation run has no frames) gets a row of its own.
  for (const e of evals) {
    const cells = new Map<string, number | string>([
      ['wall_time', new Date(e.t).toISOString()],
      ['timesteps', e.timesteps],
      ['elapsed_s', e.elapsed_s ?? ''],
      ['eval_mean_return', e.mean_return],
      ['eval_std_return', e.std_return],
      ['eval_mean_length', e.mean_length],
      ['eval_episodes', e.episodes],
    ]);
    rows.push(columns.map((c) => cell(cells.get(c))).join(','));
  }
  return [columns.join(','), ...rows].join('\r\n') + '\r\n';
}

function cell(v: number | string | undefined): string {
  if (v === undefined) return '';
  const text = String(v);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
