/** The deployable zip: the executable alone at the root, mode 0755, as Lambda requires. */
import { createWriteStream, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

/** A fixed date keeps the zip's bytes the same for the same executable. */
const fixedTime = new Date('2000-01-01T00:00:00Z');

export async function writeLambdaZip(executable: string, zipPath: string): Promise<number> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(readFileSync(executable), basename(executable), {
    mode: 0o100755,
    mtime: fixedTime,
    compress: true,
  });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(zipPath));
  return statSync(zipPath).size;
}
