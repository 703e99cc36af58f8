import { spawn } from 'node:child_process';
import { findExecutable } from '../../src/tools.js';
import { tempDir } from '../helpers/fs.js';

/** What the end-to-end tests need from the machine; each missing piece is a reason to skip, printed. */
export function missingTools(tools: readonly string[] = ['dotnet', 'clang']): string | undefined {
  const missing = tools.filter((tool) => !findExecutable(tool));
  return missing.length > 0 ? `skipped: ${missing.join(' and ')} not on PATH` : undefined;
}

export interface Run {
  readonly status: number;
  readonly output: string;
  readonly seconds: number;
}

/** Runs a command, capturing stdout and stderr together (async, so the test runner stays responsive). */
export function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        status: code ?? 1,
        output: Buffer.concat(chunks).toString('utf8'),
        seconds: (performance.now() - started) / 1000,
      }),
    );
  });
}

/**
 * dotnet with the settings every e2e run shares: no telemetry or first-run noise. (No DOTNET_ROLL_FORWARD:
 * generated test projects roll forward by themselves, as they must on a user's machine with only .NET 10.)
 */
export function dotnet(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return run('dotnet', args, cwd, {
    ...env,
    DOTNET_CLI_TELEMETRY_OPTOUT: '1',
    DOTNET_NOLOGO: '1',
    DOTNET_SKIP_FIRST_TIME_EXPERIENCE: '1',
    MSBUILDDISABLENODEREUSE: '1',
  });
}

/** The last lines of a long output, for assertion messages. */
export function tail(text: string, lines = 30): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

export function workDir(prefix: string): string {
  return tempDir(`aot-lambda-e2e-${prefix}-`);
}

/** A restore failure caused by packages the configured NuGet sources do not serve (e.g. Amazon.Lambda.*). */
export function unavailablePackages(output: string): string[] {
  return [
    ...new Set(
      [...output.matchAll(/NU110[12]: Unable to find package ([\w.-]+?)\.? /g)].map((m) => m[1] as string),
    ),
  ];
}
