/**
 * Lambda's CPU share and memory limit for a local runtime, through a cgroup of its own: Lambda gives a
 * function CPU in proportion to its memory (1,769 MB is one vCPU) and stops a runtime that goes over its
 * memory size. A child cgroup is made under the cgroup this process is in (so whatever limits the host puts
 * on us still hold), with cgroup v2 when its cpu and memory controllers are delegated to us, else with the
 * cgroup v1 cpu and memory hierarchies (writable as root). Without either, the caller says so in one line
 * and the runtime gets the whole machine.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processExists } from '../processes.js';

/** Lambda: "at 1,769 MB, a function has the equivalent of one vCPU". */
export const MEMORY_MB_PER_VCPU = 1769;
/** cgroup CPU bandwidth period, the kernel's default: 100 ms. */
const PERIOD_US = 100_000;

/** `lambda`: Lambda's CPU share for the memory size; `host`: the whole machine (the bench's numbers). */
export type CpuMode = 'lambda' | 'host';
export const cpuModes: readonly CpuMode[] = ['lambda', 'host'];

/** The CPUs Lambda gives a function of this memory size. */
export function lambdaCpus(memoryMb: number): number {
  return memoryMb / MEMORY_MB_PER_VCPU;
}

export interface SandboxLimits {
  /** CPUs of bandwidth (0.289 for 512 MB); none when undefined. */
  cpus?: number;
  /** Hard memory limit of the whole process tree; none when undefined. */
  memoryBytes?: number;
}

/** One runtime's cgroup(s): put its process in, ask whether the kernel's OOM killer fired, remove. */
export interface Sandbox {
  readonly kind: 'cgroup v2' | 'cgroup v1';
  add(pid: number): void;
  /** The memory limit was hit and the kernel killed a process of the tree. */
  oomKilled(): boolean;
  /** Removes the cgroups; their processes must be gone (a few retries cover the last ones being reaped). */
  remove(): Promise<void>;
}

export type SandboxResult = { sandbox: Sandbox } | { unavailable: string };

interface Hierarchy {
  /** Where the cgroup this process is in sits in the file system. */
  readonly dir: string;
}

let counter = 0;
let swept = false;

const sandboxName = /^aot-lambda-(\d+)-\d+$/;

/** The folders sandboxes are made in: this process's own cgroups (v2, or v1's cpu and memory hierarchies). */
export function sandboxParents(): string[] {
  const mounts = cgroupMounts();
  const membership = ownCgroups();
  return [
    v2Hierarchy(mounts, membership),
    v1Hierarchy(mounts, membership, 'cpu'),
    v1Hierarchy(mounts, membership, 'memory'),
  ].flatMap((h) => (h ? [h.dir] : []));
}

/**
 * Removes the sandboxes of emulators that were killed (SIGKILL skips their clean-up): those named after a process
 * that is gone. One a process still runs in stays (rmdir refuses), as does anything not named like a sandbox.
 */
export function sweepStaleSandboxes(parents: readonly string[] = sandboxParents()): void {
  for (const parent of parents) {
    let entries: string[];
    try {
      entries = readdirSync(parent);
    } catch {
      continue;
    }
    for (const entry of entries) {
      const pid = Number(sandboxName.exec(entry)?.[1] ?? 0);
      if (pid > 0 && pid !== process.pid && !processExists(pid)) rmdirQuietly(join(parent, entry));
    }
  }
}

/** A fresh sandbox with these limits, or why none can be made here. */
export function createSandbox(limits: SandboxLimits): SandboxResult {
  if (process.env.AOT_LAMBDA_NO_CGROUPS) return { unavailable: 'AOT_LAMBDA_NO_CGROUPS is set' };
  const name = `aot-lambda-${process.pid}-${++counter}`;
  const mounts = cgroupMounts();
  const membership = ownCgroups();
  const v2 = v2Hierarchy(mounts, membership);
  const cpu = v1Hierarchy(mounts, membership, 'cpu');
  const memory = v1Hierarchy(mounts, membership, 'memory');
  // Once per process: what other, killed emulators left does not change while this one runs sandboxes.
  if (!swept) {
    swept = true;
    sweepStaleSandboxes([v2, cpu, memory].flatMap((h) => (h ? [h.dir] : [])));
  }
  const reasons: string[] = [];
  if (v2) {
    try {
      return { sandbox: V2Sandbox.create(join(v2.dir, name), limits) };
    } catch (error) {
      reasons.push(`cgroup v2 at ${v2.dir}: ${describe(error)}`);
    }
  }
  if (cpu && memory) {
    try {
      return { sandbox: V1Sandbox.create(join(cpu.dir, name), join(memory.dir, name), limits) };
    } catch (error) {
      reasons.push(`cgroup v1: ${describe(error)}`);
    }
  } else if (!v2) {
    reasons.push('no cgroup v2 with cpu and memory controllers, and no cgroup v1 cpu and memory hierarchies');
  }
  return { unavailable: reasons.join('; ') };
}

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ? `${e.code} on ${e.path ?? 'a cgroup file'}` : String(e.message ?? e);
}

class V2Sandbox implements Sandbox {
  readonly kind = 'cgroup v2';

  private constructor(private readonly dir: string) {}

  static create(dir: string, limits: SandboxLimits): V2Sandbox {
    mkdirSync(dir);
    const sandbox = new V2Sandbox(dir);
    try {
      if (limits.cpus !== undefined)
        writeFileSync(
          join(dir, 'cpu.max'),
          `${Math.max(1000, Math.round(limits.cpus * PERIOD_US))} ${PERIOD_US}`,
        );
      if (limits.memoryBytes !== undefined) {
        writeFileSync(join(dir, 'memory.max'), String(limits.memoryBytes));
        // Lambda has no swap: going over the size is going over the size.
        if (existsSync(join(dir, 'memory.swap.max'))) writeFileSync(join(dir, 'memory.swap.max'), '0');
      }
    } catch (error) {
      rmdirQuietly(dir);
      throw error;
    }
    return sandbox;
  }

  add(pid: number): void {
    writeFileSync(join(this.dir, 'cgroup.procs'), String(pid));
  }

  oomKilled(): boolean {
    return counterIn(readQuietly(join(this.dir, 'memory.events')), 'oom_kill') > 0;
  }

  remove(): Promise<void> {
    return removeDirs([this.dir]);
  }
}

class V1Sandbox implements Sandbox {
  readonly kind = 'cgroup v1';

  private constructor(
    private readonly cpuDir: string,
    private readonly memoryDir: string,
  ) {}

  static create(cpuDir: string, memoryDir: string, limits: SandboxLimits): V1Sandbox {
    const made: string[] = [];
    try {
      for (const dir of [cpuDir, memoryDir]) {
        mkdirSync(dir);
        made.push(dir);
      }
      if (limits.cpus !== undefined) {
        writeFileSync(join(cpuDir, 'cpu.cfs_period_us'), String(PERIOD_US));
        writeFileSync(
          join(cpuDir, 'cpu.cfs_quota_us'),
          String(Math.max(1000, Math.round(limits.cpus * PERIOD_US))),
        );
      }
      if (limits.memoryBytes !== undefined) {
        writeFileSync(join(memoryDir, 'memory.limit_in_bytes'), String(limits.memoryBytes));
        // Memory plus swap, when swap accounting is on: Lambda has no swap.
        const memsw = join(memoryDir, 'memory.memsw.limit_in_bytes');
        if (existsSync(memsw)) writeFileSync(memsw, String(limits.memoryBytes));
      }
    } catch (error) {
      for (const dir of made) rmdirQuietly(dir);
      throw error;
    }
    return new V1Sandbox(cpuDir, memoryDir);
  }

  add(pid: number): void {
    writeFileSync(join(this.cpuDir, 'cgroup.procs'), String(pid));
    writeFileSync(join(this.memoryDir, 'cgroup.procs'), String(pid));
  }

  oomKilled(): boolean {
    // `oom_kill N` since Linux 4.13; before it, a failed charge at the limit is the best sign there is.
    const control = readQuietly(join(this.memoryDir, 'memory.oom_control'));
    if (/^oom_kill /m.test(control)) return counterIn(control, 'oom_kill') > 0;
    return Number(readQuietly(join(this.memoryDir, 'memory.failcnt')).trim()) > 0;
  }

  remove(): Promise<void> {
    return removeDirs([this.cpuDir, this.memoryDir]);
  }
}

/** `name N` lines (memory.events, memory.oom_control). */
function counterIn(text: string, name: string): number {
  const match = new RegExp(`^${name} (\\d+)$`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

async function removeDirs(dirs: string[]): Promise<void> {
  for (const dir of dirs) {
    // A killed tree's last processes may still be being reaped: rmdir says EBUSY until they are.
    for (let attempt = 0; attempt < 20; attempt++) {
      if (rmdirQuietly(dir)) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/** true once the directory is gone. */
function rmdirQuietly(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

function readQuietly(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

interface Mount {
  readonly root: string;
  readonly mountPoint: string;
  readonly type: 'cgroup' | 'cgroup2';
  readonly options: readonly string[];
}

/** cgroup and cgroup2 mounts from /proc/self/mountinfo. */
function cgroupMounts(): Mount[] {
  const mounts: Mount[] = [];
  for (const line of readQuietly('/proc/self/mountinfo').split('\n')) {
    const [before, after] = line.split(' - ');
    if (!before || !after) continue;
    const fields = before.split(' ');
    const [type, , superOptions] = after.split(' ');
    if (type !== 'cgroup' && type !== 'cgroup2') continue;
    mounts.push({
      root: unescapeMount(fields[3] ?? '/'),
      mountPoint: unescapeMount(fields[4] ?? ''),
      type,
      options: (superOptions ?? '').split(','),
    });
  }
  return mounts;
}

/** mountinfo writes space, tab, newline and backslash as octal escapes. */
function unescapeMount(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** This process's cgroup per hierarchy: '' for v2, the controller list (`cpu,cpuacct`) for v1. */
function ownCgroups(): Map<string, string> {
  const membership = new Map<string, string>();
  for (const line of readQuietly('/proc/self/cgroup').split('\n')) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line);
    if (match) membership.set(match[1] as string, match[2] as string);
  }
  return membership;
}

function dirOf(mount: Mount, path: string): string {
  const relative = mount.root !== '/' && path.startsWith(mount.root) ? path.slice(mount.root.length) : path;
  return join(mount.mountPoint, relative);
}

function v2Hierarchy(mounts: Mount[], membership: Map<string, string>): Hierarchy | undefined {
  const mount = mounts.find((m) => m.type === 'cgroup2');
  const path = membership.get('');
  if (!mount || path === undefined) return undefined;
  const dir = dirOf(mount, path);
  // The controllers a child of ours can use are those in our cgroup.subtree_control.
  const delegated = readQuietly(join(dir, 'cgroup.subtree_control')).trim().split(/\s+/);
  if (!delegated.includes('cpu') || !delegated.includes('memory')) return undefined;
  return { dir };
}

function v1Hierarchy(
  mounts: Mount[],
  membership: Map<string, string>,
  controller: 'cpu' | 'memory',
): Hierarchy | undefined {
  const mount = mounts.find((m) => m.type === 'cgroup' && m.options.includes(controller));
  if (!mount) return undefined;
  const key = [...membership.keys()].find((k) => k.split(',').includes(controller));
  if (key === undefined) return undefined;
  return { dir: dirOf(mount, membership.get(key) as string) };
}
