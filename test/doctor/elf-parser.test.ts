import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ElfError, parseElf } from '../../src/doctor/index.js';
import { buildPrograms, type Programs } from './programs.js';

/** readelf (binutils, next to cc) is the oracle here; the doctor itself never runs it. */
function readelfNeeded(path: string): string[] {
  const out = execFileSync('readelf', ['-dW', path], { encoding: 'utf8' });
  return [...out.matchAll(/\(NEEDED\)\s+Shared library: \[(.+)\]/g)].map((m) => m[1] as string);
}

function readelfVersions(path: string): string[] {
  const out = execFileSync('readelf', ['-VW', path], { encoding: 'utf8' });
  const needs = out.split('.gnu.version_r')[1] ?? '';
  return [...needs.matchAll(/Name: (\S+)\s+Flags/g)].map((m) => m[1] as string).sort();
}

describe('ELF parser', () => {
  let programs: Programs;
  before(() => {
    programs = buildPrograms(mkdtempSync(join(tmpdir(), 'doctor-elf-')));
  });
  after(() => rmSync(programs.dir, { recursive: true, force: true }));

  it('reads the header of a dynamically linked x86-64 PIE', () => {
    const elf = parseElf(readFileSync(programs.hello));
    assert.equal(elf.bits, 64);
    assert.equal(elf.endianness, 'little');
    assert.equal(elf.machine, 62);
    assert.equal(elf.type, 3, 'Debian links PIE by default');
    assert.equal(elf.pie, true);
    assert.equal(elf.dynamic, true);
    assert.equal(elf.interpreter, '/lib64/ld-linux-x86-64.so.2');
  });

  it('finds the same DT_NEEDED and version needs as readelf', () => {
    for (const path of [programs.hello, programs.arc4random, programs.icuShim, '/bin/ls']) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(path);
      } catch {
        continue; // not on this machine
      }
      const elf = parseElf(bytes);
      assert.deepEqual(elf.needed, readelfNeeded(path), path);
      assert.deepEqual(elf.versionNeeds.flatMap((n) => n.versions).sort(), readelfVersions(path), path);
    }
  });

  it('ties each undefined symbol to the version it needs', () => {
    const elf = parseElf(readFileSync(programs.arc4random));
    assert.deepEqual(elf.symbolsByVersion['GLIBC_2.36'], ['arc4random']);
    assert.ok(elf.symbolsByVersion['GLIBC_2.34']?.includes('__libc_start_main'));
    const libc = elf.versionNeeds.find((n) => n.file === 'libc.so.6');
    assert.ok(libc?.versions.includes('GLIBC_2.36'));
  });

  it('reads needs from the dynamic segment when section headers are gone', () => {
    const full = parseElf(readFileSync(programs.hello));
    const stripped = parseElf(readFileSync(programs.noSections));
    assert.deepEqual(stripped.needed, full.needed);
    assert.deepEqual(stripped.versionNeeds, full.versionNeeds);
    assert.deepEqual(stripped.symbolsByVersion, {}, 'symbols need the section headers');
  });

  it('knows a static executable and a shared library', () => {
    const staticElf = parseElf(readFileSync(programs.helloStatic));
    assert.equal(staticElf.dynamic, false);
    assert.equal(staticElf.interpreter, undefined);
    assert.deepEqual(staticElf.needed, []);

    const library = parseElf(readFileSync(programs.sharedLibrary));
    assert.equal(library.type, 3);
    assert.equal(library.interpreter, undefined);
    assert.equal(library.pie, false);
  });

  it('reads a 32-bit big-endian header', () => {
    const header = Buffer.alloc(52);
    header.write('\x7fELF', 0, 'latin1');
    header[4] = 1; // ELFCLASS32
    header[5] = 2; // ELFDATA2MSB
    header[6] = 1;
    header.writeUInt16BE(2, 16); // ET_EXEC
    header.writeUInt16BE(20, 18); // PowerPC
    const elf = parseElf(header);
    assert.equal(elf.bits, 32);
    assert.equal(elf.endianness, 'big');
    assert.equal(elf.machine, 20);
    assert.equal(elf.type, 2);
  });

  it('refuses what is not ELF, and truncated files, with ElfError', () => {
    assert.throws(() => parseElf(Buffer.from('MZ\x90\x00')), ElfError);
    const truncated = readFileSync(programs.hello).subarray(0, 200);
    assert.throws(() => parseElf(truncated), ElfError);
  });
});
