/** A Palestra job as the GRPO training API reports a training job's status. */
import type { JobRecord } from '../../train/jobs/records';

/** The GRPO API's four statuses: a queued or stopping job is still `running` (its clients poll until it is not). */
export type GrpoStatus = 'running' | 'completed' | 'failed' | 'stopped';

/** Palestra's job state as a GRPO status. */
export function grpoStatus(status: JobRecord['status']): GrpoStatus {
  return status === 'completed' || status === 'failed' || status === 'stopped' ? status : 'running';
}

/** The latest progress report's numbers, flat (`metrics: Dict[str, float]`); losses as `loss_<name>`. */
function metrics(progress: Record<string, unknown> | null): Record<string, number> {
  const out: Record<string, number> = {};
  if (!progress) return out;
  for (const key of ['episodes', 'last_return', 'mean_return_100', 'entropy', 'epsilon', 'steps_per_second', 'elapsed_s', 'remaining_s']) {
    const v = progress[key];
    if (typeof v === 'number' && Number.isFinite(v)) out[key] = v;
  }
  const losses = progress.losses as Record<string, unknown> | undefined;
  for (const [name, v] of Object.entries(losses ?? {})) if (typeof v === 'number' && Number.isFinite(v)) out[`loss_${name}`] = v;
  const evaluation = progress.evaluation as { mean_return?: unknown } | null | undefined;
  if (typeof evaluation?.mean_return === 'number') out.eval_mean_return = evaluation.mean_return;
  return out;
}

/** `GET /training/{job_id}/status`'s reply for a job record. */
export function trainingStatus(record: JobRecord): Record<string, unknown> {
  const progress = record.progress as Record<string, unknown> | null;
  const total = (progress?.total_timesteps as number | undefined) ?? record.total_timesteps ?? 1;
  const current = (progress?.timesteps as number | undefined) ?? 0;
  const status = grpoStatus(record.status);
  return {
    job_id: record.job_id,
    status,
    progress: status === 'completed' ? 1 : Math.min(1, total > 0 ? current / total : 0),
    current_timesteps: current,
    total_timesteps: total,
    start_time: record.started_at ?? record.created_at,
    end_time: record.finished_at,
    error_message: record.error?.message ?? null,
    metrics: metrics(progress),
    palestra_status: record.status,
    model_name: record.model,
    env_name: record.env_id,
    algorithm: record.algorithm,
    error_code: record.error?.code ?? null,
  };
}
