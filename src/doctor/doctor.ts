import { closeSync, openSync, readFileSync, readSync, readdirSync, type Stats } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';
import { architectures, defaultArchitecture, type Architecture } from '../catalog/architectures.js';
import { defaultRuntime, runtimes, type LambdaRuntime } from '../catalog/runtimes.js';
import { checkChoice, SettingError, settingByKey, type SettingKey } from '../settings.js';
import {
  checkArchitecture,
  checkElfClass,
  checkExecutableType,
  checkGlibc,
  checkIcu,
  checkLibraries,
  checkLoader,
  checkName,
  checkPermissions,
  checkRuntime,
  checkUnzippedSize,
  checkZipSize,
  MAX_UNZIPPED_BYTES,
  type CheckResult,
} from './checks.js';
import { ElfError, glibcNeeds, isElf, machineName, parseElf, type ElfInfo } from './elf.js';
import { NoTargetError, resolveTarget } from './publish-folder.js';
import { findZipEntry, isZip, listZip, readZipEntry, type ZipEntryInfo } from './zip-archive.js';

export interface DoctorOptions {
  /** Lambda architecture the function is deployed with; default x86_64 (Lambda's), which then only warns. */
  architecture?: string;
  /** Default provided.al2023. */
  runtime?: string;
}

export interface ElfSummary {
  bits: 32 | 64;
  endianness: 'little' | 'big';
  machine: number;
  machineName: string;
  interpreter?: string;
  needed: string[];
  /** The highest GLIBC_x.y version needed, if any. */
  highestGlibc?: string;
}

export interface DoctorReport {
  target: string;
  kind: 'executable' | 'zip';
  architecture: string;
  runtime: string;
  /** The executable checked: the file itself, or its path inside the zip. */
  executable?: string;
  elf?: ElfSummary;
  checks: CheckResult[];
  /** No check failed (warnings allowed). */
  ok: boolean;
}

/** The target or an option cannot be checked at all (missing file, unknown architecture...). */
export class DoctorInputError extends Error {
  override name = 'DoctorInputError';
}

/** Will this executable or zip start on Lambda? Every check gives PASS, WARN or FAIL with a reason and a fix. */
export async function runDoctor(target: string, options: DoctorOptions = {}): Promise<DoctorReport> {
  const architecture = findArchitecture(options.architecture);
  const runtime = findRuntime(options.runtime);
  const { path, stat } = inputOrThrow(() => resolveTarget(target));
  const zip = isZip(readHead(path));
  const base = { target, architecture: architecture.id, runtime: runtime.id };
  const checks: CheckResult[] = [checkRuntime(runtime)];
  const context: CheckContext = {
    architecture,
    architectureGiven: options.architecture !== undefined,
    runtime,
  };
  const found = zip
    ? await zipChecks(path, stat, context, checks)
    : await fileChecks(path, stat, context, checks);
  return {
    ...base,
    kind: zip ? 'zip' : 'executable',
    executable: found.executable,
    elf: found.elf && summarize(found.elf),
    checks,
    ok: checks.every((c) => c.verdict !== 'FAIL'),
  };
}

interface CheckContext {
  architecture: Architecture;
  architectureGiven: boolean;
  runtime: LambdaRuntime;
}

interface Found {
  executable?: string;
  elf?: ElfInfo;
}

async function fileChecks(
  path: string,
  stat: Stats,
  context: CheckContext,
  checks: CheckResult[],
): Promise<Found> {
  checks.push(checkName(basename(path), context.runtime));
  checks.push(checkPermissions(stat.mode, 'file'));
  checks.push(checkUnzippedSize(stat.size, 'file'));
  if (stat.size > MAX_UNZIPPED_BYTES * 2) return { executable: path }; // not worth reading into memory
  const bytes = readFileSync(path);
  const elf = contentChecks(bytes, context, shippedNextTo(path), checks);
  return { executable: path, elf };
}

async function zipChecks(
  path: string,
  stat: Stats,
  context: CheckContext,
  checks: CheckResult[],
): Promise<Found> {
  checks.push(checkZipSize(stat.size));
  let entries: ZipEntryInfo[];
  try {
    entries = await listZip(path);
  } catch (error) {
    checks.push({
      id: 'zip-layout',
      verdict: 'FAIL',
      reason: `not a readable zip: ${(error as Error).message}`,
      fix: "rebuild the zip (the project's scripts/package.sh)",
    });
    return {};
  }
  const files = entries.filter((e) => !e.isDirectory);
  const total = files.reduce((sum, e) => sum + e.uncompressedSize, 0);
  checks.push(checkUnzippedSize(total, 'unzipped'));

  const entry = await findExecutableEntry(path, files, context.runtime, checks);
  if (!entry) return {};
  checks.push(checkName(posix.basename(entry.name), context.runtime));
  checks.push(checkPermissions(entry.unixMode, 'zip'));
  const bytes = await readZipEntry(path, entry.name);
  const shipped = new Set(files.map((e) => posix.basename(e.name)));
  const elf = contentChecks(bytes, context, shipped, checks);
  return { executable: entry.name, elf };
}

/** Picks the entry Lambda would run and judges where it sits in the zip. */
async function findExecutableEntry(
  path: string,
  files: ZipEntryInfo[],
  runtime: LambdaRuntime,
  checks: CheckResult[],
): Promise<ZipEntryInfo | undefined> {
  const atRoot = (e: ZipEntryInfo) => !e.name.includes('/');
  const layout = (verdict: 'PASS' | 'FAIL', reason: string, fix?: string) =>
    checks.push({ id: 'zip-layout', verdict, reason, ...(fix ? { fix } : {}) });
  const zipContents =
    'zip the contents of the publish folder, not the folder: (cd out && zip -r ../function.zip .)';

  if (runtime.kind === 'custom') {
    const root = files.find((e) => e.name === 'bootstrap');
    if (root) {
      layout('PASS', 'bootstrap at the zip root');
      return root;
    }
    const nested = files.find((e) => posix.basename(e.name) === 'bootstrap');
    if (nested) {
      layout(
        'FAIL',
        `bootstrap is at ${nested.name}; Lambda only runs /var/task/bootstrap, at the zip root`,
        zipContents,
      );
      return nested;
    }
  }
  const rootElf = await firstElf(path, files.filter(atRoot));
  if (rootElf) {
    layout('PASS', `executable ${rootElf.name} at the zip root`);
    return rootElf;
  }
  const nestedElf = await firstElf(
    path,
    files.filter((e) => !atRoot(e)),
  );
  if (nestedElf) {
    layout('FAIL', `the executable is at ${nestedElf.name}, not at the zip root`, zipContents);
    return nestedElf;
  }
  layout(
    'FAIL',
    `no executable in the zip${runtime.kind === 'custom' ? ' (no bootstrap)' : ''}`,
    "publish with PublishAot=true and zip the native executable (the project's scripts/package.sh)",
  );
  return undefined;
}

/** The first entry that is an ELF file, among likely names (exec bit, no extension), in one walk of the zip. */
async function firstElf(path: string, candidates: ZipEntryInfo[]): Promise<ZipEntryInfo | undefined> {
  const likely = candidates.filter(
    (e) => ((e.unixMode ?? 0) & 0o111) !== 0 || !/\.(dll|json|pdb|dbg|xml|txt|md|so(\.\d+)*)$/i.test(e.name),
  );
  const read = likely.slice(0, 50).filter((e) => e.uncompressedSize >= 4);
  const name = await findZipEntry(path, new Set(read.map((e) => e.name)), 4, isElf);
  return read.find((e) => e.name === name);
}

/** What the bytes are, and if an ELF, everything about it that decides whether it starts. */
function contentChecks(
  bytes: Uint8Array,
  context: CheckContext,
  shipped: ReadonlySet<string>,
  checks: CheckResult[],
): ElfInfo | undefined {
  if (bytes[0] === 0x23 && bytes[1] === 0x21) {
    const line = Buffer.from(bytes.subarray(0, 200)).toString('utf8').split('\n')[0] ?? '';
    checks.push({
      id: 'format',
      verdict: 'WARN',
      reason: `a script (${line}): the ELF checks do not apply`,
      fix: 'make sure its interpreter exists on Amazon Linux 2023 and that what it starts passes this check too',
    });
    return undefined;
  }
  if (!isElf(bytes)) {
    const pe = bytes[0] === 0x4d && bytes[1] === 0x5a;
    checks.push({
      id: 'format',
      verdict: 'FAIL',
      reason: pe
        ? 'a Windows/.NET PE file (an assembly, not a native executable)'
        : 'not an executable: neither ELF nor a #! script',
      fix: 'publish with PublishAot=true for linux-x64 or linux-arm64 and point at the native executable',
    });
    return undefined;
  }
  let elf: ElfInfo;
  try {
    elf = parseElf(bytes);
  } catch (error) {
    if (!(error instanceof ElfError)) throw error;
    checks.push({ id: 'format', verdict: 'FAIL', reason: error.message, fix: 'rebuild the executable' });
    return undefined;
  }
  checks.push({ id: 'format', verdict: 'PASS', reason: 'ELF executable' });
  checks.push(
    checkElfClass(elf),
    checkArchitecture(elf, context.architecture, context.architectureGiven),
    checkExecutableType(elf),
    checkLoader(elf),
    checkGlibc(elf),
    checkLibraries(elf, shipped),
    checkIcu(elf, bytes, shipped),
  );
  return elf;
}

function summarize(elf: ElfInfo): ElfSummary {
  return {
    bits: elf.bits,
    endianness: elf.endianness,
    machine: elf.machine,
    machineName: machineName(elf.machine),
    interpreter: elf.interpreter,
    needed: elf.needed,
    highestGlibc: glibcNeeds(elf)[0]?.name,
  };
}

/** Files next to the executable and in its lib/ (both on Lambda's LD_LIBRARY_PATH once zipped together). */
function shippedNextTo(path: string): Set<string> {
  const names = new Set<string>();
  for (const dir of [dirname(path), join(dirname(path), 'lib')]) {
    try {
      for (const name of readdirSync(dir)) names.add(name);
    } catch {
      // no such folder
    }
  }
  return names;
}

/** Unknown and retired values are refused as `aot-lambda new` refuses them: the settings table decides. */
function findArchitecture(id: string | undefined): Architecture {
  const wanted = checkedChoice('architecture', id ?? defaultArchitecture);
  return architectures.find((a) => a.id === wanted) as Architecture;
}

function findRuntime(id: string | undefined): LambdaRuntime {
  const wanted = checkedChoice('runtime', id ?? defaultRuntime);
  return runtimes.find((r) => r.id === wanted) as LambdaRuntime;
}

function checkedChoice(key: SettingKey, value: string): string {
  inputOrThrow(() => checkChoice(settingByKey(key), value));
  return value;
}

/** Runs `read`, turning the ways the target or an option can be unusable into a DoctorInputError. */
function inputOrThrow<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof SettingError || error instanceof NoTargetError) {
      throw new DoctorInputError(error.message);
    }
    throw error;
  }
}

function readHead(path: string): Buffer {
  const head = Buffer.alloc(4);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  return head;
}
