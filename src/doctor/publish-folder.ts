import { statSync, type Stats } from 'node:fs';
import { join } from 'node:path';

/** A target that names no file to run: it does not exist, or it is a folder without a bootstrap. */
export class NoTargetError extends Error {
  constructor(
    readonly target: string,
    readonly reason: 'missing' | 'no-bootstrap',
  ) {
    super(
      reason === 'missing' ? `${target}: no such file` : `${target} is a folder without a bootstrap in it`,
    );
  }
}

/** For a folder (a publish folder), the bootstrap in it; otherwise the path itself. */
export function bootstrapIn(path: string, stat: Stats): string {
  return stat.isDirectory() ? join(path, 'bootstrap') : path;
}

/**
 * The file `target` stands for and its stats: the target itself, or the bootstrap in it when it is a folder.
 * `aot-lambda invoke` and `aot-lambda doctor` both take either. Throws NoTargetError when there is no such file.
 */
export function resolveTarget(target: string): { path: string; stat: Stats } {
  const stat = statOrUndefined(target);
  if (!stat) throw new NoTargetError(target, 'missing');
  const path = bootstrapIn(target, stat);
  const inner = path === target ? stat : statOrUndefined(path);
  if (!inner) throw new NoTargetError(target, 'no-bootstrap');
  return { path, stat: inner };
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
