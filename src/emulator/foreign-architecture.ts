/**
 * Running an executable built for the other architecture (an arm64 function on an x86_64 laptop): through
 * qemu-user's emulator, given the target's C library from Debian's cross packages (-L /usr/<triple>). Timings
 * and memory under emulation are not Lambda's, and callers say so.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { architectureOfMachine, hostArchitecture, type Architecture } from '../catalog/architectures.js';
import { isElf } from '../doctor/elf.js';
import { findExecutable } from '../tools.js';

export type ForeignLaunch =
  /** Runs as it is: a script, this machine's architecture, or not an ELF we know (execve will say). */
  | { readonly kind: 'native' }
  /** The kernel runs it through a registered binfmt_misc interpreter: emulated, without our help. */
  | { readonly kind: 'binfmt'; readonly architecture: Architecture }
  /** Run `prefix + [executable]`. */
  | { readonly kind: 'emulated'; readonly architecture: Architecture; readonly prefix: readonly string[] }
  /** It cannot run here; `hint` names what to install. */
  | { readonly kind: 'unavailable'; readonly architecture: Architecture; readonly hint: string };

/** The ELF e_machine of a file, or undefined when it is not an ELF file (or unreadable). */
export function readElfMachine(path: string): number | undefined {
  const head = Buffer.alloc(20);
  let read: number;
  try {
    const fd = openSync(path, 'r');
    try {
      read = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  if (read < 20 || !isElf(head)) return undefined;
  return head[5] === 1 ? head.readUInt16LE(18) : head.readUInt16BE(18);
}

export interface Machine {
  readonly host: Architecture | undefined;
  findProgram(name: string): string | undefined;
  exists(path: string): boolean;
  /** binfmt_misc has qemu registered for this architecture, so the kernel runs its executables. */
  binfmtRegistered(architecture: Architecture): boolean;
}

export const thisMachine: Machine = {
  host: hostArchitecture(),
  findProgram: (name) => findExecutable(name),
  exists: (path) => existsSync(path),
  // Debian's qemu-user-binfmt registers each emulator under its own name.
  binfmtRegistered: (architecture) => existsSync(`/proc/sys/fs/binfmt_misc/${architecture.qemu}`),
};

export function foreignLaunch(executable: string, machine: Machine = thisMachine): ForeignLaunch {
  const elfMachine = readElfMachine(executable);
  const architecture = elfMachine === undefined ? undefined : architectureOfMachine(elfMachine);
  if (!architecture || !machine.host || architecture.id === machine.host.id) return { kind: 'native' };
  if (machine.binfmtRegistered(architecture)) return { kind: 'binfmt', architecture };
  const sysroot = `/usr/${architecture.gnuTriple}`;
  // Debian names the static build qemu-<arch>-static (package qemu-user-static); either one does.
  const qemu = [architecture.qemu, `${architecture.qemu}-static`]
    .map((name) => machine.findProgram(name))
    .find((found) => found !== undefined);
  const missing: string[] = [];
  if (!qemu) missing.push('qemu-user');
  if (!machine.exists(`${sysroot}/lib/libc.so.6`)) missing.push(`libc6-${architecture.debianArch}-cross`);
  if (missing.length > 0 || !qemu) {
    return {
      kind: 'unavailable',
      architecture,
      hint:
        `it is an ${architecture.id} executable and this machine is ${machine.host.id}: to run it here under ` +
        `emulation, install ${missing.join(' and ')} (Debian/Ubuntu: sudo apt-get install ${missing.join(' ')}), ` +
        `or run it on an ${architecture.id} machine`,
    };
  }
  return { kind: 'emulated', architecture, prefix: [qemu, '-L', sysroot] };
}

/** The line `invoke` prints before an emulated run. */
export function emulationNotice(
  launch: ForeignLaunch & { kind: 'emulated' | 'binfmt' },
  host: string,
): string {
  const how = launch.kind === 'emulated' ? `under ${launch.prefix.join(' ')}` : 'through binfmt_misc (qemu)';
  return (
    `aot-lambda invoke: ${launch.architecture.id} executable on this ${host} machine, run ${how}: ` +
    'Init Duration, Duration and Max Memory Used are emulated, not what Lambda will measure.'
  );
}
