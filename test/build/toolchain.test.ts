import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { architectures, hostArchitecture } from '../../src/catalog/architectures.js';
import { publishArgs } from '../../src/build/publish.js';
import {
  checkToolchain,
  crossCompileProperties,
  missingParts,
  needsSystemZlib,
  toolchainFor,
  ToolchainError,
  type Probe,
} from '../../src/build/toolchain.js';

const x64 = architectures.find((a) => a.id === 'x86_64')!;
const arm64 = architectures.find((a) => a.id === 'arm64')!;

/** A machine that has exactly these programs and files. */
const machineWith = (programs: string[], files: string[] = []): Probe => ({
  program: (name) => programs.includes(name),
  file: (path) => files.includes(path),
});

describe('toolchain for a NativeAOT publish', () => {
  it('knows the host architecture from Node', () => {
    assert.equal(hostArchitecture('x64')?.id, 'x86_64');
    assert.equal(hostArchitecture('arm64')?.id, 'arm64');
    assert.equal(hostArchitecture('ppc64'), undefined);
  });

  it('a native build needs clang only (zlib only for .NET 8), and no cross properties', () => {
    const native = toolchainFor(x64, x64, 'net10.0');
    assert.equal(native.cross, false);
    assert.deepEqual(
      native.parts.map((p) => p.program ?? p.files?.[0]),
      ['clang'],
    );
    assert.deepEqual(crossCompileProperties(native), []);
    const net8 = toolchainFor(x64, x64, 'net8.0');
    assert.deepEqual(
      net8.parts.map((p) => p.apt),
      ['clang', 'zlib1g-dev'],
    );
    assert.deepEqual(
      net8.parts.map((p) => p.dnf),
      ['clang', 'zlib-devel'],
    );
    assert.equal(needsSystemZlib('net9.0'), false);
    assert.equal(needsSystemZlib(undefined), false);
  });

  it('x86_64 to arm64: the programs, the sysroot file and the Debian packages measured to work', () => {
    const cross = toolchainFor(x64, arm64, 'net10.0');
    assert.equal(cross.cross, true);
    assert.deepEqual(
      cross.parts.map((p) => p.program ?? p.files?.[0]),
      [
        'clang',
        'ld.lld',
        'aarch64-linux-gnu-objcopy',
        'aarch64-linux-gnu-gcc',
        '/usr/aarch64-linux-gnu/lib/libc.so',
      ],
    );
    assert.deepEqual(
      cross.parts.map((p) => p.apt),
      ['clang', 'lld', 'binutils-aarch64-linux-gnu', 'gcc-aarch64-linux-gnu', 'libc6-dev-arm64-cross'],
    );
    // SysRoot=/usr/aarch64-linux-gnu does not work with Debian's layout (lld misses libc.so.6).
    assert.deepEqual(crossCompileProperties(cross), [
      '-p:SysRoot=/',
      '-p:LinkerFlavor=lld',
      '-p:ObjCopyName=aarch64-linux-gnu-objcopy',
    ]);
  });

  it('arm64 to x86_64: the same shape with the x86_64 names (Debian writes x86-64 in package names)', () => {
    const cross = toolchainFor(arm64, x64, 'net10.0');
    assert.deepEqual(
      cross.parts.map((p) => p.apt),
      ['clang', 'lld', 'binutils-x86-64-linux-gnu', 'gcc-x86-64-linux-gnu', 'libc6-dev-amd64-cross'],
    );
    assert.deepEqual(crossCompileProperties(cross), [
      '-p:SysRoot=/',
      '-p:LinkerFlavor=lld',
      '-p:ObjCopyName=x86_64-linux-gnu-objcopy',
    ]);
    // .NET 8 also links the target's zlib, from Debian's multiarch package.
    const net8 = toolchainFor(arm64, x64, 'net8.0');
    assert.equal(net8.parts.at(-1)?.apt, 'zlib1g-dev:amd64');
    assert.deepEqual(net8.parts.at(-1)?.files, ['/usr/lib/x86_64-linux-gnu/libz.so']);
  });

  it('names only what is missing, with apt and dnf lines, and the Docker alternative', () => {
    const native = toolchainFor(x64, x64, 'net8.0');
    const probe = machineWith([], ['/usr/lib64/libz.so']); // Fedora's zlib, no clang
    assert.deepEqual(
      missingParts(native, probe).map((p) => p.program),
      ['clang'],
    );
    assert.throws(
      () => checkToolchain(native, probe),
      (error: Error) => {
        assert.ok(error instanceof ToolchainError);
        assert.match(error.message, /^NativeAOT for x86_64 needs what this machine lacks:\n {2}clang: /);
        assert.match(error.message, /\nInstall on Debian\/Ubuntu: sudo apt-get install clang\n/);
        assert.match(error.message, /\nInstall on Fedora\/Amazon Linux: sudo dnf install clang\n/);
        assert.match(error.message, /scripts\/build\.sh \(without --local\)/);
        return true;
      },
    );
  });

  it('a cross build missing the sysroot says Fedora/Amazon Linux have no package for it', () => {
    const cross = toolchainFor(x64, arm64, 'net10.0');
    const probe = machineWith(['clang', 'ld.lld', 'aarch64-linux-gnu-objcopy']);
    assert.throws(
      () => checkToolchain(cross, probe),
      (error: Error) => {
        assert.match(error.message, /^Cross-compiling NativeAOT from x86_64 to arm64 needs/);
        assert.match(
          error.message,
          /aarch64-linux-gnu-gcc: .*\n {2}\/usr\/aarch64-linux-gnu\/lib\/libc\.so: /,
        );
        assert.match(error.message, /sudo apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross\n/);
        assert.match(error.message, /Fedora\/Amazon Linux package no arm64 C library/);
        return true;
      },
    );
    const complete = machineWith(
      ['clang', 'ld.lld', 'aarch64-linux-gnu-objcopy', 'aarch64-linux-gnu-gcc'],
      ['/usr/aarch64-linux-gnu/lib/libc.so'],
    );
    assert.doesNotThrow(() => checkToolchain(cross, complete));
  });

  it('the publish arguments: Release, the target RID, the staging folder, plain console output, cross properties', () => {
    const args = publishArgs({
      csproj: 'src/A/A.csproj',
      outDir: 'artifacts/.publish-1',
      toolchain: toolchainFor(x64, arm64, 'net10.0'),
    });
    assert.deepEqual(args, [
      'publish',
      'src/A/A.csproj',
      '-c',
      'Release',
      '-r',
      'linux-arm64',
      '-o',
      'artifacts/.publish-1',
      '-tl:off',
      '--nologo',
      '-p:SysRoot=/',
      '-p:LinkerFlavor=lld',
      '-p:ObjCopyName=aarch64-linux-gnu-objcopy',
    ]);
  });
});
