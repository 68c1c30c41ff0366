/**
 * The main thread's side of a job's worker: starts the thread, and turns its
 * messages into calls on typed handlers. A worker's error arrives as the
 * PalestraError JSON it posted and leaves here as the same catalogue error.
 */
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PalestraError, asPalestraError } from '../../errors';
import type { EvaluationRun } from '../core/evaluation';
import type { TrainProgress } from '../core/trainer';
import type { CheckpointKind, EpisodeReport, TrainCheckpoint, TrainResult } from './runner';
import type { WorkerInput } from './worker';

/** What a worker says, in order: ready, then progress/episode messages, then done or error. */
export type WorkerMessage =
  | { type: 'ready'; backend: string }
  | { type: 'progress'; progress: TrainProgress }
  | { type: 'checkpoint'; checkpoint: TrainCheckpoint; kind: CheckpointKind }
  | { type: 'episode'; episode: EpisodeReport }
  | { type: 'done'; kind: 'train'; result: TrainResult }
  | { type: 'done'; kind: 'evaluate'; result: EvaluationRun }
  | { type: 'error'; error: ReturnType<PalestraError['toJSON']> };

/** A finished run, by kind. */
export type WorkerResult = Extract<WorkerMessage, { type: 'done' }>;

/** What the host reports about its worker. */
export interface WorkerHandlers {
  ready(backend: string): void;
  progress(progress: TrainProgress): void;
  checkpoint(checkpoint: TrainCheckpoint, kind: CheckpointKind): void;
  episode(report: EpisodeReport): void;
  done(result: WorkerResult): void;
  /** The run failed, the thread crashed, or it exited before saying done. */
  error(err: PalestraError): void;
}

/** Starts a worker on the job body; TypeScript sources (tests, benchmarks) are compiled on the fly by swc. */
function spawn(input: WorkerInput): Worker {
  const ext = extname(__filename);
  const file = join(__dirname, `worker${ext}`);
  if (ext === '.ts') {
    const register = require.resolve('@swc-node/register');
    const code = `require(${JSON.stringify(register)}); require(${JSON.stringify(file)});`;
    return new Worker(code, { eval: true, workerData: input });
  }
  return new Worker(file, { workerData: input });
}

/** One job's worker thread. */
export class WorkerHost {
  private readonly worker: Worker;
  private finished = false;

  /** Starts the thread; throws if it cannot be started. */
  constructor(input: WorkerInput, handlers: WorkerHandlers) {
    this.worker = spawn(input);
    this.worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'ready') handlers.ready(m.backend);
      else if (m.type === 'progress') handlers.progress(m.progress);
      else if (m.type === 'checkpoint') handlers.checkpoint(m.checkpoint, m.kind);
      else if (m.type === 'episode') handlers.episode(m.episode);
      else if (m.type === 'error') {
        this.finished = true;
        handlers.error(PalestraError.fromJSON(m.error));
      } else {
        this.finished = true;
        handlers.done(m);
      }
    });
    this.worker.on('error', (err) => {
      this.finished = true;
      handlers.error(asPalestraError(err));
    });
    this.worker.on('exit', (code) => {
      if (!this.finished) handlers.error(new PalestraError('job_failed', `The job's worker exited with code ${code}`));
      this.finished = true;
    });
  }

  /** Ends the thread (after it has said done, or to abandon it). */
  terminate(): void {
    this.finished = true;
    this.worker.terminate().catch(() => undefined);
  }
}
