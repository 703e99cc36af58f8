import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';

/**
 * The dirty-tree guard: convert rewrites files in place, so uncommitted work in them must not be mixed into its
 * changes. Outside a git work tree (or without git) there is nothing to check.
 */
export function dirtyFiles(cwd: string, paths: readonly string[]): string[] {
  const status = spawnSync(
    'git',
    ['status', '--porcelain', '--untracked-files=all', '--', ...paths.map((p) => relative(cwd, p) || '.')],
    {
      cwd,
      encoding: 'utf8',
    },
  );
  if (status.status !== 0) return [];
  return status.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.slice(3))
    .filter((path) => !isBuildOutput(path));
}

/**
 * dotnet build's output (bin/, obj/) in a project without a .gitignore shows up as untracked; it is not the user's
 * work and convert does not touch it, so it does not block the conversion.
 */
function isBuildOutput(path: string): boolean {
  return path
    .replace(/^"|"$/g, '')
    .split('/')
    .slice(0, -1)
    .some((dir) => dir === 'bin' || dir === 'obj');
}
