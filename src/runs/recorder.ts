/**
 * The recorder listens to a job manager and keeps a record of every job it
 * runs. A training job's: the header when the job starts, a line per progress frame and
 * per new evaluation, the end line when it ends, and (with a TensorBoard
 * directory) the same figures as TensorBoard scalars. An evaluation job's:
 * its header, its result as one evaluation, its end. It only queues writes,
 * so the manager's events are never held up.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { EvaluationPoint } from '../generated/protocol';
import type { Job, JobManager } from '../train/jobs/manager';
import type { EvaluationResult, TrainProgressRecord } from '../train/jobs/records';
import { VERSION } from '../version';
import type { EndLine, EvaluationLine, HeaderLine, ProgressLine } from './lines';
import { figuresOf } from './series';
import type { RunRecording, RunStore } from './store';
import { EventFileWriter } from './tensorboard/writer';

/** Recorder settings. */
export interface RecorderOptions {
  logger: Logger;
  /** Where TensorBoard event files go, one folder per run; none when absent. */
  tensorboardDir?: string;
}

/** One run being recorded. */
interface Active {
  recording: Promise<RunRecording | null>;
  tensorboard: EventFileWriter | null;
  /** Every write, in the order the events came. */
  chain: Promise<void>;
}

/** The header of a job's run: a training job's request, or an evaluation's model and settings. */
export function headerOf(job: Job, backend: string): HeaderLine {
  if (job.kind === 'evaluate') return evaluationHeaderOf(job, backend);
  const plan = job.trainPlan!;
  return {
    type: 'run',
    format: 1,
    kind: 'train',
    run_id: job.id,
    env_id: plan.env_id,
    env_kwargs: plan.env_kwargs,
    algorithm: plan.algorithm,
    hyperparameters: plan.hyperparameters as Record<string, unknown>,
    total_timesteps: plan.total_timesteps,
    seed: plan.seed,
    early_stop: plan.early_stop,
    backend: job.backend ?? backend,
    init_model: plan.init_model ?? null,
    model: job.model,
    session: job.session,
    owner: job.owner,
    created_at: job.created_at,
    started_at: job.started_at,
    palestra_version: VERSION,
  };
}

/** The header of an evaluation job's run: the model it runs, and its episodes and greediness as its settings. */
function evaluationHeaderOf(job: Job, backend: string): HeaderLine {
  const plan = job.evalPlan!;
  return {
    type: 'run',
    format: 1,
    kind: 'evaluate',
    run_id: job.id,
    env_id: plan.env_id,
    env_kwargs: plan.env_kwargs,
    algorithm: job.algorithm,
    hyperparameters: { episodes: plan.episodes, deterministic: plan.deterministic },
    total_timesteps: plan.model_timesteps ?? 0,
    seed: plan.seed,
    early_stop: false,
    backend: job.backend ?? backend,
    init_model: null,
    model: job.model,
    session: job.session,
    owner: job.owner,
    created_at: job.created_at,
    started_at: job.started_at,
    palestra_version: VERSION,
  };
}

/** A progress frame's figures as a record line. */
export function progressLine(p: TrainProgressRecord, t = Date.now()): ProgressLine {
  return {
    type: 'progress',
    t,
    seq: p.seq,
    timesteps: p.timesteps,
    episodes: p.episodes,
    elapsed_s: p.elapsed_s,
    last_return: p.last_return,
    mean_return_100: p.mean_return_100,
    last_length: p.last_length ?? null,
    mean_length_100: p.mean_length_100 ?? null,
    entropy: p.entropy,
    epsilon: p.epsilon,
    steps_per_second: p.steps_per_second,
    losses: p.losses,
  };
}

const sameEvaluation = (a: EvaluationPoint | null, b: EvaluationPoint) => a !== null && a.timesteps === b.timesteps && a.elapsed_s === b.elapsed_s && a.mean_return === b.mean_return;

export class RunRecorder {
  private readonly active = new Map<string, Active>();

  constructor(
    readonly store: RunStore,
    private readonly manager: JobManager,
    private readonly opts: RecorderOptions,
  ) {
    manager.on('start', ({ job }) => this.start(job));
    manager.on('progress', (e) => {
      if (e.kind === 'train') this.progress(e.job, e.progress);
    });
    manager.on('done', (e) => {
      if (e.kind === 'train') this.end(e.job, { status: e.result.status, stop_reason: this.stopReason(e.job, e.result.stop_reason), error: null }, e.result.evaluation ?? null);
      else this.endEvaluation(e.job, e.result);
    });
    manager.on('error', (e) => this.end(e.job, { status: 'failed', stop_reason: null, error: e.error }, null));
  }

  /** `shutdown` for a job the server's shutdown stopped, so its record says why it ended early. */
  private stopReason(job: Job, reason: string): string {
    return reason === 'stopped' && this.manager.stoppedByShutdown(job) ? 'shutdown' : reason;
  }

  private start(job: Job): void {
    if (job.kind === 'train' ? !job.trainPlan : !job.evalPlan) return;
    const recording = this.store.begin(headerOf(job, this.manager.opts.backend)).catch((err: Error) => {
      this.opts.logger.warn({ job_id: job.id, err: err.message }, 'run record not started');
      return null;
    });
    let tensorboard: EventFileWriter | null = null;
    if (this.opts.tensorboardDir && job.kind === 'train') {
      try {
        tensorboard = new EventFileWriter(join(this.opts.tensorboardDir, `${job.model}_${job.id.slice(0, 8)}`), this.opts.logger);
      } catch (err) {
        this.opts.logger.warn({ job_id: job.id, err: (err as Error).message }, 'TensorBoard event file not started');
      }
    }
    this.active.set(job.id, { recording, tensorboard, chain: recording.then(() => undefined) });
  }

  /** Runs `fn` on the job's recording after every earlier write. */
  private then(job: Job, fn: (r: RunRecording, a: Active) => void | Promise<void>): void {
    const a = this.active.get(job.id);
    if (!a) return;
    a.chain = a.chain
      .then(async () => {
        const r = await a.recording;
        if (r) await fn(r, a);
      })
      .catch((err: Error) => this.opts.logger.warn({ job_id: job.id, err: err.message }, 'run record not written'));
  }

  private progress(job: Job, p: TrainProgressRecord): void {
    const line = progressLine(p);
    this.then(job, (r, a) => this.write(r, a, line, p.evaluation, p.status === 'stopping'));
  }

  private write(r: RunRecording, a: Active, line: ProgressLine, evaluation: EvaluationPoint | null, stopping = false): void {
    if (stopping) r.stopping();
    if (r.last === null || line.seq > r.last.seq) {
      r.write(line);
      a.tensorboard?.scalars(line.timesteps, figuresOf(line).map(([name, v]) => [name.includes('/') ? name : `train/${name}`, v]), line.t);
    }
    if (evaluation && !sameEvaluation(r.evaluation, evaluation)) {
      const e: EvaluationLine = { ...evaluation, type: 'evaluation', t: line.t };
      r.write(e);
      a.tensorboard?.scalars(
        evaluation.timesteps,
        [
          ['eval/mean_return', evaluation.mean_return],
          ['eval/std_return', evaluation.std_return],
          ['eval/mean_length', evaluation.mean_length],
        ],
        line.t,
      );
    }
  }

  private end(job: Job, how: Pick<EndLine, 'status' | 'stop_reason' | 'error'>, evaluation: EvaluationPoint | null): void {
    if (!this.active.has(job.id)) return;
    // The final progress (set on the job as it ends) is recorded before the end line.
    const last = job.kind === 'train' && job.progress && 'seq' in job.progress ? (job.progress as TrainProgressRecord) : null;
    const finished = job.finished_at ?? new Date().toISOString();
    this.then(job, async (r, a) => {
      if (last) this.write(r, a, progressLine(last), last.evaluation ?? evaluation);
      else if (evaluation && r.last) this.write(r, a, r.last, evaluation);
      r.write({ type: 'end', ...how, finished_at: finished, backend: job.backend });
      await Promise.all([r.close(), a.tensorboard?.close()]);
    });
    const a = this.active.get(job.id)!;
    void a.chain.finally(() => this.active.delete(job.id));
  }

  /** An evaluation's end: its result as the run's one evaluation (none when stopped before an episode ended), then the end line. */
  private endEvaluation(job: Job, result: EvaluationResult): void {
    if (!this.active.has(job.id)) return;
    const finished = job.finished_at ?? new Date().toISOString();
    const t = Date.now();
    const plan = job.evalPlan!;
    this.then(job, async (r) => {
      if (result.episodes > 0) {
        const { mean_return, std_return, min_return, max_return, mean_length, episodes, elapsed_s } = result;
        r.write({ type: 'evaluation', t, episodes, mean_return, std_return, min_return, max_return, mean_length, timesteps: plan.model_timesteps ?? 0, elapsed_s });
      }
      r.write({ type: 'end', status: result.status, stop_reason: this.stopReason(job, result.status === 'stopped' ? 'stopped' : 'episodes'), error: null, finished_at: finished, backend: job.backend });
      await r.close();
    });
    void this.active.get(job.id)!.chain.finally(() => this.active.delete(job.id));
  }

  /** Writes what is queued and closes every file; a run still going is left without its end line (read back as interrupted). */
  async close(): Promise<void> {
    const pending = [...this.active.values()];
    await Promise.all(pending.map((a) => a.chain));
    await Promise.all(
      pending.map(async (a) => {
        await (await a.recording)?.close();
        await a.tensorboard?.close();
      }),
    );
  }
}
