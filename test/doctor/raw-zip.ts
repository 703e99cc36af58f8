/**
 * Writes zips byte by byte, for the hostile ones no zip tool makes on purpose: sizes that lie, several
 * central directory entries sharing one local record (the overlapping bomb), the encryption flag, zip64
 * sizes. yazl writes the honest ones; this writes what an attacker would.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';

export interface RawEntry {
  name: string;
  /** The entry's data as stored: already deflated when method is 8. */
  stored: Buffer;
  method: 0 | 8;
  /** What the entry claims to hold; past 4 GiB it goes into a zip64 extra field. */
  uncompressedSize: number;
  crc32?: number;
  /** Unix st_mode (file type and permissions); default a regular file 0644. */
  mode?: number;
  /** General purpose flag bit 0: "encrypted". */
  encrypted?: boolean;
  /** Central directory entries pointing at this one local record: names are `name`, then `name.1`... */
  references?: number;
}

const MB = 1024 * 1024;
const ZIP64 = 0xffffffff;

/** Raw deflate of `bytes`, ending on a byte boundary without the final-block bit, so more can follow. */
export function deflatePart(bytes: Buffer): Buffer {
  return deflateRawSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH });
}

/** The empty final block that ends a raw deflate stream (fixed Huffman, end-of-block only). */
export const deflateEnd = Buffer.from([0x03, 0x00]);

/**
 * Raw deflate of `prefix` followed by `mb` MiB of zeros, made without inflating anything: one deflated MiB of
 * zeros repeated (each block only refers back inside itself). 2 GiB cost 2 MB here and no time.
 */
export function deflatedZeros(prefix: Buffer, mb: number): Buffer {
  const block = deflatePart(Buffer.alloc(MB));
  return Buffer.concat([deflatePart(prefix), ...Array<Buffer>(mb).fill(block), deflateEnd]);
}

export function rawZip(entries: RawEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  let count = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const big = entry.uncompressedSize >= ZIP64;
    const extra = big ? zip64Extra(entry.uncompressedSize) : Buffer.alloc(0);
    const flags = (entry.encrypted ? 1 : 0) | 0x800; // 0x800: names are UTF-8
    const crc = entry.crc32 ?? (entry.method === 0 ? crc32(entry.stored) : 0);
    const size32 = big ? ZIP64 : entry.uncompressedSize;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(big ? 45 : 20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(entry.method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(entry.stored.length, 18);
    local.writeUInt32LE(size32, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);
    const localOffset = offset;
    parts.push(local, name, extra, entry.stored);
    offset += local.length + name.length + extra.length + entry.stored.length;

    for (let i = 0; i < (entry.references ?? 1); i++) {
      const cdName = Buffer.from(i === 0 ? entry.name : `${entry.name}.${i}`, 'utf8');
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE((3 << 8) | 63, 4); // made by: Unix, so the mode below counts
      header.writeUInt16LE(big ? 45 : 20, 6);
      header.writeUInt16LE(flags, 8);
      header.writeUInt16LE(entry.method, 10);
      header.writeUInt32LE(crc, 16);
      header.writeUInt32LE(entry.stored.length, 20);
      header.writeUInt32LE(size32, 24);
      header.writeUInt16LE(cdName.length, 28);
      header.writeUInt16LE(extra.length, 30);
      header.writeUInt32LE(((entry.mode ?? 0o100644) << 16) >>> 0, 38);
      header.writeUInt32LE(localOffset, 42);
      central.push(header, cdName, extra);
      count++;
    }
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

/** Zip64 extended information holding only the uncompressed size (the one 32-bit field set to 0xffffffff). */
function zip64Extra(size: number): Buffer {
  const extra = Buffer.alloc(12);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(8, 2);
  extra.writeBigUInt64LE(BigInt(size), 4);
  return extra;
}
