import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readPeakRssBytes, type Emulator, type InvokeResult } from '../../src/emulator/index.js';
import { json, startScripted } from './helpers.js';

const MB = 1024 * 1024;

describe('timings, peak memory and the START / END / REPORT lines', () => {
  let emulator: Emulator;
  const logged: string[] = [];
  let cold: InvokeResult;
  let warm: InvokeResult;

  before(async () => {
    emulator = await startScripted({ memoryMb: 128, log: (line) => logged.push(line) });
    cold = await emulator.invoke({});
    warm = await emulator.invoke({ action: 'sleep', ms: 200 });
  });
  after(() => emulator.close());

  it('writes START, END and REPORT in Lambda format, Init Duration on the cold start only', () => {
    const id = cold.requestId;
    assert.deepEqual(logged.slice(0, 2), [`START RequestId: ${id} Version: $LATEST`, `END RequestId: ${id}`]);
    assert.equal(
      logged[2],
      `REPORT RequestId: ${id}\tInit Duration: ${cold.initDurationMs?.toFixed(2)} ms\t` +
        `Duration: ${cold.durationMs.toFixed(2)} ms\tBilled Duration: ${cold.billedDurationMs} ms\t` +
        `Memory Size: 128 MB\tMax Memory Used: ${cold.maxMemoryUsedMb} MB`,
    );
    assert.match(
      logged[2] ?? '',
      /^REPORT RequestId: [0-9a-f-]{36}\tInit Duration: \d+\.\d\d ms\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB$/,
    );
    assert.match(
      logged[5] ?? '',
      /^REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB$/,
    );
    assert.deepEqual(warm.lines, logged.slice(3, 6), 'each result carries its own lines');
  });

  it('measures Init Duration (spawn to first /next), Duration and the cold start (spawn to answer)', () => {
    const init = cold.initDurationMs as number;
    assert.ok(init > 1 && init < 10_000, `init ${init}`);
    assert.ok(cold.durationMs > 0 && cold.durationMs < init, `duration ${cold.durationMs}`);
    const coldStart = cold.coldStartMs as number;
    const response = cold.responseMs as number;
    assert.ok(
      response > 0 && response <= cold.durationMs,
      `response ${response}, duration ${cold.durationMs}`,
    );
    assert.ok(coldStart >= init + response - 0.001, 't2 - t0 covers init and the response');
    assert.ok(coldStart < init + cold.durationMs + 250, 'the event was waiting: delivered at once');
    assert.ok(warm.durationMs >= 200 && warm.durationMs < 1200, `warm ${warm.durationMs}`);
  });

  it('bills ceil(Init Duration + Duration), as Lambda bills custom runtimes', () => {
    assert.equal(cold.billedDurationMs, Math.ceil((cold.initDurationMs as number) + cold.durationMs));
    assert.equal(warm.billedDurationMs, Math.ceil(warm.durationMs));
  });

  it('reports a plausible peak RSS, the same /proc reads', () => {
    assert.ok(
      cold.maxMemoryUsedBytes > 10 * MB && cold.maxMemoryUsedBytes < 400 * MB,
      `${cold.maxMemoryUsedBytes}`,
    );
    assert.equal(cold.maxMemoryUsedMb, Math.ceil(cold.maxMemoryUsedBytes / MB));
    const now = readPeakRssBytes(cold.pid as number);
    assert.ok(now >= cold.maxMemoryUsedBytes, 'VmHWM only grows');
    assert.ok(now - warm.maxMemoryUsedBytes < 16 * MB, 'and the last sample is close to it');
  });

  it('sees memory the function touches', async () => {
    const before = await emulator.invoke({});
    const after = await emulator.invoke({ action: 'alloc', mb: 150 });
    const grown = after.maxMemoryUsedBytes - before.maxMemoryUsedBytes;
    assert.ok(grown >= 140 * MB && grown < 200 * MB, `grew ${grown / MB} MB`);
  });

  it("counts the memory of the runtime's child processes too", async () => {
    const before = await emulator.invoke({});
    const after = await emulator.invoke({ action: 'child-alloc', mb: 100 });
    const { childPid } = json<{ childPid: number }>(after.payload);
    assert.ok(readPeakRssBytes(childPid) > 100 * MB);
    const grown = after.maxMemoryUsedBytes - before.maxMemoryUsedBytes;
    assert.ok(grown >= 100 * MB, `grew ${grown / MB} MB`);
  });
});
