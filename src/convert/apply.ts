import {
  copyFileSync,
  constants,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { constants as osConstants } from 'node:os';
import { basename, dirname, join } from 'node:path';
import {
  digest,
  journalPath,
  relativeToJournal,
  syncDir,
  writeJournal,
  writeSynced,
  type Journal,
  type JournalEntry,
} from './journal.js';
import type { FileChange } from './plan.js';
import { settle } from './recovery.js';
import { encodeText, encodingOfFile, readBytes } from './text-file.js';
import { interruptSignals } from '../processes.js';

/**
 * All files written or none, even when the process is killed part way. The order:
 *   1. the journal (journal.ts): every file, its temp file, its backup, digests of both texts;
 *   2. the folders new files need, then each new text in a temp file beside its target (synced);
 *   3. each original hard-linked (or copied) to its backup;
 *   4. each temp file renamed over its target (atomic: a target is always whole, old or new);
 *   5. backups removed, then the journal.
 * A failure at any step settles the journal at once (recovery.ts); SIGINT/SIGTERM/SIGHUP during the apply do the
 * same before the process ends; a kill leaves the journal for the next run to settle.
 */
export type ApplyStep = 'journal' | 'mkdir' | 'stage' | 'backup' | 'commit' | 'cleanup';

export interface ApplyHooks {
  /** Called before each step; throwing simulates a failure there (tests use it to prove atomicity). */
  readonly beforeStep?: (step: ApplyStep, path: string, index: number) => void;
}

/**
 * AOT_LAMBDA_TEST_INTERRUPT=N[:SIGNAL] sends SIGNAL (default SIGKILL) to this process just before the Nth step of
 * the apply, counting from 1 over every step above: how the tests stop a real run at each step, not by timing.
 */
function interruptHook(): ((count: number) => Promise<void>) | undefined {
  const spec = process.env.AOT_LAMBDA_TEST_INTERRUPT;
  if (!spec) return undefined;
  const [at, signal = 'SIGKILL'] = spec.split(':');
  const n = Number(at);
  return async (count) => {
    if (count !== n) return;
    process.kill(process.pid, signal as NodeJS.Signals);
    // A handled signal runs its listener on the event loop: wait for it (it ends the process).
    for (let i = 0; i < 2000; i++) await new Promise((r) => setTimeout(r, 5));
    throw new Error(`AOT_LAMBDA_TEST_INTERRUPT: ${signal} at step ${n} did not end the process`);
  };
}

/** Between steps: lets a pending signal's listener run, so Ctrl-C lands between two whole steps. */
const yieldToSignals = (): Promise<void> => new Promise((r) => setImmediate(r));

function plannedFolders(paths: readonly string[]): string[] {
  const missing = new Set<string>();
  for (const path of paths) {
    for (let dir = dirname(path); !existsSync(dir) && !missing.has(dir); dir = dirname(dir)) missing.add(dir);
  }
  // Parents first.
  return [...missing].sort((a, b) => a.length - b.length);
}

/** `changes` applied; `journalDir` (the project's folder) holds the journal while it runs. */
export async function applyChanges(
  changes: readonly FileChange[],
  journalDir: string,
  hooks: ApplyHooks = {},
): Promise<void> {
  const tag = `.aot-convert-${process.pid}-${Date.now()}`;
  const rel = (p: string): string => relativeToJournal(journalDir, p);
  const files = changes.map((change) => {
    const dir = dirname(change.path);
    const existed = existsSync(change.path);
    const bytes = encodeText(change.after, encodingOfFile(change.path));
    return {
      change,
      bytes,
      mode: existed ? lstatSync(change.path).mode & 0o7777 : 0o644,
      temp: join(dir, `.${basename(change.path)}${tag}.tmp`),
      backup: existed ? join(dir, `.${basename(change.path)}${tag}.bak`) : undefined,
      entry: {
        path: rel(change.path),
        temp: rel(join(dir, `.${basename(change.path)}${tag}.tmp`)),
        backup: existed ? rel(join(dir, `.${basename(change.path)}${tag}.bak`)) : undefined,
        before: existed ? digest(readBytes(change.path)) : null,
        after: digest(bytes),
      } satisfies JournalEntry,
    };
  });
  const folders = plannedFolders(changes.map((c) => c.path));
  const journal: Journal = {
    format: 'aot-lambda-convert-journal/1',
    pid: process.pid,
    started: new Date().toISOString(),
    dirs: folders.map(rel),
    entries: files.map((f) => f.entry),
  };

  const interrupt = interruptHook();
  let count = 0;
  let journalWritten = false;
  const step = async (kind: ApplyStep, path: string, index: number, run: () => void): Promise<void> => {
    await interrupt?.(++count);
    hooks.beforeStep?.(kind, path, index);
    run();
    await yieldToSignals();
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    detach();
    let outcome = 'nothing had been written';
    if (journalWritten && existsSync(journalPath(journalDir))) {
      try {
        outcome =
          settle(journalDir, journal) === 'completed'
            ? 'every file had been written: the conversion is complete'
            : 'the conversion was rolled back: the project is as it was';
      } catch (error) {
        // The journal stays: the next run settles it, or says what stops it.
        outcome = `it could not be settled now (${(error as Error).message}); run convert again to finish or roll it back`;
      }
    }
    process.stderr.write(`aot-lambda convert: interrupted (${signal}); ${outcome}.\n`);
    // Ends as the signal would have; another listener (a host such as Yeoman) may keep it, so exit regardless.
    process.kill(process.pid, signal);
    process.exit(128 + (osConstants.signals[signal] ?? 0));
  };
  const detach = (): void => {
    for (const s of interruptSignals) process.removeListener(s, onSignal);
  };
  for (const s of interruptSignals) process.on(s, onSignal);

  try {
    await step('journal', journalPath(journalDir), 0, () => {
      writeJournal(journalDir, journal);
      journalWritten = true;
    });
    for (const [index, dir] of folders.entries()) await step('mkdir', dir, index, () => mkdirSync(dir));
    for (const [index, f] of files.entries())
      await step('stage', f.change.path, index, () => writeSynced(f.temp, f.bytes, f.mode));
    for (const [index, f] of files.entries()) {
      const { backup } = f;
      if (backup === undefined) continue;
      await step('backup', f.change.path, index, () => {
        try {
          linkSync(f.change.path, backup);
        } catch {
          copyFileSync(f.change.path, backup, constants.COPYFILE_EXCL);
        }
      });
    }
    for (const dir of new Set(files.map((f) => dirname(f.temp)))) syncDir(dir);
    for (const [index, f] of files.entries())
      await step('commit', f.change.path, index, () => renameSync(f.temp, f.change.path));
    for (const dir of new Set(files.map((f) => dirname(f.temp)))) syncDir(dir);
    for (const [index, f] of files.entries()) {
      const { backup } = f;
      if (backup === undefined) continue;
      await step('cleanup', backup, index, () => rmSync(backup, { force: true }));
    }
    await step('cleanup', journalPath(journalDir), files.length, () => rmSync(journalPath(journalDir)));
  } catch (error) {
    if (journalWritten && existsSync(journalPath(journalDir))) settle(journalDir, journal);
    throw error;
  } finally {
    detach();
  }
}
