import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { invokeCommand } from '../../src/cli/invoke.js';
import { Emulator } from '../../src/emulator/index.js';
import { checkMemoryMb, checkTimeoutSeconds, LimitError } from '../../src/emulator/limits.js';
import { scriptedRuntime } from './helpers.js';

async function invoke(args: string[]): Promise<{ code: number; stderr: string; warnings: string[] }> {
  let stderr = '';
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.name);
  process.on('warning', onWarning);
  try {
    const code = await invokeCommand(args, {
      stdout: { write: () => true },
      stderr: { write: (text: string) => (stderr += text) },
    });
    // A warning is emitted on the next tick: let it arrive before looking.
    await new Promise((resolve) => setImmediate(resolve));
    return { code, stderr, warnings };
  } finally {
    process.off('warning', onWarning);
  }
}

describe("Lambda's timeout and memory limits", () => {
  it('accepts the ends of both ranges', () => {
    assert.equal(checkTimeoutSeconds(1), 1);
    assert.equal(checkTimeoutSeconds(900), 900);
    assert.equal(checkMemoryMb(128), 128);
    assert.equal(checkMemoryMb(10240), 10240);
  });

  it('refuses values Lambda refuses, naming the range', () => {
    for (const value of [0, 901, 1e9, 2147484, -5]) {
      assert.throws(
        () => checkTimeoutSeconds(value),
        /Lambda allows 1 to 900 s; choose a value in that range/,
      );
    }
    for (const value of [1.5, NaN, Infinity]) {
      assert.throws(() => checkTimeoutSeconds(value), /expected a whole number of seconds from 1 to 900/);
    }
    for (const value of [127, 10241, 0]) {
      assert.throws(() => checkMemoryMb(value), /Lambda allows 128 to 10240 MB/);
    }
    assert.throws(() => checkMemoryMb(512.5), /expected a whole number of MB from 128 to 10240/);
  });

  it('invoke --timeout 1e9 exits 2 with the range, before any timer (no TimeoutOverflowWarning)', async () => {
    const run = await invoke([scriptedRuntime, '--timeout', '1e9']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--timeout 1e9: Lambda allows 1 to 900 s; choose a value in that range/);
    assert.deepEqual(run.warnings, []);
  });

  it('invoke refuses a timeout of 901 and 0.5 s, and memory of 64 MB, 20000 MB and empty text', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--timeout', '901'], /--timeout 901: Lambda allows 1 to 900 s/],
      [['--timeout', '0.5'], /--timeout 0\.5: expected a whole number of seconds/],
      [['--memory', '64'], /--memory 64: Lambda allows 128 to 10240 MB/],
      [['--memory', '20000'], /--memory 20000: Lambda allows 128 to 10240 MB/],
      [['--memory', ''], /--memory : expected a whole number of MB/],
    ];
    for (const [flags, message] of cases) {
      const run = await invoke([scriptedRuntime, ...flags]);
      assert.equal(run.code, 2, flags.join(' '));
      assert.match(run.stderr, message);
    }
  });

  it('the library refuses them too, with a LimitError', async () => {
    await assert.rejects(
      Emulator.start({ executable: scriptedRuntime, timeoutSeconds: 3_000_000 }),
      (error: unknown) => error instanceof LimitError && /timeoutSeconds 3000000/.test(error.message),
    );
    await assert.rejects(
      Emulator.start({ executable: scriptedRuntime, memoryMb: 100 }),
      (error: unknown) =>
        error instanceof LimitError && /memoryMb 100: Lambda allows 128/.test(error.message),
    );
  });
});
