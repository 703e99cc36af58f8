import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_PAYLOAD_BYTES, type Emulator } from '../../src/emulator/index.js';
import { json, startScripted } from './helpers.js';

interface Probe {
  action: string;
  status?: number;
  body?: string;
  first?: number;
  second?: number;
  secondBody?: string;
  asError?: number;
}

describe('Runtime API contract, against a real runtime process', () => {
  let emulator: Emulator;
  let firstPid: number | undefined;

  before(async () => {
    emulator = await startScripted({ timeoutSeconds: 20 });
  });
  after(() => emulator.close());

  /** What the runtime saw when it made the calls earlier invocations asked for (drained on each call). */
  async function probes(action?: string): Promise<Probe[]> {
    const result = await emulator.invoke({ action: 'probes' });
    assert.equal(result.outcome, 'success');
    return json<Probe[]>(result.payload).filter((p) => action === undefined || p.action === action);
  }

  it('delivers the event and returns the posted response to the caller', async () => {
    const result = await emulator.invoke({ action: 'echo', order: 42 });
    assert.equal(result.outcome, 'success');
    assert.equal(result.ok, true);
    assert.equal(result.statusCode, 200);
    assert.equal(result.errorType, undefined);
    assert.equal(result.coldStart, true);
    const seen = json<{ event: { order: number }; headers: Record<string, string> }>(result.payload);
    assert.equal(seen.event.order, 42);
    assert.equal(seen.headers['lambda-runtime-aws-request-id'], result.requestId);
    firstPid = result.pid;
  });

  it('keeps the runtime warm between invocations', async () => {
    const result = await emulator.invoke({ action: 'echo' });
    assert.equal(result.coldStart, false);
    assert.equal(result.pid, firstPid);
    assert.equal(result.initDurationMs, undefined);
    assert.equal(result.coldStartMs, undefined);
  });

  it('passes raw bytes and text through untouched', async () => {
    const result = await emulator.invoke('not json at all');
    assert.equal(json<{ event: { raw: string } }>(result.payload).event.raw, 'not json at all');
  });

  it('returns a function error with its valid error type and the body unchanged (202 to the runtime)', async () => {
    const result = await emulator.invoke({ action: 'error', type: 'Function.OrderRejected' });
    assert.equal(result.outcome, 'function-error');
    assert.equal(result.ok, false);
    assert.equal(result.statusCode, 200);
    assert.equal(result.errorType, 'Function.OrderRejected');
    assert.equal(
      result.payload,
      '{"errorMessage":"it failed","errorType":"FixtureError","stackTrace":["at handler"]}',
    );
    assert.deepEqual(await probes(), [{ action: 'error', status: 202 }]);
  });

  it('validates Lambda-Runtime-Function-Error-Type as RIE does (unanchored match, else *.Unknown)', async () => {
    const cases: Array<[string | undefined, string]> = [
      ['Runtime.HandlerFailed', 'Runtime.HandlerFailed'],
      ['InvalidOperationException', 'Runtime.Unknown'], // what the .NET client sends: a short exception name
      ['Function.lowercase', 'Function.Unknown'],
      ['runtime.Lower', 'Runtime.Unknown'],
      ['MyApp.Function.Custom', 'MyApp.Function.Custom'], // Go's regexp.MatchString finds it inside
      [undefined, 'Runtime.Unknown'],
    ];
    for (const [header, expected] of cases) {
      const result = await emulator.invoke({ action: 'error', type: header });
      assert.equal(result.errorType, expected, `header ${String(header)}`);
      assert.match(result.payload, /"errorType":"FixtureError"/, 'body forwarded unchanged');
    }
    assert.deepEqual(
      (await probes('error')).map((p) => p.status),
      cases.map(() => 202),
    );
  });

  it('answers 400 InvalidRequestID to a response for an unknown request id', async () => {
    const result = await emulator.invoke({ action: 'bad-id' });
    assert.deepEqual(json(result.payload), {
      status: 400,
      body: { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' },
    });
  });

  it("answers 400 to a response for the previous invocation's (stale) id", async () => {
    const result = await emulator.invoke({ action: 'stale' });
    assert.equal(result.outcome, 'success');
    assert.equal(json<{ status: number }>(result.payload).status, 400);
  });

  it('answers 403 to a second answer for the same invocation; the caller keeps the first', async () => {
    const result = await emulator.invoke({ action: 'double' });
    assert.equal(result.payload, '{"first":true}');
    const [probe] = await probes('double');
    assert.equal(probe?.first, 202);
    assert.equal(probe?.second, 403);
    assert.equal(probe?.asError, 403);
    assert.equal(json(probe?.secondBody ?? '').errorType, 'InvalidStateTransition');
  });

  it('accepts a response of exactly 6,291,556 bytes', async () => {
    const result = await emulator.invoke({ action: 'bytes', size: MAX_PAYLOAD_BYTES });
    assert.equal(result.outcome, 'success');
    assert.equal(Buffer.byteLength(result.payload), 6_291_556);
    assert.deepEqual(
      (await probes()).map((p) => p.status),
      [202],
    );
  });

  it('answers 413 one byte above; the caller gets Function.ResponseSizeTooLarge', async () => {
    const result = await emulator.invoke({ action: 'bytes', size: MAX_PAYLOAD_BYTES + 1 });
    assert.equal(result.outcome, 'response-too-large');
    assert.equal(result.errorType, 'Function.ResponseSizeTooLarge');
    assert.deepEqual(json(result.payload), {
      errorMessage:
        'Response payload size (6291557 bytes) exceeded maximum allowed payload size (6291556 bytes).',
      errorType: 'Function.ResponseSizeTooLarge',
    });
    const [probe] = await probes();
    assert.equal(probe?.status, 413);
    assert.deepEqual(json(probe?.body ?? ''), {
      errorMessage: 'Exceeded maximum allowed payload size (6291556 bytes).',
      errorType: 'RequestEntityTooLarge',
    });
  });

  it('refuses an event above the limit without bothering the runtime', async () => {
    const result = await emulator.invoke(Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x20));
    assert.equal(result.outcome, 'request-too-large');
    assert.equal(result.statusCode, 413);
    assert.equal(result.pid, undefined);
    assert.deepEqual(result.lines, [], 'never reached the function: no START/END/REPORT');
    assert.equal(result.billedDurationMs, 0);
    assert.equal((await emulator.invoke({ action: 'echo' })).pid, firstPid, 'still the same warm runtime');
  });

  it('answers 403 to GET /next while an invocation is running, and to /init/error after init', async () => {
    const next = await emulator.invoke({ action: 'next-while-running' });
    assert.deepEqual(json(next.payload), {
      status: 403,
      body: {
        errorMessage:
          'State transition from Running to Ready failed for runtime. Error: State transition is not allowed',
        errorType: 'InvalidStateTransition',
      },
    });
    const initError = await emulator.invoke({ action: 'init-error-late' });
    assert.equal(json<{ status: number }>(initError.payload).status, 403);
  });

  it('answers 404 to unknown paths and 405 to a wrong method', async () => {
    const result = await emulator.invoke({ action: 'unknown-path' });
    assert.deepEqual(json(result.payload), { status: 404, wrongMethod: 405 });
  });

  it('takes streamed (chunked) responses, with mid-stream errors from the trailers', async () => {
    const streamed = await emulator.invoke({ action: 'stream' });
    assert.equal(streamed.outcome, 'success');
    assert.equal(streamed.payload, '{"streamed":true}');

    const broken = await emulator.invoke({ action: 'stream-error' });
    assert.equal(broken.outcome, 'function-error');
    assert.equal(broken.errorType, 'Function.StreamBroke');
    assert.equal(broken.payload, '{"errorMessage":"mid-stream"}');
  });

  it('answers 400 to an unknown response mode and fails the invocation', async () => {
    const result = await emulator.invoke({ action: 'bad-mode' });
    assert.equal(result.outcome, 'function-error');
    assert.equal(result.errorType, 'Runtime.InvalidResponseModeHeader');
    const [probe] = await probes();
    assert.equal(probe?.status, 400);
    assert.equal(json(probe?.body ?? '').errorType, 'InvalidFunctionResponseMode');
  });

  it('served every row above from the one process started by the first invocation', () => {
    assert.equal(emulator.pid, firstPid);
  });
});
