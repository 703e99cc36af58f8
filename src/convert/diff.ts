import { createTwoFilesPatch } from 'diff';
import { dirname, relative, sep } from 'node:path';
import type { FileChange } from './plan.js';

/** The deepest folder holding every path. */
export function commonFolder(paths: readonly string[]): string {
  const split = paths.map((p) => dirname(p).split(sep));
  const first = split[0] ?? [];
  let n = 0;
  while (n < first.length && split.every((s) => s[n] === first[n])) n++;
  return first.slice(0, n).join(sep) || sep;
}

/** A unified diff of every change, paths relative to `base` (git-style a/ b/ prefixes, /dev/null for new files). */
export function unifiedDiff(
  changes: readonly FileChange[],
  base = commonFolder(changes.map((c) => c.path)),
): string {
  return changes
    .map((c) => {
      const path = relative(base, c.path).split('\\').join('/');
      const patch = createTwoFilesPatch(
        c.before === undefined ? '/dev/null' : `a/${path}`,
        `b/${path}`,
        c.before ?? '',
        c.after,
        undefined,
        undefined,
        { context: 3 },
      );
      // createTwoFilesPatch opens with a separator line of '='; drop it so the output is plain unified diff.
      return patch.replace(/^=+\n/, '');
    })
    .join('');
}
