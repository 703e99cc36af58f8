import { randomBytes } from 'node:crypto';
import {
  accessSync,
  constants,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
  chmodSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { interruptSignals } from '../processes.js';

/**
 * The generator's own write path. Yeoman's mem-fs commit writes file by file through whatever is on disk: it
 * follows a symlink out of the project, stops half-way on EACCES, and compares modes as 100644 vs 644. Here every
 * destination is checked before anything is written, the files are staged beside their destination (same
 * file system, so a rename moves them) and moved into place, and a failure while moving puts back what was there.
 */

/** A file of the project: path relative to the project folder (forward slashes), text, mode. */
export interface ProjectFile {
  readonly path: string;
  readonly contents: string;
  readonly mode: number;
}

export type WriteStatus = 'create' | 'identical' | 'overwrite';

export interface PlannedWrite extends ProjectFile {
  readonly status: WriteStatus;
  /** For `overwrite`: what differs. */
  readonly differs?: 'content' | 'mode' | 'content and mode';
  /**
   * For `overwrite`: whether the file on disk differs from what the last generation wrote (the baseline), i.e.
   * someone edited it; true when there is no baseline.
   */
  readonly edited?: boolean;
  /** For `overwrite`: whether this run's settings change the file compared with the baseline (true without one). */
  readonly affected?: boolean;
}

/** A destination the generator refuses to write: the message names the path, the problem and the fix. */
export class DestinationError extends Error {
  override readonly name = 'DestinationError';
}

export interface WritePlan {
  /** The project folder, absolute, as given (not resolved through a symlink). */
  readonly root: string;
  /** Whether the folder exists already (else it is created whole, by one rename). */
  readonly rootExists: boolean;
  readonly files: readonly PlannedWrite[];
}

const lstatOrUndefined = (path: string): Stats | undefined => {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

function kind(stat: Stats): string {
  if (stat.isFile()) return 'a file';
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Checks the project folder itself. Returns its real path when it exists (a symlink to a folder is the user's
 * choice of where the project lives), undefined when it is to be created.
 */
export function checkTarget(root: string, shown: string): string | undefined {
  const stat = lstatOrUndefined(root);
  if (stat === undefined) {
    const parent = dirname(root);
    try {
      accessSync(parent, constants.W_OK | constants.X_OK);
    } catch {
      throw new DestinationError(
        `Cannot create '${shown}': the folder it goes in (${parent}) is not writable. Run in a folder you can write to.`,
      );
    }
    return undefined;
  }
  if (stat.isSymbolicLink()) {
    let target: Stats;
    try {
      target = statSync(root);
    } catch {
      throw new DestinationError(
        `'${shown}' is a symbolic link to '${readlinkSync(root)}', which does not exist: remove the link or choose another name.`,
      );
    }
    if (!target.isDirectory()) {
      throw new DestinationError(
        `'${shown}' is a symbolic link to ${kind(target)}, not a folder: choose another name or move it away.`,
      );
    }
    return realpathSync(root);
  }
  if (!stat.isDirectory()) {
    throw new DestinationError(
      `'${shown}' is ${kind(stat)}, not a folder: choose another name for the project or move it away.`,
    );
  }
  return realpathSync(root);
}

/**
 * Decides, for every file, whether it is created, identical or overwritten, and refuses before anything is
 * written when a destination cannot be written safely: a symlink leading out of the project (or nowhere), a
 * file where a folder is needed (or the reverse), something that is not a regular file, a read-only file, a
 * folder without write permission. `shown` is how the project folder is named in messages (e.g. 'Orders').
 */
export function planWrites(
  root: string,
  files: readonly ProjectFile[],
  shown: string,
  baseline: ReadonlyMap<string, ProjectFile> = new Map(),
): WritePlan {
  for (const file of files) {
    // The paths come from the file plan and a template's manifest: none may climb out or be absolute.
    if (isAbsolute(file.path) || file.path.split(/[\\/]/).some((part) => part === '..' || part === '')) {
      throw new DestinationError(
        `'${file.path}' is not a path inside the project: the generator does not write it.`,
      );
    }
  }
  const realRoot = checkTarget(root, shown);
  if (realRoot === undefined) {
    return { root, rootExists: false, files: files.map((f) => ({ ...f, status: 'create' as const })) };
  }
  const display = (rel: string): string => (shown === '.' ? rel : `${shown}/${rel}`);
  const checkedDirs = new Map<string, boolean>(); // relative folder -> exists
  const writableChecked = new Set<string>();

  /** Follows a symlink found at `path`; refuses when it leaves the project or leads nowhere. */
  const followLink = (path: string, rel: string): Stats => {
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      throw new DestinationError(
        `'${display(rel)}' is a symbolic link to '${readlinkSync(path)}', which does not exist: the generator does not ` +
          'write through it. Remove the link and run again.',
      );
    }
    if (!inside(realRoot, real)) {
      throw new DestinationError(
        `'${display(rel)}' is a symbolic link to '${real}', outside the project folder: the generator does not write ` +
          'through it. Remove the link (or replace it with a copy) and run again.',
      );
    }
    return statSync(real);
  };

  /** Whether the folder `rel` exists (checking each of its parents first); refuses what cannot hold files. */
  const checkDir = (rel: string): boolean => {
    if (rel === '' || rel === '.') return true;
    const known = checkedDirs.get(rel);
    if (known !== undefined) return known;
    let exists = checkDir(dirname(rel));
    if (exists) {
      const path = join(root, rel);
      let stat = lstatOrUndefined(path);
      if (stat?.isSymbolicLink()) stat = followLink(path, rel);
      if (stat === undefined) exists = false;
      else if (!stat.isDirectory()) {
        throw new DestinationError(
          `'${display(rel)}' is ${kind(stat)}, but the project needs a folder there: move it away and run again.`,
        );
      }
    }
    checkedDirs.set(rel, exists);
    return exists;
  };

  /** The nearest existing folder receives the new entry (a file, or the first missing folder): it must be writable. */
  const requireWritable = (rel: string): void => {
    let dir = rel;
    while (dir !== '.' && dir !== '' && !checkedDirs.get(dir)) dir = dirname(dir);
    if (writableChecked.has(dir)) return;
    writableChecked.add(dir);
    try {
      accessSync(join(root, dir), constants.W_OK | constants.X_OK);
    } catch {
      const where = dir === '.' || dir === '' ? shown : display(dir);
      throw new DestinationError(
        `Cannot write in '${where}': permission denied. Make it writable (chmod u+w) or generate elsewhere; nothing was written.`,
      );
    }
  };

  const planned = files.map((file): PlannedWrite => {
    const folder = dirname(file.path);
    const path = join(root, file.path);
    let stat = checkDir(folder) ? lstatOrUndefined(path) : undefined;
    if (stat === undefined) {
      requireWritable(folder);
      return { ...file, status: 'create' };
    }
    if (stat.isSymbolicLink()) stat = followLink(path, file.path);
    if (!stat.isFile()) {
      throw new DestinationError(
        `'${display(file.path)}' is ${kind(stat)}, but the project writes a file there: move it away and run again.`,
      );
    }
    // Generated files are a few KiB: a far bigger file differs from all of them and is not read at all.
    const bytes = stat.size <= maxCompareBytes ? readFileSync(path) : undefined;
    const equalsDisk = (text: string): boolean => bytes?.equals(Buffer.from(text)) ?? false;
    const sameMode = sameExecBit(stat.mode, file.mode);
    const sameContent = equalsDisk(file.contents);
    if (sameMode && sameContent) return { ...file, status: 'identical' };
    const base = baseline.get(file.path);
    const edited = base === undefined || !sameExecBit(stat.mode, base.mode) || !equalsDisk(base.contents);
    const affected =
      base === undefined || base.contents !== file.contents || !sameExecBit(base.mode, file.mode);
    try {
      accessSync(path, constants.W_OK);
    } catch {
      // A read-only file is the user saying "do not touch"; replacing it by rename would bypass that.
      throw new DestinationError(
        `'${display(file.path)}' is read-only and differs from what would be generated: the generator does not ` +
          'replace it. Make it writable (chmod u+w) to let --force overwrite it, or leave it and generate elsewhere.',
      );
    }
    requireWritable(folder);
    return {
      ...file,
      status: 'overwrite',
      differs: sameContent ? 'mode' : sameMode ? 'content' : 'content and mode',
      edited,
      affected,
    };
  });
  return { root, rootExists: true, files: planned };
}

const maxCompareBytes = 4 * 1024 * 1024;

/** Only the executable bit counts: git records no other, and a checkout under umask 002 gives 0664. */
const sameExecBit = (a: number, b: number): boolean => (a & 0o100) === (b & 0o100);

const stagingName = (prefix: string): string => `${prefix}${randomBytes(6).toString('hex')}`;

function writeFile(path: string, file: ProjectFile): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, file.contents, { mode: file.mode, flag: 'wx' });
  chmodSync(path, file.mode); // the umask narrowed the mode given to open()
}

/**
 * Writes the files the plan creates or overwrites. A new project is written whole into a staging folder beside
 * it and renamed into place; in an existing folder the files are staged in a hidden folder inside it, then each
 * is renamed over its destination (a replaced file is kept aside until the end). On any failure what was moved
 * is put back, folders created are removed, and the error says that nothing was changed.
 */
export function applyWrites(plan: WritePlan, shown: string): void {
  const changes = plan.files.filter((f) => f.status !== 'identical');
  if (changes.length === 0) return;
  withSignalsHeld(() => writeChanges(plan, changes, shown));
}

/**
 * Runs the (synchronous) writes with Ctrl-C, SIGTERM and SIGHUP held. With no listener Node ends at once, between
 * two renames, with a replaced file still moved aside in the staging folder; with one, the listener runs after the
 * writes (or their rollback), and the signal is raised again so that the process ends as it was asked to.
 */
function withSignalsHeld(work: () => void): void {
  let received: NodeJS.Signals | undefined;
  const hold = (signal: NodeJS.Signals): void => {
    received ??= signal;
  };
  for (const signal of interruptSignals) process.on(signal, hold);
  try {
    work();
  } finally {
    // A signal that came during the writes reaches `hold` on the event loop's next turn.
    setImmediate(() => {
      for (const signal of interruptSignals) process.off(signal, hold);
      if (received && process.listenerCount(received) === 0) process.kill(process.pid, received);
    });
  }
}

/** Tests only: AOT_LAMBDA_TEST_INTERRUPT_WRITE=<n>:<signal> sends the signal to this process before rename n. */
function interruptBeforeRename(n: number): void {
  const [at, signal = 'SIGINT'] = (process.env.AOT_LAMBDA_TEST_INTERRUPT_WRITE ?? '').split(':');
  if (at !== undefined && at !== '' && Number(at) === n) process.kill(process.pid, signal as NodeJS.Signals);
}

function writeChanges(plan: WritePlan, changes: readonly PlannedWrite[], shown: string): void {
  if (!plan.rootExists) {
    const staging = join(dirname(plan.root), stagingName(`.${basename(plan.root)}.aot-lambda-`));
    try {
      mkdirSync(staging);
      for (const file of changes) writeFile(join(staging, file.path), file);
      renameSync(staging, plan.root);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      throw failure(error, shown);
    }
    return;
  }
  const staging = join(plan.root, stagingName('.aot-lambda-staging-'));
  const done: { dest: string; backup?: string }[] = [];
  const createdDirs: string[] = [];
  try {
    mkdirSync(staging);
    changes.forEach((file, i) => writeFile(join(staging, 'new', String(i)), file));
    mkdirSync(join(staging, 'old'));
    changes.forEach((file, i) => {
      const dest = join(plan.root, file.path);
      for (const dir of missingDirs(plan.root, dirname(file.path))) {
        mkdirSync(dir);
        createdDirs.push(dir);
      }
      let backup: string | undefined;
      interruptBeforeRename(i + 1);
      if (file.status === 'overwrite') {
        backup = join(staging, 'old', String(i));
        renameSync(dest, backup);
      }
      done.push({ dest, ...(backup ? { backup } : {}) });
      renameSync(join(staging, 'new', String(i)), dest);
    });
  } catch (error) {
    for (const { dest, backup } of done.reverse()) {
      try {
        if (backup) renameSync(backup, dest);
        else unlinkSync(dest);
      } catch {
        // best effort: the message below says where the staged copies are if this fails
      }
    }
    for (const dir of createdDirs.reverse()) {
      try {
        rmdirSync(dir);
      } catch {
        // not empty or gone: leave it
      }
    }
    rmSync(staging, { recursive: true, force: true });
    throw failure(error, shown);
  }
  rmSync(staging, { recursive: true, force: true });
}

/** Folders from the project root down to `rel` that do not exist yet, outermost first. */
function missingDirs(root: string, rel: string): string[] {
  const out: string[] = [];
  for (let dir = rel; dir !== '.' && dir !== ''; dir = dirname(dir)) {
    const path = join(root, dir);
    if (lstatOrUndefined(path) !== undefined) break;
    out.unshift(path);
  }
  return out;
}

function failure(error: unknown, shown: string): Error {
  const e = error as NodeJS.ErrnoException;
  const where = e.path ? ` (${e.path})` : '';
  return new DestinationError(
    `Writing '${shown}' failed: ${e.code ?? ''} ${e.syscall ?? ''}${where}; nothing was changed. ${
      e.code === 'EACCES' || e.code === 'EPERM'
        ? 'Fix the permissions of that folder or generate elsewhere.'
        : e.code === 'ENOSPC'
          ? 'Free some disk space and run again.'
          : 'Fix the cause and run again.'
    }`.replace(/ {2,}/g, ' '),
  );
}
