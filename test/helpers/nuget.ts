/**
 * The Amazon.Lambda packages this machine's NuGet mirror lacks come from ../shared/nuget (and a stand-in old
 * Core from ../shared/nuget-older), added only in a test's own temporary folder through a nuget.config beside
 * the solution. Generated projects and the npm package never mention them. AOT_LAMBDA_NUGET_SOURCE names
 * another source (URL or folder) on machines that have one.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot } from '../../src/paths.js';
import { xml } from '../../src/render/escape.js';

// shared/ sits beside the clone (CI, /work/main); a git worktree one folder deeper (/work/wt/NAME) finds it two up.
const sharedRoot =
  [resolve(packageRoot, '..', 'shared'), resolve(packageRoot, '..', '..', 'shared')].find((d) =>
    existsSync(join(d, 'nuget')),
  ) ?? resolve(packageRoot, '..', 'shared');
export const sharedNuget = join(sharedRoot, 'nuget');
export const sharedNugetOlder = join(sharedRoot, 'nuget-older');

const hasPackages = (dir: string): boolean =>
  existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.nupkg'));

/** The extra sources to add, or the reason (starting `skipped:`) why tests needing Amazon.Lambda.* cannot run. */
export function amazonLambdaSources(options: { older?: boolean } = {}): string[] | string {
  const fromEnv = process.env.AOT_LAMBDA_NUGET_SOURCE;
  if (fromEnv) return [fromEnv];
  if (!hasPackages(sharedNuget)) {
    return `skipped: no Amazon.Lambda.* packages: ${sharedNuget} is absent and AOT_LAMBDA_NUGET_SOURCE is not set`;
  }
  if (options.older && !hasPackages(sharedNugetOlder)) {
    return `skipped: ${sharedNugetOlder} (stand-in old Amazon.Lambda.Core) is absent`;
  }
  return options.older ? [sharedNuget, sharedNugetOlder] : [sharedNuget];
}

/**
 * Writes `dir/nuget.config` adding the Amazon.Lambda sources to the machine's own (no <clear/>: the mirror still
 * serves everything else). Returns undefined when written, or the skip reason.
 */
export function writeNugetConfig(dir: string, options: { older?: boolean } = {}): string | undefined {
  const sources = amazonLambdaSources(options);
  if (typeof sources === 'string') return sources;
  const adds = sources
    .map((source, i) => `    <add key="aot-lambda-test-${i}" value="${xml(source)}" />`)
    .join('\n');
  writeFileSync(
    join(dir, 'nuget.config'),
    `<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <packageSources>\n${adds}\n  </packageSources>\n</configuration>\n`,
  );
  return undefined;
}
