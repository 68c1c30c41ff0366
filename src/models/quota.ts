/**
 * The data directory's disk quota: the bytes of every file under it, against
 * the `dataDirQuotaBytes` option (0: no quota). Training is refused once the
 * directory is at its quota, and a save that would take it past is refused
 * before anything is written.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { PalestraError } from '../errors';

/** Bytes of every regular file under `dir` (0 if it does not exist); walks with a stack, not recursion. */
export async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  const pending = [dir];
  while (pending.length > 0) {
    const here = pending.pop()!;
    const entries = await fs.readdir(here, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const path = join(here, e.name);
      if (e.isDirectory()) pending.push(path);
      else if (e.isFile()) total += (await fs.stat(path).catch(() => null))?.size ?? 0;
    }
  }
  return total;
}

/** A data directory and its quota. */
export class DataQuota {
  constructor(
    readonly dataDir: string,
    /** 0 means no quota. */
    readonly quotaBytes: number,
  ) {}

  /** Bytes the data directory holds now. */
  usage(): Promise<number> {
    return directoryBytes(this.dataDir);
  }

  /** data_quota_exceeded when the directory is already at its quota (nothing new should start). */
  async checkRoom(what: string): Promise<void> {
    if (this.quotaBytes <= 0) return;
    const used = await this.usage();
    if (used >= this.quotaBytes) throw this.error(`${what}: the data directory holds ${used} bytes, at its quota of ${this.quotaBytes} bytes (--data-quota); delete models to make room`, used);
  }

  /** data_quota_exceeded when writing `bytes` more (replacing `freed` bytes) would pass the quota. */
  async checkWrite(what: string, bytes: number, freed = 0): Promise<void> {
    if (this.quotaBytes <= 0) return;
    const used = await this.usage();
    if (used - freed + bytes > this.quotaBytes) {
      throw this.error(`${what} (${bytes} bytes) would take the data directory past its quota of ${this.quotaBytes} bytes (--data-quota; ${used} used); delete models to make room`, used);
    }
  }

  private error(message: string, used: number): PalestraError {
    return new PalestraError('data_quota_exceeded', message, { quota_bytes: this.quotaBytes, used_bytes: used });
  }
}
