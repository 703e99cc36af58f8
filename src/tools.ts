import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The one wrapper around external tools: finds them on PATH and turns "not installed" into a clear message.
 * Like exec, it passes over directories that happen to carry the name.
 */
export function findExecutable(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const toolHints: Readonly<Record<string, string>> = {
  dotnet: 'install the .NET SDK 10 (https://dot.net/download)',
  clang: 'install clang and zlib1g-dev (Debian/Ubuntu) or clang and zlib-devel (Amazon Linux) for NativeAOT',
  zip: 'install zip',
};

export class MissingToolError extends Error {}

export function requireTool(name: string, purpose: string): string {
  const found = findExecutable(name);
  if (!found) {
    throw new MissingToolError(
      `'${name}' was not found on PATH; it is needed to ${purpose}: ${toolHints[name] ?? `install ${name}`}.`,
    );
  }
  return found;
}

export interface ToolResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a tool to completion, capturing output (no shell). */
export function runTool(
  name: string,
  args: readonly string[],
  options: { cwd?: string; purpose: string },
): ToolResult {
  const file = requireTool(name, options.purpose);
  const result = spawnSync(file, args, { cwd: options.cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status ?? 1, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** Runs a tool, handing each line of its standard output to `onLine` as it comes (progress), and capturing both streams. */
export function streamTool(
  name: string,
  args: readonly string[],
  options: { cwd?: string; purpose: string; onLine: (line: string) => void },
): Promise<ToolResult> {
  const file = requireTool(name, options.purpose);
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let partial = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) options.onLine(line.replace(/\r$/, ''));
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => resolve({ status: 1, stdout, stderr: stderr + error.message }));
    child.on('close', (code) => {
      if (partial !== '') options.onLine(partial);
      resolve({ status: code ?? 1, stdout, stderr });
    });
  });
}
