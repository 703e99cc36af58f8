/**
 * The independent harness (independent-harness.py) runs a runtime as Lambda does, or the bench's "x the C floor"
 * figures are not Lambda's: the function's memory is all the runtime sees (a memory cgroup, which .NET's GC
 * sizes itself from), and its environment is Lambda's, not the caller's. A shell bootstrap records what it was
 * given, then execs the C floor runtime to answer.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createSandbox } from '../../src/emulator/cgroups.js';
import { findExecutable, runTool } from '../../src/tools.js';

const floorSource = fileURLToPath(new URL('../../bench/floor/floor.c', import.meta.url));
const harnessScript = fileURLToPath(new URL('./independent-harness.py', import.meta.url));
const missing = ['clang', 'python3'].filter((tool) => !findExecutable(tool));
const skip = missing.length > 0 ? `${missing.join(' and ')} not on PATH` : false;

/** Can a memory cgroup be made here at all? Asked of the emulator's code, so that a harness failing to make one fails. */
function noCgroup(): string | false {
  const made = createSandbox({ memoryBytes: 256 * 1024 * 1024 });
  if ('unavailable' in made) return `no cgroup here: ${made.unavailable}`;
  void made.sandbox.remove();
  return false;
}

interface Seen {
  result: { payload?: string; memoryLimit?: string | null; error?: string };
  env: Map<string, string>;
  /** The memory limit of the runtime's own cgroup, in bytes (v1 memory.limit_in_bytes or v2 memory.max). */
  limit: string;
}

describe('independent harness', { skip }, () => {
  let dir = '';
  let bootstrap = '';

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'independent-harness-'));
    const floor = join(dir, 'floor');
    const built = runTool('clang', ['-O2', '-o', floor, floorSource], { purpose: 'build the C runtime' });
    assert.equal(built.status, 0, built.stderr);
    bootstrap = join(dir, 'bootstrap');
    writeFileSync(
      bootstrap,
      [
        '#!/bin/sh',
        `env > '${dir}/env'`,
        // v2: one "0::/path" line; v1: the memory hierarchy's line.
        `path=$(sed -n -e 's/^[0-9]*:[^:]*memory[^:]*://p' -e 's/^0:://p' /proc/self/cgroup | head -n 1)`,
        `cat "/sys/fs/cgroup/memory$path/memory.limit_in_bytes" > '${dir}/limit' 2>/dev/null || cat "/sys/fs/cgroup$path/memory.max" > '${dir}/limit'`,
        `exec '${floor}'`,
        '',
      ].join('\n'),
    );
    chmodSync(bootstrap, 0o755);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function runOnce(args: string[], env: NodeJS.ProcessEnv = process.env): Seen & { stderr: string } {
    const run = spawnSync('python3', [harnessScript, ...args, bootstrap], {
      input: 'run\n',
      encoding: 'utf8',
      env,
    });
    assert.equal(run.status, 0, run.stderr);
    const seenEnv = new Map(
      readFileSync(join(dir, 'env'), 'utf8')
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
    );
    return {
      result: JSON.parse(run.stdout.trim()) as Seen['result'],
      env: seenEnv,
      limit: readFileSync(join(dir, 'limit'), 'utf8').trim(),
      stderr: run.stderr,
    };
  }

  it("gives the runtime Lambda's environment, not the caller's, plus the function's own (--env)", () => {
    const seen = runOnce(['--memory-mb', '256', '--env', 'GREETING=a=b'], {
      ...process.env,
      CALLER_SECRET: 'must not reach the runtime',
    });
    assert.equal(seen.result.error, undefined, seen.result.error);
    assert.equal(seen.result.payload, '"HELLO"');
    assert.equal(seen.env.get('CALLER_SECRET'), undefined);
    assert.equal(seen.env.get('AWS_LAMBDA_FUNCTION_MEMORY_SIZE'), '256');
    assert.equal(seen.env.get('TZ'), ':UTC');
    assert.equal(seen.env.get('LANG'), 'en_US.UTF-8');
    assert.equal(seen.env.get('_HANDLER'), 'bootstrap');
    assert.equal(seen.env.get('LAMBDA_TASK_ROOT'), dir);
    assert.equal(seen.env.get('GREETING'), 'a=b');
    assert.match(seen.env.get('AWS_LAMBDA_RUNTIME_API') ?? '', /^127\.0\.0\.1:\d+$/);
    assert.match(
      seen.env.get('AWS_LAMBDA_LOG_STREAM_NAME') ?? '',
      /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/,
    );
  });

  it(
    "holds the runtime to the function's memory through a cgroup, and shows it the host's with --host-memory",
    {
      skip: noCgroup(),
    },
    () => {
      const capped = runOnce(['--memory-mb', '256']);
      assert.match(capped.result.memoryLimit ?? '', /^cgroup v[12], 256 MB$/);
      assert.equal(capped.limit, String(256 * 1024 * 1024));
      const host = runOnce(['--host-memory']);
      assert.equal(host.result.memoryLimit, null);
      assert.notEqual(host.limit, String(256 * 1024 * 1024));
      assert.equal(host.result.payload, '"HELLO"');
    },
  );
});
