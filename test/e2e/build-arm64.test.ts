/**
 * `aot-lambda build` cross-compiling a generated function for arm64 on this x86_64 machine, without Docker:
 * the zip doctor passes (AArch64, glibc <= 2.34 although the cross C library is Debian's 2.36), the executable
 * answers correctly through the local Runtime API under qemu-user, and a failed build keeps the last good one.
 * Two cross-publishes: the built-in client (no Amazon.Lambda package), then the default client.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { hostArchitecture } from '../../src/catalog/architectures.js';
import { runDoctor, ZipArchive } from '../../src/doctor/index.js';
import { binArgs } from '../bin/run-bin.js';
import { writeNugetConfig } from '../helpers/nuget.js';
import { missingTools, run, tail, workDir } from './dotnet.js';

const name = 'Graviton';

function skipReason(): string | undefined {
  if (hostArchitecture()?.id !== 'x86_64')
    return 'skipped: proves the x86_64 to arm64 direction, on an x86_64 machine';
  const tools = missingTools([
    'dotnet',
    'clang',
    'ld.lld',
    'aarch64-linux-gnu-objcopy',
    'aarch64-linux-gnu-gcc',
    'qemu-aarch64',
  ]);
  if (tools) return tools;
  if (!existsSync('/usr/aarch64-linux-gnu/lib/libc.so'))
    return 'skipped: libc6-dev-arm64-cross is not installed';
  return undefined;
}

describe('aot-lambda build --architecture arm64 on x86_64', { concurrency: false }, () => {
  const skip = skipReason();
  const parent = skip ? '' : workDir('build-arm64');
  const root = join(parent, name);
  const aotLambda = (args: string[], cwd = root) => run(process.execPath, [...binArgs, ...args], cwd);

  before(async () => {
    if (skip) return;
    // Generated for x86_64: --architecture is what makes this build arm64.
    const scaffold = await aotLambda(
      ['new', name, '--yes', '--skip-install', '--client', 'minimal', '--template', 'hello'],
      parent,
    );
    assert.equal(scaffold.status, 0, scaffold.output);
  });

  it('cross-publishes, zips and passes doctor, showing each phase', async (t) => {
    if (skip) return t.skip(skip);
    const built = await aotLambda(['build', '--architecture', 'arm64', '--zip']);
    t.diagnostic(`build: ${built.seconds.toFixed(1)} s`);
    assert.equal(built.status, 0, tail(built.output, 60));
    assert.match(
      built.output,
      /for arm64 \(linux-arm64, from --architecture\) on this x86_64 machine: cross-compiling/,
    );
    assert.match(
      built.output,
      /warning: the project is set up for x86_64; deploy this build with Architectures: arm64\./,
    );
    const phases = [...built.output.matchAll(/^ {2}\[ *\d+ s\] (.+)$/gm)].map((m) => m[1]);
    assert.deepEqual(
      phases.filter((p) => !p?.startsWith('...')),
      [
        'Restoring packages',
        'Compiling C#',
        'Compiling to native code (NativeAOT: the long step)',
        'Published',
      ],
    );
    assert.match(built.output, /PASS {2}architecture +AArch64 \(e_machine 183\), matches arm64/);
    assert.match(built.output, /0 FAIL, 0 WARN, \d+ PASS/);

    const exe = join(root, 'artifacts/publish/bootstrap');
    assert.match(execFileSync('readelf', ['-h', exe], { encoding: 'utf8' }), /Machine:\s+AArch64/);
    // The cross C library is Debian's glibc 2.36; Lambda's Amazon Linux 2023 has 2.34.
    const doctor = await runDoctor(join(root, `artifacts/${name}.zip`), { architecture: 'arm64' });
    assert.equal(doctor.ok, true);
    assert.equal(doctor.elf?.machineName, 'AArch64');
    const [major, minor] = (doctor.elf?.highestGlibc ?? '')
      .replace(/^GLIBC_/, '')
      .split('.')
      .map(Number);
    assert.ok((major as number) * 100 + (minor as number) <= 234, `needs ${doctor.elf?.highestGlibc}`);
    const zip = await ZipArchive.open(join(root, `artifacts/${name}.zip`));
    const entries = zip.entries;
    zip.close();
    assert.deepEqual(
      entries.map((e) => [e.name, (e.unixMode ?? 0) & 0o777]),
      [['bootstrap', 0o755]],
    );
    assert.equal(entries[0]?.uncompressedSize, statSync(exe).size);
  });

  it('invoke runs the arm64 executable under qemu-aarch64 and it answers correctly', async (t) => {
    if (skip) return t.skip(skip);
    const invoked = await aotLambda(['invoke', 'artifacts/publish/bootstrap', '--event', '"arm64 says hi"']);
    t.diagnostic(tail(invoked.output, 3));
    assert.equal(invoked.status, 0, invoked.output);
    assert.match(invoked.output, /^"ARM64 SAYS HI"$/m);
    assert.match(invoked.output, /run under \S*qemu-aarch64 -L \/usr\/aarch64-linux-gnu: .*emulated/);
    assert.match(invoked.output, /^REPORT RequestId: \S+\tInit Duration: [\d.]+ ms\tDuration: /m);
  });

  it('a build that fails leaves the last good executable in artifacts/publish', async (t) => {
    if (skip) return t.skip(skip);
    const exe = join(root, 'artifacts/publish/bootstrap');
    const before = readFileSync(exe);
    const source = join(root, 'src', name, 'Function.cs');
    writeFileSync(
      source,
      readFileSync(source, 'utf8').replace('return input', 'return undefinedName + input'),
    );
    const failed = await aotLambda(['build', '--architecture', 'arm64']);
    assert.equal(failed.status, 1, failed.output);
    assert.match(failed.output, /error CS0103: The name 'undefinedName' does not exist/);
    assert.match(failed.output, /artifacts\/publish was left as it was/);
    assert.deepEqual(readFileSync(exe), before);
  });

  it("doctor fails an arm64 executable linked against the cross C library's newer glibc", async (t) => {
    if (skip) return t.skip(skip);
    // arc4random arrived in glibc 2.36: what a NativeAOT build would need if it used a newer symbol.
    const src = join(parent, 'newer.c');
    writeFileSync(
      src,
      '#include <stdio.h>\n#include <stdlib.h>\nint main(void) { printf("%u\\n", arc4random()); return 0; }\n',
    );
    const exe = join(parent, 'bootstrap');
    execFileSync('aarch64-linux-gnu-gcc', ['-o', exe, src]);
    const report = await runDoctor(exe, { architecture: 'arm64' });
    assert.equal(report.ok, false);
    const glibc = report.checks.find((c) => c.id === 'glibc');
    assert.equal(glibc?.verdict, 'FAIL');
    assert.match(glibc?.reason ?? '', /GLIBC_2\.36/);
  });
});

describe('aot-lambda build --architecture arm64 on x86_64, default client (Amazon.Lambda.RuntimeSupport)', () => {
  it('cross-publishes, passes doctor and answers under qemu-aarch64', { timeout: 900_000 }, async (t) => {
    const machine = skipReason();
    if (machine) return t.skip(machine);
    const parent = workDir('build-arm64-rs');
    // The Amazon.Lambda packages come from a nuget.config beside the project, as in every e2e test.
    const noPackages = writeNugetConfig(parent);
    if (noPackages) return t.skip(noPackages);
    const root = join(parent, 'GravitonRs');
    const aotLambda = (args: string[], cwd = root) => run(process.execPath, [...binArgs, ...args], cwd);
    const scaffold = await aotLambda(
      ['new', 'GravitonRs', '--yes', '--skip-install', '--architecture', 'arm64'],
      parent,
    );
    assert.equal(scaffold.status, 0, scaffold.output);

    const built = await aotLambda(['build']);
    t.diagnostic(`build: ${built.seconds.toFixed(1)} s`);
    assert.equal(built.status, 0, tail(built.output, 60));
    assert.match(
      built.output,
      /for arm64 \(linux-arm64, from \.yo-rc\.json\) on this x86_64 machine: cross-compiling/,
    );
    assert.match(built.output, /0 FAIL, 0 WARN, \d+ PASS/);
    assert.doesNotMatch(built.output, /warning IL\d{4}/);

    const invoked = await aotLambda([
      'invoke',
      'artifacts/publish/bootstrap',
      '--timeout',
      '60',
      '--event',
      '"graviton"',
    ]);
    t.diagnostic(tail(invoked.output, 3));
    assert.equal(invoked.status, 0, invoked.output);
    assert.match(invoked.output, /^"GRAVITON"$/m);
    assert.match(invoked.output, /emulated/);
  });
});
