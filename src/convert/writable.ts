import { existsSync, lstatSync, type Stats } from 'node:fs';
import { basename, dirname, relative } from 'node:path';
import { fail } from './errors.js';

/**
 * Before anything is written: every file convert would replace, and every folder it writes into, must be a plain
 * file or folder that its mode bits let this user write. A read-only file is the user saying "do not touch"; root
 * could write it anyway, so the mode bits are read rather than asking the OS for access. A symbolic link would be
 * replaced by a plain file (convert renames its new text into place), so it is refused as well.
 */
const label = (path: string): string => relative(process.cwd(), path) || basename(path);

/** The write bit of the class this process falls in (root counts as the owner: the owner's intent is what matters). */
function writableByMode(stat: Stats): boolean {
  const uid = process.getuid?.();
  if (uid === undefined) return (stat.mode & 0o222) !== 0;
  if (uid === 0 || uid === stat.uid) return (stat.mode & 0o200) !== 0;
  if (process.getgroups?.().includes(stat.gid) || process.getgid?.() === stat.gid)
    return (stat.mode & 0o020) !== 0;
  return (stat.mode & 0o002) !== 0;
}

const octal = (stat: Stats): string => (stat.mode & 0o777).toString(8).padStart(3, '0');

/** Refuses, naming every file and folder in the way, unless all of `paths` (and `folders`) can be written. */
export function checkWritable(paths: readonly string[], folders: readonly string[] = []): void {
  const readOnly: string[] = [];
  const notFiles: string[] = [];
  const dirs = new Set(folders);
  for (const path of paths) {
    if (existsSync(path) || isLink(path)) {
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) notFiles.push(`${label(path)} is a symbolic link`);
      else if (!stat.isFile())
        notFiles.push(`${label(path)} is ${stat.isDirectory() ? 'a folder' : 'not a regular file'}`);
      else if (!writableByMode(stat)) readOnly.push(`${label(path)} (mode ${octal(stat)})`);
    }
    // The folder that receives the temp file and the rename; for a new file, the nearest one that exists.
    let dir = dirname(path);
    while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
    dirs.add(dir);
  }
  for (const dir of dirs) {
    const stat = lstatSync(dir);
    if (!writableByMode(stat)) readOnly.push(`${label(dir)}/ (mode ${octal(stat)})`);
  }
  if (notFiles.length > 0) {
    fail(
      `convert would replace ${notFiles.join(', ')}, where it writes a plain file. Make it a plain file (or move it out of ` +
        `the project), then run convert again. Nothing was written.`,
    );
  }
  if (readOnly.length > 0) {
    fail(
      `${readOnly.join(', ')} ${readOnly.length > 1 ? 'are' : 'is'} read-only, and convert would have to change ` +
        `${readOnly.length > 1 ? 'them' : 'it'}. If ${readOnly.length > 1 ? 'they' : 'it'} may be converted, make ` +
        `${readOnly.length > 1 ? 'them' : 'it'} writable (chmod u+w), then run convert again. Nothing was written.`,
    );
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
