/**
 * One TensorBoard event file per run, under `<dir>/<run name>/`, appended
 * through one write stream like the run's own record, so `tensorboard
 * --logdir <dir>` shows each run's curves as it trains.
 */
import { createWriteStream, mkdirSync, WriteStream } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { fileVersionEvent, scalarsEvent } from './event';
import { tfrecord } from './tfrecord';

export class EventFileWriter {
  /** The event file's path. */
  readonly path: string;
  private readonly stream: WriteStream;
  private failed = false;
  private closing: Promise<void> | null = null;

  constructor(dir: string, logger: Logger, now = Date.now()) {
    mkdirSync(dir, { recursive: true });
    // TensorBoard reads files whose name holds `tfevents`; the seconds and host follow its own naming.
    this.path = join(dir, `events.out.tfevents.${Math.floor(now / 1000)}.${hostname()}.${process.pid}`);
    this.stream = createWriteStream(this.path, { flags: 'a' });
    this.stream.on('error', (err) => {
      if (!this.failed) logger.warn({ path: this.path, err: err.message }, 'TensorBoard event file not written');
      this.failed = true;
    });
    this.stream.write(tfrecord(fileVersionEvent(now / 1000)));
  }

  /** Appends scalars at one step; `wallTimeMs` in ms since the epoch. */
  scalars(step: number, scalars: readonly [string, number][], wallTimeMs = Date.now()): void {
    if (this.failed || this.closing || scalars.length === 0) return;
    this.stream.write(tfrecord(scalarsEvent(wallTimeMs / 1000, step, scalars)));
  }

  /** Ends the file once what is queued is written. */
  close(): Promise<void> {
    this.closing ??= new Promise((resolve) => {
      if (this.failed || this.stream.destroyed) return resolve();
      this.stream.once('close', () => resolve());
      this.stream.end();
    });
    return this.closing;
  }
}
