import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fail } from './errors.js';
import { decodeText, readBytes } from './text-file.js';

/**
 * The record of one apply step, written (and synced) before the first file is touched: every file the conversion
 * replaces or creates, the temp file holding its new bytes, the backup that will hold its old ones, and digests of
 * both texts. With it, whatever stopped the apply (a kill, a power cut, Ctrl-C), the next run can tell for each
 * file which state it is in and put the project back to one of the two states: as it was, or converted.
 *
 * Paths are relative to the folder holding the journal (the project's), so a moved project still recovers.
 */
export const journalName = '.aot-lambda-convert.journal.json';

export interface JournalEntry {
  /** The file convert replaces or creates. */
  readonly path: string;
  /** Its new bytes, written before any rename. */
  readonly temp: string;
  /** Where the original goes (a hard link or copy) before the temp file is renamed over it; absent for new files. */
  readonly backup: string | undefined;
  /** sha256 of the original bytes; null: the file is new. */
  readonly before: string | null;
  /** sha256 of the new bytes. */
  readonly after: string;
}

export interface Journal {
  readonly format: 'aot-lambda-convert-journal/1';
  readonly pid: number;
  readonly started: string;
  /** Folders the apply creates (parents first): removed again on rollback when empty. */
  readonly dirs: readonly string[];
  readonly entries: readonly JournalEntry[];
}

export function digest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Writes `bytes` to a new file (never over an existing one) and syncs it, so a rename after it publishes whole data. */
export function writeSynced(path: string, bytes: Uint8Array, mode = 0o644): void {
  const fd = openSync(path, 'wx', mode);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function journalPath(dir: string): string {
  return join(dir, journalName);
}

/** Absolute path of a journal entry's file. */
export function inJournal(dir: string, path: string): string {
  return resolve(dir, path);
}

export function relativeToJournal(dir: string, path: string): string {
  return relative(dir, path).split('\\').join('/');
}

/** Writes the journal atomically: a reader sees the whole journal or none. */
export function writeJournal(dir: string, journal: Journal): void {
  const path = journalPath(dir);
  const temp = `${path}.${process.pid}.tmp`;
  rmSync(temp, { force: true });
  try {
    writeSynced(temp, Buffer.from(`${JSON.stringify(journal, null, 2)}\n`, 'utf8'));
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  syncDir(dir);
}

/** A rename is durable once its folder is synced; where folders cannot be opened for that, this is best effort. */
export function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported here (some filesystems refuse fsync on folders): the rename itself is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function isEntry(value: unknown): value is JournalEntry {
  const e = value as Record<string, unknown>;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.path === 'string' &&
    typeof e.temp === 'string' &&
    (e.backup === undefined || typeof e.backup === 'string') &&
    (e.before === null || typeof e.before === 'string') &&
    typeof e.after === 'string'
  );
}

/** The journal an interrupted apply left in `dir`, if any; one that cannot be read is refused with the way out. */
export function readJournal(dir: string, label: string): Journal | undefined {
  const path = journalPath(dir);
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(decodeText(readBytes(path), label));
  } catch {
    parsed = undefined;
  }
  const j = parsed as Partial<Journal> | undefined;
  if (
    !j ||
    j.format !== 'aot-lambda-convert-journal/1' ||
    !Array.isArray(j.entries) ||
    !j.entries.every(isEntry) ||
    !Array.isArray(j.dirs)
  ) {
    fail(
      `${label} is an unreadable journal of an interrupted conversion, so convert cannot tell which files it changed. ` +
        `Restore the project from version control (git checkout -- . and git clean for the .aot-convert files), delete ${label}, ` +
        `then run convert again.`,
    );
  }
  return j as Journal;
}
