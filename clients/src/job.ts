/** A training job seen from the client: its progress frames as an async iterator, its end as a promise, and `stop()`. */
import { ConnectionClosedError, PalestraClientError, RpcError } from './errors.js';

/** A pushed frame about a job: every one names its job. */
export interface JobFrame {
  job_id: string;
  [key: string]: unknown;
}

/** Where a job stands, as far as this client knows. */
export type JobState = 'running' | 'done' | 'failed' | 'disconnected';

/** Frames kept for late iterators; past this the oldest go (a long run still streams to live iterators). */
const HISTORY_LIMIT = 100_000;

/** A running (or finished) job: iterate it for progress frames, await `done` for the final summary. */
export class TrainJob<Progress extends JobFrame = JobFrame, Done extends JobFrame = JobFrame> implements AsyncIterable<Progress> {
  /** Every progress frame received so far (the oldest drop after 100 000). */
  readonly frames: Progress[] = [];
  /** The summary of `train.done`; rejects with the job's error, or when the connection is lost first. */
  readonly done: Promise<Done>;
  private _state: JobState = 'running';
  private dropped = 0;
  private readonly wakers = new Set<() => void>();
  private readonly listeners = new Set<(frame: Progress) => void>();
  private error: Error | null = null;
  private resolveDone!: (summary: Done) => void;
  private rejectDone!: (error: Error) => void;

  constructor(
    /** The job id the server gave it. */
    readonly id: string,
    /** The reply of the call that started (or subscribed to) the job. */
    readonly started: Record<string, unknown>,
    private readonly stopper: (jobId: string, options: { wait?: boolean }) => Promise<unknown>,
  ) {
    this.done = new Promise<Done>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    // A job nobody awaits must not crash Node with an unhandled rejection.
    this.done.catch(() => undefined);
  }

  /** `running` until `train.done` (`done`), `train.error` (`failed`) or a lost connection (`disconnected`). */
  get state(): JobState {
    return this._state;
  }

  /** The latest progress frame, if any. */
  get latest(): Progress | undefined {
    return this.frames[this.frames.length - 1];
  }

  /** Calls `listener` on every progress frame from now on; answers a function that stops it. */
  onProgress(listener: (frame: Progress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Asks the server to stop the job; it keeps what it learned. Answers the job's record once its loop has
   * ended (status `saving` while the model is written; `done` resolves after); with `wait: true`, once `done` has.
   */
  stop(options: { wait?: boolean } = {}): Promise<unknown> {
    return this.stopper(this.id, options);
  }

  /** Yields every progress frame (from the first one received), ending when the job ends; throws if it failed. */
  async *[Symbol.asyncIterator](): AsyncIterator<Progress> {
    let next = this.dropped;
    for (;;) {
      next = Math.max(next, this.dropped);
      if (next - this.dropped < this.frames.length) {
        yield this.frames[next - this.dropped];
        next++;
        continue;
      }
      if (this._state !== 'running') {
        if (this.error) throw this.error;
        return;
      }
      await new Promise<void>((wake) => this.wakers.add(wake));
    }
  }

  /** @internal A `train.progress` frame arrived. */
  progress(frame: Progress): void {
    if (this._state !== 'running') return;
    this.frames.push(frame);
    if (this.frames.length > HISTORY_LIMIT) {
      this.frames.shift();
      this.dropped++;
    }
    for (const listener of [...this.listeners]) {
      try {
        listener(frame);
      } catch {
        // A listener's bug must not stop the stream.
      }
    }
    this.wake();
  }

  /** @internal `train.done` arrived. */
  finish(summary: Done): void {
    if (this._state !== 'running') return;
    this._state = 'done';
    this.resolveDone(summary);
    this.wake();
  }

  /** @internal `train.error` arrived, or the connection went. */
  fail(error: Error): void {
    if (this._state !== 'running') return;
    this._state = error instanceof ConnectionClosedError ? 'disconnected' : 'failed';
    this.error = error;
    this.rejectDone(error);
    this.wake();
  }

  private wake(): void {
    const wakers = [...this.wakers];
    this.wakers.clear();
    for (const wake of wakers) wake();
  }
}

/** The error a `train.error` frame describes. */
export function jobError(frame: Record<string, unknown>): Error {
  const e = frame.error;
  if (e && typeof e === 'object' && typeof (e as { code?: unknown }).code === 'number') {
    return new RpcError('train', e as { code: number; message: string; data?: unknown });
  }
  const message = typeof e === 'string' ? e : typeof frame.message === 'string' ? frame.message : 'the job failed';
  if (typeof frame.code === 'number') return new RpcError('train', { code: frame.code, message, data: frame.data });
  return new PalestraClientError(message);
}
