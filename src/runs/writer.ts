/**
 * Appends one run's lines, one JSON object a line, to its record file (see
 * `append_file.ts` for how writes are queued and failures kept from the job).
 */
import type { Logger } from 'pino';
import { AppendFile } from './append_file';
import type { RunLine } from './lines';

export class RunWriter {
  private readonly file: AppendFile;

  constructor(readonly path: string, logger: Logger) {
    this.file = new AppendFile(path, logger, 'run record');
  }

  /** Queues one line. */
  write(line: RunLine): void {
    this.file.append(`${JSON.stringify(line)}\n`);
  }

  /** Ends the file; resolves once every queued line is written (or the stream failed). */
  close(): Promise<void> {
    return this.file.close();
  }
}
