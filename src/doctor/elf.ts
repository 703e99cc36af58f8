/**
 * A small ELF reader: the header, the program headers, the dynamic section and the GNU version needs
 * (.gnu.version_r), plus which undefined symbols need which version. Enough to tell whether an executable
 * can start on a given Linux; no readelf at runtime.
 */

export class ElfError extends Error {
  override name = 'ElfError';
}

export interface VersionNeed {
  /** The library the versions come from, e.g. `libc.so.6`. */
  file: string;
  versions: string[];
}

export interface ElfInfo {
  bits: 32 | 64;
  endianness: 'little' | 'big';
  /** e_type: 1 REL, 2 EXEC, 3 DYN (shared object or PIE), 4 CORE. */
  type: number;
  machine: number;
  /** PT_INTERP: the dynamic loader the kernel starts, absent for static executables. */
  interpreter?: string;
  /** DF_1_PIE is set: a position-independent executable, not a library. */
  pie: boolean;
  /** Has a dynamic section (links shared libraries at start). */
  dynamic: boolean;
  /** DT_NEEDED, in order. */
  needed: string[];
  versionNeeds: VersionNeed[];
  /** Version name -> undefined symbols bound to it (empty when the file has no section headers). */
  symbolsByVersion: Record<string, string[]>;
}

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const SHT_DYNAMIC = 6;
const SHT_DYNSYM = 11;
const SHT_GNU_VERNEED = 0x6ffffffe;
const SHT_GNU_VERSYM = 0x6fffffff;
const DT_NULL = 0;
const DT_NEEDED = 1;
const DT_STRTAB = 5;
const DT_FLAGS_1 = 0x6ffffffb;
const DT_VERNEED = 0x6ffffffe;
const DT_VERNEEDNUM = 0x6fffffff;
const DF_1_PIE = 0x08000000;

export function isElf(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46
  );
}

interface Section {
  type: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  entsize: number;
}

interface Segment {
  type: number;
  offset: number;
  vaddr: number;
  filesz: number;
}

/** A byte range of the file: what the parser needs next and a loader fetches. */
export interface ByteRange {
  offset: number;
  length: number;
}

/** The parser needs bytes that are not loaded yet; `wanted` also lists the tables it will want next. */
export class MissingBytes extends Error {
  override name = 'MissingBytes';
  constructor(readonly wanted: ByteRange[]) {
    super(`bytes ${wanted[0]?.offset ?? 0}+${wanted[0]?.length ?? 0} not loaded`);
  }
}

/**
 * Some ranges of a file of known size (a whole file is one range). Reading outside the file is an ElfError;
 * reading inside it but outside the loaded ranges is MissingBytes, so a caller can load them and parse again.
 */
export class SparseBytes {
  private readonly chunks: Array<{ offset: number; bytes: Uint8Array }> = [];
  /** Tables the parser will want, asked for together with the next missing range (fewer passes). */
  readonly hints: ByteRange[] = [];

  constructor(readonly size: number) {}

  static whole(bytes: Uint8Array): SparseBytes {
    const sparse = new SparseBytes(bytes.length);
    sparse.add(0, bytes);
    return sparse;
  }

  add(offset: number, bytes: Uint8Array): void {
    this.chunks.push({ offset, bytes });
  }

  get loadedBytes(): number {
    return this.chunks.reduce((sum, c) => sum + c.bytes.length, 0);
  }

  has(range: ByteRange): boolean {
    return this.chunkFor(range.offset, range.length) !== undefined;
  }

  /** The loaded chunk holding all of offset..offset+length, and where the range starts in it. */
  chunkFor(offset: number, length: number): { bytes: Uint8Array; start: number } | undefined {
    for (const chunk of this.chunks) {
      const start = offset - chunk.offset;
      if (start >= 0 && start + length <= chunk.bytes.length) return { bytes: chunk.bytes, start };
    }
    return undefined;
  }

  hint(offset: number, length: number): void {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length <= 0) return;
    const end = Math.min(offset + length, this.size);
    if (end > offset && !this.has({ offset, length: end - offset })) {
      this.hints.push({ offset, length: end - offset });
    }
  }
}

/** Longest string read from a string table: library, version and symbol names are far shorter. */
const MAX_STRING = 4096;

/** Bounds-checked reads in the file's byte order and word size. */
class Reader {
  readonly little: boolean;

  constructor(
    readonly bytes: SparseBytes,
    readonly bits: 32 | 64,
    little: boolean,
  ) {
    this.little = little;
  }

  get size(): number {
    return this.bytes.size;
  }

  private view(offset: number, size: number): DataView {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + size > this.bytes.size) {
      throw new ElfError(
        `truncated or corrupt ELF: read of ${size} bytes at ${offset} past the end (${this.bytes.size})`,
      );
    }
    const chunk = this.bytes.chunkFor(offset, size);
    if (!chunk) throw new MissingBytes([{ offset, length: size }, ...this.bytes.hints]);
    return new DataView(chunk.bytes.buffer, chunk.bytes.byteOffset + chunk.start, size);
  }

  u16(offset: number): number {
    return this.view(offset, 2).getUint16(0, this.little);
  }

  u32(offset: number): number {
    return this.view(offset, 4).getUint32(0, this.little);
  }

  u64(offset: number): number {
    const value = this.view(offset, 8).getBigUint64(0, this.little);
    // Offsets and sizes beyond 2^53 cannot be in a file we hold in memory; tags (d_tag) stay exact below 2^53 too.
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
  }

  /** An address-sized word: u32 in ELFCLASS32, u64 in ELFCLASS64. */
  word(offset: number): number {
    return this.bits === 64 ? this.u64(offset) : this.u32(offset);
  }

  cstring(offset: number): string {
    this.view(offset, 1);
    const length = Math.min(MAX_STRING, this.bytes.size - offset);
    const chunk =
      this.bytes.chunkFor(offset, length) ??
      // The string may end before a loaded chunk does: search what is loaded from `offset` on.
      this.bytes.chunkFor(offset, 1);
    const bytes = chunk?.bytes as Uint8Array;
    const start = chunk?.start as number;
    const end = bytes.indexOf(0, start);
    if (end >= 0 && end - start <= MAX_STRING) {
      return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
    }
    if (bytes.length - start >= length) throw new ElfError(`unterminated string at ${offset}`);
    throw new MissingBytes([{ offset, length }, ...this.bytes.hints]);
  }
}

/** Parses a whole file held in memory. */
export function parseElf(bytes: Uint8Array): ElfInfo {
  return parseSparseElf(SparseBytes.whole(bytes));
}

/**
 * Parses from the loaded ranges of `bytes`; throws MissingBytes when it needs more (see loadElf). The first
 * 64 bytes must be loaded.
 */
export function parseSparseElf(bytes: SparseBytes): ElfInfo {
  const head = bytes.chunkFor(0, Math.min(bytes.size, 64));
  const first = head ? head.bytes.subarray(head.start, head.start + 64) : new Uint8Array();
  if (!isElf(first)) throw new ElfError('not an ELF file (no \\x7fELF magic)');
  if (bytes.size < 52) throw new ElfError('truncated ELF header');
  const elfClass = first[4];
  const data = first[5];
  if (elfClass !== 1 && elfClass !== 2) throw new ElfError(`unknown ELF class ${elfClass}`);
  if (data !== 1 && data !== 2) throw new ElfError(`unknown ELF data encoding ${data}`);
  const bits = elfClass === 2 ? 64 : 32;
  const r = new Reader(bytes, bits, data === 1);

  const header =
    bits === 64
      ? {
          phoff: r.u64(32),
          shoff: r.u64(40),
          phentsize: r.u16(54),
          phnum: r.u16(56),
          shentsize: r.u16(58),
          shnum: r.u16(60),
        }
      : {
          phoff: r.u32(28),
          shoff: r.u32(32),
          phentsize: r.u16(42),
          phnum: r.u16(44),
          shentsize: r.u16(46),
          shnum: r.u16(48),
        };

  const info: ElfInfo = {
    bits,
    endianness: r.little ? 'little' : 'big',
    type: r.u16(16),
    machine: r.u16(18),
    pie: false,
    dynamic: false,
    needed: [],
    versionNeeds: [],
    symbolsByVersion: {},
  };

  bytes.hint(header.phoff, header.phentsize * header.phnum);
  bytes.hint(header.shoff, header.shentsize * header.shnum);
  const segments = readSegments(r, header.phoff, header.phentsize, header.phnum);
  const interp = segments.find((s) => s.type === PT_INTERP);
  for (const s of segments) {
    if (s.type === PT_INTERP || s.type === PT_DYNAMIC) bytes.hint(s.offset, s.filesz);
  }
  if (interp) info.interpreter = r.cstring(interp.offset);

  const sections = readSections(r, header.shoff, header.shentsize, header.shnum);
  for (const s of sections) {
    if (![SHT_DYNAMIC, SHT_DYNSYM, SHT_GNU_VERNEED, SHT_GNU_VERSYM].includes(s.type)) continue;
    bytes.hint(s.offset, s.size);
    const linked = sections[s.link];
    if (s.type !== SHT_GNU_VERSYM && linked) bytes.hint(linked.offset, linked.size);
  }
  const dynamicSection = sections.find((s) => s.type === SHT_DYNAMIC);
  const dynamicSegment = segments.find((s) => s.type === PT_DYNAMIC);
  if (!dynamicSection && !dynamicSegment) return info;
  info.dynamic = true;

  // Prefer section headers (what `readelf -d/-V` shows); fall back to the segments of a section-stripped file.
  const dynamicOffset = dynamicSection?.offset ?? (dynamicSegment as Segment).offset;
  const dynamicSize = dynamicSection?.size ?? (dynamicSegment as Segment).filesz;
  const entries = readDynamic(r, dynamicOffset, dynamicSize);
  const tag = (t: number) => entries.find((e) => e.tag === t)?.value;
  const strtab =
    dynamicSection && sections[dynamicSection.link]
      ? (sections[dynamicSection.link] as Section).offset
      : fileOffset(segments, tag(DT_STRTAB));
  if (strtab === undefined) throw new ElfError('dynamic section without a string table');

  for (const entry of entries) {
    if (entry.tag === DT_NEEDED) info.needed.push(r.cstring(strtab + entry.value));
    if (entry.tag === DT_FLAGS_1 && (entry.value & DF_1_PIE) !== 0) info.pie = true;
  }

  const verneedSection = sections.find((s) => s.type === SHT_GNU_VERNEED);
  const verneed = verneedSection
    ? {
        offset: verneedSection.offset,
        count: verneedSection.info,
        strtab: sections[verneedSection.link]?.offset ?? strtab,
      }
    : { offset: fileOffset(segments, tag(DT_VERNEED)), count: tag(DT_VERNEEDNUM) ?? 0, strtab };
  const versionNames = new Map<number, string>();
  if (verneed.offset !== undefined) {
    info.versionNeeds = readVersionNeeds(r, verneed.offset, verneed.count, verneed.strtab, versionNames);
  }
  info.symbolsByVersion = symbolsByVersion(r, sections, versionNames);
  return info;
}

function readSegments(r: Reader, phoff: number, entsize: number, count: number): Segment[] {
  const segments: Segment[] = [];
  if (phoff === 0) return segments;
  for (let i = 0; i < count; i++) {
    const at = phoff + i * entsize;
    segments.push(
      r.bits === 64
        ? { type: r.u32(at), offset: r.u64(at + 8), vaddr: r.u64(at + 16), filesz: r.u64(at + 32) }
        : { type: r.u32(at), offset: r.u32(at + 4), vaddr: r.u32(at + 8), filesz: r.u32(at + 16) },
    );
  }
  return segments;
}

function readSections(r: Reader, shoff: number, entsize: number, count: number): Section[] {
  const sections: Section[] = [];
  // Section headers are optional at run time (sstrip removes them); a file without is still executable.
  if (shoff === 0 || count === 0 || shoff + entsize * count > r.size) return sections;
  for (let i = 0; i < count; i++) {
    const at = shoff + i * entsize;
    sections.push(
      r.bits === 64
        ? {
            type: r.u32(at + 4),
            offset: r.u64(at + 24),
            size: r.u64(at + 32),
            link: r.u32(at + 40),
            info: r.u32(at + 44),
            entsize: r.u64(at + 56),
          }
        : {
            type: r.u32(at + 4),
            offset: r.u32(at + 16),
            size: r.u32(at + 20),
            link: r.u32(at + 24),
            info: r.u32(at + 28),
            entsize: r.u32(at + 36),
          },
    );
  }
  return sections;
}

function readDynamic(r: Reader, offset: number, size: number): Array<{ tag: number; value: number }> {
  const entrySize = r.bits === 64 ? 16 : 8;
  const entries: Array<{ tag: number; value: number }> = [];
  for (let at = offset; at + entrySize <= offset + size; at += entrySize) {
    const tag = r.word(at);
    if (tag === DT_NULL) break;
    entries.push({ tag, value: r.word(at + entrySize / 2) });
  }
  return entries;
}

/** Maps a virtual address from the dynamic section to a file offset through the PT_LOAD segments. */
function fileOffset(segments: Segment[], vaddr: number | undefined): number | undefined {
  if (vaddr === undefined) return undefined;
  const load = segments.find((s) => s.type === PT_LOAD && vaddr >= s.vaddr && vaddr < s.vaddr + s.filesz);
  return load ? load.offset + (vaddr - load.vaddr) : undefined;
}

/** Elf_Verneed (16 bytes) chains, each with its Elf_Vernaux (16 bytes) chain; identical in both classes. */
function readVersionNeeds(
  r: Reader,
  offset: number,
  count: number,
  strtab: number,
  names: Map<number, string>,
): VersionNeed[] {
  const needs: VersionNeed[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    const auxCount = r.u16(at + 2);
    const need: VersionNeed = { file: r.cstring(strtab + r.u32(at + 4)), versions: [] };
    let aux = at + r.u32(at + 8);
    for (let j = 0; j < auxCount; j++) {
      const name = r.cstring(strtab + r.u32(aux + 8));
      need.versions.push(name);
      names.set(r.u16(aux + 6), name); // vna_other: the index .gnu.version entries refer to
      const next = r.u32(aux + 12);
      if (next === 0) break;
      aux += next;
    }
    needs.push(need);
    const next = r.u32(at + 12);
    if (next === 0) break;
    at += next;
  }
  return needs;
}

/** Undefined dynamic symbols grouped by the needed version they bind to (.dynsym + .gnu.version). */
function symbolsByVersion(
  r: Reader,
  sections: Section[],
  names: Map<number, string>,
): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  const dynsym = sections.find((s) => s.type === SHT_DYNSYM);
  const versym = sections.find((s) => s.type === SHT_GNU_VERSYM);
  if (!dynsym || !versym || names.size === 0) return result;
  const strtab = sections[dynsym.link]?.offset;
  if (strtab === undefined) return result;
  const symSize = dynsym.entsize || (r.bits === 64 ? 24 : 16);
  const count = Math.min(Math.floor(dynsym.size / symSize), Math.floor(versym.size / 2));
  for (let i = 1; i < count; i++) {
    const at = dynsym.offset + i * symSize;
    const shndx = r.bits === 64 ? r.u16(at + 6) : r.u16(at + 14);
    if (shndx !== 0) continue; // defined here, not needed from a library
    const version = names.get(r.u16(versym.offset + i * 2) & 0x7fff);
    if (!version) continue;
    (result[version] ??= []).push(r.cstring(strtab + r.u32(at)));
  }
  return result;
}

/** `GLIBC_2.36` -> [2, 36]; other names -> undefined. */
function glibcVersion(name: string): [number, number] | undefined {
  const match = /^GLIBC_(\d+)\.(\d+)(?:\.\d+)?$/.exec(name);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/**
 * The glibc versions the file needs, highest first: every GLIBC_x.y, plus the tags in `tags` (ABI tags such
 * as GLIBC_ABI_DT_RELR, with the release that added them).
 */
export function glibcNeeds(
  elf: ElfInfo,
  tags: Readonly<Record<string, [number, number]>> = {},
): Array<{ name: string; version: [number, number] }> {
  const needs: Array<{ name: string; version: [number, number] }> = [];
  for (const need of elf.versionNeeds) {
    for (const name of need.versions) {
      const version = glibcVersion(name) ?? (Object.hasOwn(tags, name) ? tags[name] : undefined);
      if (version) needs.push({ name, version });
    }
  }
  return needs.sort((a, b) => compareVersions(b.version, a.version));
}

export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const machineNames: Readonly<Record<number, string>> = {
  2: 'SPARC',
  3: 'x86 (i386)',
  8: 'MIPS',
  20: 'PowerPC',
  21: 'PowerPC64',
  22: 'S/390',
  40: 'ARM (32-bit)',
  62: 'x86-64',
  183: 'AArch64',
  243: 'RISC-V',
  258: 'LoongArch',
};

export function machineName(machine: number): string {
  return machineNames[machine] ?? `e_machine ${machine}`;
}
