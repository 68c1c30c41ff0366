/**
 * One TensorBoard event file per run, under `<dir>/<run name>/`, appended
 * through one write stream like the run's own record, so `tensorboard
 * --logdir <dir>` shows each run's curves as it trains.
 */
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { AppendFile } from '../append_file';
import { fileVersionEvent, scalarsEvent } from './event';
import { tfrecord } from './tfrecord';

export class EventFileWriter {
  /** The event file's path. */
  readonly path: string;
  private readonly file: AppendFile;

  constructor(dir: string, logger: Logger, now = Date.now()) {
    mkdirSync(dir, { recursive: true });
    // TensorBoard reads files whose name holds `tfevents`; the seconds and host follow its own naming.
    this.path = join(dir, `events.out.tfevents.${Math.floor(now / 1000)}.${hostname()}.${process.pid}`);
    this.file = new AppendFile(this.path, logger, 'TensorBoard event file');
    this.file.append(tfrecord(fileVersionEvent(now / 1000)));
  }

  /** Appends scalars at one step; `wallTimeMs` in ms since the epoch. */
  scalars(step: number, scalars: readonly [string, number][], wallTimeMs = Date.now()): void {
    if (scalars.length === 0) return;
    this.file.append(tfrecord(scalarsEvent(wallTimeMs / 1000, step, scalars)));
  }

  /** Ends the file once what is queued is written. */
  close(): Promise<void> {
    return this.file.close();
  }
}
