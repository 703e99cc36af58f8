import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Emulator, type EmulatorOptions } from '../../src/emulator/index.js';

/** The scripted test runtime (executable, with a `#!/usr/bin/env node` line). */
export const scriptedRuntime = fileURLToPath(
  new URL('../fixtures/runtimes/scripted-runtime.mjs', import.meta.url),
);

/** An emulator over the scripted runtime, quiet and capturing its output unless told otherwise. */
export function startScripted(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  return Emulator.start({ executable: scriptedRuntime, output: 'capture', ...options });
}

/** Alive and not a zombie (a container's PID 1 may never reap the orphans it inherits). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Members of a process group that are still running. */
export function groupMembers(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(fields[2]) === pgid && fields[0] !== 'Z';
      } catch {
        return false;
      }
    });
}

export function openFileDescriptors(): number {
  return readdirSync('/proc/self/fd').length;
}

export function json<T = Record<string, unknown>>(payload: string): T {
  return JSON.parse(payload) as T;
}
