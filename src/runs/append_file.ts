/**
 * A file written only at its end through a single write stream: an append
 * returns at once (the stream queues and combines writes), so recording never
 * holds up a job's events; a failing disk is logged once and then ignored;
 * `close` ends the stream once everything queued is on disk.
 */
import { createWriteStream, WriteStream } from 'node:fs';
import type { Logger } from 'pino';

export class AppendFile {
  private readonly stream: WriteStream;
  private failed = false;
  private closing: Promise<void> | null = null;

  /** `what` names the file in the one warning a failure logs. */
  constructor(readonly path: string, logger: Logger, what: string) {
    this.stream = createWriteStream(path, { flags: 'a' });
    this.stream.on('error', (err) => {
      // A full or vanished disk loses this record, never the job.
      if (!this.failed) logger.warn({ path, err: err.message }, `${what} not written`);
      this.failed = true;
    });
  }

  /** Queues bytes or text; nothing once the file failed or is closing. */
  append(data: string | Uint8Array): void {
    if (this.failed || this.closing) return;
    this.stream.write(data);
  }

  /** Ends the file; resolves once everything queued is written (or the stream failed). */
  close(): Promise<void> {
    this.closing ??= new Promise((resolve) => {
      if (this.failed || this.stream.destroyed) return resolve();
      this.stream.once('close', () => resolve());
      this.stream.end();
    });
    return this.closing;
  }
}
