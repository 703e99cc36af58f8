/** `dotnet publish` for NativeAOT, its output followed for progress, into a folder of the caller's choosing. */
import { spawn } from 'node:child_process';
import { PublishProgress, type Diagnostic, type Phase } from './progress.js';
import { crossCompileProperties, type Toolchain } from './toolchain.js';

export interface PublishRequest {
  readonly dotnet: string;
  readonly csproj: string;
  readonly cwd: string;
  readonly outDir: string;
  readonly toolchain: Toolchain;
}

/** The arguments of the publish: Release, the target's RID, and the cross-link properties when cross-compiling. */
export function publishArgs(request: Omit<PublishRequest, 'dotnet' | 'cwd'>): string[] {
  return [
    'publish',
    request.csproj,
    '-c',
    'Release',
    '-r',
    request.toolchain.target.rid,
    '-o',
    request.outDir,
    // The classic console logger writes plain lines the progress parser reads; the terminal logger redraws.
    '-tl:off',
    '--nologo',
    ...crossCompileProperties(request.toolchain),
  ];
}

export interface PublishEvents {
  onPhase(phase: Phase, elapsedSeconds: number): void;
  onDiagnostic?(diagnostic: Diagnostic): void;
  /** Called every `heartbeatMs` while a phase runs without news (the native compile). */
  onHeartbeat?(phase: Phase | undefined, elapsedSeconds: number): void;
  heartbeatMs?: number;
}

export interface PublishResult {
  readonly ok: boolean;
  readonly status: number;
  readonly seconds: number;
  readonly output: string;
  readonly diagnostics: readonly Diagnostic[];
}

export function runPublish(request: PublishRequest, events: PublishEvents): Promise<PublishResult> {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  let lastNews = performance.now();
  const progress = new PublishProgress(
    (phase) => {
      lastNews = performance.now();
      events.onPhase(phase, elapsed());
    },
    (diagnostic) => events.onDiagnostic?.(diagnostic),
  );
  const heartbeatMs = events.heartbeatMs ?? 15_000;
  return new Promise((resolve, reject) => {
    const child = spawn(request.dotnet, publishArgs(request), {
      cwd: request.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
    });
    const timer = setInterval(
      () => {
        if (performance.now() - lastNews < heartbeatMs) return;
        lastNews = performance.now();
        events.onHeartbeat?.(progress.phase, elapsed());
      },
      Math.min(heartbeatMs, 1000),
    );
    const chunks: string[] = [];
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      chunks.push(text);
      progress.write(text);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearInterval(timer);
      progress.end();
      resolve({
        ok: code === 0,
        status: code ?? 1,
        seconds: elapsed(),
        output: chunks.join(''),
        diagnostics: progress.diagnostics,
      });
    });
  });
}
