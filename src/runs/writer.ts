/**
 * Appends one run's lines through a single write stream: a write returns at
 * once (the stream queues and combines them), so recording never holds up the
 * job's events; `close` ends the stream once everything queued is on disk.
 */
import { createWriteStream, WriteStream } from 'node:fs';
import type { Logger } from 'pino';
import type { RunLine } from './lines';

export class RunWriter {
  private readonly stream: WriteStream;
  private failed = false;
  private closing: Promise<void> | null = null;

  constructor(readonly path: string, logger: Logger) {
    this.stream = createWriteStream(path, { flags: 'a' });
    this.stream.on('error', (err) => {
      // A full or vanished disk loses this run's record, never the job.
      if (!this.failed) logger.warn({ path, err: err.message }, 'run record not written');
      this.failed = true;
    });
  }

  /** Queues one line. */
  write(line: RunLine): void {
    if (this.failed || this.closing) return;
    this.stream.write(`${JSON.stringify(line)}\n`);
  }

  /** Ends the file; resolves once every queued line is written (or the stream failed). */
  close(): Promise<void> {
    this.closing ??= new Promise((resolve) => {
      if (this.failed || this.stream.destroyed) return resolve();
      this.stream.once('close', () => resolve());
      this.stream.end();
    });
    return this.closing;
  }
}
