import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { binArgs } from '../bin/run-bin.js';
import { tempDir, writeTree } from '../helpers/fs.js';

const watch = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, [...binArgs, 'watch', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

describe('aot-lambda watch: usage errors name the problem and the fix, exit 2, start nothing', () => {
  it('a folder without a function project', () => {
    const result = watch(tempDir('aot-lambda-watch-empty-'));
    assert.equal(result.status, 2);
    assert.match(
      result.stderr,
      /no function project in .*: run this in a generated project's folder, or name the function's \.csproj/,
    );
  });

  it('a folder with two projects', () => {
    const dir = tempDir('aot-lambda-watch-two-');
    writeTree(dir, { 'src/A/A.csproj': '<Project />', 'src/B/B.csproj': '<Project />' });
    const result = watch(dir);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /2 projects in .* \(A\.csproj, B\.csproj\): name the function's \.csproj/);
  });

  it('a port out of range', () => {
    const dir = tempDir('aot-lambda-watch-port-');
    writeTree(dir, { 'src/A/A.csproj': '<Project />' });
    const result = watch(dir, '--port', '70000');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--port 70000: expected a port number \(0-65535\)/);
  });

  it("a timeout or memory size outside Lambda's limits", () => {
    const dir = tempDir('aot-lambda-watch-limits-');
    writeTree(dir, { 'src/A/A.csproj': '<Project />' });
    const timeout = watch(dir, '--timeout', '1e9');
    assert.equal(timeout.status, 2);
    assert.match(timeout.stderr, /--timeout 1e9: Lambda allows 1 to 900 s/);
    const cpu = watch(dir, '--cpu', 'fast');
    assert.equal(cpu.status, 2);
    assert.match(cpu.stderr, /--cpu fast: expected lambda or host/);
    const memory = watch(dir, '--memory', '64');
    assert.equal(memory.status, 2);
    assert.match(memory.stderr, /--memory 64: Lambda allows 128 to 10240 MB/);
  });

  it('--help lists the options', () => {
    const result = watch(tempDir('aot-lambda-watch-help-'), '--help');
    assert.equal(result.status, 0);
    for (const flag of [
      '--port',
      '--native',
      '--http',
      '--memory',
      '--timeout',
      '--cpu',
      '--concurrency',
      '--env',
      '--no-rebuild',
    ])
      assert.ok(result.stdout.includes(flag), flag);
  });
});
