/**
 * What would be uploaded: the native executable alone, or the publish folder for JIT and ReadyToRun (less
 * the .pdb/.dbg symbol files, which Lambda does not need), zipped as the generated scripts/package.sh does.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runTool } from '../src/tools.js';
import type { Mode } from './modes.js';

export interface Sizes {
  /** The executable (NativeAOT) or the apphost plus the app assembly (JIT, ReadyToRun). */
  executableBytes: number;
  /** Everything deployed, unzipped. */
  deployBytes: number;
  files: number;
  zipBytes: number;
}

const symbolFiles = /\.(pdb|dbg)$/;

export function measureSizes(mode: Mode, outDir: string, executable: string): Sizes {
  const files = mode === 'aot' ? [executable] : listFiles(outDir).filter((file) => !symbolFiles.test(file));
  const size = (file: string) => statSync(file).size;
  const executableBytes = mode === 'aot' ? size(executable) : size(executable) + size(`${executable}.dll`);
  return {
    executableBytes,
    deployBytes: files.reduce((sum, file) => sum + size(file), 0),
    files: files.length,
    zipBytes: zipSize(outDir, files),
  };
}

/** zip -X (no extra attributes) at the default level 6, paths relative to the publish folder. */
function zipSize(outDir: string, files: readonly string[]): number {
  const dir = mkdtempSync(join(tmpdir(), 'aot-lambda-bench-zip-'));
  try {
    const zip = join(dir, 'function.zip');
    const names = files.map((file) => relative(outDir, file));
    const result = runTool('zip', ['-X', '-q', zip, ...names], { cwd: outDir, purpose: 'measure zip sizes' });
    if (result.status !== 0) throw new Error(`zip failed: ${result.stderr}`);
    return statSync(zip).size;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}
