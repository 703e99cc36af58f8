import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { invokeCommand } from '../../src/cli/invoke.js';
import {
  createSandbox,
  lambdaCpus,
  sandboxParents,
  sweepStaleSandboxes,
} from '../../src/emulator/cgroups.js';
import { json, scriptedRuntime, startScripted } from './helpers.js';

/** Is there a cgroup (v1 or v2) this test can make? If not, the tests that need one say why they skip. */
function sandboxHere(): string | false {
  const made = createSandbox({ cpus: 0.5, memoryBytes: 256 * 1024 * 1024 });
  if ('unavailable' in made) return `no cgroup here: ${made.unavailable}`;
  void made.sandbox.remove();
  return false;
}
const noCgroup = sandboxHere();

/** The runtime's cgroup directory for a controller, read from /proc/<pid>/cgroup and the mounts. */
function cgroupFile(pid: number, file: string): string {
  const v2 = !file.startsWith('cpu.cfs');
  const controller = file.startsWith('memory') ? 'memory' : 'cpu';
  const lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8').trim().split('\n');
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8').trim().split('\n');
  for (const line of lines) {
    const [, controllers, path] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
    const isV1 = controllers?.split(',').includes(controller);
    if (!(isV1 || (v2 && controllers === '' && path !== '/'))) continue;
    const mount = mounts.find((m) =>
      isV1
        ? / - cgroup \S+ \S*\b/.test(m) && m.split(' - ')[1]?.split(' ')[2]?.split(',').includes(controller)
        : / - cgroup2 /.test(m),
    );
    if (!mount || path === undefined) continue;
    const candidate = join(mount.split(' ')[4] as string, path, file);
    try {
      return readFileSync(candidate, 'utf8');
    } catch {
      // not this hierarchy
    }
  }
  throw new Error(`no ${file} for ${pid}`);
}

describe("Lambda's CPU share and memory limit", () => {
  it('gives one vCPU at 1,769 MB, in proportion below and above', () => {
    assert.equal(lambdaCpus(1769), 1);
    assert.equal(lambdaCpus(512).toFixed(3), '0.289');
    assert.equal(lambdaCpus(10240).toFixed(2), '5.79');
  });

  it(
    '--cpu lambda: the runtime runs in a cgroup with 128/1769 of a CPU (little enough to be throttled on a busy machine too)',
    { skip: noCgroup },
    async () => {
      const emulator = await startScripted({ cpu: 'lambda', memoryMb: 128 });
      try {
        const result = await emulator.invoke({ action: 'burn', ms: 600 });
        assert.equal(result.outcome, 'success', result.payload);
        const { cpuMs, wallMs, pid } = json<{ cpuMs: number; wallMs: number; pid: number }>(result.payload);
        let quota: number;
        try {
          quota = Number(cgroupFile(pid, 'cpu.cfs_quota_us')) / Number(cgroupFile(pid, 'cpu.cfs_period_us'));
        } catch {
          const [max, period] = cgroupFile(pid, 'cpu.max').trim().split(' ');
          quota = Number(max) / Number(period);
        }
        assert.equal(quota.toFixed(3), '0.072');
        // At most its share (plus one period's slack at the ends); a busy machine can only make it less.
        assert.ok(cpuMs / wallMs < 0.072 + 0.15, `it got ${(cpuMs / wallMs).toFixed(3)} of a CPU`);
        const throttled = Number(/^nr_throttled (\d+)$/m.exec(cgroupFile(pid, 'cpu.stat'))?.[1]);
        assert.ok(throttled > 0, `the kernel throttled it ${throttled} times`);
      } finally {
        await emulator.close();
      }
    },
  );

  it(
    "aot-lambda invoke gives Lambda's CPU share by default; --cpu host the machine; --cpu fast is refused",
    { skip: noCgroup },
    async () => {
      const run = async (...flags: string[]) => {
        let stdout = '';
        let stderr = '';
        const code = await invokeCommand(
          [scriptedRuntime, '--quiet', '--event', '{"action":"burn","ms":400}', ...flags],
          {
            stdout: { write: (text: string) => (stdout += text) },
            stderr: { write: (text: string) => (stderr += text) },
          },
        );
        return { code, stdout, stderr };
      };
      const lambda = await run();
      assert.equal(lambda.code, 0, lambda.stderr);
      const share = json<{ cpuMs: number; wallMs: number }>(lambda.stdout);
      assert.ok(
        share.cpuMs / share.wallMs < 0.289 + 0.15,
        `default: ${(share.cpuMs / share.wallMs).toFixed(3)} of a CPU`,
      );
      const host = await run('--cpu', 'host');
      assert.equal(host.code, 0, host.stderr);
      const bad = await run('--cpu', 'fast');
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--cpu fast: expected lambda or host/);
    },
  );

  it('--cpu host leaves the runtime in our own cgroup', async () => {
    const emulator = await startScripted({ cpu: 'host' });
    try {
      const result = await emulator.invoke({ action: 'echo' });
      const pid = json<{ pid: number }>(result.payload).pid;
      assert.equal(readFileSync(`/proc/${pid}/cgroup`, 'utf8'), readFileSync('/proc/self/cgroup', 'utf8'));
    } finally {
      await emulator.close();
    }
  });

  it(
    'stops a runtime over its memory size with Runtime.OutOfMemory, as Lambda reports it',
    { skip: noCgroup },
    async () => {
      const logged: string[] = [];
      const emulator = await startScripted({
        memoryMb: 128,
        memoryLimit: true,
        log: (line) => logged.push(line),
      });
      try {
        const small = await emulator.invoke({ action: 'alloc', mb: 8 });
        assert.equal(small.outcome, 'success', 'under the limit nothing happens');
        const result = await emulator.invoke({ action: 'alloc', mb: 200 });
        assert.equal(result.outcome, 'exit-error');
        assert.equal(result.statusCode, 502);
        assert.deepEqual(json(result.payload), {
          errorType: 'Runtime.OutOfMemory',
          errorMessage: `RequestId: ${result.requestId} Error: Runtime exited with error: signal: killed`,
        });
        assert.equal(result.maxMemoryUsedMb, 128);
        assert.match(
          result.lines.at(-1) ?? '',
          /\tMax Memory Used: 128 MB\tStatus: error\tError Type: Runtime\.OutOfMemory$/,
        );
        assert.ok(!logged.some((line) => line.includes('cannot give the runtime')), 'no fallback line');
        const next = await emulator.invoke({});
        assert.equal(next.outcome, 'success');
        assert.equal(next.coldStart, true);
      } finally {
        await emulator.close();
      }
    },
  );

  it('without cgroups: one line says so, and the memory size is held by sampling', async () => {
    process.env.AOT_LAMBDA_NO_CGROUPS = '1';
    const logged: string[] = [];
    const emulator = await startScripted({
      memoryMb: 128,
      memoryLimit: true,
      cpu: 'lambda',
      memorySampleIntervalMs: 20,
      log: (line) => logged.push(line),
    });
    try {
      const result = await emulator.invoke({ action: 'alloc-and-wait', mb: 200, ms: 5000 });
      assert.equal(result.errorType, 'Runtime.OutOfMemory');
      assert.ok(result.endedAtMs - result.startedAtMs < 4000, 'stopped by the watch, not after the 5 s wait');
      await emulator.invoke({});
      const lines = logged.filter((line) => line.startsWith('aot-lambda: cannot give the runtime'));
      assert.deepEqual(lines, [
        "aot-lambda: cannot give the runtime Lambda's CPU share (0.072 vCPU for 128 MB) or a 128 MB memory limit: " +
          "no usable cgroup (AOT_LAMBDA_NO_CGROUPS is set). It runs with the whole machine's CPU; its memory is watched by sampling instead.",
      ]);
    } finally {
      delete process.env.AOT_LAMBDA_NO_CGROUPS;
      await emulator.close();
    }
  });
});

describe('sandboxes left by a killed emulator', () => {
  it(
    'are removed when the next sandbox is made: those of a process that is gone, not of one that runs',
    { skip: noCgroup },
    () => {
      const gone = spawnSync('true').pid;
      const running = spawn('sleep', ['30']);
      const parents = sandboxParents();
      assert.ok(parents.length > 0);
      const stale = parents.map((p) => join(p, `aot-lambda-${gone}-1`));
      const live = parents.map((p) => join(p, `aot-lambda-${running.pid}-1`));
      try {
        for (const dir of [...stale, ...live]) mkdirSync(dir);
        sweepStaleSandboxes();
        for (const dir of stale) assert.ok(!existsSync(dir), `${dir} removed`);
        for (const dir of live) assert.ok(existsSync(dir), `${dir} kept: its emulator still runs`);
      } finally {
        running.kill();
        for (const dir of [...stale, ...live]) if (existsSync(dir)) rmdirSync(dir);
      }
    },
  );
});
