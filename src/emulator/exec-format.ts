import { closeSync, existsSync, openSync, readSync, readdirSync } from 'node:fs';
import { architectures } from '../catalog/architectures.js';
import { isElf } from '../doctor/elf.js';

/** ELF e_machine of the executables this machine runs natively (node's x64 / arm64 are the rids' suffixes). */
const nativeMachine = architectures.find((a) => a.rid === `linux-${process.arch}`)?.elfMachine;

/**
 * Would execve() refuse this file with ENOEXEC? libuv, like execvp(3), then retries through /bin/sh, which
 * hides the error Lambda reports ("exec format error") behind a shell's exit status; so the emulator looks
 * first. A script needs `#!`; an ELF needs this machine's architecture, unless binfmt_misc (qemu-user) is
 * set up to run foreign ones.
 */
export function wouldFailExecFormat(path: string): boolean {
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
    return false; // missing or unreadable: let execve report it (ENOENT, EACCES)
  }
  if (read >= 2 && head[0] === 0x23 && head[1] === 0x21) return false; // #!
  if (read < 20 || !isElf(head)) return true;
  const littleEndian = head[5] === 1;
  const machine = littleEndian ? head.readUInt16LE(18) : head.readUInt16BE(18);
  if (machine === nativeMachine) return false;
  return !foreignBinariesRunnable();
}

function foreignBinariesRunnable(): boolean {
  const dir = '/proc/sys/fs/binfmt_misc';
  if (!existsSync(dir)) return false;
  try {
    return readdirSync(dir).some((entry) => entry !== 'register' && entry !== 'status');
  } catch {
    return false;
  }
}
