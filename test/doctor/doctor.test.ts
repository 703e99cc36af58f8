import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import yazl from 'yazl';
import { doctorCommand } from '../../src/cli/doctor.js';
import {
  ElfError,
  parseElf,
  runDoctor,
  type CheckResult,
  type DoctorReport,
} from '../../src/doctor/index.js';
import { buildPrograms, copyAs, type Programs } from './programs.js';

const MB = 1024 * 1024;

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

function check(report: DoctorReport, id: string): CheckResult {
  const found = report.checks.find((c) => c.id === id);
  assert.ok(found, `no ${id} check in ${report.checks.map((c) => c.id).join(', ')}`);
  return found;
}

function verdicts(report: DoctorReport): Record<string, string> {
  return Object.fromEntries(report.checks.map((c) => [c.id, c.verdict]));
}

interface ZipItem {
  name: string;
  data: Buffer | (() => Readable);
  mode?: number;
  compress?: boolean;
  /** zlib level; 1 deflates the big test blobs several times faster than the default. */
  compressionLevel?: number;
}

async function writeZip(path: string, items: ZipItem[]): Promise<string> {
  const zip = new yazl.ZipFile();
  for (const item of items) {
    const options = {
      mode: item.mode ?? 0o100644,
      compress: item.compress ?? true,
      ...(item.compressionLevel === undefined ? {} : { compressionLevel: item.compressionLevel }),
    };
    if (Buffer.isBuffer(item.data)) zip.addBuffer(item.data, item.name, options);
    else zip.addReadStream(item.data(), item.name, options);
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
  return path;
}

/** `mb` megabytes of zeros, streamed (deflate makes them tiny). */
function zeros(mb: number): () => Readable {
  return () =>
    Readable.from(
      (function* () {
        for (let i = 0; i < mb; i++) yield Buffer.alloc(MB);
      })(),
    );
}

/** Compiled once for the whole file: cc takes seconds on a busy machine. */
let programs: Programs;
let dir: string;
/** One folder per case, apart from the compiled programs. */
let cases: string;
let hello: Buffer;

before(() => {
  programs = buildPrograms(mkdtempSync(join(tmpdir(), 'doctor-')));
  dir = programs.dir;
  cases = mkdirIn(dir, 'cases');
  hello = readFileSync(programs.hello);
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('ELF parser', () => {
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

describe('aot-lambda doctor', () => {
  describe('on an executable', () => {
    it('passes a glibc-2.34 x86-64 bootstrap on every check', async () => {
      const report = await runDoctor(copyAs(programs.hello, mkdirIn(cases, 'ok'), 'bootstrap'), {
        architecture: 'x86_64',
      });
      assert.equal(report.kind, 'executable');
      assert.equal(report.ok, true);
      assert.deepEqual(
        report.checks.filter((c) => c.verdict !== 'PASS'),
        [],
      );
      assert.deepEqual(Object.keys(verdicts(report)), [
        'runtime',
        'name',
        'permissions',
        'unzipped-size',
        'format',
        'elf-class',
        'architecture',
        'executable-type',
        'loader',
        'glibc',
        'libraries',
        'icu',
      ]);
      assert.equal(report.elf?.highestGlibc, 'GLIBC_2.34');
      assert.equal(report.elf?.machineName, 'x86-64');
    });

    it('fails a binary that needs glibc 2.36 (arc4random), naming the symbol', async () => {
      const report = await runDoctor(copyAs(programs.arc4random, mkdirIn(cases, 'arc4random'), 'bootstrap'));
      const glibc = check(report, 'glibc');
      assert.equal(glibc.verdict, 'FAIL');
      assert.match(glibc.reason, /needs GLIBC_2\.36 \(arc4random@GLIBC_2\.36\)/);
      assert.match(glibc.reason, /Amazon Linux 2023 has glibc 2\.34/);
      assert.match(glibc.fix ?? '', /Amazon Linux 2023 build container/);
      assert.equal(report.ok, false);
    });

    it('fails the wrong architecture when one is given, and warns against the default', async () => {
      const path = copyAs(programs.arm64, mkdirIn(cases, 'arm64'), 'bootstrap');
      const x86 = check(await runDoctor(path, { architecture: 'x86_64' }), 'architecture');
      assert.equal(x86.verdict, 'FAIL');
      assert.match(x86.reason, /built for AArch64 \(e_machine 183\), but the function is x86_64/);
      assert.match(x86.fix ?? '', /-r linux-x64, or deploy the function with Architectures: arm64/);
      assert.equal(check(await runDoctor(path), 'architecture').verdict, 'WARN');
      assert.equal(check(await runDoctor(path, { architecture: 'arm64' }), 'architecture').verdict, 'PASS');
    });

    it('fails a musl-linked binary: Amazon Linux has no musl loader', async () => {
      const loader = check(
        await runDoctor(copyAs(programs.musl, mkdirIn(cases, 'musl'), 'bootstrap')),
        'loader',
      );
      assert.equal(loader.verdict, 'FAIL');
      assert.match(loader.reason, /musl \(\/lib\/ld-musl-x86_64\.so\.1\)/);
      assert.match(loader.fix ?? '', /not linux-musl/);
    });

    it('passes a static executable: no loader, no glibc versions', async () => {
      const report = await runDoctor(copyAs(programs.helloStatic, mkdirIn(cases, 'static'), 'bootstrap'));
      assert.equal(check(report, 'glibc').reason, 'statically linked: needs no glibc at run time');
      assert.equal(check(report, 'loader').verdict, 'PASS');
      assert.equal(report.ok, true);
    });

    it('fails a shared library given as the bootstrap', async () => {
      const report = await runDoctor(copyAs(programs.sharedLibrary, mkdirIn(cases, 'lib'), 'bootstrap'));
      assert.equal(check(report, 'executable-type').verdict, 'FAIL');
    });

    it('warns when the binary loads ICU at run time, fails when it links it', async (t) => {
      const shim = check(
        await runDoctor(copyAs(programs.icuShim, mkdirIn(cases, 'icu'), 'bootstrap')),
        'icu',
      );
      assert.equal(shim.verdict, 'WARN');
      assert.match(shim.reason, /libicuuc.*InvariantGlobalization is off/);
      assert.match(shim.fix ?? '', /<InvariantGlobalization>true<\/InvariantGlobalization>/);
      if (!programs.icuLinked) return t.skip('no libicuuc.so to link against on this machine');
      const linked = check(
        await runDoctor(copyAs(programs.icuLinked, mkdirIn(cases, 'icu-linked'), 'bootstrap')),
        'icu',
      );
      assert.equal(linked.verdict, 'FAIL');
      assert.match(linked.reason, /links libicuuc\.so\.\d+/);
    });

    it('fails a file without the exec bit, warns when others cannot run it', async () => {
      const off = check(
        await runDoctor(copyAs(programs.hello, mkdirIn(cases, 'mode644'), 'bootstrap', 0o644)),
        'permissions',
      );
      assert.equal(off.verdict, 'FAIL');
      assert.match(off.reason, /mode 644: not executable/);
      const owner = check(
        await runDoctor(copyAs(programs.hello, mkdirIn(cases, 'mode750'), 'bootstrap', 0o750)),
        'permissions',
      );
      assert.equal(owner.verdict, 'WARN');
    });

    it('wants the name bootstrap on provided.al2023; on a managed runtime warns about the handler', async () => {
      const path = copyAs(programs.hello, mkdirIn(cases, 'named'), 'OrderFunction');
      const custom = check(await runDoctor(path), 'name');
      assert.equal(custom.verdict, 'FAIL');
      assert.match(custom.fix ?? '', /<AssemblyName>bootstrap<\/AssemblyName>/);
      const managed = await runDoctor(path, { runtime: 'dotnet10' });
      assert.equal(check(managed, 'name').verdict, 'WARN');
      assert.match(check(managed, 'name').reason, /handler must be exactly "OrderFunction"/);
      assert.equal(check(await runDoctor(path, { runtime: 'dotnet8' }), 'runtime').verdict, 'WARN');
    });

    it('checks the executable in a publish folder', async () => {
      const folder = mkdirIn(cases, 'publish');
      copyAs(programs.hello, folder, 'bootstrap');
      const report = await runDoctor(folder);
      assert.equal(report.executable, join(folder, 'bootstrap'));
      assert.equal(report.ok, true);
    });

    it('fails what is not a native executable, warns on a script', async () => {
      const dll = join(dir, 'bootstrap.dll');
      writeFileSync(dll, Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]));
      const pe = check(await runDoctor(dll), 'format');
      assert.equal(pe.verdict, 'FAIL');
      assert.match(pe.reason, /PE file/);
      const script = copyAs(programs.hello, mkdirIn(cases, 'script'), 'bootstrap');
      writeFileSync(script, '#!/bin/sh\nexec ./app\n');
      assert.equal(check(await runDoctor(script), 'format').verdict, 'WARN');
    });
  });

  describe('on a zip', () => {
    it('passes bootstrap at the root with mode 0755, checking the ELF inside', async () => {
      const zip = await writeZip(join(dir, 'good.zip'), [
        { name: 'bootstrap', data: hello, mode: 0o100755 },
        { name: 'appsettings.json', data: Buffer.from('{}') },
      ]);
      const report = await runDoctor(zip, { architecture: 'x86_64' });
      assert.equal(report.kind, 'zip');
      assert.equal(report.executable, 'bootstrap');
      assert.equal(report.ok, true, JSON.stringify(report.checks.filter((c) => c.verdict !== 'PASS')));
      for (const id of [
        'zip-size',
        'unzipped-size',
        'zip-layout',
        'name',
        'permissions',
        'glibc',
        'architecture',
      ]) {
        assert.equal(check(report, id).verdict, 'PASS', id);
      }
    });

    it('fails bootstrap nested in a folder', async () => {
      const zip = await writeZip(join(dir, 'nested.zip'), [
        { name: 'publish/bootstrap', data: hello, mode: 0o100755 },
      ]);
      const layout = check(await runDoctor(zip), 'zip-layout');
      assert.equal(layout.verdict, 'FAIL');
      assert.match(layout.reason, /bootstrap is at publish\/bootstrap/);
      assert.match(layout.fix ?? '', /cd out && zip -r/);
    });

    it('fails a bootstrap without the exec bit, or not runnable by others', async () => {
      for (const [mode, pattern] of [
        [0o100644, /mode 644: not executable/],
        [0o100750, /mode 750: others cannot read and execute it/],
      ] as const) {
        const zip = await writeZip(join(dir, `mode-${mode.toString(8)}.zip`), [
          { name: 'bootstrap', data: hello, mode },
        ]);
        const permissions = check(await runDoctor(zip), 'permissions');
        assert.equal(permissions.verdict, 'FAIL');
        assert.match(permissions.reason, pattern);
      }
    });

    it('fails a zip made without Unix permissions (as Windows tools make them)', async () => {
      const path = await writeZip(join(dir, 'windows.zip'), [
        { name: 'bootstrap', data: hello, mode: 0o100755 },
      ]);
      const bytes = readFileSync(path);
      const central = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      bytes[central + 5] = 0; // version made by: MS-DOS host
      bytes.writeUInt32LE(0, central + 38); // external attributes: none
      writeFileSync(path, bytes);
      const permissions = check(await runDoctor(path), 'permissions');
      assert.equal(permissions.verdict, 'FAIL');
      assert.match(permissions.reason, /no Unix permissions/);
    });

    it('finds an executable with the wrong name and says so', async () => {
      const zip = await writeZip(join(dir, 'named.zip'), [
        { name: 'OrderFunction', data: hello, mode: 0o100755 },
        { name: 'OrderFunction.dbg', data: Buffer.alloc(10) },
      ]);
      const report = await runDoctor(zip);
      assert.equal(check(report, 'zip-layout').verdict, 'PASS');
      assert.equal(check(report, 'name').verdict, 'FAIL');
      assert.equal(report.executable, 'OrderFunction');
    });

    it('fails a zip with no executable at all', async () => {
      const zip = await writeZip(join(dir, 'empty.zip'), [
        { name: 'bootstrap.dll', data: Buffer.from('MZ') },
      ]);
      const report = await runDoctor(zip);
      assert.equal(check(report, 'zip-layout').verdict, 'FAIL');
      assert.match(check(report, 'zip-layout').reason, /no executable in the zip \(no bootstrap\)/);
    });

    it('checks the ELF inside the zip: glibc 2.36 fails there too', async () => {
      const zip = await writeZip(join(dir, 'glibc.zip'), [
        { name: 'bootstrap', data: readFileSync(programs.arc4random), mode: 0o100755 },
      ]);
      assert.equal(check(await runDoctor(zip), 'glibc').verdict, 'FAIL');
    });

    it('warns above 50 MB zipped, fails above 250 MB unzipped', async () => {
      const big = await writeZip(join(dir, 'big.zip'), [
        { name: 'bootstrap', data: hello, mode: 0o100755 },
        { name: 'blob.bin', data: Buffer.alloc(51 * MB), compress: false },
      ]);
      const bigReport = await runDoctor(big);
      assert.equal(check(bigReport, 'zip-size').verdict, 'WARN');
      assert.match(check(bigReport, 'zip-size').fix ?? '', /S3/);
      assert.equal(check(bigReport, 'unzipped-size').verdict, 'PASS');

      const huge = await writeZip(join(dir, 'huge.zip'), [
        { name: 'bootstrap', data: hello, mode: 0o100755 },
        { name: 'data.bin', data: zeros(251), compressionLevel: 1 },
      ]);
      const hugeReport = await runDoctor(huge);
      assert.equal(check(hugeReport, 'zip-size').verdict, 'PASS');
      assert.equal(check(hugeReport, 'unzipped-size').verdict, 'FAIL');
      assert.match(
        check(hugeReport, 'unzipped-size').reason,
        /251\.0 MB, above Lambda's 250 MB unzipped limit/,
      );
    });
  });

  describe('the command', () => {
    async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
      let stdout = '';
      let stderr = '';
      const code = await doctorCommand(args, {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
      });
      return { code, stdout, stderr };
    }

    it('prints one verdict line per check with the fix, and exits 1 on a failure', async () => {
      const path = copyAs(programs.arc4random, mkdirIn(cases, 'cli'), 'bootstrap');
      const { code, stdout } = await run([path, '--architecture', 'x86_64']);
      assert.equal(code, 1);
      const lines = stdout.trim().split('\n');
      assert.equal(lines[0], `${path}: executable, checked for provided.al2023 on x86_64`);
      assert.match(stdout, /^FAIL {2}glibc +needs GLIBC_2\.36/m);
      assert.match(stdout, /^ +fix: build on glibc 2\.34 or older/m);
      assert.match(stdout, /^PASS {2}architecture +x86-64/m);
      assert.match(lines.at(-1) ?? '', /^1 FAIL, 0 WARN, 11 PASS: it will not start on Lambda as it is\.$/);
    });

    it('exits 0 with warnings only, and prints JSON with --json', async () => {
      const path = copyAs(programs.icuShim, mkdirIn(cases, 'cli-json'), 'bootstrap');
      const { code, stdout } = await run([path, '--json']);
      assert.equal(code, 0);
      const report = JSON.parse(stdout) as DoctorReport;
      assert.equal(report.ok, true);
      assert.equal(check(report, 'icu').verdict, 'WARN');
    });

    it('exits 2 on usage errors: missing file, unknown architecture, retired runtime', async () => {
      const missing = await run([join(dir, 'nope')]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /nope: no such file/);
      const arch = await run([programs.hello, '--architecture', 'i386']);
      assert.equal(arch.code, 2);
      assert.match(arch.stderr, /Unknown --architecture 'i386'\. Valid values: x86_64, arm64\./);
      const retired = await run([programs.hello, '--runtime', 'provided.al2']);
      assert.equal(retired.code, 2);
      assert.match(retired.stderr, /Amazon Linux 2 reached end of life/);
      assert.equal((await run([])).code, 2);
      assert.match((await run(['--help'])).stdout, /^Usage: aot-lambda doctor/);
    });
  });
});

function mkdirIn(parent: string, name: string): string {
  const path = join(parent, name);
  mkdirSync(path, { recursive: true });
  return path;
}
