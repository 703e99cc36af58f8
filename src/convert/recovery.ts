import { existsSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fail } from './errors.js';
import {
  digest,
  inJournal,
  journalName,
  journalPath,
  readJournal,
  syncDir,
  type Journal,
  type JournalEntry,
} from './journal.js';
import { readBytes } from './text-file.js';

/**
 * Puts a project an apply left half-done back into a whole state, from its journal: completed when every file
 * already holds its new bytes (the apply was only cleaning up), else rolled back to the original bytes. Either way
 * no temp file, backup or journal remains. Used by the next run, by the interrupted run's signal handler, and by
 * apply itself when a step fails.
 */
export type Recovery = 'completed' | 'rolled back';

function digestOf(path: string): string | null {
  return existsSync(path) ? digest(readBytes(path)) : null;
}

const label = (path: string): string => relative(process.cwd(), path) || basename(path);

function removeLeftovers(dir: string, journal: Journal): void {
  for (const entry of journal.entries) {
    rmSync(inJournal(dir, entry.temp), { force: true });
    if (entry.backup !== undefined) rmSync(inJournal(dir, entry.backup), { force: true });
  }
}

function rollBackEntry(dir: string, entry: JournalEntry): void {
  const path = inJournal(dir, entry.path);
  if (digestOf(path) !== entry.after) return;
  if (entry.before === null) {
    rmSync(path, { force: true });
    return;
  }
  const backup = entry.backup === undefined ? undefined : inJournal(dir, entry.backup);
  if (backup === undefined || digestOf(backup) !== entry.before) {
    // Cannot happen by construction (every backup exists before the first rename); said plainly if it does.
    fail(
      `${label(path)} holds the converted text but its backup is missing, so the interrupted conversion cannot be rolled ` +
        `back. Restore the file from version control, delete ${label(journalPath(dir))}, then run convert again.`,
    );
  }
  renameSync(backup, path);
}

/** What state `journal`'s files are in; refuses when one holds neither text (someone edited it since). */
function allConverted(dir: string, journal: Journal): boolean {
  let converted = 0;
  for (const entry of journal.entries) {
    const path = inJournal(dir, entry.path);
    const now = digestOf(path);
    if (now === entry.after) converted++;
    else if (now !== entry.before) {
      fail(
        `${label(path)} changed after a conversion of it was interrupted (${label(journalPath(dir))} records the run), so ` +
          `convert will not overwrite it. Compare it with ${entry.backup ? label(inJournal(dir, entry.backup)) : 'the version in git'}, ` +
          `keep what you need, delete ${label(journalPath(dir))} and the .aot-convert files beside it, then run convert again.`,
      );
    }
  }
  return converted === journal.entries.length;
}

/** Finishes or undoes the apply recorded in `journal` (found in `dir`), then deletes the journal. */
export function settle(dir: string, journal: Journal): Recovery {
  const complete = allConverted(dir, journal);
  if (!complete) for (const entry of [...journal.entries].reverse()) rollBackEntry(dir, entry);
  removeLeftovers(dir, journal);
  if (!complete) {
    for (const folder of [...journal.dirs].reverse()) {
      try {
        rmdirSync(inJournal(dir, folder));
      } catch {
        // Not there (never created) or not empty (the user's files): left as it is.
      }
    }
  }
  syncDir(dir);
  rmSync(journalPath(dir), { force: true });
  return complete ? 'completed' : 'rolled back';
}

export interface RecoveryReport {
  readonly outcome: Recovery;
  readonly files: number;
  readonly message: string;
}

/** Settles the interrupted conversion whose journal is in `dir`, if there is one. */
export function recoverInterrupted(dir: string): RecoveryReport | undefined {
  // A journal being written when the run was killed: nothing else had been written yet, so it only goes.
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith(`${journalName}.`) && entry.endsWith('.tmp'))
      rmSync(join(dir, entry), { force: true });
  }
  const journal = readJournal(dir, label(journalPath(dir)));
  if (!journal) return undefined;
  const outcome = settle(dir, journal);
  const files = journal.entries.length;
  return {
    outcome,
    files,
    message:
      outcome === 'completed'
        ? `An interrupted conversion of ${label(dir)} had written all ${files} files: finished it (temporary files removed).`
        : `An interrupted conversion of ${label(dir)} was rolled back: its ${files} files are as they were before it.`,
  };
}

/** A journal waiting in `dir`: what a dry run must not plan over. */
export function pendingJournal(dir: string): string | undefined {
  const path = journalPath(dir);
  return existsSync(path) ? label(path) : undefined;
}
