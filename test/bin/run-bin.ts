import { spawn } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, readlinkSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packageRoot } from '../../src/paths.js';
import { tempDir, writeTree } from '../helpers/fs.js';

/** Runs the package's bin as users do (a child process, stdin closed) and snapshots folders around it. */

/**
 * Node's arguments that start the bin: `node ...binArgs <aot-lambda args>`. From source through tsx by default;
 * from the compiled dist/ when the runner says it was just built (`npm test` builds first, and each tsx start-up
 * costs about a second of CPU, which the bad-input and interruption suites pay hundreds of times). The loader is
 * an absolute URL: `--import tsx` would resolve from the child's cwd, maybe a temp dir without node_modules.
 */
export const binArgs: readonly string[] =
  process.env.AOT_LAMBDA_TEST_BIN === 'dist'
    ? [join(packageRoot, 'dist/src/cli/main.js')]
    : ['--import', import.meta.resolve('tsx'), join(packageRoot, 'src/cli/main.ts')];

export interface BinResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runBin(
  args: readonly string[],
  options: {
    cwd: string;
    env?: NodeJS.ProcessEnv;
    node?: string;
    timeoutMs?: number;
    /** A command the bin runs under, e.g. ['runuser', '-u', 'nobody', '--']. */
    wrapper?: readonly string[];
  },
): Promise<BinResult> {
  const env = { ...(options.env ?? process.env) };
  delete env.AOT_LAMBDA_DEBUG;
  return new Promise((resolve, reject) => {
    const [command, ...prefix] = [...(options.wrapper ?? []), options.node ?? process.execPath];
    const child = spawn(command as string, [...prefix, ...binArgs, ...args], {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 120_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * Every entry under `dir` (folders as `path/`), with file bytes and modes, and symlinks as where they point (not
 * followed): compared before and after a run.
 */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (at: string): void => {
    for (const entry of readdirSync(at).sort()) {
      const path = join(at, entry);
      const stat = lstatSync(path);
      const rel = relative(dir, path);
      if (stat.isSymbolicLink()) out.set(rel, `link ${readlinkSync(path)}`);
      else if (!stat.isFile() && !stat.isDirectory()) out.set(rel, `special ${stat.mode.toString(8)}`);
      else if (stat.isDirectory()) {
        out.set(`${rel}/`, `dir ${(stat.mode & 0o777).toString(8)}`);
        walk(path);
      } else out.set(rel, `${(stat.mode & 0o777).toString(8)} ${readFileSync(path).toString('base64')}`);
    }
  };
  walk(dir);
  return out;
}

/** A temp working folder that already holds some of the user's own files (bytes any run must leave alone). */
export function userFolder(extra: Record<string, string> = {}): string {
  const dir = tempDir('aot-lambda-bin-');
  writeTree(dir, {
    'notes.txt': "the user's own notes\n",
    'data/blob.bin': '\u0000\u0001binary\u00ff',
    '.yo-rc-unrelated.json': '{"keep": true}\n',
    ...extra,
  });
  return dir;
}

/** A folder whose only program is `node`: PATH for a machine without dotnet (or git, or anything else). */
export function nodeOnlyPath(): string {
  const dir = tempDir('aot-lambda-path-');
  symlinkSync(process.execPath, join(dir, 'node'));
  return dir;
}
