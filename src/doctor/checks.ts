import { architectures, type Architecture } from '../catalog/architectures.js';
import type { LambdaRuntime } from '../catalog/runtimes.js';
import { targetGlibc } from '../catalog/runtimes.js';
import { compareVersions, glibcNeeds, machineName, type ElfInfo } from './elf.js';

export type Verdict = 'PASS' | 'WARN' | 'FAIL';

export interface CheckResult {
  /** Stable id, for --json consumers. */
  id: string;
  verdict: Verdict;
  /** What was found, and why it matters. */
  reason: string;
  /** What to do about it (WARN and FAIL). */
  fix?: string;
}

const MB = 1024 * 1024;
/** Lambda quotas: a zip uploaded directly, and everything unzipped (function plus layers). */
const MAX_DIRECT_UPLOAD_BYTES = 50 * MB;
export const MAX_UNZIPPED_BYTES = 250 * MB;

const pass = (id: string, reason: string): CheckResult => ({ id, verdict: 'PASS', reason });
const warn = (id: string, reason: string, fix: string): CheckResult => ({ id, verdict: 'WARN', reason, fix });
const fail = (id: string, reason: string, fix: string): CheckResult => ({ id, verdict: 'FAIL', reason, fix });

/** glibc's dynamic loader per machine: what PT_INTERP must name for the binary to start on Amazon Linux. */
const glibcLoaders: Readonly<Record<number, string>> = {
  62: '/lib64/ld-linux-x86-64.so.2',
  183: '/lib/ld-linux-aarch64.so.1',
};

/** Libraries every glibc system has (libgcc_s too: glibc itself loads it for thread cancellation). */
const glibcLibraries = new Set([
  'libc.so.6',
  'libm.so.6',
  'libdl.so.2',
  'libpthread.so.0',
  'librt.so.1',
  'libresolv.so.2',
  'libutil.so.1',
  'libgcc_s.so.1',
  'ld-linux-x86-64.so.2',
  'ld-linux-aarch64.so.1',
]);

/** glibc 2.36 added this version tag for binaries linked with packed relative relocations (-z pack-relative-relocs). */
const glibcAbiTags: Readonly<Record<string, [number, number]>> = { GLIBC_ABI_DT_RELR: [2, 36] };

export function checkElfClass(elf: ElfInfo): CheckResult {
  if (elf.bits === 64 && elf.endianness === 'little') return pass('elf-class', 'ELF 64-bit, little-endian');
  return fail(
    'elf-class',
    `ELF ${elf.bits}-bit, ${elf.endianness}-endian: Lambda runs 64-bit little-endian executables only`,
    'publish for linux-x64 or linux-arm64 (dotnet publish -r linux-x64|linux-arm64)',
  );
}

export function checkArchitecture(elf: ElfInfo, target: Architecture, given: boolean): CheckResult {
  const targetName = machineName(target.elfMachine);
  if (elf.machine === target.elfMachine) {
    return pass('architecture', `${targetName} (e_machine ${elf.machine}), matches ${target.id}`);
  }
  const built = machineName(elf.machine);
  const reason = `built for ${built} (e_machine ${elf.machine}), but the function is ${target.id} (${targetName}): it would fail with "exec format error" (Runtime.InvalidEntrypoint)`;
  const fix = `publish with -r ${target.rid}, or deploy the function with Architectures: ${otherArchitectureHint(elf.machine) ?? 'the one it was built for'}`;
  // Without --architecture the target is only Lambda's default; a mismatch may be intended, so it warns.
  return given
    ? fail('architecture', reason, fix)
    : warn(
        'architecture',
        `${reason} (the default)`,
        `${fix}; pass --architecture to check against the function's real one`,
      );
}

/** The catalogue architecture an executable was built for, if it is one Lambda has. */
function otherArchitectureHint(machine: number): string | undefined {
  return architectures.find((a) => a.elfMachine === machine)?.id;
}

export function checkExecutableType(elf: ElfInfo): CheckResult {
  if (elf.type === 2) return pass('executable-type', 'an executable (ET_EXEC)');
  if (elf.type === 3 && (elf.interpreter !== undefined || elf.pie)) {
    return pass('executable-type', 'a position-independent executable (PIE)');
  }
  const what =
    elf.type === 3 ? 'a shared library' : elf.type === 1 ? 'an object file' : `ELF type ${elf.type}`;
  return fail(
    'executable-type',
    `${what}, not an executable`,
    'point at the published executable (<OutputType>Exe</OutputType>, PublishAot=true), not a library',
  );
}

export function checkLoader(elf: ElfInfo): CheckResult {
  if (elf.interpreter === undefined) {
    return elf.dynamic
      ? warn('loader', 'no program interpreter but a dynamic section', 'rebuild as a normal executable')
      : pass('loader', 'statically linked: no dynamic loader needed');
  }
  const expected = glibcLoaders[elf.machine];
  if (elf.interpreter === expected) return pass('loader', `glibc loader ${elf.interpreter}`);
  if (/ld-musl/.test(elf.interpreter)) {
    return fail(
      'loader',
      `linked against musl (${elf.interpreter}); Amazon Linux 2023 uses glibc, so the kernel finds no loader (Runtime.InvalidEntrypoint)`,
      'publish with the glibc runtime identifier (linux-x64 / linux-arm64), not linux-musl-*',
    );
  }
  return warn(
    'loader',
    `unusual program interpreter ${elf.interpreter}${expected ? ` (glibc's is ${expected})` : ''}`,
    'make sure that loader exists on Amazon Linux 2023, or link normally',
  );
}

export function checkGlibc(elf: ElfInfo): CheckResult {
  if (!elf.dynamic) return pass('glibc', 'statically linked: needs no glibc at run time');
  const target = targetGlibc.split('.').map(Number);
  const required = glibcNeeds(elf, glibcAbiTags);
  const unknownTags = elf.versionNeeds
    .flatMap((need) => need.versions)
    .filter((name) => /^GLIBC_ABI_/.test(name) && !Object.hasOwn(glibcAbiTags, name));
  if (required.length === 0 && unknownTags.length === 0) {
    return pass('glibc', 'no versioned glibc symbols needed');
  }
  const highest = required[0];
  if (highest && compareVersions(highest.version, target) > 0) {
    const tooNew = required.filter((r) => compareVersions(r.version, target) > 0);
    const names = [...new Set(tooNew.map((r) => r.name))];
    const symbols = names.flatMap((n) => (elf.symbolsByVersion[n] ?? []).map((s) => `${s}@${n}`));
    return fail(
      'glibc',
      `needs ${names.join(', ')}${symbols.length > 0 ? ` (${symbols.slice(0, 6).join(', ')}${symbols.length > 6 ? ', ...' : ''})` : ''}, but Amazon Linux 2023 has glibc ${targetGlibc}: it would stop at start with "version \`${highest.name}' not found"`,
      `build on glibc ${targetGlibc} or older: in the project's Amazon Linux 2023 build container (Dockerfile, scripts/build.sh)`,
    );
  }
  if (unknownTags.length > 0) {
    return warn(
      'glibc',
      `needs ${unknownTags.join(', ')}, a glibc ABI tag this check does not know`,
      `build on glibc ${targetGlibc} (the project's Amazon Linux 2023 build container)`,
    );
  }
  return pass(
    'glibc',
    `highest glibc version needed ${highest?.name ?? ''} <= ${targetGlibc} (Amazon Linux 2023)`,
  );
}

/** DT_NEEDED beyond glibc: these must be on the Lambda image or shipped next to the executable. */
export function checkLibraries(elf: ElfInfo, shipped: ReadonlySet<string>): CheckResult {
  const others = elf.needed.filter((n) => !glibcLibraries.has(n) && !/^libicu/.test(n));
  const missing = others.filter((n) => !shipped.has(n));
  if (missing.length === 0) {
    const list = elf.needed.length > 0 ? elf.needed.join(', ') : 'none';
    return pass(
      'libraries',
      `shared libraries: ${list}${others.length > 0 ? ' (non-glibc ones shipped alongside)' : ''}`,
    );
  }
  return warn(
    'libraries',
    `needs ${missing.join(', ')}, which are not part of glibc and may be missing on the Lambda image`,
    'ship them in the zip (under lib/, which is on LD_LIBRARY_PATH as /var/task/lib) or link them statically',
  );
}

/**
 * ICU: a DT_NEEDED on libicu stops the loader; a NativeAOT build without InvariantGlobalization carries the
 * ICU loader shim (the string `libicuuc`) and fails at the first culture-aware call on an image without ICU.
 */
export function checkIcu(elf: ElfInfo, loadsIcu: boolean, shipped: ReadonlySet<string>): CheckResult {
  const fixInvariant =
    'set <InvariantGlobalization>true</InvariantGlobalization> in the csproj (or ship ICU in the zip and set DOTNET_SYSTEM_GLOBALIZATION_APPLOCALICU)';
  const linked = elf.needed.filter((n) => /^libicu/.test(n));
  if (linked.length > 0) {
    if (linked.every((n) => shipped.has(n)))
      return pass('icu', `links ${linked.join(', ')}, shipped alongside`);
    return fail(
      'icu',
      `links ${linked.join(', ')}; the Amazon Linux 2023 Lambda images have no ICU, so the loader stops at start`,
      fixInvariant,
    );
  }
  if (loadsIcu) {
    return warn(
      'icu',
      'loads ICU (libicuuc) at run time: InvariantGlobalization is off, and the Amazon Linux 2023 Lambda images have no ICU',
      fixInvariant,
    );
  }
  return pass('icu', 'no ICU dependence');
}

export function checkPermissions(mode: number | undefined, where: 'file' | 'zip'): CheckResult {
  if (mode === undefined) {
    return fail(
      'permissions',
      'the zip entry carries no Unix permissions (zipped on Windows?): Lambda cannot execute it (permission denied)',
      "zip on Linux/macOS or WSL after chmod 755, or use the project's scripts/package.sh",
    );
  }
  const octal = (mode & 0o777).toString(8).padStart(3, '0');
  if ((mode & 0o111) === 0) {
    return fail(
      'permissions',
      `mode ${octal}: not executable; Lambda answers Runtime.InvalidEntrypoint (permission denied)`,
      where === 'zip'
        ? 'chmod 755 the file before zipping (zip keeps the mode)'
        : 'chmod 755 the file, then zip it',
    );
  }
  // Lambda runs the function as a non-root user that is neither the owner nor in the group.
  if ((mode & 0o005) !== 0o005) {
    return (where === 'zip' ? fail : warn)(
      'permissions',
      `mode ${octal}: others cannot read and execute it, and Lambda runs the function as another user`,
      'chmod 755 the file before zipping',
    );
  }
  return pass('permissions', `mode ${octal}`);
}

export function checkName(name: string, runtime: LambdaRuntime): CheckResult {
  if (runtime.kind === 'custom') {
    if (name === 'bootstrap') return pass('name', `named bootstrap, as ${runtime.id} expects`);
    return fail(
      'name',
      `named ${name}, but ${runtime.id} runs /var/task/bootstrap (Runtime.InvalidEntrypoint otherwise)`,
      'set <AssemblyName>bootstrap</AssemblyName> in the csproj, or rename the file to bootstrap',
    );
  }
  return warn(
    'name',
    `named ${name}: ${runtime.id} runs /var/task/<handler>, so the function's handler must be exactly "${name}"`,
    `set Handler: ${name} in template.yaml (function-handler in aws-lambda-tools-defaults.json)`,
  );
}

export function checkRuntime(runtime: LambdaRuntime, today: Date = new Date()): CheckResult {
  if (runtime.deprecated && new Date(runtime.deprecated) <= today) {
    return warn(
      'runtime',
      `${runtime.id} was deprecated on ${runtime.deprecated}`,
      'move to provided.al2023 (a NativeAOT bootstrap needs no managed runtime)',
    );
  }
  if (runtime.deprecated) {
    return warn(
      'runtime',
      `${runtime.id} is deprecated from ${runtime.deprecated}`,
      'plan the move to provided.al2023 or a newer managed runtime',
    );
  }
  return pass('runtime', `${runtime.id}, supported until ${runtime.supportEnds}`);
}

export function checkUnzippedSize(bytes: number, what: string): CheckResult {
  const size = `${(bytes / MB).toFixed(1)} MB`;
  if (bytes > MAX_UNZIPPED_BYTES) {
    return fail(
      'unzipped-size',
      `${what} ${size}, above Lambda's 250 MB unzipped limit`,
      'trim the package (StripSymbols=true, leave .dbg files out) or use a container image (up to 10 GB)',
    );
  }
  return pass('unzipped-size', `${what} ${size} (limit 250 MB)`);
}

export function checkZipSize(bytes: number): CheckResult {
  const size = `${(bytes / MB).toFixed(1)} MB`;
  if (bytes > MAX_DIRECT_UPLOAD_BYTES) {
    return warn(
      'zip-size',
      `zip ${size}, above the 50 MB limit for a direct upload`,
      'upload through S3 (sam deploy and aws lambda update-function-code --s3-bucket do), or trim the package',
    );
  }
  return pass('zip-size', `zip ${size} (direct upload limit 50 MB)`);
}
