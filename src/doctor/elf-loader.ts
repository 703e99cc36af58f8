/**
 * Reads an ELF file's tables without holding the file: the header, then the program and section headers,
 * then the dynamic section, string tables and version needs they point at. A deflated zip entry can only be
 * read from its start, so each round is one streaming pass that keeps only the ranges asked for.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { ElfError, MissingBytes, parseSparseElf, SparseBytes, type ByteRange, type ElfInfo } from './elf.js';

const MB = 1024 * 1024;
/** Most bytes kept: even a 100 MB NativeAOT executable's tables (dynamic, dynsym, versions) are a few hundred KB. */
export const MAX_ELF_TABLE_BYTES = 16 * MB;
/** Tables point at tables: header -> headers -> dynamic -> strings. More rounds than that is a crafted file. */
const MAX_ROUNDS = 8;
/** Ranges are widened to this: tables sit close together, so one round often brings the next one's too. */
const MIN_READ = 64 * 1024;

export interface LoadedRange {
  offset: number;
  bytes: Uint8Array;
}

/** Loads the given ranges (each within the file) in one go. */
export type RangeReader = (ranges: ByteRange[]) => Promise<LoadedRange[]>;

/**
 * Parses the ELF file of `size` bytes that `read` gives ranges of. `readableEnd` bounds where a table may
 * be (Lambda's unzipped limit: past it the file cannot be deployed anyway).
 */
export async function loadElf(size: number, read: RangeReader, readableEnd = size): Promise<ElfInfo> {
  const bytes = new SparseBytes(size);
  let wanted: ByteRange[] = [{ offset: 0, length: Math.min(size, MIN_READ) }];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const ranges = plan(wanted, bytes, size);
    for (const range of ranges) {
      if (range.offset + range.length > readableEnd) {
        throw new ElfError(
          `the ELF header points at offset ${range.offset}, past the ${Math.round(readableEnd / MB)} MB that can be checked: a corrupt or crafted file`,
        );
      }
    }
    for (const loaded of await read(ranges)) bytes.add(loaded.offset, loaded.bytes);
    bytes.hints.length = 0;
    try {
      return parseSparseElf(bytes);
    } catch (error) {
      if (!(error instanceof MissingBytes)) throw error;
      wanted = error.wanted;
    }
  }
  throw new ElfError(
    `the ELF's tables could not be read in ${MAX_ROUNDS} rounds of ${MIN_READ / 1024} KB: a corrupt or crafted file`,
  );
}

/**
 * What to read next: the range the parser stopped at, plus the tables it hinted at while they fit under
 * MAX_ELF_TABLE_BYTES (a hint is a guess that saves a round; a huge one is a crafted header, not worth it).
 */
function plan(wanted: ByteRange[], bytes: SparseBytes, size: number): ByteRange[] {
  const [needed, ...hints] = widen(wanted, bytes, size);
  if (!needed) return [];
  let total = bytes.loadedBytes + needed.length;
  if (total > MAX_ELF_TABLE_BYTES) {
    throw new ElfError(
      `the ELF's tables would take more than ${MAX_ELF_TABLE_BYTES / MB} MB to read; a real executable's take far less: a corrupt or crafted file`,
    );
  }
  const chosen = [needed];
  for (const hint of hints) {
    if (total + hint.length > MAX_ELF_TABLE_BYTES) continue;
    total += hint.length;
    chosen.push(hint);
  }
  return widen(chosen, bytes, size);
}

/**
 * Each wanted range at least MIN_READ long, within the file, not loaded yet; overlapping ones merged. The
 * first range (the one the parser needs) stays first.
 */
function widen(wanted: ByteRange[], bytes: SparseBytes, size: number): ByteRange[] {
  const ranges = wanted
    .map((r) => ({ offset: r.offset, end: Math.min(size, r.offset + Math.max(r.length, MIN_READ)) }))
    .filter((r) => r.end > r.offset && !bytes.has({ offset: r.offset, length: r.end - r.offset }));
  const [first, ...rest] = ranges;
  if (!first) return [];
  const merged = [first];
  for (const r of rest.sort((a, b) => a.offset - b.offset)) {
    const overlapping = merged.find((m) => r.offset <= m.end && r.end >= m.offset);
    if (overlapping) {
      overlapping.offset = Math.min(overlapping.offset, r.offset);
      overlapping.end = Math.max(overlapping.end, r.end);
    } else merged.push({ ...r });
  }
  return merged.map((r) => ({ offset: r.offset, length: r.end - r.offset }));
}

/** Ranges of a regular file, read where they are. */
export function fileRangeReader(path: string): RangeReader {
  return async (ranges) => {
    const fd = openSync(path, 'r');
    try {
      return ranges.map((range) => {
        const bytes = Buffer.alloc(range.length);
        const got = readSync(fd, bytes, 0, range.length, range.offset);
        return { offset: range.offset, bytes: bytes.subarray(0, got) };
      });
    } finally {
      closeSync(fd);
    }
  };
}

/** Copies the wanted ranges out of a stream of the file read from its start; `position` is the chunk's offset. */
export class RangeCollector {
  private readonly buffers: LoadedRange[];
  readonly end: number;

  constructor(ranges: ByteRange[]) {
    this.buffers = ranges.map((r) => ({ offset: r.offset, bytes: Buffer.alloc(r.length) }));
    this.end = Math.max(0, ...ranges.map((r) => r.offset + r.length));
  }

  /** Takes what it wants of a chunk; false once nothing further is wanted. */
  take(chunk: Uint8Array, position: number): boolean {
    for (const { offset, bytes } of this.buffers) {
      const from = Math.max(offset, position);
      const to = Math.min(offset + bytes.length, position + chunk.length);
      if (to > from) bytes.set(chunk.subarray(from - position, to - position), from - offset);
    }
    return position + chunk.length < this.end;
  }

  /** The ranges, each cut to what the stream held (`size` bytes in all). */
  result(size: number): LoadedRange[] {
    return this.buffers.map(({ offset, bytes }) => ({
      offset,
      bytes: bytes.subarray(0, Math.max(0, Math.min(bytes.length, size - offset))),
    }));
  }
}
