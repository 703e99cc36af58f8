/**
 * Doctor on hostile input (issue 17, items 5-8): bombs, zips that lie, encrypted and duplicate entries, links,
 * devices and pipes. Every zip is built here in a temp folder; the bombs cost a few MB on disk because their
 * deflate streams are assembled, never compressed. Each bomb runs doctor in its own process so its time and
 * peak memory can be bounded: read with no bound, these took a minute and 6.4 GB.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { crc32, deflateRawSync } from 'node:zlib';
import { doctorCommand } from '../../src/cli/doctor.js';
import { DoctorInputError, runDoctor, type CheckResult } from '../../src/doctor/index.js';
import { fileRangeReader, loadElf } from '../../src/doctor/elf-loader.js';
import { parseElf } from '../../src/doctor/elf.js';
import { deflatedZeros, rawZip, type RawEntry } from './raw-zip.js';

const MB = 1024 * 1024;
const GB = 1024 * MB;
const here = import.meta.dirname;
/** Far above what bounded reads need (about 1 s of inflating per 250 MB), far below the minute they took. */
const TIME_LIMIT_MS = 30_000;
/**
 * Peak memory a bomb may add over a small honest zip. Measured here: 30-45 MB (inflate's 64 KB chunks
 * waiting for the collector, the 64 KB ELF reads); unbounded, it was 6.4 GB.
 */
const GROWTH_LIMIT_MB = 100;

let dir: string;
let hello: Buffer;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'doctor-hostile-'));
  writeFileSync(join(dir, 'hello.c'), '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n');
  execFileSync('cc', ['-O0', '-o', join(dir, 'hello'), join(dir, 'hello.c')], { stdio: 'pipe' });
  hello = readFileSync(join(dir, 'hello'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function check(report: { checks: CheckResult[] }, id: string): CheckResult {
  const found = report.checks.find((c) => c.id === id);
  assert.ok(found, `no ${id} check in ${report.checks.map((c) => `${c.id} ${c.verdict}`).join(', ')}`);
  return found;
}

function writeRaw(name: string, entries: RawEntry[]): string {
  const path = join(dir, name);
  writeFileSync(path, rawZip(entries));
  return path;
}

/** An honest deflated entry. */
function deflated(name: string, data: Buffer, mode = 0o100755): RawEntry {
  return {
    name,
    stored: deflateRawSync(data),
    method: 8,
    uncompressedSize: data.length,
    mode,
    crc32: crc32(data),
  };
}

interface Measured {
  ms: number;
  peakRssMB: number;
  checks: CheckResult[];
  executable?: string;
}

function measure(target: string): Measured {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'measure-doctor.ts'), target], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(run.status, 0, `doctor died: ${run.stderr}`);
  return JSON.parse(run.stdout) as Measured;
}

describe('doctor on zip bombs: bounded time and memory', () => {
  let baseline: Measured;
  before(() => {
    baseline = measure(writeRaw('honest.zip', [deflated('bootstrap', hello)]));
    assert.equal(check(baseline, 'unzipped-size').verdict, 'PASS');
  });

  it('a 2 MB zip whose bootstrap inflates to 2 GiB: FAIL, having inflated no more than Lambda allows', (t) => {
    const zip = writeRaw('bomb.zip', [
      {
        name: 'bootstrap',
        stored: deflatedZeros(hello, 2048),
        method: 8,
        uncompressedSize: 2 * GB + hello.length,
        mode: 0o100755,
      },
    ]);
    assert.ok(statSync(zip).size < 3 * MB);
    const result = measure(zip);
    const size = check(result, 'unzipped-size');
    assert.equal(size.verdict, 'FAIL');
    assert.match(size.reason, /unzipped 2048\.0 MB, above Lambda's 250 MB unzipped limit/);
    // The ELF at its head is still judged: the tables it needs are in the first KB.
    assert.equal(check(result, 'format').verdict, 'PASS');
    assert.equal(check(result, 'architecture').verdict, 'PASS');
    assert.ok(result.ms < TIME_LIMIT_MS, `took ${result.ms} ms`);
    assert.ok(
      result.peakRssMB - baseline.peakRssMB < GROWTH_LIMIT_MB,
      `peak ${result.peakRssMB} MB vs ${baseline.peakRssMB} MB for an honest zip`,
    );
    t.diagnostic(
      `2 GiB bomb: ${result.ms} ms, peak RSS ${result.peakRssMB} MB (honest zip: ${baseline.peakRssMB} MB)`,
    );
  });

  it('one 2 GiB entry referenced 2,000 times by the central directory: FAIL, bounded the same way', (t) => {
    const zip = writeRaw('overlap.zip', [
      {
        name: 'bootstrap',
        stored: deflatePartOfHello(),
        method: 8,
        uncompressedSize: hello.length,
        mode: 0o100755,
      },
      {
        name: 'data',
        stored: deflatedZeros(Buffer.alloc(0), 2048),
        method: 8,
        uncompressedSize: 2 * GB,
        references: 2000,
      },
    ]);
    const result = measure(zip);
    const size = check(result, 'unzipped-size');
    assert.equal(size.verdict, 'FAIL');
    assert.match(size.reason, /above Lambda's 250 MB unzipped limit/);
    assert.equal(result.executable, 'bootstrap');
    const integrity = check(result, 'zip-integrity');
    assert.equal(integrity.verdict, 'FAIL');
    assert.match(integrity.reason, /^data\.1, data\.2, .* and 1994 more share their data with another entry/);
    assert.ok(result.ms < TIME_LIMIT_MS, `took ${result.ms} ms`);
    assert.ok(result.peakRssMB - baseline.peakRssMB < GROWTH_LIMIT_MB, `peak ${result.peakRssMB} MB`);
    t.diagnostic(`2,000 x 2 GiB overlapping entries: ${result.ms} ms, peak RSS ${result.peakRssMB} MB`);
  });

  it('an entry that declares 1 KB and inflates to 2 GiB: FAIL as soon as it passes what it declared', () => {
    const zip = writeRaw('liar.zip', [
      deflated('bootstrap', hello),
      { name: 'small.txt', stored: deflatedZeros(Buffer.alloc(0), 2048), method: 8, uncompressedSize: 1024 },
    ]);
    const result = measure(zip);
    const integrity = check(result, 'zip-integrity');
    assert.equal(integrity.verdict, 'FAIL');
    assert.match(integrity.reason, /small\.txt declares 1024 bytes but its data inflates to more/);
    assert.ok(result.ms < TIME_LIMIT_MS, `took ${result.ms} ms`);
  });
});

function deflatePartOfHello(): Buffer {
  return deflateRawSync(hello);
}

describe('doctor on zips that cannot be unpacked as they are', () => {
  it('1,500 small entries: the first 1,000 inflated, the rest counted as declared and said so', async () => {
    const files = Array.from({ length: 1_500 }, (_, i): RawEntry => {
      const data = Buffer.from(`file ${i}\n`);
      return { name: `f/${i}.txt`, stored: data, method: 0, uncompressedSize: data.length };
    });
    const zip = writeRaw('many.zip', [deflated('bootstrap', hello), ...files]);
    const started = Date.now();
    const report = await runDoctor(zip);
    const integrity = check(report, 'zip-integrity');
    assert.equal(integrity.verdict, 'WARN');
    assert.match(
      integrity.reason,
      /the first 1000 entries hold the bytes they declare; the other 501 were counted/,
    );
    assert.equal(check(report, 'format').verdict, 'PASS', 'the executable is always among those read');
    assert.ok(Date.now() - started < TIME_LIMIT_MS, `took ${Date.now() - started} ms`);
  });

  it('a zip declaring 10 GiB with little data: FAIL naming the entry and both sizes', async () => {
    const zip = writeRaw('short.zip', [
      {
        name: 'bootstrap',
        stored: deflateRawSync(hello),
        method: 8,
        uncompressedSize: 10 * GB,
        mode: 0o100755,
      },
    ]);
    const report = await runDoctor(zip);
    const integrity = check(report, 'zip-integrity');
    assert.equal(integrity.verdict, 'FAIL');
    assert.match(
      integrity.reason,
      new RegExp(`bootstrap declares 10240\\.0 MB but its data holds only ${hello.length} bytes`),
    );
    assert.match(integrity.fix ?? '', /truncated or corrupt: rebuild it/);
    assert.equal(report.ok, false);
  });

  it('a password-protected zip: FAIL saying it is encrypted, no raw yauzl error', async () => {
    const zip = writeRaw('encrypted.zip', [{ ...deflated('bootstrap', hello), encrypted: true }]);
    const report = await runDoctor(zip);
    const integrity = check(report, 'zip-integrity');
    assert.equal(integrity.verdict, 'FAIL');
    assert.match(
      integrity.reason,
      /bootstrap is encrypted \(password-protected\): Lambda cannot unpack them/,
    );
    assert.match(integrity.fix ?? '', /zip without a password/);
    assert.equal(check(report, 'zip-layout').verdict, 'PASS', 'the bootstrap is where it should be');
    assert.ok(!report.checks.some((c) => /decodeFileData/.test(c.reason)));
  });

  it('the command prints the FAIL line, and exits 1', async () => {
    const zip = writeRaw('short-cli.zip', [{ ...deflated('bootstrap', hello), uncompressedSize: 10 * GB }]);
    let stdout = '';
    const code = await doctorCommand([zip], {
      stdout: { write: (s: string) => ((stdout += s), true) } as NodeJS.WritableStream,
      stderr: { write: () => true } as unknown as NodeJS.WritableStream,
    });
    assert.equal(code, 1);
    assert.match(stdout, /^FAIL +zip-integrity +bootstrap declares 10240\.0 MB/m);
  });
});

describe('doctor on duplicate and linked entries', () => {
  it('two bootstrap entries, 0755 then 0644: flags the duplicate and judges the last, as unzip keeps it', async (t) => {
    const zip = writeRaw('duplicates.zip', [
      deflated('bootstrap', hello, 0o100755),
      deflated('bootstrap', hello, 0o100644),
    ]);
    const report = await runDoctor(zip);
    const duplicates = check(report, 'zip-duplicates');
    assert.equal(duplicates.verdict, 'WARN');
    assert.match(duplicates.reason, /bootstrap appears more than once; unzip and Lambda keep the last copy/);
    assert.equal(check(report, 'permissions').verdict, 'FAIL');
    assert.match(check(report, 'permissions').reason, /mode 644: not executable/);
    assert.equal(report.ok, false);

    const swapped = writeRaw('duplicates-swapped.zip', [
      deflated('bootstrap', hello, 0o100644),
      deflated('bootstrap', hello, 0o100755),
    ]);
    assert.equal(check(await runDoctor(swapped), 'permissions').verdict, 'PASS');

    if (!existsSync('/usr/bin/unzip')) return t.skip('no unzip here to confirm which copy it keeps');
    const out = join(dir, 'unzipped');
    execFileSync('unzip', ['-o', '-q', zip, '-d', out]);
    assert.equal(statSync(join(out, 'bootstrap')).mode & 0o777, 0o644, 'unzip keeps the last entry');
  });

  it('a bootstrap stored as a symlink: says so, and judges the file it points at', async () => {
    const link = (target: string): RawEntry => ({
      name: 'bootstrap',
      stored: Buffer.from(target),
      method: 0,
      uncompressedSize: Buffer.byteLength(target),
      mode: 0o120777,
    });
    const inside = await runDoctor(writeRaw('link-inside.zip', [link('app'), deflated('app', hello)]));
    const symlink = check(inside, 'symlink');
    assert.equal(symlink.verdict, 'WARN');
    assert.match(symlink.reason, /bootstrap is a symbolic link to app; the checks below judge app/);
    assert.equal(check(inside, 'format').verdict, 'PASS');
    assert.equal(check(inside, 'permissions').verdict, 'PASS');

    const outside = await runDoctor(writeRaw('link-outside.zip', [link('/usr/bin/app')]));
    const dangling = check(outside, 'symlink');
    assert.equal(dangling.verdict, 'FAIL');
    assert.match(
      dangling.reason,
      /bootstrap is a symbolic link to "\/usr\/bin\/app", which the zip does not hold/,
    );
    assert.ok(!outside.checks.some((c) => /neither ELF nor a #! script/.test(c.reason)));
  });
});

describe('doctor on what is not a regular file', () => {
  async function refused(target: string): Promise<string> {
    const started = Date.now();
    await assert.rejects(runDoctor(target), (error: Error) => {
      assert.ok(error instanceof DoctorInputError, String(error));
      return true;
    });
    assert.ok(Date.now() - started < 5000);
    try {
      await runDoctor(target);
    } catch (error) {
      return (error as Error).message;
    }
    return '';
  }

  it('/dev/zero is refused at once as a device', async (t) => {
    if (!existsSync('/dev/zero')) return t.skip('no /dev/zero here');
    assert.match(
      await refused('/dev/zero'),
      /^\/dev\/zero is a device, not a file: give doctor the bootstrap/,
    );
  });

  it('a named pipe is refused without opening it (opening one blocks until a writer comes)', async () => {
    const fifo = join(dir, 'bootstrap.fifo');
    execFileSync('mkfifo', [fifo]);
    assert.match(await refused(fifo), /bootstrap\.fifo is a named pipe, not a file/);
  });

  it('a publish folder whose bootstrap is a pipe is refused, naming both', async () => {
    const folder = join(dir, 'publish');
    execFileSync('mkdir', ['-p', folder]);
    execFileSync('mkfifo', [join(folder, 'bootstrap')]);
    assert.match(await refused(folder), /publish\/bootstrap \(in .*publish\) is a named pipe/);
  });

  it('the command exits 2 with the message', async () => {
    let stderr = '';
    const code = await doctorCommand(['/dev/zero'], {
      stdout: { write: () => true } as unknown as NodeJS.WritableStream,
      stderr: { write: (s: string) => ((stderr += s), true) } as NodeJS.WritableStream,
    });
    assert.equal(code, 2);
    assert.match(stderr, /aot-lambda doctor: \/dev\/zero is a device/);
  });
});

describe('bounded ELF reading', () => {
  it('reading by ranges finds what reading the whole file finds (hello, /bin/ls)', async () => {
    for (const path of [join(dir, 'hello'), '/bin/ls']) {
      if (!existsSync(path)) continue;
      const size = statSync(path).size;
      let rounds = 0;
      const read = fileRangeReader(path);
      const counted: typeof read = (ranges) => {
        rounds++;
        return read(ranges);
      };
      assert.deepEqual(await loadElf(size, counted), parseElf(readFileSync(path)), path);
      assert.ok(rounds <= 4, `${path}: ${rounds} rounds`);
    }
  });

  it('an ELF in a bomb whose program headers sit at 1 GiB: refused without inflating that far', () => {
    const bytes = Buffer.from(hello);
    bytes.writeBigUInt64LE(BigInt(GB), 32); // e_phoff
    const zip = writeRaw('far-headers.zip', [
      {
        name: 'bootstrap',
        stored: deflatedZeros(bytes, 2048),
        method: 8,
        uncompressedSize: 2 * GB + bytes.length,
        mode: 0o100755,
      },
    ]);
    const result = measure(zip);
    const format = check(result, 'format');
    assert.equal(format.verdict, 'FAIL');
    assert.match(format.reason, /points at offset 1073741824, past the 250 MB that can be checked/);
    assert.ok(result.ms < TIME_LIMIT_MS, `took ${result.ms} ms`);
  });
});
