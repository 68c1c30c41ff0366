/**
 * The run records under `<dataDir>/runs/`: one append-only JSONL file per
 * training run, named by its job id. The store keeps every run's summary in
 * memory (read from the files' first and last lines when first asked, then
 * kept current by the writers it hands out), reads a run's whole file when
 * its series are asked for, and deletes finished ones.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { PalestraError } from '../errors';
import type { JobError } from '../generated/protocol';
import type { DataQuota } from '../models/quota';
import { EndLine, EvaluationLine, HeaderLine, ProgressLine, RunFile, RunLine, RunSummary, parseLine, parseRunFile, summaryOf } from './lines';
import { RunWriter } from './writer';

/** What the store keeps of one run. */
interface Entry {
  header: HeaderLine;
  end: EndLine | null;
  last: ProgressLine | null;
  evaluation: EvaluationLine | null;
  /** The run's writer while this process records it. */
  writer: RunWriter | null;
  stopping: boolean;
  /** Why lines were left out of the record (the data directory at its quota), or null. */
  recordError: JobError | null;
}

/** Bytes kept back under the quota for a run's end line, so a full directory still gets whole records that say how they ended. */
export const END_RESERVE_BYTES = 2048;
/** Bytes of lines appended between two measurements of the data directory (others write to it too: models, other runs). */
const REMEASURE_BYTES = 1024 * 1024;

const RUN_ID = /^[0-9a-f]{32}$/;
const TAIL_CHUNK = 64 * 1024;
/** How far back from a file's end its last evaluation is looked for when the index is built. */
const TAIL_LIMIT = 8 * 1024 * 1024;

/** A run being recorded: its lines go to its file and keep its summary current. */
export class RunRecording {
  constructor(
    private readonly entry: Entry,
    private readonly writer: RunWriter,
    private readonly budget: Budget | null = null,
  ) {}

  /**
   * Appends one line (progress, evaluation or end). Once the data directory is at its quota, progress and
   * evaluation lines are left out whole (what was written stays readable) and the end line, written from
   * the reserve, says so as `record_error` (data_quota_exceeded).
   */
  write(line: ProgressLine | EvaluationLine | EndLine): void {
    if (line.type !== 'end' && this.budget && !this.entry.recordError) {
      const error = this.budget.take(Buffer.byteLength(JSON.stringify(line)) + 1, this.entry.header.run_id);
      if (error) this.entry.recordError = error;
    }
    if (line.type !== 'end' && this.entry.recordError) return;
    if (line.type === 'progress') this.entry.last = line;
    else if (line.type === 'evaluation') this.entry.evaluation = line;
    else {
      if (this.entry.recordError) line = { ...line, record_error: this.entry.recordError };
      this.entry.end = line;
    }
    this.writer.write(line);
  }

  /** Why lines were left out of this record, or null. */
  get recordError(): JobError | null {
    return this.entry.recordError;
  }

  /** Marks the run as stopping (its job was asked to stop). */
  stopping(): void {
    this.entry.stopping = true;
  }

  /** The last progress recorded. */
  get last(): ProgressLine | null {
    return this.entry.last;
  }

  /** The last evaluation recorded. */
  get evaluation(): EvaluationLine | null {
    return this.entry.evaluation;
  }

  /** Writes what is queued and closes the file. */
  async close(): Promise<void> {
    await this.writer.close();
    this.entry.writer = null;
  }
}

/**
 * What the run records may still write under the data directory's quota: the directory's size, measured
 * when a run begins and every megabyte of lines, plus the lines appended since.
 */
class Budget {
  private used: number;
  private sinceMeasured = 0;
  private measuring = false;

  constructor(
    private readonly quota: DataQuota,
    used: number,
    private readonly logger: Logger,
  ) {
    this.used = used;
  }

  /** Counts `bytes` more; answers data_quota_exceeded (as recorded) instead when they would not fit. */
  take(bytes: number, runId: string): JobError | null {
    if (this.used + bytes + END_RESERVE_BYTES > this.quota.quotaBytes) {
      const message = `The data directory reached its quota of ${this.quota.quotaBytes} bytes (--data-quota; ${this.used} used): run ${runId} records no more progress; delete runs or models to make room`;
      this.logger.warn({ run_id: runId, quota_bytes: this.quota.quotaBytes, used_bytes: this.used }, 'run record cut short: data directory at its quota');
      const e = new PalestraError('data_quota_exceeded', message, { quota_bytes: this.quota.quotaBytes, used_bytes: this.used });
      return { code: e.code, name: e.errorName, message: e.message, data: e.data as Record<string, unknown> };
    }
    this.used += bytes;
    this.sinceMeasured += bytes;
    if (this.sinceMeasured >= REMEASURE_BYTES) this.measure();
    return null;
  }

  /** Measures the directory again (in the background; writes meanwhile are counted on top). */
  measure(): void {
    if (this.measuring) return;
    this.measuring = true;
    const counted = this.sinceMeasured;
    void this.quota
      .usage()
      .then((bytes) => {
        this.used = bytes + (this.sinceMeasured - counted);
        this.sinceMeasured -= counted;
      })
      .catch(() => undefined)
      .finally(() => (this.measuring = false));
  }

  /** Takes a fresh measure (when a run begins). */
  set(bytes: number): void {
    this.used = bytes;
    this.sinceMeasured = 0;
  }
}

export class RunStore {
  readonly dir: string;
  private index: Map<string, Entry> | null = null;
  private loading: Promise<Map<string, Entry>> | null = null;
  private budget: Budget | null = null;

  /** With a `quota` (its `quotaBytes` above 0), records count against the data directory's quota. */
  constructor(
    dataDir: string,
    private readonly logger: Logger,
    private readonly quota: DataQuota | null = null,
  ) {
    this.dir = join(dataDir, 'runs');
  }

  /** The file of a run. */
  path(runId: string): string {
    return join(this.dir, `${runId}.jsonl`);
  }

  /** Starts recording a run: writes its header and answers where its other lines go. */
  async begin(header: HeaderLine): Promise<RunRecording> {
    const index = await this.entries();
    await fs.mkdir(this.dir, { recursive: true });
    if (this.quota && this.quota.quotaBytes > 0) {
      const used = await this.quota.usage();
      if (this.budget) this.budget.set(used);
      else this.budget = new Budget(this.quota, used, this.logger);
    }
    const writer = new RunWriter(this.path(header.run_id), this.logger);
    const entry: Entry = { header, end: null, last: null, evaluation: null, writer, stopping: false, recordError: null };
    index.set(header.run_id, entry);
    writer.write(header);
    return new RunRecording(entry, writer, this.budget);
  }

  /** Every run's summary, in no particular order. */
  async list(): Promise<RunSummary[]> {
    return [...(await this.entries()).values()].map((e) => this.summary(e));
  }

  /** One run's summary; run_not_found when there is no such run. */
  async get(runId: string): Promise<RunSummary> {
    return this.summary(await this.entry(runId));
  }

  /** One run's whole record, read from its file (a torn last line skipped). */
  async read(runId: string): Promise<{ summary: RunSummary; file: RunFile }> {
    const entry = await this.entry(runId);
    const file = parseRunFile(await fs.readFile(this.path(runId), 'utf8')) ?? { header: entry.header, progress: [], evaluations: [], end: null };
    return { summary: this.summary(entry), file };
  }

  /** Deletes a finished run's record; run_active while it trains. */
  async delete(runId: string): Promise<void> {
    const entry = await this.entry(runId);
    if (entry.writer) throw new PalestraError('run_active', `Run ${runId} is still training; stop its job before deleting the run`, { run_id: runId });
    await fs.rm(this.path(runId), { force: true });
    this.index!.delete(runId);
  }

  private summary(e: Entry): RunSummary {
    return summaryOf(e, e.writer ? (e.stopping ? 'stopping' : 'running') : null);
  }

  private async entry(runId: string): Promise<Entry> {
    const entry = RUN_ID.test(runId) ? (await this.entries()).get(runId) : undefined;
    if (!entry) throw new PalestraError('run_not_found', `No run ${runId}`, { run_id: runId });
    return entry;
  }

  private entries(): Promise<Map<string, Entry>> {
    if (this.index) return Promise.resolve(this.index);
    this.loading ??= this.load().then((index) => (this.index = index));
    return this.loading;
  }

  /** Reads every run file's header and last lines. */
  private async load(): Promise<Map<string, Entry>> {
    const index = new Map<string, Entry>();
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return index;
      throw err;
    }
    for (const name of names) {
      const id = name.endsWith('.jsonl') ? name.slice(0, -'.jsonl'.length) : '';
      if (!RUN_ID.test(id)) continue;
      try {
        const entry = await readEntry(this.path(id));
        if (entry && entry.header.run_id === id) index.set(id, entry);
      } catch (err) {
        this.logger.warn({ run_id: id, err: (err as Error).message }, 'run record unreadable; skipped');
      }
    }
    return index;
  }
}

/** A run file's header, end, last progress and last evaluation, read from its two ends. */
async function readEntry(path: string): Promise<Entry | null> {
  const handle = await fs.open(path, 'r');
  try {
    const { size } = await handle.stat();
    const headText = await readUntilNewline(handle, size);
    const header = parseLine(headText);
    if (!header || header.type !== 'run') return null;
    const entry: Entry = { header, end: null, last: null, evaluation: null, writer: null, stopping: false, recordError: null };
    // Backwards from the end, a chunk at a time, until the last progress and evaluation are found.
    const body = Buffer.byteLength(headText) + 1;
    let end = size;
    let carry = Buffer.alloc(0);
    while (end > body && (entry.last === null || entry.evaluation === null) && size - end < TAIL_LIMIT) {
      const start = Math.max(body, end - TAIL_CHUNK);
      const chunk = Buffer.alloc(end - start);
      await handle.read(chunk, 0, chunk.length, start);
      const buffer = Buffer.concat([chunk, carry]);
      end = start;
      // Up to the first newline may be the tail of a line that began in an earlier chunk: kept for the next round.
      const nl = start > body ? buffer.indexOf(0x0a) : -1;
      if (start > body && nl < 0) {
        carry = buffer;
        continue;
      }
      carry = buffer.subarray(0, Math.max(0, nl));
      const lines = buffer.subarray(nl + 1).toString('utf8').split('\n');
      for (let i = lines.length - 1; i >= 0; i--) take(entry, parseLine(lines[i]));
    }
    if (carry.length > 0 && end <= body) take(entry, parseLine(carry.toString('utf8')));
    return entry;
  } finally {
    await handle.close();
  }
}

/** Keeps the latest line of each kind, reading backwards. */
function take(entry: Entry, line: RunLine | null): void {
  if (!line) return;
  if (line.type === 'end') {
    entry.end ??= line;
    entry.recordError ??= line.record_error ?? null;
  }
  else if (line.type === 'progress') entry.last ??= line;
  else if (line.type === 'evaluation') entry.evaluation ??= line;
}

/** The first line of a file (without its newline). */
async function readUntilNewline(handle: fs.FileHandle, size: number): Promise<string> {
  let text = '';
  let position = 0;
  while (position < size) {
    const buffer = Buffer.alloc(Math.min(TAIL_CHUNK, size - position));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) break;
    position += bytesRead;
    const chunk = buffer.subarray(0, bytesRead).toString('utf8');
    const nl = chunk.indexOf('\n');
    if (nl >= 0) return text + chunk.slice(0, nl);
    text += chunk;
  }
  return text;
}
