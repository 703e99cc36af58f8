import assert from 'node:assert/strict';
import { appendFileSync, cpSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { convert, recoverInterrupted, type ConvertOptions } from '../../src/convert/index.js';
import { runBin, snapshot, type BinResult } from '../bin/run-bin.js';
import { copyFixture, tempDir } from './helpers.js';

/**
 * Interruption (issue 16.4): a real `aot-lambda convert` is stopped just before each step of its apply in turn
 * (AOT_LAMBDA_TEST_INTERRUPT=N[:SIGNAL], counted, not timed) until a run gets through. After every stop the
 * project must be whole: each file either its original or its converted bytes, and once settled (by the run's own
 * signal handler, or by the next run) the tree is byte for byte the original or the converted one, with no temp
 * file, backup, journal or empty folder left. Trees are compared with modes and folders (run-bin's snapshot).
 */
const concurrency = Math.max(1, Math.min(2, availableParallelism()));

interface Shape {
  readonly fixture: string;
  /** The project, relative to the fixture root. */
  readonly target: string;
  readonly options: ConvertOptions;
  readonly args: readonly string[];
}

type Trees = { original: Map<string, string>; converted: Map<string, string> };

/** The two trees a settled run may leave: the fixture as it is, and as an uninterrupted convert leaves it. */
async function trees(shape: Shape): Promise<Trees> {
  const dir = copyFixture(shape.fixture);
  const original = snapshot(dir);
  await convert(join(dir, shape.target), { force: true, ...shape.options });
  return { original, converted: snapshot(dir) };
}

/** A copy of the fixture, converted by the bin stopped before step `step` of the apply by `signal`. */
function stoppedRun(shape: Shape, step: number, signal: string): Promise<{ dir: string; result: BinResult }> {
  const dir = copyFixture(shape.fixture);
  return runBin(['convert', shape.target, '--force', ...shape.args], {
    cwd: dir,
    env: { ...process.env, AOT_LAMBDA_TEST_INTERRUPT: `${step}:${signal}` },
  }).then((result) => ({ dir, result }));
}

const leftovers = (tree: Map<string, string>): string[] =>
  [...tree.keys()].filter((p) => /\.aot-convert-|\.aot-lambda-convert\.journal/.test(p));

function assertWhole(tree: Map<string, string>, expected: Trees, when: string): 'original' | 'converted' {
  assert.deepEqual(leftovers(tree), [], `${when}: no temp file, backup or journal`);
  const same = (a: Map<string, string>): boolean =>
    a.size === tree.size && [...a].every(([k, v]) => tree.get(k) === v);
  if (same(expected.original)) return 'original';
  assert.deepEqual(tree, expected.converted, `${when}: the tree is the original or the converted one`);
  return 'converted';
}

/** Before settling: each of the project's files is whole, one version or the other (renames are atomic). */
function assertEachFileWhole(tree: Map<string, string>, expected: Trees, when: string): void {
  for (const [path, bytes] of tree) {
    if (leftovers(new Map([[path, bytes]])).length > 0) continue;
    assert.ok(
      expected.original.get(path) === bytes || expected.converted.get(path) === bytes,
      `${when}: ${path} is neither its original nor its converted version`,
    );
  }
  for (const path of expected.original.keys())
    assert.ok(tree.has(path), `${when}: ${path} is missing (it must never be absent, even for a moment)`);
}

/** Stops convert before step 1, 2, ... until a run completes; `check` judges each stopped run. Returns that step. */
async function everyStep(
  shape: Shape,
  signal: string,
  check: (dir: string, step: number, result: BinResult) => Promise<void>,
): Promise<number> {
  for (let step = 1; step < 200; step++) {
    const { dir, result } = await stoppedRun(shape, step, signal);
    if (result.code === 0) return step;
    assert.doesNotMatch(result.stdout, /Converted/, `step ${step}: stopped before its report`);
    await check(dir, step, result);
  }
  throw new Error('the apply never completed');
}

describe('convert: interrupted at every step of the apply', { concurrency }, () => {
  it('SIGKILL at each step: every file stays whole; the next run (or recovery alone) leaves the original or the converted tree and nothing else', async () => {
    // The built-in client: files updated and created, and a new folder (Runtime/).
    const shape: Shape = {
      fixture: 'minimal-client',
      target: '.',
      options: { client: 'minimal' },
      args: ['--client', 'minimal'],
    };
    const expected = await trees(shape);
    const settledAs = new Set<string>();
    const steps = await everyStep(shape, 'SIGKILL', async (dir, step, result) => {
      assert.equal(result.signal, 'SIGKILL', `step ${step}: killed (exit ${result.code}) ${result.stderr}`);
      const when = `killed before step ${step}`;
      assertEachFileWhole(snapshot(dir), expected, when);
      // Recovery on its own (what the next run does first)...
      const copy = tempDir();
      cpSync(dir, copy, { recursive: true });
      recoverInterrupted(copy);
      settledAs.add(assertWhole(snapshot(copy), expected, `${when}, then recovered`));
      // ...and the next run as a whole: recovers, then converts (or finds the conversion complete).
      const next = await convert(dir, { force: true, ...shape.options });
      if (step > 1)
        assert.match(next.report, /An interrupted conversion of .* (was rolled back|finished it)/);
      assert.deepEqual(snapshot(dir), expected.converted, `${when}, then run again`);
    });
    // 1 journal + 1 folder + 15 temp files + 4 backups + 15 renames + 4 backup removals + 1 journal removal.
    assert.equal(steps, 42, 'the run after the last step completed');
    assert.deepEqual([...settledAs].sort(), ['converted', 'original'], 'both outcomes were reached');
  });

  it('SIGINT at each step: the interrupted run settles it itself before it ends', async () => {
    const signal = 'SIGINT';
    const shape: Shape = { fixture: 'empty-function', target: 'src/EmptyFunction', options: {}, args: [] };
    const expected = await trees(shape);
    const steps = await everyStep(shape, signal, async (dir, step, result) => {
      const when = `${signal} before step ${step}`;
      assert.ok(result.signal === signal || result.code === 130, when);
      assert.match(
        result.stderr,
        new RegExp(
          `^aot-lambda convert: interrupted \\(${signal}\\); (nothing had been written|the conversion was rolled back|every file had been written)`,
        ),
      );
      assertWhole(snapshot(dir), expected, when);
    });
    // 1 journal + 6 temp files + 4 backups + 6 renames + 4 backup removals + 1 journal removal (the test
    // project's Amazon.Lambda.Core is bumped too).
    assert.equal(steps, 23, `${signal}: the run after the last step completed`);
  });

  it('SIGTERM (same handler as SIGINT) before the journal, a backup, a rename and a cleanup step', async () => {
    const shape: Shape = { fixture: 'empty-function', target: 'src/EmptyFunction', options: {}, args: [] };
    const expected = await trees(shape);
    const outcomes: string[] = [];
    for (const step of [1, 9, 13, 19]) {
      const { dir, result } = await stoppedRun(shape, step, 'SIGTERM');
      assert.ok(result.signal === 'SIGTERM' || result.code === 143, `SIGTERM at ${step}: ${result.stderr}`);
      outcomes.push(assertWhole(snapshot(dir), expected, `SIGTERM before step ${step}`));
    }
    assert.deepEqual(outcomes, ['original', 'original', 'original', 'converted']);
  });

  it('after a kill: a dry run asks for a real run first; a file edited since is never overwritten', async () => {
    const shape: Shape = { fixture: 'empty-function', target: 'src/EmptyFunction', options: {}, args: [] };
    // Before step 15: both project files and Function.cs are renamed into place, the three other files are not.
    const { dir, result } = await stoppedRun(shape, 15, 'SIGKILL');
    assert.equal(result.signal, 'SIGKILL');
    const project = join(dir, shape.target);
    const stopped = snapshot(dir);
    const expected = await trees(shape);
    for (const file of [
      'src/EmptyFunction/EmptyFunction.csproj',
      'test/EmptyFunction.Tests/EmptyFunction.Tests.csproj',
      'src/EmptyFunction/Function.cs',
    ])
      assert.equal(stopped.get(file), expected.converted.get(file), `${file} was renamed into place`);
    await assert.rejects(
      convert(project, { dryRun: true }),
      /A conversion of this project was interrupted \(.*\.aot-lambda-convert\.journal\.json records it\)\. Run aot-lambda convert without --dry-run/,
    );
    assert.deepEqual(snapshot(dir), stopped, 'the dry run wrote nothing');
    appendFileSync(join(project, 'Function.cs'), '// my edit after the kill\n');
    const edited = snapshot(dir);
    await assert.rejects(
      convert(project, { force: true }),
      /Function\.cs changed after a conversion of it was interrupted .* so convert will not overwrite it\. Compare it with .*\.Function\.cs\.aot-convert-.*\.bak/,
    );
    assert.deepEqual(snapshot(dir), edited, 'nothing touched');
  });

  it('a journal half-written when the run was killed (its temp file) is removed by the next run', async () => {
    const dir = copyFixture('empty-function');
    const project = join(dir, 'src/EmptyFunction');
    writeFileSync(join(project, '.aot-lambda-convert.journal.json.4242.tmp'), '{"format": "aot-lambda-con');
    await convert(project, { force: true });
    assert.deepEqual(leftovers(snapshot(dir)), []);
  });
});
