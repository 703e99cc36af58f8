import { closeSync, constants, fstatSync, openSync, readSync, readdirSync, type Stats } from 'node:fs';
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
import { NeedleScanner } from './byte-scan.js';
import { ElfError, glibcNeeds, isElf, machineName, type ElfInfo } from './elf.js';
import { fileRangeReader, loadElf, RangeCollector, type RangeReader } from './elf-loader.js';
import { settingsFrom, type ProjectSettings } from './project-settings.js';
import { NoTargetError, resolveTarget } from './publish-folder.js';
import { isZip, ZipArchive, ZipEntryError, type ZipEntryInfo } from './zip-archive.js';

export interface DoctorOptions {
  /**
   * Lambda architecture the function is deployed with; default the enclosing project's (see settingsFrom),
   * else x86_64 (Lambda's), which then only warns.
   */
  architecture?: string;
  /** Default the enclosing project's, else provided.al2023. */
  runtime?: string;
  /** false: ignore the enclosing project's settings. */
  project?: boolean;
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
  /** The project file the architecture or runtime came from, when not from the options or the defaults. */
  settingsSource?: string;
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
  const project = options.project === false ? undefined : settingsFrom(target);
  const fromProject = (key: 'architecture' | 'runtime') =>
    options[key] === undefined && project?.[key] !== undefined;
  const architecture = inProject(project, fromProject('architecture'), () =>
    findArchitecture(options.architecture ?? project?.architecture),
  );
  const runtime = inProject(project, fromProject('runtime'), () =>
    findRuntime(options.runtime ?? project?.runtime),
  );
  const { path, stat } = inputOrThrow(() => resolveTarget(target));
  refuseNonFile(target, path, stat);
  const zip = isZip(readHead(target, path));
  const settingsSource =
    project && (fromProject('architecture') || fromProject('runtime')) ? project.source : undefined;
  const base = { target, architecture: architecture.id, runtime: runtime.id, settingsSource };
  const checks: CheckResult[] = [checkRuntime(runtime)];
  const context: CheckContext = {
    architecture,
    // The project's architecture is the function's: a mismatch fails as one given with --architecture does.
    architectureGiven: options.architecture !== undefined || fromProject('architecture'),
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

/** What doctor needs of the executable, however it is stored: its first bytes, its ELF tables, ICU use. */
interface Content {
  head: Uint8Array;
  elf: () => Promise<ElfInfo>;
  loadsIcu: () => Promise<boolean>;
}

const MB = 1024 * 1024;
/** Bytes read to tell ELF from script from PE, and to show a script's #! line. */
const HEAD_BYTES = 4096;
/** Entries inflated to verify their sizes (about 2 ms each); the rest are counted as declared, and said so. */
const MAX_VERIFIED_ENTRIES = 1000;
/** The ICU loader shim's telltale, looked for in the whole executable. */
const ICU_MARK = 'libicuuc';

async function fileChecks(
  path: string,
  stat: Stats,
  context: CheckContext,
  checks: CheckResult[],
): Promise<Found> {
  checks.push(checkName(basename(path), context.runtime));
  checks.push(checkPermissions(stat.mode, 'file'));
  checks.push(checkUnzippedSize(stat.size, 'file'));
  const read = fileRangeReader(path);
  const [head] = await read([{ offset: 0, length: Math.min(stat.size, HEAD_BYTES) }]);
  const content: Content = {
    head: head?.bytes ?? new Uint8Array(),
    elf: () => loadElf(stat.size, read),
    loadsIcu: async () => scanFile(path, new NeedleScanner(ICU_MARK)),
  };
  const elf = await contentChecks(content, context, shippedNextTo(path), checks);
  return { executable: path, elf };
}

/** Streams a file (up to Lambda's unzipped limit: a bigger one fails the size check) through a scanner. */
function scanFile(path: string, scanner: NeedleScanner): boolean {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.alloc(MB);
    for (let position = 0; position < MAX_UNZIPPED_BYTES && !scanner.found;) {
      const got = readSync(fd, chunk, 0, chunk.length, position);
      if (got === 0) break;
      scanner.take(chunk.subarray(0, got));
      position += got;
    }
    return scanner.found;
  } finally {
    closeSync(fd);
  }
}

async function zipChecks(
  path: string,
  stat: Stats,
  context: CheckContext,
  checks: CheckResult[],
): Promise<Found> {
  checks.push(checkZipSize(stat.size));
  let archive: ZipArchive;
  try {
    archive = await ZipArchive.open(path);
  } catch (error) {
    checks.push({
      id: 'zip-layout',
      verdict: 'FAIL',
      reason: `not a readable zip: ${(error as Error).message}`,
      fix: "rebuild the zip (the project's scripts/package.sh)",
    });
    return {};
  }
  try {
    return await checkArchive(archive, context, checks);
  } finally {
    archive.close();
  }
}

async function checkArchive(
  archive: ZipArchive,
  context: CheckContext,
  checks: CheckResult[],
): Promise<Found> {
  const integrity = (reason: string, fix: string) =>
    checks.push({ id: 'zip-integrity', verdict: 'FAIL', reason, fix });
  // unzip and Lambda write the entries in order, so a later entry of the same name replaces an earlier one.
  const winners = new Map<string, ZipEntryInfo>();
  for (const entry of archive.entries) winners.set(entry.name, entry);
  const copies = new Map<string, number>();
  for (const entry of archive.entries) copies.set(entry.name, (copies.get(entry.name) ?? 0) + 1);
  const duplicates = [...copies].filter(([, count]) => count > 1).map(([name]) => name);
  if (duplicates.length > 0) {
    checks.push({
      id: 'zip-duplicates',
      verdict: 'WARN',
      reason: `${list(duplicates)} ${duplicates.length === 1 ? 'appears' : 'appear'} more than once; unzip and Lambda keep the last copy, which is the one checked here`,
      fix: 'rebuild the zip from a clean folder (zip -r adds to an existing zip: delete it first)',
    });
  }
  const files = [...winners.values()].filter((e) => !e.isDirectory);
  const encrypted = files.filter((e) => e.encrypted);
  if (encrypted.length > 0) {
    integrity(
      `${list(encrypted.map((e) => e.name))} ${encrypted.length === 1 ? 'is' : 'are'} encrypted (password-protected): Lambda cannot unpack them`,
      "zip without a password (no zip -e / -P), e.g. with the project's scripts/package.sh",
    );
  }
  const readable = files.filter((e) => !e.encrypted);
  const shared = sharingData(archive.entries);
  if (shared.length > 0) {
    integrity(
      `${list(shared)} share their data with another entry (one local record, several names): the shape of an overlapping zip bomb, which no zip tool writes`,
      "rebuild the zip with a normal zip tool (the project's scripts/package.sh)",
    );
  }

  const layout: CheckResult[] = [];
  const chosen = await findExecutableEntry(archive, files, context.runtime, layout);
  const judged = chosen && !chosen.encrypted ? await followLink(archive, chosen, winners, layout) : undefined;

  const sizes = await measure(archive, readable, judged);
  for (const problem of sizes.problems) {
    integrity(
      problem,
      "the zip is truncated or corrupt: rebuild it (the project's scripts/package.sh) and upload that file",
    );
  }
  if (sizes.overLimit) {
    const declared = files.reduce((sum, e) => sum + e.uncompressedSize, 0);
    checks.push(
      declared > MAX_UNZIPPED_BYTES
        ? checkUnzippedSize(declared, 'unzipped')
        : {
            ...checkUnzippedSize(MAX_UNZIPPED_BYTES + 1, 'unzipped'),
            reason: `unzipped more than ${MAX_UNZIPPED_BYTES / MB} MB (counting stopped there), though the zip declares ${(declared / MB).toFixed(1)} MB: above Lambda's 250 MB unzipped limit`,
          },
    );
  } else {
    checks.push(checkUnzippedSize(sizes.total, 'unzipped'));
  }
  if (sizes.problems.length === 0 && encrypted.length === 0 && shared.length === 0 && !sizes.overLimit) {
    checks.push(
      sizes.unverified > 0
        ? {
            id: 'zip-integrity',
            verdict: 'WARN',
            reason: `the first ${MAX_VERIFIED_ENTRIES} entries hold the bytes they declare; the other ${sizes.unverified} were counted by what they declare, not inflated`,
            fix: `check the rest with unzip -t; a function package rarely needs ${MAX_VERIFIED_ENTRIES + sizes.unverified} files (trim it, or use a layer)`,
          }
        : { id: 'zip-integrity', verdict: 'PASS', reason: 'every entry holds the bytes it declares' },
    );
  }
  checks.push(...layout);
  if (!chosen) return {};
  checks.push(checkName(posix.basename(chosen.name), context.runtime));
  // An encrypted executable cannot be read (zip-integrity says so); a dangling link has nothing to read.
  if (!judged) return { executable: chosen.name };
  checks.push(checkPermissions(judged.unixMode, 'zip'));
  const executable = sizes.executable as MeasuredEntry;
  const read = zipRangeReader(archive, judged);
  const content: Content = {
    head: executable.head,
    elf: () => loadElf(executable.bytes, read, MAX_UNZIPPED_BYTES),
    loadsIcu: async () => executable.loadsIcu,
  };
  const shipped = new Set(files.map((e) => posix.basename(e.name)));
  const elf = await contentChecks(content, context, shipped, checks);
  return { executable: chosen.name, elf };
}

/** Entries whose local header another entry already uses, named in order. */
function sharingData(entries: readonly ZipEntryInfo[]): string[] {
  const owner = new Map<number, string>();
  const shared: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory && entry.compressedSize === 0) continue;
    if (owner.has(entry.localHeaderOffset)) shared.push(entry.name);
    else owner.set(entry.localHeaderOffset, entry.name);
  }
  return shared;
}

function list(names: string[]): string {
  return names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
}

interface MeasuredEntry {
  /** Bytes the entry holds: counted, or when counting stopped at Lambda's limit, what it declares (if more). */
  bytes: number;
  head: Uint8Array;
  loadsIcu: boolean;
}

/**
 * Streams the entries as Lambda would unpack them and counts what they really hold, stopping once Lambda's
 * unzipped limit is passed: the executable first (keeping its head and looking for ICU on the way), then the
 * rest. Declared sizes are only claims: a bomb declares little, a broken zip more than it has.
 */
async function measure(
  archive: ZipArchive,
  files: ZipEntryInfo[],
  executable: ZipEntryInfo | undefined,
): Promise<{
  total: number;
  overLimit: boolean;
  problems: string[];
  unverified: number;
  executable?: MeasuredEntry;
}> {
  let total = 0;
  let overLimit = false;
  let unverified = 0;
  const problems: string[] = [];
  let measured: MeasuredEntry | undefined;
  const order = executable ? [executable, ...files.filter((e) => e !== executable)] : files;
  for (const [index, entry] of order.entries()) {
    const watch = entry === executable;
    if (index >= MAX_VERIFIED_ENTRIES) {
      // Past this many, opening each entry costs more time than a check may take: count what they declare.
      unverified++;
      total += entry.uncompressedSize;
      overLimit = total > MAX_UNZIPPED_BYTES;
      if (overLimit) break;
      continue;
    }
    // Nothing stored and nothing declared: no data to inflate (an empty file, or a link's empty target).
    if (!watch && entry.compressedSize === 0 && entry.uncompressedSize === 0) continue;
    const budget = MAX_UNZIPPED_BYTES - total;
    const head = new RangeCollector(watch ? [{ offset: 0, length: HEAD_BYTES }] : []);
    const icu = new NeedleScanner(ICU_MARK);
    let bytes = 0;
    try {
      const result = await archive.stream(entry, (chunk, position) => {
        if (watch) {
          head.take(chunk, position);
          icu.take(chunk);
        }
        return position + chunk.length <= budget;
      });
      bytes = result.bytes;
      overLimit = result.stopped;
    } catch (error) {
      if (!(error instanceof ZipEntryError)) throw error;
      bytes = error.bytesRead;
      problems.push(entryProblem(entry, error));
    }
    if (watch)
      measured = {
        bytes: overLimit ? Math.max(bytes, entry.uncompressedSize) : bytes,
        head: head.result(bytes)[0]?.bytes ?? new Uint8Array(),
        loadsIcu: icu.found,
      };
    total += bytes;
    if (overLimit) break;
  }
  return { total, overLimit, problems, unverified, executable: measured };
}

function entryProblem(entry: ZipEntryInfo, error: ZipEntryError): string {
  const size = (n: number) => (n >= MB ? `${(n / MB).toFixed(1)} MB` : `${n} bytes`);
  if (/not enough bytes in the stream/.test(error.message)) {
    return `${entry.name} declares ${size(entry.uncompressedSize)} but its data holds only ${size(error.bytesRead)}`;
  }
  if (/too many bytes in the stream/.test(error.message)) {
    return `${entry.name} declares ${size(entry.uncompressedSize)} but its data inflates to more`;
  }
  return error.message;
}

function zipRangeReader(archive: ZipArchive, entry: ZipEntryInfo): RangeReader {
  return async (ranges) => {
    const collector = new RangeCollector(ranges);
    let bytes: number;
    try {
      bytes = (await archive.stream(entry, (chunk, position) => collector.take(chunk, position))).bytes;
    } catch (error) {
      if (!(error instanceof ZipEntryError)) throw error;
      bytes = error.bytesRead; // already reported as zip-integrity; judge what is there
    }
    return collector.result(bytes);
  };
}

/** A link lands in /var/task as a link: say so, and judge the file it points at when the zip holds it. */
async function followLink(
  archive: ZipArchive,
  entry: ZipEntryInfo,
  entries: ReadonlyMap<string, ZipEntryInfo>,
  checks: CheckResult[],
): Promise<ZipEntryInfo | undefined> {
  let current = entry;
  const chain: string[] = [];
  for (let hops = 0; current.isSymlink; hops++) {
    const target = (await archive.head(current, 4096).catch(() => Buffer.alloc(0))).toString('utf8');
    chain.push(target);
    const inZip = linkTarget(current.name, target);
    const next = inZip === undefined ? undefined : entries.get(inZip);
    if (!next || next.isDirectory || hops >= 8) {
      checks.push({
        id: 'symlink',
        verdict: 'FAIL',
        reason: `${entry.name} is a symbolic link to ${JSON.stringify(target)}, which ${hops >= 8 ? 'links on too deep' : 'the zip does not hold'}: on Lambda it points at nothing there is to run`,
        fix: 'zip the executable itself, not a link to it (zip without --symlinks / -y)',
      });
      return undefined;
    }
    current = next;
  }
  if (chain.length > 0) {
    checks.push({
      id: 'symlink',
      verdict: 'WARN',
      reason: `${entry.name} is a symbolic link to ${current.name}; the checks below judge ${current.name}`,
      fix: 'zip the executable itself under its own name (zip without --symlinks / -y): fewer ways to break',
    });
  }
  return current;
}

/** The zip path a link at `from` reaches, or undefined when it leaves the zip (absolute, or ../ past the root). */
function linkTarget(from: string, target: string): string | undefined {
  const inTask = target.startsWith('/var/task/') ? target.slice('/var/task/'.length) : target;
  if (inTask.startsWith('/') || inTask === '') return undefined;
  const joined = posix.normalize(posix.join(posix.dirname(from), inTask));
  return joined.startsWith('../') || joined === '..' ? undefined : joined;
}

/** Picks the entry Lambda would run and judges where it sits in the zip. */
async function findExecutableEntry(
  archive: ZipArchive,
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
  const rootElf = await firstElf(archive, files.filter(atRoot));
  if (rootElf) {
    layout('PASS', `executable ${rootElf.name} at the zip root`);
    return rootElf;
  }
  const nestedElf = await firstElf(
    archive,
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

/** The first entry that is an ELF file, among likely names (exec bit, no extension): 4 bytes of each at most. */
async function firstElf(archive: ZipArchive, candidates: ZipEntryInfo[]): Promise<ZipEntryInfo | undefined> {
  const likely = candidates.filter(
    (e) =>
      !e.isSymlink &&
      !e.encrypted &&
      (((e.unixMode ?? 0) & 0o111) !== 0 || !/\.(dll|json|pdb|dbg|xml|txt|md|so(\.\d+)*)$/i.test(e.name)),
  );
  for (const entry of likely.slice(0, 50)) {
    if (entry.uncompressedSize < 4) continue;
    const head = await archive.head(entry, 4).catch(() => Buffer.alloc(0));
    if (isElf(head)) return entry;
  }
  return undefined;
}

/** What the bytes are, and if an ELF, everything about it that decides whether it starts. */
async function contentChecks(
  content: Content,
  context: CheckContext,
  shipped: ReadonlySet<string>,
  checks: CheckResult[],
): Promise<ElfInfo | undefined> {
  const bytes = content.head;
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
    elf = await content.elf();
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
    checkIcu(elf, await content.loadsIcu(), shipped),
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

/** A bad value stored in the project is the project's problem: name the file it is in. */
function inProject<T>(project: ProjectSettings | undefined, fromProject: boolean, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof DoctorInputError && fromProject && project) {
      throw new DoctorInputError(`${project.source}: ${error.message} (or pass the value to doctor)`);
    }
    throw error;
  }
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

/** Only regular files are read: a device (/dev/zero) never ends and a pipe blocks the open itself. */
function refuseNonFile(target: string, path: string, stat: Stats): void {
  if (stat.isFile()) return;
  const what = stat.isDirectory()
    ? 'a folder'
    : stat.isFIFO()
      ? 'a named pipe'
      : stat.isCharacterDevice() || stat.isBlockDevice()
        ? 'a device'
        : stat.isSocket()
          ? 'a socket'
          : 'not a regular file';
  throw new DoctorInputError(
    `${path === target ? target : `${path} (in ${target})`} is ${what}, not a file: give doctor the bootstrap executable, the function's zip or its publish folder`,
  );
}

/** The first 4 bytes; opened without blocking and checked again, in case the file was swapped since stat. */
function readHead(target: string, path: string): Buffer {
  const head = Buffer.alloc(4);
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    refuseNonFile(target, path, fstatSync(fd));
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  return head;
}
