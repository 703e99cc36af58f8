/**
 * Proof that each build mode gives what it says, read from the publish output itself: a label on a table
 * row is worth nothing if `-p:PublishAot=false` was silently ignored or the JIT build came out trimmed.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EM_X86_64, readElf, readPe } from './inspect.js';
import type { Mode } from './modes.js';

export interface Verified {
  /** Facts established, for the results file. */
  checks: string[];
  /** ILC's arguments other than references (NativeAOT only): what the switches turned into. */
  ilcArgs: string[];
}

export class WrongBuildError extends Error {}

export function verifyBuild(mode: Mode, projectDir: string, outDir: string, assembly: string): Verified {
  const checks: string[] = [];
  const problems: string[] = [];
  const expect = (ok: boolean, fact: string) => (ok ? checks : problems).push(fact);
  const rsp = findIlcRsp(join(projectDir, 'obj'));
  const has = (file: string) => existsSync(join(outDir, file));

  if (mode === 'aot') {
    const elf = readElf(join(outDir, assembly));
    expect(elf?.machine === EM_X86_64, `${assembly} is an x86-64 ELF executable`);
    expect(elf !== undefined && !elf.hasSymtab, `${assembly} is stripped (no .symtab)`);
    expect(!has(`${assembly}.dll`) && !has('libcoreclr.so'), 'no IL assembly and no CoreCLR in the output');
    const args = rsp ? ilcArgsOf(rsp) : [];
    expect(rsp !== undefined, 'ILC (the NativeAOT compiler) ran');
    expect(
      args.includes('--feature:System.Globalization.Invariant=true'),
      'InvariantGlobalization compiled in',
    );
    if (problems.length > 0)
      throw new WrongBuildError(`${outDir}: not a NativeAOT build: ${problems.join('; ')}`);
    return { checks, ilcArgs: args };
  }

  const pe = readPe(join(outDir, `${assembly}.dll`));
  const config = readRuntimeConfig(join(outDir, `${assembly}.runtimeconfig.json`));
  expect(rsp === undefined, 'ILC did not run (PublishAot overridden to false)');
  expect(pe?.managed === true, `${assembly}.dll is a .NET assembly`);
  expect(
    config?.configProperties?.['System.Globalization.Invariant'] === true,
    'InvariantGlobalization kept',
  );
  if (mode === 'jit') {
    expect(pe?.readyToRun === false, `${assembly}.dll is IL only (no ReadyToRun code)`);
    expect(
      config?.includedFrameworks === undefined && config?.framework !== undefined,
      'framework-dependent',
    );
    expect(!has('libcoreclr.so'), 'uses the shared runtime (no CoreCLR in the output)');
  } else {
    expect(pe?.readyToRun === true, `${assembly}.dll carries ReadyToRun code`);
    expect(config?.includedFrameworks !== undefined, 'self-contained');
    expect(has('libcoreclr.so'), 'CoreCLR shipped in the output');
  }
  if (problems.length > 0)
    throw new WrongBuildError(`${outDir}: not a ${mode} build: ${problems.join('; ')}`);
  return { checks, ilcArgs: [] };
}

interface RuntimeConfig {
  framework?: unknown;
  frameworks?: unknown;
  includedFrameworks?: unknown;
  configProperties?: Record<string, unknown>;
}

function readRuntimeConfig(path: string): RuntimeConfig | undefined {
  if (!existsSync(path)) return undefined;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { runtimeOptions?: RuntimeConfig };
  const options = parsed.runtimeOptions;
  // Newer SDKs may write `frameworks` (a list) where older ones wrote `framework`.
  return options && { ...options, framework: options.framework ?? options.frameworks };
}

function findIlcRsp(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = findIlcRsp(path);
      if (found) return found;
    } else if (entry.name.endsWith('.ilc.rsp')) return path;
  }
  return undefined;
}

function ilcArgsOf(rsp: string): string[] {
  return readFileSync(rsp, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(
      (l) => l && !/^(-r:|--reference|-m:|--mibc|-o:|--exportsfile)/.test(l) && !/\.(dll|o)"?$/.test(l),
    );
}
