import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { findExecutable } from '../tools.js';
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
  /** Called with the process's pid once it exists and before the bootstrap runs (to put it in a cgroup). */
  beforeExec?: (pid: number) => void;
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

/** stdout and stderr of the runtime; stdin is the start line's pipe, and /dev/null once the bootstrap runs. */
const outputFor: Record<OutputMode, ['inherit' | 'pipe' | 'ignore' | 2, 'inherit' | 'pipe' | 'ignore' | 2]> =
  {
    inherit: ['inherit', 'inherit'],
    stderr: [2, 2],
    capture: ['pipe', 'pipe'],
    ignore: ['ignore', 'ignore'],
  };

const SHELL = '/bin/sh';

/**
 * Spawning from Node forks a large process, which takes milliseconds that are Node's, not the runtime's.
 * So a small shell is forked first; it says it is ready on fd 3 and waits for a line on stdin, then execs
 * the bootstrap in place (same pid, same process group). t0 is the moment that line is written, which is
 * as close to Lambda's exec of bootstrap as a local process can get. `$0` and `$@` carry the argv, so
 * nothing is interpolated into the script. dash exports PWD; a PWD the runtime was not given is unset.
 */
const startScript = (keepPwd: boolean): string =>
  `printf r >&3; read -r _ || exit 0; ${keepPwd ? '' : 'unset PWD; '}exec "$0" "$@" </dev/null 3>&-`;

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

  static async start(spec: RuntimeProcessSpec): Promise<RuntimeProcess> {
    const [command, ...args] = spec.argv;
    if (!command) throw new Error('empty command');
    // The shell would report these as its own exit status: find them first, as Lambda's exec would.
    const problem = execProblem(command, spec.env.PATH);
    if (problem) throw new SpawnError(command, problem, new Error(problem));
    const [stdout, stderr] = outputFor[spec.output];
    const child = spawn(SHELL, ['-c', startScript(spec.env.PWD !== undefined), command, ...args], {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['pipe', stdout, stderr, 'pipe'],
      detached: true, // setsid(): own process group, as RIE does
      windowsHide: true,
    });
    if (spec.output === 'capture') {
      child.stdout?.on('data', (chunk: Buffer) => spec.onOutput?.(chunk, 'stdout'));
      child.stderr?.on('data', (chunk: Buffer) => spec.onOutput?.(chunk, 'stderr'));
    }
    const ready = child.stdio[3] as Readable;
    const go = child.stdin as Writable;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => reject(new SpawnError(SHELL, error.code, error));
      child.once('error', onError);
      ready.once('data', () => {
        child.off('error', onError);
        resolve();
      });
      ready.once('close', () =>
        reject(new SpawnError(SHELL, undefined, new Error('the start shell exited'))),
      );
    });
    // Later errors (a failed kill, a write to a shell that is gone) must not crash the host process.
    child.on('error', () => undefined);
    go.on('error', () => undefined);
    ready.destroy();
    if (child.pid !== undefined) spec.beforeExec?.(child.pid);
    const spawnedAt = performance.now();
    go.end('\n');
    return new RuntimeProcess(child, spawnedAt);
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

/** Why execve() would refuse the command, as its errno name, or undefined when it would run it. */
function execProblem(command: string, path: string | undefined): string | undefined {
  const file = command.includes('/') ? command : findExecutable(command, path ?? '');
  if (file === undefined || !existsSync(file)) return 'ENOENT';
  try {
    accessSync(file, constants.X_OK);
    if (!statSync(file).isFile()) return 'EACCES';
  } catch {
    return 'EACCES';
  }
  return wouldFailExecFormat(file) ? 'ENOEXEC' : undefined;
}

/** Waits for `promise` at most `ms`, leaving no timer behind. */
export async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolveTimer) => (timer = setTimeout(resolveTimer, ms)))]);
  clearTimeout(timer);
}
