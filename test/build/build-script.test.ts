/**
 * The generated scripts/build.sh, run for real with stand-in `docker`, `dotnet` and `uname` on PATH: the
 * Docker path keeps the last good executable when the build cannot run and names the missing component; the
 * --local path cross-compiles with the properties of the architectures catalogue when the machine is not the
 * function's architecture, builds natively when it is, and names the packages it lacks.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { architectures } from '../../src/catalog/architectures.js';
import { renderProject, writeProject } from '../../src/render/render-project.js';
import { completeSettings } from '../../src/settings.js';
import { buildSpec } from '../../src/spec.js';
import { findExecutable } from '../../src/tools.js';
import { tempDir } from '../helpers/fs.js';

const arm64 = architectures.find((a) => a.id === 'arm64')!;

function project(architecture: string): string {
  const root = tempDir('aot-lambda-build-sh-');
  writeProject(root, renderProject(buildSpec(completeSettings({ name: 'Orders', architecture }))));
  // The last good build, which a failed build must leave alone.
  mkdirSync(join(root, 'artifacts/publish'), { recursive: true });
  writeFileSync(join(root, 'artifacts/publish/bootstrap'), 'last good build');
  return root;
}

/** A PATH of stand-ins (shell scripts) plus symlinks to the few real programs the script itself uses. */
function fakePath(stubs: Record<string, string>, real: readonly string[] = []): string {
  const dir = tempDir('aot-lambda-build-sh-bin-');
  for (const tool of ['bash', 'dirname', 'mktemp', 'mkdir', 'rm', 'mv', 'chmod', ...real]) {
    const found = findExecutable(tool);
    if (found) symlinkSync(found, join(dir, tool));
  }
  for (const [name, body] of Object.entries(stubs)) {
    writeFileSync(join(dir, name), `#!/bin/bash\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

/** A stand-in dotnet that records its arguments and writes the executable into the -o folder. */
const fakeDotnet = (log: string) => `
printf '%s\\n' "$@" > ${JSON.stringify(log)}
while [[ $# -gt 0 ]]; do if [[ $1 == -o ]]; then out=$2; fi; shift; done
printf 'new build' > "$out/bootstrap"`;

function runScript(root: string, path: string, args: string[] = []) {
  return spawnSync(join(root, 'scripts/build.sh'), args, {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: path, HOME: root },
  });
}

const lastGood = (root: string) => readFileSync(join(root, 'artifacts/publish/bootstrap'), 'utf8');
const leftovers = (root: string) =>
  spawnSync('ls', ['-A', join(root, 'artifacts')], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n');

describe('scripts/build.sh', () => {
  it('Docker without buildx: names the component, keeps the last good executable, leaves no temp folder', () => {
    const root = project('arm64');
    const path = fakePath({
      docker: `if [[ $1 == buildx ]]; then echo "docker: 'buildx' is not a docker command." >&2; exit 1; fi
echo "ERROR: BuildKit is enabled but the buildx component is missing or broken." >&2; exit 1`,
    });
    const result = runScript(root, path);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /buildx component is missing/);
    assert.match(result.stderr, /install docker-buildx/);
    assert.match(result.stderr, /scripts\/build\.sh --local/);
    assert.equal(lastGood(root), 'last good build');
    assert.deepEqual(leftovers(root), ['publish']);
  });

  it('Docker build that fails: the last good executable stays', () => {
    const root = project('x86_64');
    const path = fakePath({
      docker: `if [[ $1 == buildx ]]; then exit 0; fi
echo "failed to solve: process did not complete successfully" >&2; exit 1`,
    });
    const result = runScript(root, path);
    assert.equal(result.status, 1);
    assert.equal(lastGood(root), 'last good build');
    assert.deepEqual(leftovers(root), ['publish']);
  });

  it('Docker build that succeeds replaces artifacts/publish with the exported executable, mode 0755', () => {
    const root = project('arm64');
    const log = join(root, 'docker-args');
    const path = fakePath({
      docker: `if [[ $1 == buildx ]]; then exit 0; fi
printf '%s\\n' "$@" > ${JSON.stringify(log)}
for a in "$@"; do if [[ $a == type=local,dest=* ]]; then printf 'from docker' > "\${a#type=local,dest=}/bootstrap"; fi; done`,
    });
    const result = runScript(root, path);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(lastGood(root), 'from docker');
    assert.equal(statSync(join(root, 'artifacts/publish/bootstrap')).mode & 0o777, 0o755);
    const args = readFileSync(log, 'utf8').split('\n');
    assert.equal(args[args.indexOf('--platform') + 1], 'linux/arm64');
    assert.deepEqual(leftovers(root), ['publish']);
  });

  it('--local on an x86_64 machine for an arm64 function cross-compiles with the catalogue properties', (t) => {
    if (!existsSync('/usr/aarch64-linux-gnu/lib/libc.so'))
      return t.skip('libc6-dev-arm64-cross is not installed');
    const root = project('arm64');
    const log = join(root, 'dotnet-args');
    const path = fakePath({ uname: 'echo x86_64', dotnet: fakeDotnet(log) }, [
      'clang',
      'ld.lld',
      'aarch64-linux-gnu-objcopy',
      'aarch64-linux-gnu-gcc',
    ]);
    const result = runScript(root, path, ['--local']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /cross-compiling from x86_64 to aarch64/);
    const args = readFileSync(log, 'utf8').trim().split('\n');
    assert.deepEqual(args.slice(0, 6), [
      'publish',
      'src/Orders/Orders.csproj',
      '-c',
      'Release',
      '-r',
      'linux-arm64',
    ]);
    assert.deepEqual(args.slice(-3), [...arm64.crossPublishProperties]);
    assert.ok(arm64.crossPublishProperties.includes('-p:SysRoot=/'));
    assert.equal(lastGood(root), 'new build');
    assert.deepEqual(leftovers(root), ['publish']);
  });

  it("--local on the function's own architecture builds natively, without cross properties", () => {
    const root = project('arm64');
    const log = join(root, 'dotnet-args');
    const result = runScript(root, fakePath({ uname: 'echo aarch64', dotnet: fakeDotnet(log) }), ['--local']);
    assert.equal(result.status, 0, result.stderr);
    const args = readFileSync(log, 'utf8').trim().split('\n');
    assert.equal(
      args.some((a) => a.startsWith('-p:')),
      false,
      args.join(' '),
    );
    assert.equal(args[args.indexOf('-r') + 1], 'linux-arm64');
  });

  it('--local cross-compile without the cross toolchain names each missing piece and its Debian package', () => {
    const root = project('x86_64');
    // An arm64 machine building for x86_64, with none of the x86_64 cross packages on it.
    const path = fakePath({ uname: 'echo aarch64', dotnet: 'exit 99' });
    const result = runScript(root, path, ['--local']);
    assert.equal(result.status, 1);
    assert.match(
      result.stderr,
      /cross-compiling from aarch64 to x86_64 needs clang ld\.lld x86_64-linux-gnu-objcopy/,
    );
    assert.match(
      result.stderr,
      /apt-get install clang lld binutils-x86-64-linux-gnu gcc-x86-64-linux-gnu libc6-dev-amd64-cross/,
    );
    assert.equal(lastGood(root), 'last good build');
    assert.deepEqual(leftovers(root), ['publish']);
  });
});
