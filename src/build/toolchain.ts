/**
 * What a NativeAOT publish needs on this machine for a given target, as data (which programs and files, from
 * which apt and dnf packages), the check of it, and the message naming what to install when something is
 * missing. The target's cross-toolchain facts live in the architectures catalogue, shared with the generated
 * scripts/build.sh.
 */
import { existsSync } from 'node:fs';
import type { Architecture, ToolchainPart } from '../catalog/architectures.js';
import { findExecutable } from '../tools.js';

export interface Toolchain {
  readonly host: Architecture;
  readonly target: Architecture;
  readonly cross: boolean;
  readonly parts: readonly ToolchainPart[];
}

/** NativeAOT compiles to objects with its own compiler and hands clang the link, for either target. */
const clang: ToolchainPart = {
  program: 'clang',
  apt: 'clang',
  dnf: 'clang',
  why: 'drives the native link of NativeAOT',
};

/** The host's own linker and objcopy come with clang's binutils; only zlib can be missing for a native build. */
const nativeZlib = (target: Architecture): ToolchainPart => ({
  // Debian's multiarch folder, Fedora's lib64.
  files: [`/usr/lib/${target.gnuTriple}/libz.so`, '/usr/lib64/libz.so'],
  apt: 'zlib1g-dev',
  dnf: 'zlib-devel',
  why: '.NET 8 links the system zlib (later versions bring their own)',
});

/** .NET 8's NativeAOT links the system zlib; .NET 9 and later link a copy shipped in the ILCompiler pack. */
export function needsSystemZlib(tfm: string | undefined): boolean {
  const major = /^net(\d+)\./.exec(tfm ?? '')?.[1];
  return major !== undefined && Number(major) < 9;
}

export function toolchainFor(host: Architecture, target: Architecture, tfm?: string): Toolchain {
  const cross = host.id !== target.id;
  const parts: ToolchainPart[] = [clang, ...(cross ? target.crossToolchain : [])];
  if (needsSystemZlib(tfm)) {
    parts.push(
      cross
        ? {
            ...nativeZlib(target),
            files: [`/usr/lib/${target.gnuTriple}/libz.so`],
            apt: `zlib1g-dev:${target.debianArch}`,
            dnf: undefined,
            why: `.NET 8 links the system zlib, here the ${target.id} one (after \`dpkg --add-architecture ${target.debianArch}\`)`,
          }
        : nativeZlib(target),
    );
  }
  return { host, target, cross, parts };
}

/** The MSBuild properties that make `dotnet publish -r <target rid>` link for another architecture. */
export function crossCompileProperties(toolchain: Toolchain): string[] {
  return toolchain.cross ? [...toolchain.target.crossPublishProperties] : [];
}

export interface Probe {
  program(name: string): boolean;
  file(path: string): boolean;
}

export const systemProbe: Probe = {
  program: (name) => findExecutable(name) !== undefined,
  file: (path) => existsSync(path),
};

export function missingParts(toolchain: Toolchain, probe: Probe = systemProbe): ToolchainPart[] {
  return toolchain.parts.filter((part) =>
    part.program !== undefined ? !probe.program(part.program) : !(part.files ?? []).some(probe.file),
  );
}

export class ToolchainError extends Error {
  override name = 'ToolchainError';
}

/** "clang (drives ...), /usr/aarch64-linux-gnu/lib/libc.so.6 (...)": what is missing, then how to get it. */
export function missingMessage(toolchain: Toolchain, missing: readonly ToolchainPart[]): string {
  const what = toolchain.cross
    ? `Cross-compiling NativeAOT from ${toolchain.host.id} to ${toolchain.target.id}`
    : `NativeAOT for ${toolchain.target.id}`;
  const lines = [
    `${what} needs what this machine lacks:`,
    ...missing.map((part) => `  ${part.program ?? part.files?.[0]}: ${part.why}`),
    `Install on Debian/Ubuntu: sudo apt-get install ${unique(missing.map((p) => p.apt)).join(' ')}`,
  ];
  const dnf = missing.map((p) => p.dnf);
  if (dnf.every((p) => p !== undefined)) {
    lines.push(`Install on Fedora/Amazon Linux: sudo dnf install ${unique(dnf).join(' ')}`);
  } else {
    lines.push(
      `Fedora/Amazon Linux package no ${toolchain.target.id} C library for cross-linking: build on a ${toolchain.target.id} machine, or in Docker.`,
    );
  }
  lines.push(
    `Or build in Docker on Amazon Linux 2023 for ${toolchain.target.id}: scripts/build.sh (without --local) in a generated project.`,
  );
  return lines.join('\n');
}

export function checkToolchain(toolchain: Toolchain, probe: Probe = systemProbe): void {
  const missing = missingParts(toolchain, probe);
  if (missing.length > 0) throw new ToolchainError(missingMessage(toolchain, missing));
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
