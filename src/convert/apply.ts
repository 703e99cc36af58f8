import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync, statSync, chmodSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { FileChange } from './plan.js';

/**
 * All files written or none. Each new text goes to a temp file beside its target; once every temp file exists
 * the originals are moved aside and the temp files renamed over them. A failure at any step puts back what was
 * there (originals restored, new files removed), so the project is byte-identical to before.
 */
export interface ApplyHooks {
  /** Called before each step; throwing simulates a failure there (tests use it to prove atomicity). */
  readonly beforeStep?: (step: 'stage' | 'commit', path: string, index: number) => void;
}

export function applyChanges(changes: readonly FileChange[], hooks: ApplyHooks = {}): void {
  const tag = `.aot-convert-${process.pid}-${Date.now()}`;
  const staged: { change: FileChange; temp: string; backup: string }[] = [];
  const committed: { change: FileChange; backup: string; hadOriginal: boolean }[] = [];
  const createdDirs: string[] = [];
  try {
    changes.forEach((change, index) => {
      hooks.beforeStep?.('stage', change.path, index);
      const dir = dirname(change.path);
      if (!existsSync(dir)) {
        mkdirSync(dir, { recursive: true });
        createdDirs.push(dir);
      }
      const temp = join(dir, `.${basename(change.path)}${tag}.tmp`);
      writeFileSync(temp, change.after);
      if (existsSync(change.path)) chmodSync(temp, statSync(change.path).mode & 0o7777);
      staged.push({ change, temp, backup: join(dir, `.${basename(change.path)}${tag}.bak`) });
    });
    staged.forEach(({ change, temp, backup }, index) => {
      hooks.beforeStep?.('commit', change.path, index);
      const hadOriginal = existsSync(change.path);
      if (hadOriginal) renameSync(change.path, backup);
      committed.push({ change, backup, hadOriginal });
      renameSync(temp, change.path);
    });
  } catch (error) {
    for (const { change, backup, hadOriginal } of committed.reverse()) {
      rmSync(change.path, { force: true });
      if (hadOriginal) renameSync(backup, change.path);
    }
    for (const { temp } of staged) rmSync(temp, { force: true });
    for (const dir of createdDirs.reverse()) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  for (const { backup, hadOriginal } of committed) if (hadOriginal) rmSync(backup, { force: true });
}
