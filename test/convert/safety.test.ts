import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { convert, ConvertError } from '../../src/convert/index.js';
import { lockPath } from '../../src/convert/lock.js';
import { runBin } from '../bin/run-bin.js';
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

describe('convert: one run at a time per project', () => {
  const holdLock = (dir: string, pid: number): string => {
    const path = lockPath(realpathSync(dir));
    writeFileSync(path, `${JSON.stringify({ pid, started: '2026-12-04T00:00:00.000Z', folder: dir })}\n`);
    return path;
  };

  it('refuses while another convert holds the project, naming its process and the lock; nothing written', async () => {
    const dir = copyFixture('custom-runtime');
    const other = spawn('sleep', ['30']);
    try {
      const path = holdLock(dir, other.pid as number);
      const before = snapshot(dir);
      const refused = await runCli([dir, '--force']);
      assert.equal(refused.code, 1);
      assert.match(
        refused.stderr,
        new RegExp(`Another aot-lambda convert \\(process ${other.pid}, started .*\\) is converting`),
      );
      assert.ok(refused.stderr.includes(`delete ${path}`), refused.stderr);
      assert.deepEqual(snapshot(dir), before, 'nothing written');
      assert.ok(existsSync(path), "the other run's lock stays");
      rmSync(path);
    } finally {
      other.kill();
    }
  });

  it('takes over a lock whose process is gone (a killed run) and releases it when done', async () => {
    const dir = copyFixture('custom-runtime');
    const gone = spawnSync('true').pid;
    const path = holdLock(dir, gone);
    const converted = await runCli([dir, '--force']);
    assert.equal(converted.code, 0, converted.stderr);
    assert.match(converted.stdout, /Converted/);
    assert.ok(!existsSync(path), 'released');
  });

  it('two runs started together: one converts, the other waits its turn or refuses; the tree ends whole', async (t) => {
    const dir = copyFixture('custom-runtime');
    const expected = copyFixture('custom-runtime');
    assert.equal((await runCli([expected, '--force'])).code, 0);
    // Separate processes, as two terminals would be (the lock names the process).
    const runs = await Promise.all([1, 2].map(() => runBin(['convert', dir, '--force'], { cwd: dir })));
    const outcomes = runs.map((r) =>
      r.code === 0 && /Converted/.test(r.stdout)
        ? 'converted'
        : r.code === 0 && /already converted/.test(r.stdout)
          ? 'unchanged'
          : r.code === 1 && /Another aot-lambda convert/.test(r.stderr)
            ? 'refused'
            : `unexpected (${r.code}): ${r.stdout}${r.stderr}`,
    );
    t.diagnostic(`outcomes: ${outcomes.join(', ')}`);
    assert.equal(outcomes.filter((o) => o === 'converted').length, 1, outcomes.join('; '));
    assert.ok(
      outcomes.every((o) => ['converted', 'unchanged', 'refused'].includes(o)),
      outcomes.join('; '),
    );
    assert.deepEqual(snapshot(dir), snapshot(expected));
  });
});
