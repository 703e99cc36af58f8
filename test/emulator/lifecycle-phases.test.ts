import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import type { InvokeResponse } from '../../src/emulator/index.js';
import { isAlive, json, startScripted } from './helpers.js';

describe("Lambda's invocation phases", () => {
  it('ends an invocation when the runtime asks for the next event: post-response logs and time belong to it', async () => {
    const order: string[] = [];
    const emulator = await startScripted({
      log: (line) => order.push(line.split(' ')[0] as string),
      onOutput: (chunk) => order.push(...chunk.toString().trim().split('\n')),
    });
    try {
      await emulator.invoke({});
      order.length = 0;
      let answeredAt: number | undefined;
      let early: InvokeResponse | undefined;
      const result = await emulator.invoke(
        { action: 'after-response', ms: 300, text: 'x' },
        {
          onResponse: (response) => {
            answeredAt = performance.now();
            early = response;
          },
        },
      );
      const resolvedAt = performance.now();
      assert.equal(result.outcome, 'success');
      assert.deepEqual(json(early?.payload ?? ''), { answered: true });
      assert.equal(early?.ok, true);
      assert.equal(early?.requestId, result.requestId);
      assert.ok(
        answeredAt !== undefined && resolvedAt - answeredAt >= 250,
        'onResponse came with the answer',
      );
      assert.ok(result.durationMs >= 300, `Duration ${result.durationMs} counts the work after the answer`);
      assert.ok((result.responseMs ?? Infinity) < result.durationMs - 250, `response ${result.responseMs}`);
      assert.match(result.logs ?? '', /after response x\ndone after x\n/);
      assert.deepEqual(order, ['START', 'after response x', 'done after x', 'END', 'REPORT']);
    } finally {
      await emulator.close();
    }
  });

  it('starts the function timeout after init, and sets the deadline from there', async () => {
    const emulator = await startScripted({ timeoutSeconds: 1, env: { FIXTURE_INIT_SLEEP_MS: '1500' } });
    try {
      const result = await emulator.invoke({ action: 'echo' });
      assert.equal(result.outcome, 'success', result.payload);
      assert.ok((result.initDurationMs ?? 0) >= 1400, `init ${result.initDurationMs}`);
      const { event, headers } = json<{ event: { receivedAt: number }; headers: Record<string, string> }>(
        result.payload,
      );
      const left = Number(headers['lambda-runtime-deadline-ms']) - event.receivedAt;
      assert.ok(left > 500 && left <= 1000, `deadline ${left} ms after the event arrived`);
    } finally {
      await emulator.close();
    }
  });

  it("has Lambda's 10 s init limit; past it, logs INIT_REPORT and initialises again under the function timeout", async () => {
    const lenient = await startScripted();
    assert.equal(lenient.initTimeoutSeconds, 10);
    await lenient.close();

    const emulator = await startScripted({
      initTimeoutSeconds: 0.5,
      timeoutSeconds: 3,
      env: { FIXTURE_INIT_SLEEP_MS: '900' },
    });
    try {
      const result = await emulator.invoke({ action: 'echo' });
      assert.match(
        result.lines[0] ?? '',
        /^INIT_REPORT Init Duration: \d+\.\d\d ms\tPhase: init\tStatus: timeout$/,
      );
      const initReport = Number(/Init Duration: ([\d.]+)/.exec(result.lines[0] ?? '')?.[1]);
      assert.ok(initReport >= 490 && initReport < 900, `the first init was stopped at ${initReport} ms`);
      assert.equal(result.outcome, 'success', 'the second init had the function timeout, 3 s');
      assert.ok((result.initDurationMs ?? 0) >= 850, `the second init took ${result.initDurationMs} ms`);

      const short = await startScripted({
        initTimeoutSeconds: 0.5,
        timeoutSeconds: 1,
        env: { FIXTURE_INIT_SLEEP_MS: '1500' },
      });
      try {
        const timedOut = await short.invoke({});
        assert.equal(timedOut.outcome, 'timeout');
        assert.match(timedOut.lines[0] ?? '', /^INIT_REPORT .*Status: timeout$/);
        const elapsed = timedOut.endedAtMs - timedOut.startedAtMs;
        assert.ok(elapsed >= 1400 && elapsed < 3000, `init limit then function timeout: ${elapsed} ms`);
      } finally {
        await short.close();
      }
    } finally {
      await emulator.close();
    }
  });

  it('a runtime that answers, then works past the timeout: the caller keeps the answer, REPORT says timeout', async () => {
    const emulator = await startScripted({ timeoutSeconds: 1 });
    try {
      const result = await emulator.invoke({ action: 'after-response', ms: 10_000, text: 'y' });
      assert.equal(result.outcome, 'success');
      assert.deepEqual(json(result.payload), { answered: true });
      assert.match(result.lines.at(-1) ?? '', /\tStatus: timeout$/);
      assert.ok(result.lines.some((line) => line.endsWith('Task timed out after 1.00 seconds')));
      assert.equal(isAlive(result.pid as number), false, 'stopped at the timeout');
      const next = await emulator.invoke({});
      assert.equal(next.coldStart, true);
    } finally {
      await emulator.close();
    }
  });

  it('a runtime that answers and exits: the exit ends the invocation, which succeeded', async () => {
    const emulator = await startScripted();
    try {
      const result = await emulator.invoke({ action: 'respond-then-exit' });
      assert.equal(result.outcome, 'success');
      assert.doesNotMatch(result.lines.join('\n'), /Runtime\.ExitError/);
      const next = await emulator.invoke({});
      assert.equal(next.outcome, 'success');
      assert.equal(next.coldStart, true);
    } finally {
      await emulator.close();
    }
  });
});
