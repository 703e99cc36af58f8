import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { architectures, type Architecture } from '../../src/catalog/architectures.js';
import {
  emulationNotice,
  foreignLaunch,
  readElfMachine,
  type Machine,
} from '../../src/emulator/foreign-architecture.js';
import { tempDir } from '../helpers/fs.js';

const x64 = architectures.find((a) => a.id === 'x86_64')!;
const arm64 = architectures.find((a) => a.id === 'arm64')!;
const dir = tempDir('aot-lambda-foreign-');

/** The first 20 bytes of a 64-bit little-endian ELF executable for `machine`: all foreignLaunch reads. */
function elf(name: string, machine: number): string {
  const head = Buffer.alloc(64);
  head.write('\x7fELF', 0, 'latin1');
  head[4] = 2; // 64-bit
  head[5] = 1; // little-endian
  head[6] = 1;
  head.writeUInt16LE(3, 16); // ET_DYN
  head.writeUInt16LE(machine, 18);
  const path = join(dir, name);
  writeFileSync(path, head);
  return path;
}

function machine(
  host: Architecture,
  programs: Record<string, string>,
  files: string[],
  binfmt = false,
): Machine {
  return {
    host,
    findProgram: (name) => programs[name],
    exists: (path) => files.includes(path),
    binfmtRegistered: (a) => binfmt && a.id !== host.id,
  };
}

const arm64Exe = elf('bootstrap-arm64', arm64.elfMachine);
const x64Exe = elf('bootstrap-x64', x64.elfMachine);
const script = join(dir, 'bootstrap.sh');
writeFileSync(script, '#!/bin/sh\n');

describe('running an executable of the other architecture', () => {
  it('reads the ELF machine, and nothing from a script', () => {
    assert.equal(readElfMachine(arm64Exe), 183);
    assert.equal(readElfMachine(x64Exe), 62);
    assert.equal(readElfMachine(script), undefined);
    assert.equal(readElfMachine(join(dir, 'absent')), undefined);
  });

  it('runs its own architecture and scripts directly', () => {
    const m = machine(x64, {}, []);
    assert.deepEqual(foreignLaunch(x64Exe, m), { kind: 'native' });
    assert.deepEqual(foreignLaunch(script, m), { kind: 'native' });
  });

  it('an arm64 executable on x86_64 runs under qemu-aarch64 with the cross C library', () => {
    const m = machine(x64, { 'qemu-aarch64': '/usr/bin/qemu-aarch64' }, [
      '/usr/aarch64-linux-gnu/lib/libc.so.6',
    ]);
    const launch = foreignLaunch(arm64Exe, m);
    assert.deepEqual(launch, {
      kind: 'emulated',
      architecture: arm64,
      prefix: ['/usr/bin/qemu-aarch64', '-L', '/usr/aarch64-linux-gnu'],
    });
    assert.equal(
      emulationNotice(launch as never, 'x86_64'),
      'aot-lambda invoke: arm64 executable on this x86_64 machine, run under /usr/bin/qemu-aarch64 -L ' +
        '/usr/aarch64-linux-gnu: Init Duration, Duration and Max Memory Used are emulated, not what Lambda will measure.',
    );
  });

  it('the other way round: x86_64 on arm64 under qemu-x86_64 (or its -static build)', () => {
    const m = machine(arm64, { 'qemu-x86_64-static': '/usr/bin/qemu-x86_64-static' }, [
      '/usr/x86_64-linux-gnu/lib/libc.so.6',
    ]);
    assert.deepEqual(foreignLaunch(x64Exe, m), {
      kind: 'emulated',
      architecture: x64,
      prefix: ['/usr/bin/qemu-x86_64-static', '-L', '/usr/x86_64-linux-gnu'],
    });
  });

  it('a registered binfmt_misc handler runs it as it is', () => {
    assert.deepEqual(foreignLaunch(arm64Exe, machine(x64, {}, [], true)), {
      kind: 'binfmt',
      architecture: arm64,
    });
  });

  it('without qemu or the cross C library, the hint names the packages', () => {
    const none = foreignLaunch(arm64Exe, machine(x64, {}, []));
    assert.equal(none.kind, 'unavailable');
    assert.match(
      (none as { hint: string }).hint,
      /^it is an arm64 executable and this machine is x86_64: .*install qemu-user and libc6-arm64-cross \(Debian\/Ubuntu: sudo apt-get install qemu-user libc6-arm64-cross\)/,
    );
    const noLibc = foreignLaunch(arm64Exe, machine(x64, { 'qemu-aarch64': '/usr/bin/qemu-aarch64' }, []));
    assert.match((noLibc as { hint: string }).hint, /install libc6-arm64-cross \(/);
  });
});
