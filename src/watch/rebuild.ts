/**
 * Builds for the development server: a fast JIT build for this machine by default (Debug, the host's runtime
 * identifier, so an arm64 function runs on an x86_64 laptop too), or the NativeAOT publish with --native. Each
 * build goes to a folder of its own, so runtimes still serving the previous build keep their files.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FunctionProject } from './function-project.js';

export type BuildMode = 'jit' | 'native';

export interface BuildResult {
  readonly ok: boolean;
  readonly executable: string;
  readonly seconds: number;
  /** The compiler's error lines (or the tail of the output) when the build failed. */
  readonly errors: string[];
}

const hostRid = (): string => (process.arch === 'arm64' ? 'linux-arm64' : 'linux-x64');

function buildArgs(project: FunctionProject, mode: BuildMode, out: string): string[] {
  const common = ['--nologo', '-v', 'q', '-o', out, '-p:RuntimeIdentifier=' + hostRid()];
  return mode === 'jit'
    ? ['build', project.csproj, '-c', 'Debug', ...common]
    : ['publish', project.csproj, '-c', 'Release', ...common];
}

/** The distinct error lines of an MSBuild output, or its last lines when none is marked. */
export function buildErrors(output: string): string[] {
  const lines = output.split(/\r?\n/).map((l) => l.trim());
  const errors = [...new Set(lines.filter((l) => /\berror\s+[A-Z]+\d+|: error\b/.test(l)))];
  return errors.length > 0 ? errors : lines.filter((l) => l !== '').slice(-15);
}

export class Builder {
  private count = 0;
  private running: ChildProcess | undefined;

  constructor(
    private readonly project: FunctionProject,
    private readonly mode: BuildMode,
    /** Where the builds go: <root>/artifacts/watch by default (the generated .gitignore ignores artifacts/). */
    private readonly outRoot = join(project.root, 'artifacts', 'watch'),
  ) {}

  async build(): Promise<BuildResult> {
    this.count += 1;
    const out = join(this.outRoot, `build-${this.count}`);
    // Builds older than the previous one serve no runtime any more.
    if (this.count > 2)
      rmSync(join(this.outRoot, `build-${this.count - 2}`), { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const started = performance.now();
    const { status, output } = await this.dotnet(buildArgs(this.project, this.mode, out));
    return {
      ok: status === 0,
      executable: join(out, this.project.assemblyName),
      seconds: (performance.now() - started) / 1000,
      errors: status === 0 ? [] : buildErrors(output),
    };
  }

  /** Stops a build in progress (Ctrl-C): its whole process group. */
  stop(): void {
    if (this.running?.pid) {
      try {
        process.kill(-this.running.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  private dotnet(args: string[]): Promise<{ status: number; output: string }> {
    return new Promise((resolve, reject) => {
      // No build servers: they would outlive the development server (Ctrl-C must leave no process behind).
      const child = spawn('dotnet', [...args, '--disable-build-servers'], {
        cwd: this.project.root,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
      });
      this.running = child;
      const chunks: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.stderr.on('data', (c: Buffer) => chunks.push(c));
      child.on('error', reject);
      child.on('close', (code) => {
        this.running = undefined;
        resolve({ status: code ?? 1, output: Buffer.concat(chunks).toString('utf8') });
      });
    });
  }
}
