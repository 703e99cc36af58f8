/**
 * A zip as Lambda unpacks it, read with bounds: the central directory once, then entries streamed from their
 * start and dropped as they pass, so neither a bomb (2 GB inflated from 2 MB) nor a zip that lies about its
 * sizes costs more than the bytes a check asks for.
 */
import yauzl, { type Entry, type ZipFile } from 'yauzl';

/** What Lambda sees of one zip entry: where it lands in /var/task and with which Unix mode. */
export interface ZipEntryInfo {
  name: string;
  isDirectory: boolean;
  /** A symbolic link entry (S_IFLNK in the Unix mode): its data is the link's target. */
  isSymlink: boolean;
  /** Password-protected (general purpose flag bit 0): Lambda cannot unpack it. */
  encrypted: boolean;
  /** st_mode from the external attributes, when the zip was made on a Unix host (version-made-by 3). */
  unixMode?: number;
  /** As declared by the central directory; streaming tells whether the data holds that many bytes. */
  uncompressedSize: number;
  compressedSize: number;
  /** Where the entry's local header is: two entries at one place share their data (an overlapping bomb). */
  localHeaderOffset: number;
}

/** An entry cannot be read as declared: truncated data, sizes that lie, a bad local header. */
export class ZipEntryError extends Error {
  override name = 'ZipEntryError';
  constructor(
    message: string,
    /** Uncompressed bytes that streamed before the error. */
    readonly bytesRead = 0,
  ) {
    super(message);
  }
}

/** More entries than this is no deployment package (a NativeAOT function zip has a handful). */
export const MAX_ZIP_ENTRIES = 100_000;

const UNIX_HOST = 3;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function open(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, zip) =>
      error ? reject(error) : resolve(zip),
    ),
  );
}

function describe(entry: Entry): ZipEntryInfo {
  const madeOnUnix = entry.versionMadeBy >> 8 === UNIX_HOST;
  const mode = entry.externalFileAttributes >>> 16;
  const unixMode = madeOnUnix && mode !== 0 ? mode : undefined;
  return {
    name: entry.fileName,
    isDirectory: entry.fileName.endsWith('/'),
    isSymlink: unixMode !== undefined && (unixMode & S_IFMT) === S_IFLNK,
    encrypted: entry.isEncrypted(),
    unixMode,
    uncompressedSize: entry.uncompressedSize,
    compressedSize: entry.compressedSize,
    localHeaderOffset: entry.relativeOffsetOfLocalHeader,
  };
}

export class ZipArchive {
  private constructor(
    private readonly zip: ZipFile,
    private readonly raw: Map<ZipEntryInfo, Entry>,
    /** Every central directory entry, in order, duplicates included. */
    readonly entries: ZipEntryInfo[],
  ) {}

  /** Reads the central directory; throws when it is unreadable or lists more than MAX_ZIP_ENTRIES. */
  static async open(path: string): Promise<ZipArchive> {
    const zip = await open(path);
    const raw = new Map<ZipEntryInfo, Entry>();
    const entries: ZipEntryInfo[] = [];
    try {
      if (zip.entryCount > MAX_ZIP_ENTRIES) {
        throw new Error(
          `it lists ${zip.entryCount} entries; more than ${MAX_ZIP_ENTRIES} is no function package`,
        );
      }
      await new Promise<void>((resolve, reject) => {
        zip.on('error', reject);
        zip.on('end', () => resolve());
        zip.on('entry', (entry: Entry) => {
          const info = describe(entry);
          raw.set(info, entry);
          entries.push(info);
          zip.readEntry();
        });
        zip.readEntry();
      });
    } catch (error) {
      zip.close();
      throw error;
    }
    return new ZipArchive(zip, raw, entries);
  }

  close(): void {
    this.zip.close();
  }

  /**
   * Streams the entry's uncompressed bytes from its start. `take(chunk, position)` returns false to stop
   * early. Resolves with the bytes seen and whether it stopped early; rejects with ZipEntryError when the
   * entry cannot be read or holds other than the bytes it declares.
   */
  stream(
    info: ZipEntryInfo,
    take: (chunk: Buffer, position: number) => boolean,
  ): Promise<{ bytes: number; stopped: boolean }> {
    const entry = this.raw.get(info);
    if (!entry) return Promise.reject(new ZipEntryError(`${info.name}: not an entry of this zip`));
    if (info.encrypted) return Promise.reject(new ZipEntryError(`${info.name} is encrypted`));
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (!settled) {
          settled = true;
          fn();
        }
      };
      let position = 0;
      const failed = (error: Error) =>
        settle(() => reject(new ZipEntryError(`${info.name}: ${error.message}`, position)));
      this.zip.openReadStream(entry, (error, stream) => {
        if (error) return failed(error);
        stream.on('data', (chunk: Buffer) => {
          if (settled) return;
          const more = take(chunk, position);
          position += chunk.length;
          if (!more) {
            settle(() => resolve({ bytes: position, stopped: true }));
            stream.destroy();
          }
        });
        stream.on('end', () => settle(() => resolve({ bytes: position, stopped: false })));
        stream.on('error', failed);
      });
    });
  }

  /** The first `limit` bytes of an entry (a link target, a file's magic). */
  async head(info: ZipEntryInfo, limit: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    await this.stream(info, (chunk) => {
      chunks.push(chunk.subarray(0, limit - size));
      size += Math.min(chunk.length, limit - size);
      return size < limit;
    });
    return Buffer.concat(chunks);
  }
}

export function isZip(head: Uint8Array): boolean {
  // Local file header, or the end-of-central-directory record of an empty archive.
  return (
    head[0] === 0x50 &&
    head[1] === 0x4b &&
    ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6))
  );
}
