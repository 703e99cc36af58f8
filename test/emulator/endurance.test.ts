import assert from 'node:assert/strict';
import { it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { groupMembers, isAlive, openFileDescriptors, startScripted } from './helpers.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function settledHeap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

it('1,000 sequential invocations on one warm runtime leak no sockets, processes, timers or heap', async () => {
  const fdsBefore = openFileDescriptors();
  const timersBefore = activeTimers();
  const emulator = await startScripted();
  const first = await emulator.invoke({ n: 0 });
  const pid = first.pid as number;
  const maxConnections: number[] = [];

  let heapAfterWarmUp = 0;
  for (let n = 1; n < 1000; n++) {
    const result = await emulator.invoke({ n });
    if (!result.ok || result.pid !== pid || result.coldStart) {
      assert.fail(`invocation ${n}: ${result.outcome} pid ${result.pid} cold ${result.coldStart}`);
    }
    if (n % 100 === 0) maxConnections.push(await emulator.connectionCount());
    if (n === 200) heapAfterWarmUp = settledHeap();
  }
  const heapGrowth = settledHeap() - heapAfterWarmUp;

  // The runtime's keep-alive agent reuses its sockets: the count stays flat instead of growing with invocations.
  assert.ok(Math.max(...maxConnections) <= 4, `connections ${maxConnections.join(',')}`);
  assert.ok(
    heapGrowth < 2 * 1024 * 1024,
    `heap grew ${(heapGrowth / 1024).toFixed(0)} KiB over 800 invocations`,
  );

  await emulator.close();
  assert.equal(isAlive(pid), false);
  assert.deepEqual(groupMembers(pid), []);
  assert.equal(activeTimers(), timersBefore, 'no timer left behind');
  // Sockets and pipes are file descriptors: all of them are closed again.
  assert.equal(openFileDescriptors(), fdsBefore);
});
