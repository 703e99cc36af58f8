import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Emulator } from '../../src/emulator/index.js';
import { groupMembers, isAlive, json, scriptedRuntime, startScripted } from './helpers.js';

describe('runtime process lifecycle', () => {
  let scratch: string;
  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'emulator-lifecycle-'));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('starts the runtime lazily, on the first invocation', async () => {
    const emulator = await startScripted();
    try {
      assert.equal(emulator.pid, undefined);
      const result = await emulator.invoke({});
      assert.equal(result.coldStart, true);
      assert.ok(result.pid && isAlive(result.pid));
      assert.equal(emulator.pid, result.pid);
    } finally {
      await emulator.close();
    }
  });

  it('times out: kills the whole process group, answers "Task timed out", re-initialises next time', async () => {
    const emulator = await startScripted({ timeoutSeconds: 1 });
    try {
      const sleeper = await emulator.invoke({ action: 'spawn-sleeper' });
      const { childPid } = json<{ childPid: number }>(sleeper.payload);
      assert.ok(isAlive(childPid));
      const pid = sleeper.pid as number;

      const result = await emulator.invoke({ action: 'sleep', ms: 10_000 });
      assert.equal(result.outcome, 'timeout');
      assert.equal(result.statusCode, 200);
      assert.equal(result.errorType, 'Sandbox.Timedout');
      assert.equal(result.payload, 'Task timed out after 1.00 seconds');
      const elapsed = result.endedAtMs - result.startedAtMs;
      assert.ok(elapsed >= 990 && elapsed < 5000, `ended after ${elapsed} ms`);
      assert.ok(result.durationMs > 0 && result.durationMs <= elapsed, `duration ${result.durationMs}`);
      assert.equal(isAlive(pid), false, 'runtime killed');
      assert.equal(isAlive(childPid), false, 'its child killed with the group');
      assert.deepEqual(groupMembers(pid), []);
      assert.match(
        result.lines[1] ?? '',
        /^\d{4}-\d\d-\d\dT[\d:.]+Z \S+ Task timed out after 1\.00 seconds$/,
      );
      assert.match(result.lines.at(-1) ?? '', /\tStatus: timeout$/);

      const next = await emulator.invoke({ action: 'echo' });
      assert.equal(next.outcome, 'success');
      assert.equal(next.coldStart, true);
      assert.notEqual(next.pid, pid);
    } finally {
      await emulator.close();
    }
  });

  it('reports a runtime that exits mid-invocation as Runtime.ExitError (502), then re-initialises', async () => {
    const emulator = await startScripted();
    try {
      const warm = await emulator.invoke({});
      const result = await emulator.invoke({ action: 'crash', code: 3 });
      assert.equal(result.outcome, 'exit-error');
      assert.equal(result.statusCode, 502);
      assert.equal(result.errorType, 'Runtime.ExitError');
      assert.deepEqual(json(result.payload), {
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${result.requestId} Error: Runtime exited with error: exit status 3`,
      });
      assert.deepEqual(result.lines.slice(1, 3), [
        `RequestId: ${result.requestId} Error: Runtime exited with error: exit status 3`,
        'Runtime.ExitError',
      ]);
      assert.match(result.lines.at(-1) ?? '', /\tStatus: error\tError Type: Runtime\.ExitError$/);

      const next = await emulator.invoke({});
      assert.equal(next.outcome, 'success');
      assert.equal(next.coldStart, true);
      assert.notEqual(next.pid, warm.pid);
    } finally {
      await emulator.close();
    }
  });

  it('words signals and clean exits the way Lambda does', async () => {
    const emulator = await startScripted();
    try {
      const aborted = await emulator.invoke({ action: 'crash', signal: 'SIGABRT' });
      assert.match(
        json<{ errorMessage: string }>(aborted.payload).errorMessage,
        /Runtime exited with error: signal: aborted$/,
      );
      const clean = await emulator.invoke({ action: 'crash', code: 0 });
      assert.equal(
        json<{ errorMessage: string }>(clean.payload).errorMessage,
        `RequestId: ${clean.requestId} Error: Runtime exited without providing a reason`,
      );
    } finally {
      await emulator.close();
    }
  });

  it('returns an init error to the first invocation (502, body unchanged) and tries init again next time', async () => {
    const emulator = await startScripted({ env: { FIXTURE_INIT_ERROR: 'Runtime.ConfigMissing' } });
    try {
      const first = await emulator.invoke({});
      assert.equal(first.outcome, 'init-error');
      assert.equal(first.statusCode, 502);
      assert.equal(first.errorType, 'Runtime.ConfigMissing');
      assert.deepEqual(json(first.payload), {
        errorMessage: 'init failed on purpose',
        errorType: 'Runtime.ConfigMissing',
        stackTrace: ['at init'],
      });
      assert.match(first.lines.at(-1) ?? '', /\tStatus: error\tError Type: Runtime\.ConfigMissing$/);
      assert.ok(first.maxMemoryUsedMb > 0, 'sampled before the runtime exited');

      const second = await emulator.invoke({});
      assert.equal(second.outcome, 'init-error');
      assert.equal(second.coldStart, true);
      assert.notEqual(second.pid, first.pid);
      assert.equal(isAlive(first.pid as number), false);
      // The runtime's own log: its /init/error got 202, and a second one 403.
      assert.match(
        `${first.logs}${second.logs}`,
        /init\/error answered 202\nsecond init\/error answered 403/,
      );
    } finally {
      await emulator.close();
    }
  });

  it('reports a runtime that dies during init without a word as Runtime.ExitError', async () => {
    const emulator = await startScripted({ env: { FIXTURE_INIT_CRASH: '4' } });
    try {
      const result = await emulator.invoke({});
      assert.equal(result.outcome, 'exit-error');
      assert.match(json<{ errorMessage: string }>(result.payload).errorMessage, /exit status 4$/);
      assert.equal(result.durationMs, 0);
      assert.ok((result.initDurationMs ?? 0) > 0);
    } finally {
      await emulator.close();
    }
  });

  it('answers Runtime.InvalidEntrypoint when the executable is missing, not executable, or not a program', async () => {
    const missing = join(scratch, 'bootstrap-missing');
    const notExecutable = join(scratch, 'bootstrap-0644');
    copyFileSync(scriptedRuntime, notExecutable);
    chmodSync(notExecutable, 0o644);
    const garbage = join(scratch, 'bootstrap-garbage');
    writeFileSync(garbage, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 2, 3, 4, 5, 6, 7, 8]));
    chmodSync(garbage, 0o755);
    const expected: Array<[string, string]> = [
      [missing, 'no such file or directory'],
      [notExecutable, 'permission denied'],
      [garbage, 'exec format error'],
    ];
    for (const [path, reason] of expected) {
      const emulator = await Emulator.start({ executable: path });
      try {
        const result = await emulator.invoke({});
        assert.equal(result.outcome, 'init-error', path);
        assert.equal(result.statusCode, 502);
        assert.equal(result.errorType, 'Runtime.InvalidEntrypoint');
        assert.equal(
          json<{ errorMessage: string }>(result.payload).errorMessage,
          `RequestId: ${result.requestId} Error: fork/exec ${path}: ${reason}`,
        );
      } finally {
        await emulator.close();
      }
    }
  });

  it('queues concurrent invocations and runs them one at a time, in order', async () => {
    const emulator = await startScripted();
    try {
      await emulator.invoke({});
      const results = await Promise.all(
        [0, 1, 2, 3].map((i) => emulator.invoke({ action: 'sleep', ms: 150, i })),
      );
      assert.ok(results.every((r) => r.ok && r.pid === results[0]?.pid));
      for (let i = 1; i < results.length; i++) {
        const previous = results[i - 1] as (typeof results)[number];
        const current = results[i] as (typeof results)[number];
        // Both from one monotonic clock (they once mixed Date.now() and performance.now(), which drift apart).
        assert.ok(current.startedAtMs >= previous.endedAtMs, `invocation ${i} started before ${i - 1} ended`);
        const seenAt = (r: typeof current) => json<{ receivedAt: number }>(r.payload).receivedAt;
        // The runtime's own clock, in whole ms, and Node timers may fire up to 1 ms early against it.
        assert.ok(seenAt(current) - seenAt(previous) >= 148, 'the runtime got them at least 150 ms apart');
      }
    } finally {
      await emulator.close();
    }
  });

  it('runs a command given as argv (a JIT build) without a shell', async () => {
    const emulator = await Emulator.start({
      cmd: [process.execPath, scriptedRuntime, 'extra arg with spaces'],
      output: 'capture',
    });
    try {
      const result = await emulator.invoke({ action: 'env' });
      const seen = json<{ argv: string[]; env: Record<string, string> }>(result.payload);
      assert.deepEqual(seen.argv.slice(1), [scriptedRuntime, 'extra arg with spaces']);
      assert.equal(seen.env._HANDLER, 'scripted-runtime.mjs');
    } finally {
      await emulator.close();
    }
  });

  it('passes the runtime output through to the capture, per invocation, after START', async () => {
    const sequence: string[] = [];
    const emulator = await startScripted({
      log: (line) => sequence.push(line.split(' ')[0] as string),
      onOutput: (chunk) => sequence.push(...chunk.toString().trim().split('\n')),
    });
    try {
      await emulator.invoke({});
      sequence.length = 0;
      const result = await emulator.invoke({ action: 'log', text: 'hello' });
      assert.match(result.logs ?? '', /stdout says hello/);
      assert.match(result.logs ?? '', /stderr says hello/);
      // As on Lambda: START, then what the function logs, then END and REPORT.
      assert.equal(sequence[0], 'START');
      assert.deepEqual(sequence.slice(-2), ['END', 'REPORT']);
      assert.deepEqual(sequence.slice(1, -2).sort(), ['stderr says hello', 'stdout says hello']);
      const quiet = await emulator.invoke({});
      assert.equal(quiet.logs, '');
    } finally {
      await emulator.close();
    }
  });

  it('close() ends a running invocation, kills the group, and refuses new invocations', async () => {
    const emulator = await startScripted();
    const sleeper = await emulator.invoke({ action: 'spawn-sleeper' });
    const { childPid } = json<{ childPid: number }>(sleeper.payload);
    const running = emulator.invoke({ action: 'sleep', ms: 10_000 });
    const queued = emulator.invoke({});
    await new Promise((resolve) => setTimeout(resolve, 100));
    await emulator.close();
    await assert.rejects(running, /closed during the invocation/);
    await assert.rejects(queued, /closed/);
    await assert.rejects(emulator.invoke({}), /closed/);
    assert.equal(isAlive(sleeper.pid as number), false);
    assert.equal(isAlive(childPid), false);
  });
});
