/**
 * The bad-input catalogue for `aot-lambda doctor`, through the bin as a child process with stdin closed
 * (issue 17, items 6-8): what is not a file exits 2 with one line naming the problem and what to give
 * instead; a zip that cannot be unpacked as it is exits 1 with a FAIL line saying why. No stack trace, no
 * raw library message, and nothing in the working folder changes.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { crc32, deflateRawSync } from 'node:zlib';
import { rawZip } from '../doctor/raw-zip.js';
import { runBin, snapshot, userFolder } from './run-bin.js';

const GB = 1024 * 1024 * 1024;
const cwd = userFolder();
after(() => rmSync(cwd, { recursive: true, force: true }));

/** Any ELF will do: only the zip around it is wrong. */
const elf = existsSync('/bin/true') ? readFileSync('/bin/true') : Buffer.from('\x7fELF\x02\x01\x01');
const entry = { name: 'bootstrap', stored: deflateRawSync(elf), method: 8 as const, mode: 0o100755 };

interface Case {
  label: string;
  target: () => string;
  code: number;
  stderr?: RegExp;
  stdout?: RegExp;
}

const cases: Case[] = [
  {
    label: 'a device (/dev/zero)',
    target: () => '/dev/zero',
    code: 2,
    stderr:
      /^aot-lambda doctor: \/dev\/zero is a device, not a file: give doctor the bootstrap executable, the function's zip or its publish folder$/,
  },
  {
    label: 'a named pipe',
    target: () => {
      const fifo = join(cwd, '..', `${cwd.split('/').pop() ?? 'x'}-pipe`);
      execFileSync('mkfifo', [fifo]);
      return fifo;
    },
    code: 2,
    stderr: /is a named pipe, not a file/,
  },
  {
    label: 'a zip declaring 10 GiB with little data',
    target: () => write('short.zip', rawZip([{ ...entry, uncompressedSize: 10 * GB, crc32: crc32(elf) }])),
    code: 1,
    stdout: /^FAIL +zip-integrity +bootstrap declares 10240\.0 MB but its data holds only \d+ bytes$/m,
  },
  {
    label: 'a password-protected zip',
    target: () => write('locked.zip', rawZip([{ ...entry, uncompressedSize: elf.length, encrypted: true }])),
    code: 1,
    stdout: /^FAIL +zip-integrity +bootstrap is encrypted \(password-protected\)/m,
  },
];

/** Outside the user's folder, so the snapshot compares only what doctor might have touched. */
function write(name: string, bytes: Buffer): string {
  const path = join(cwd, '..', `${cwd.split('/').pop() ?? 'x'}-${name}`);
  writeFileSync(path, bytes);
  return path;
}

describe('aot-lambda doctor refuses bad input with a message, not a trace', () => {
  for (const c of cases) {
    it(c.label, async () => {
      const target = c.target();
      const before = snapshot(cwd);
      const result = await runBin(['doctor', target], { cwd, timeoutMs: 60_000 });
      try {
        assert.equal(result.code, c.code, `stdout: ${result.stdout}\nstderr: ${result.stderr}`);
        if (c.stderr) {
          assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
          assert.match(result.stderr.trim(), c.stderr);
          assert.equal(result.stdout, '');
        }
        if (c.stdout) {
          assert.match(result.stdout, c.stdout);
          assert.equal(result.stderr, '');
        }
        assert.doesNotMatch(
          result.stdout + result.stderr,
          /\n\s+at |decodeFileData|not enough bytes in the stream/,
        );
        assert.deepEqual(snapshot(cwd), before);
      } finally {
        if (target.startsWith(join(cwd, '..'))) rmSync(target, { force: true });
      }
    });
  }
});
