import { createHash } from 'node:crypto';
import { realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processExists } from '../processes.js';
import { fail } from './errors.js';
import { readText } from './text-file.js';

interface Holder {
  readonly pid: number;
  readonly started: string;
  readonly folder: string;
}

/**
 * One convert at a time per project folder: a second run would settle (roll back) the first one's journal while
 * the first is still writing. The lock is a file created exclusively in the temp folder (the project's tree and
 * git status stay untouched), named after the folder's real path and naming the process that holds it; a lock
 * whose process is gone (killed) is stale and taken over. Returns the release.
 */
export function lockFolder(folder: string): () => void {
  const real = realpathSync(folder);
  const path = lockPath(real);
  const holder: Holder = { pid: process.pid, started: new Date().toISOString(), folder: real };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${JSON.stringify(holder)}\n`, { flag: 'wx' });
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const other = readHolder(path);
    // This process holds it already (the library called twice in one run): nothing more to take or release.
    if (other?.pid === process.pid) return () => undefined;
    if (other && processExists(other.pid)) {
      fail(
        `Another aot-lambda convert (process ${other.pid}, started ${other.started}) is converting ${real}. Wait for it ` +
          `to finish, then run convert again; if no such process is running, delete ${path}. Nothing was written.`,
      );
    }
    rmSync(path, { force: true }); // stale: its process is gone
  }
  return fail(
    `Could not take the lock ${path} for ${real}: delete it and run convert again. Nothing was written.`,
  );
}

export function lockPath(realFolder: string): string {
  const key = createHash('sha256').update(realFolder).digest('hex').slice(0, 32);
  return join(tmpdir(), `aot-lambda-convert-${key}.lock`);
}

function readHolder(path: string): Holder | undefined {
  try {
    const parsed = JSON.parse(readText(path)) as Partial<Holder>;
    return typeof parsed.pid === 'number' && Number.isInteger(parsed.pid) && parsed.pid > 0
      ? {
          pid: parsed.pid,
          started: String(parsed.started ?? 'at an unknown time'),
          folder: String(parsed.folder),
        }
      : undefined;
  } catch {
    return undefined; // unreadable or half-written: treated as stale
  }
}
