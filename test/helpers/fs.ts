import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder under the system temp dir, named `<prefix>XXXXXX`. */
export function tempDir(prefix = 'aot-lambda-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes each `{ relative path: text }` entry under `root`, creating folders as needed. */
export function writeTree(root: string, files: Readonly<Record<string, string>>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}
