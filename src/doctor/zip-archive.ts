import yauzl, { type Entry, type ZipFile } from 'yauzl';

/** What Lambda sees of one zip entry: where it lands in /var/task and with which Unix mode. */
export interface ZipEntryInfo {
  name: string;
  isDirectory: boolean;
  /** st_mode from the external attributes, when the zip was made on a Unix host (version-made-by 3). */
  unixMode?: number;
  uncompressedSize: number;
  compressedSize: number;
}

const UNIX_HOST = 3;

function open(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, zip) =>
      error ? reject(error) : resolve(zip),
    ),
  );
}

/** Walks every entry; `visit` may read the entry's bytes before the walk moves on. */
async function walk(
  path: string,
  visit: (entry: Entry, zip: ZipFile) => Promise<boolean | void>,
): Promise<void> {
  const zip = await open(path);
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: Entry) => {
        visit(entry, zip).then((stop) => (stop === true ? resolve() : zip.readEntry()), reject);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

export async function listZip(path: string): Promise<ZipEntryInfo[]> {
  const entries: ZipEntryInfo[] = [];
  await walk(path, async (entry) => {
    const madeOnUnix = entry.versionMadeBy >> 8 === UNIX_HOST;
    const mode = entry.externalFileAttributes >>> 16;
    entries.push({
      name: entry.fileName,
      isDirectory: entry.fileName.endsWith('/'),
      unixMode: madeOnUnix && mode !== 0 ? mode : undefined,
      uncompressedSize: entry.uncompressedSize,
      compressedSize: entry.compressedSize,
    });
  });
  return entries;
}

/** The bytes of one entry, at most `limit` of them (enough for a header check when small). */
export async function readZipEntry(
  path: string,
  name: string,
  limit = Number.POSITIVE_INFINITY,
): Promise<Buffer> {
  let found: Buffer | undefined;
  await walk(path, async (entry, zip) => {
    if (entry.fileName !== name) return false;
    found = await readEntry(zip, entry, limit);
    return true;
  });
  if (!found) throw new Error(`${name}: no such entry`);
  return found;
}

/**
 * In one walk, in zip order, shows `test` the first `limit` bytes of the first entry of each name in `names`;
 * returns the first name that passes.
 */
export async function findZipEntry(
  path: string,
  names: ReadonlySet<string>,
  limit: number,
  test: (head: Buffer) => boolean,
): Promise<string | undefined> {
  if (names.size === 0) return undefined;
  let found: string | undefined;
  const seen = new Set<string>();
  await walk(path, async (entry, zip) => {
    if (!names.has(entry.fileName) || seen.has(entry.fileName)) return false;
    seen.add(entry.fileName);
    if (test(await readEntry(zip, entry, limit))) found = entry.fileName;
    return found !== undefined || seen.size === names.size;
  });
  return found;
}

function readEntry(zip: ZipFile, entry: Entry, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error) return reject(error);
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= limit) stream.destroy();
      });
      const done = () => resolve(Buffer.concat(chunks).subarray(0, limit));
      stream.on('end', done);
      stream.on('close', done);
      stream.on('error', reject);
    });
  });
}

export function isZip(head: Uint8Array): boolean {
  // Local file header, or the end-of-central-directory record of an empty archive.
  return (
    head[0] === 0x50 &&
    head[1] === 0x4b &&
    ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6))
  );
}
