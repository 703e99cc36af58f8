import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** C sources of the small executables the doctor tests compile with the machine's `cc`. */
const sources = {
  hello: '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n',
  // arc4random arrived in glibc 2.36: linking it on Debian 12 needs GLIBC_2.36, more than Amazon Linux 2023 has.
  arc4random:
    '#include <stdio.h>\n#include <stdlib.h>\nint main(void) { printf("%u\\n", arc4random()); return 0; }\n',
  // What a NativeAOT build without InvariantGlobalization carries: the ICU loader shim naming libicuuc.
  icuShim:
    '#include <dlfcn.h>\n#include <stdio.h>\nint main(void) { void *h = dlopen("libicuuc.so.72", RTLD_LAZY); printf("%p\\n", h); return 0; }\n',
  library: 'int answer(void) { return 42; }\n',
};

export interface Programs {
  dir: string;
  /** Dynamically linked x86-64 PIE, GLIBC_2.34 at most. */
  hello: string;
  arc4random: string;
  helloStatic: string;
  icuShim: string;
  /** Linked with libicuuc (DT_NEEDED), when the machine has the ICU development link. */
  icuLinked?: string;
  sharedLibrary: string;
  /** hello with e_machine patched to AArch64 (or a real cross build when aarch64-linux-gnu-gcc exists). */
  arm64: string;
  /** hello whose PT_INTERP names musl's loader. */
  musl: string;
  /** hello with its section headers removed from the ELF header (as sstrip does). */
  noSections: string;
}

function cc(dir: string, name: string, source: string, ...flags: string[]): string {
  const src = join(dir, `${name}.c`);
  const out = join(dir, name);
  writeFileSync(src, source);
  execFileSync('cc', ['-O0', '-o', out, src, ...flags], { stdio: 'pipe' });
  return out;
}

export function buildPrograms(dir: string): Programs {
  const hello = cc(dir, 'hello', sources.hello);
  const programs: Programs = {
    dir,
    hello,
    arc4random: cc(dir, 'arc4random', sources.arc4random),
    helloStatic: cc(dir, 'hello-static', sources.hello, '-static'),
    icuShim: cc(dir, 'icu-shim', sources.icuShim),
    sharedLibrary: cc(dir, 'libanswer.so', sources.library, '-shared', '-fPIC'),
    arm64: join(dir, 'hello-arm64'),
    musl: join(dir, 'hello-musl'),
    noSections: join(dir, 'hello-nosections'),
  };
  try {
    programs.icuLinked = cc(dir, 'icu-linked', sources.hello, '-Wl,--no-as-needed', '-licuuc');
  } catch {
    // no libicuuc.so to link against here
  }

  if (hasCommand('aarch64-linux-gnu-gcc')) {
    writeFileSync(join(dir, 'hello-arm64.c'), sources.hello);
    execFileSync('aarch64-linux-gnu-gcc', ['-o', programs.arm64, join(dir, 'hello-arm64.c')], {
      stdio: 'pipe',
    });
  } else {
    patch(hello, programs.arm64, (bytes) => bytes.writeUInt16LE(183, 18));
  }
  patch(hello, programs.musl, (bytes) => {
    const glibc = Buffer.from('/lib64/ld-linux-x86-64.so.2');
    const at = bytes.indexOf(glibc);
    Buffer.from('/lib/ld-musl-x86_64.so.1\0\0\0').copy(bytes, at);
  });
  patch(hello, programs.noSections, (bytes) => {
    bytes.writeBigUInt64LE(0n, 40); // e_shoff
    bytes.writeUInt16LE(0, 60); // e_shnum
    bytes.writeUInt16LE(0, 62); // e_shstrndx
  });
  return programs;
}

function patch(from: string, to: string, edit: (bytes: Buffer) => void): void {
  const bytes = readFileSync(from);
  edit(bytes);
  writeFileSync(to, bytes);
  chmodSync(to, 0o755);
}

function hasCommand(name: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => existsSync(join(dir, name)));
}

/** A copy of `from` named `name` in `dir`, with `mode`. */
export function copyAs(from: string, dir: string, name: string, mode = 0o755): string {
  const to = join(dir, name);
  copyFileSync(from, to);
  chmodSync(to, mode);
  return to;
}
