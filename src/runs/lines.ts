/**
 * A run's record on disk: one JSON object per line, appended as the run goes
 * (a header, then progress frames and evaluations, then an end line). A file
 * cut short by a crash still reads: a torn last line is skipped.
 */
import type { EvaluationPoint, JobError, RunSummary } from '../generated/protocol';

export type { RunSummary };

/** The version of the line format, written in every header. */
export const RUN_FORMAT = 1;

/** What a run was asked: written once, first (the summary's fields that are known at the start; `kind` absent in records made before evaluations were recorded: train). */
export type HeaderLine = { type: 'run'; format: number; palestra_version: string; kind?: RunSummary['kind'] } & Pick<
  RunSummary,
  | 'run_id'
  | 'env_id'
  | 'env_kwargs'
  | 'algorithm'
  | 'hyperparameters'
  | 'total_timesteps'
  | 'seed'
  | 'early_stop'
  | 'backend'
  | 'init_model'
  | 'model'
  | 'session'
  | 'owner'
  | 'created_at'
  | 'started_at'
>;

/** The figures of one progress frame; `t` is the wall-clock time in ms since the epoch. */
export interface ProgressLine {
  type: 'progress';
  t: number;
  seq: number;
  timesteps: number;
  episodes: number;
  elapsed_s: number;
  last_return: number | null;
  mean_return_100: number | null;
  last_length: number | null;
  mean_length_100: number | null;
  entropy: number | null;
  epsilon: number | null;
  steps_per_second: number;
  losses: Record<string, number | null>;
}

/** One evaluation made during training. */
export interface EvaluationLine extends EvaluationPoint {
  type: 'evaluation';
  t: number;
}

/** How the run ended. */
export interface EndLine {
  type: 'end';
  status: 'completed' | 'stopped' | 'failed';
  stop_reason: string | null;
  finished_at: string;
  backend: string | null;
  error: JobError | null;
  /** Why lines were left out of the record (data_quota_exceeded); absent when none were. */
  record_error?: JobError | null;
}

export type RunLine = HeaderLine | ProgressLine | EvaluationLine | EndLine;

/** A run file read back: its header, and what followed in order. */
export interface RunFile {
  header: HeaderLine;
  progress: ProgressLine[];
  evaluations: EvaluationLine[];
  end: EndLine | null;
}

/** Parses one line; null for a line that is not a whole record (torn by a crash, or damaged). */
export function parseLine(text: string): RunLine | null {
  if (text.length === 0) return null;
  try {
    const value = JSON.parse(text) as RunLine;
    return value !== null && typeof value === 'object' && typeof value.type === 'string' ? value : null;
  } catch {
    return null;
  }
}

/** Reads a run file's text; null when it has no header (nothing usable was written). */
export function parseRunFile(text: string): RunFile | null {
  const lines = text.split('\n');
  const first = parseLine(lines[0]);
  if (!first || first.type !== 'run') return null;
  const file: RunFile = { header: first, progress: [], evaluations: [], end: null };
  for (let i = 1; i < lines.length; i++) {
    const line = parseLine(lines[i]);
    if (!line) continue;
    if (line.type === 'progress') file.progress.push(line);
    else if (line.type === 'evaluation') file.evaluations.push(line);
    else if (line.type === 'end') file.end = line;
  }
  return file;
}

/** A run's summary from what its file holds; `live` when this process is still recording it. */
export function summaryOf(
  file: Pick<RunFile, 'header' | 'end'> & { last: ProgressLine | null; evaluation: EvaluationLine | null; recordError?: JobError | null },
  live: 'running' | 'stopping' | null,
): RunSummary {
  const { header: h, end, last, evaluation } = file;
  const { type: _type, t: _t, ...point } = evaluation ?? { type: 'evaluation', t: 0 };
  return {
    run_id: h.run_id,
    kind: h.kind ?? 'train',
    status: end ? end.status : (live ?? 'interrupted'),
    env_id: h.env_id,
    env_kwargs: h.env_kwargs,
    algorithm: h.algorithm,
    hyperparameters: h.hyperparameters,
    total_timesteps: h.total_timesteps,
    seed: h.seed,
    early_stop: h.early_stop,
    backend: end?.backend ?? h.backend,
    init_model: h.init_model,
    model: h.model,
    session: h.session,
    owner: h.owner,
    created_at: h.created_at,
    started_at: h.started_at,
    finished_at: end?.finished_at ?? null,
    stop_reason: end?.stop_reason ?? null,
    timesteps: last?.timesteps ?? 0,
    episodes: last?.episodes ?? 0,
    mean_return_100: last?.mean_return_100 ?? null,
    last_return: last?.last_return ?? null,
    elapsed_s: last?.elapsed_s ?? 0,
    evaluation: evaluation ? (point as EvaluationPoint) : null,
    error: end?.error ?? null,
    record_error: file.recordError ?? end?.record_error ?? null,
    palestra_version: h.palestra_version,
  };
}
