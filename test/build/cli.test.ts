/** `aot-lambda build`'s refusals, through the bin: each names the problem and the fix, before any build runs. */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { renderProject, writeProject } from '../../src/render/render-project.js';
import { completeSettings } from '../../src/settings.js';
import { buildSpec } from '../../src/spec.js';
import { nodeOnlyPath, runBin } from '../bin/run-bin.js';
import { tempDir } from '../helpers/fs.js';

function generated(architecture: string): string {
  const root = tempDir('aot-lambda-build-cli-');
  writeProject(root, renderProject(buildSpec(completeSettings({ name: 'Orders', architecture }))));
  return root;
}

/** PATH with node and a dotnet that must never run, and nothing else (no clang, no cross tools). */
function bareMachine(): string {
  const dir = nodeOnlyPath();
  writeFileSync(join(dir, 'dotnet'), '#!/bin/sh\necho "dotnet must not run" >&2\nexit 99\n');
  chmodSync(join(dir, 'dotnet'), 0o755);
  return dir;
}

describe('aot-lambda build refusals', () => {
  it('a missing toolchain: exit 2, each missing piece with its package, the Docker alternative, nothing built', async () => {
    const root = generated('x86_64');
    const cross = process.arch === 'x64' ? 'arm64' : 'x86_64';
    const result = await runBin(['build', '--architecture', cross], {
      cwd: root,
      env: { ...process.env, PATH: bareMachine() },
    });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /Cross-compiling NativeAOT from \S+ to \S+ needs what this machine lacks:/);
    assert.match(result.stderr, /^ {2}clang: drives the native link/m);
    assert.match(result.stderr, /^ {2}ld\.lld: /m);
    assert.match(result.stderr, /Install on Debian\/Ubuntu: sudo apt-get install clang lld binutils-/);
    assert.match(result.stderr, /scripts\/build\.sh \(without --local\)/);
    assert.doesNotMatch(result.stderr, /dotnet must not run/);
    assert.equal(existsSync(join(root, 'artifacts')), false);
  });

  it('an unknown architecture, a folder without a project, and an unknown option', async () => {
    const root = generated('arm64');
    const bad = await runBin(['build', '--architecture', 'riscv64'], { cwd: root });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--architecture riscv64: use x86_64 or arm64/);

    const empty = tempDir('aot-lambda-build-cli-empty-');
    const none = await runBin(['build'], { cwd: empty });
    assert.equal(none.code, 2);
    assert.match(
      none.stderr,
      /no function project in .*: run this in a generated project's folder, or name the function's \.csproj/,
    );
    assert.deepEqual(readdirSync(empty), []);

    const option = await runBin(['build', '--arch', 'arm64'], { cwd: root });
    assert.equal(option.code, 2);
    assert.match(option.stderr, /Unknown option '--arch'[\s\S]*aot-lambda build --help/);
  });
});
