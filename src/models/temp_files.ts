/**
 * Temporary files of atomic writes: `.<base>.<pid>.<random>.tmp` beside the
 * target. The pid says which process owns one, so a server starting on a data
 * directory removes every temporary file whose writer is gone, whatever its
 * age, and leaves alone those of another live server sharing the directory.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';

const TEMP = /^\..+\.(\d+)\.[0-9a-f]+\.tmp$/;

/** A fresh temporary file name in `dir` for a write of `base`; no two processes (or calls) share one. */
export function tempPath(dir: string, base: string): string {
  return join(dir, `.${base}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** True if a process with this id is running (EPERM: it runs, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files in `dir` left by processes that have ended (and
 * by an earlier process that had this one's pid: nothing of ours is being
 * written yet at start). Answers the names removed.
 */
export async function removeStaleTemps(dir: string): Promise<string[]> {
  const files = await fs.readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const f of files) {
    const m = TEMP.exec(f);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid !== process.pid && processAlive(pid)) continue;
    await fs.rm(join(dir, f), { force: true });
    removed.push(f);
  }
  return removed;
}
