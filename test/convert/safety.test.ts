import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { convert, ConvertError } from '../../src/convert/index.js';
import { runCli, copyFixture, snapshot } from './helpers.js';

/** The guarantees that make convert safe to run on someone's project: dry run, dirty-tree guard, all-or-nothing writes. */
function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
}

function committedFixture(shape: string): string {
  const dir = copyFixture(shape);
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'before convert');
  return dir;
}

describe('convert: dry run', () => {
  it('prints a unified diff of every change and writes nothing', async () => {
    const dir = copyFixture('empty-function');
    const before = snapshot(dir);
    const { code, stdout } = await runCli([join(dir, 'src/EmptyFunction'), '--dry-run']);
    assert.equal(code, 0);
    assert.deepEqual(snapshot(dir), before, 'nothing written');
    // The test project's Amazon.Lambda.Core is bumped too, so paths are relative to the folder holding both.
    for (const file of [
      'src/EmptyFunction/EmptyFunction.csproj',
      'src/EmptyFunction/Function.cs',
      'src/EmptyFunction/aws-lambda-tools-defaults.json',
      'test/EmptyFunction.Tests/EmptyFunction.Tests.csproj',
    ]) {
      assert.match(stdout, new RegExp(`^--- a/${file.replaceAll('.', '\\.')}$`, 'm'));
    }
    assert.match(stdout, /^--- \/dev\/null\n\+\+\+ b\/src\/EmptyFunction\/Program\.cs$/m);
    assert.match(stdout, /^- {4}<PublishReadyToRun>true<\/PublishReadyToRun>$/m);
    assert.match(stdout, /^\+ {4}<PublishAot>true<\/PublishAot>$/m);
    assert.match(stdout, /^@@ -\d+,\d+ \+\d+,\d+ @@/m);
    assert.match(stdout, /Would convert/);
  });
});

describe('convert: dirty work tree', () => {
  it('refuses when git reports uncommitted changes in the project, naming them; --force converts', async () => {
    const dir = committedFixture('custom-runtime');
    appendFileSync(join(dir, 'Models.cs'), '\n// work in progress\n');
    const before = snapshot(dir);
    const refused = await runCli([dir]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /uncommitted changes \(Models\.cs\).*--force/s);
    assert.deepEqual(snapshot(dir), before, 'nothing written');
    const forced = await runCli([dir, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /Converted/);
  });

  it('converts a clean work tree without --force', async () => {
    const dir = committedFixture('custom-runtime');
    const outcome = await convert(dir);
    assert.equal(outcome.status, 'converted');
  });

  it('counts untracked files in the project as uncommitted work', async () => {
    const dir = committedFixture('custom-runtime');
    appendFileSync(join(dir, 'Scratch.cs'), 'namespace OrderIntake;\n');
    await assert.rejects(
      convert(dir),
      (e: unknown) => e instanceof ConvertError && /Scratch\.cs/.test(e.message),
    );
  });
});

describe('convert: all files or none', () => {
  for (const step of ['stage', 'commit'] as const) {
    for (const at of [0, 2, 4]) {
      it(`a failure while ${step === 'stage' ? 'writing temp files' : 'renaming into place'} (file ${at + 1}) leaves the project byte-identical`, async () => {
        const dir = copyFixture('serverless-json');
        const before = snapshot(dir);
        await assert.rejects(
          convert(dir, {
            force: true,
            architecture: 'arm64',
            hooks: {
              beforeStep: (s, _path, index) => {
                if (s === step && index === at) throw new Error('injected: disk full');
              },
            },
          }),
          /injected: disk full/,
        );
        assert.deepEqual(snapshot(dir), before, 'project unchanged, no temp or backup files left');
        // And the same conversion then succeeds.
        assert.equal((await convert(dir, { force: true, architecture: 'arm64' })).status, 'converted');
      });
    }
  }
});
