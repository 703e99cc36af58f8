import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { wouldFailExecFormat } from './exec-format.js';

/** Where the runtime's stdout and stderr go. `stderr` sends both to ours, keeping our stdout for payloads. */
export type OutputMode = 'inherit' | 'stderr' | 'capture' | 'ignore';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RuntimeProcessSpec {
  /** argv[0] is executed directly (PATH lookup if it has no slash), never through a shell. */
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  output: OutputMode;
  onOutput?: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
}

/** The executable could not be started (missing, not executable, wrong format). */
export class SpawnError extends Error {
  constructor(
    readonly path: string,
    readonly code: string | undefined,
    cause: unknown,
  ) {
    super(`cannot start ${path}: ${code ?? String(cause)}`, { cause });
    this.name = 'SpawnError';
  }
}

const stdioFor: Record<OutputMode, StdioOptions> = {
  inherit: ['ignore', 'inherit', 'inherit'],
  stderr: ['ignore', 2, 2],
  capture: ['ignore', 'pipe', 'pipe'],
  ignore: ['ignore', 'ignore', 'ignore'],
};

/** One bootstrap process, leader of its own process group so that the whole tree can be killed at once. */
export class RuntimeProcess {
  /** performance.now() just before spawn: t0 of the cold start. */
  readonly spawnedAt: number;
  readonly exited: Promise<ExitInfo>;
  private exitInfo: ExitInfo | undefined;

  private constructor(
    private readonly child: ChildProcess,
    spawnedAt: number,
  ) {
    this.spawnedAt = spawnedAt;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
  }

  static start(spec: RuntimeProcessSpec): Promise<RuntimeProcess> {
    const [command, ...args] = spec.argv;
    if (!command) return Promise.reject(new Error('empty command'));
    if (command.includes('/') && wouldFailExecFormat(command)) {
      return Promise.reject(new SpawnError(command, 'ENOEXEC', new Error('exec format error')));
    }
    const spawnedAt = performance.now();
    const child = spawn(command, args, {
      cwd: spec.cwd,
      env: spec.env,
      stdio: stdioFor[spec.output],
      detached: true, // setsid(): own process group, as RIE does
      windowsHide: true,
    });
    if (spec.output === 'capture') {
      child.stdout?.on('data', (chunk: Buffer) => spec.onOutput?.(chunk, 'stdout'));
      child.stderr?.on('data', (chunk: Buffer) => spec.onOutput?.(chunk, 'stderr'));
    }
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => reject(new SpawnError(command, error.code, error));
      child.once('error', onError);
      child.once('spawn', () => {
        child.off('error', onError);
        // Later errors (a failed kill) must not crash the host process.
        child.on('error', () => undefined);
        resolve(new RuntimeProcess(child, spawnedAt));
      });
    });
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** How it ended, once it has. */
  get exit(): ExitInfo | undefined {
    return this.exitInfo;
  }

  /** SIGKILL the whole process group: children the runtime started die with it. */
  killGroup(signal: NodeJS.Signals = 'SIGKILL'): void {
    try {
      process.kill(-this.pid, signal);
    } catch {
      // ESRCH: the group is already gone
    }
  }

  /** Kill the group and wait for the leader to be reaped and its captured output to drain. */
  async terminate(): Promise<ExitInfo> {
    this.killGroup();
    const info = await this.exited;
    await this.drainOutput();
    return info;
  }

  /**
   * Waits for captured pipes to close after the exit, so that no handle outlives the process; a descendant
   * that escaped the group could hold them open forever, so they are destroyed after a short grace.
   */
  async drainOutput(graceMs = 500): Promise<void> {
    const streams = [this.child.stdout, this.child.stderr].filter(
      (s): s is NonNullable<typeof s> => s !== null && !s.closed,
    );
    if (streams.length === 0) return;
    await within(
      Promise.all(streams.map((s) => new Promise((resolve) => s.once('close', resolve)))),
      graceMs,
    );
    for (const s of streams) s.destroy();
  }
}

/** Waits for `promise` at most `ms`, leaving no timer behind. */
export async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolveTimer) => (timer = setTimeout(resolveTimer, ms)))]);
  clearTimeout(timer);
}
