import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { dotnet } from '../test/e2e/dotnet.js';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  dotnetSdk: string;
  dotnetRuntime: string;
}

export async function machineInfo(): Promise<MachineInfo> {
  const version = await dotnet(['--version'], process.cwd());
  const runtimes = await dotnet(['--list-runtimes'], process.cwd());
  const core = /Microsoft\.NETCore\.App (\S+)/.exec(runtimes.output);
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    kernel: release(),
    node: process.version,
    dotnetSdk: version.output.trim(),
    dotnetRuntime: core?.[1] ?? 'unknown',
  };
}

/** 1-, 5- and 15-minute load averages. */
export function loadAverage(): [number, number, number] {
  const [a, b, c] = readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number);
  return [a ?? Number.NaN, b ?? Number.NaN, c ?? Number.NaN];
}

/**
 * Waits until the 1-minute load is below `maxLoad`, polling every minute, at most `minutes`; timings taken
 * while others compile are slow and noisy. Returns the load when measuring starts and how long it waited.
 */
export async function waitForQuiet(
  maxLoad: number,
  minutes: number,
  log: (line: string) => void,
): Promise<{ load: number; waitedSeconds: number; quiet: boolean }> {
  const started = Date.now();
  for (;;) {
    const [load] = loadAverage();
    const waited = (Date.now() - started) / 1000;
    if (load < maxLoad) return { load, waitedSeconds: waited, quiet: true };
    if (waited >= minutes * 60) {
      log(`load ${load.toFixed(2)} still above ${maxLoad} after ${minutes} min: measuring anyway`);
      return { load, waitedSeconds: waited, quiet: false };
    }
    log(`load ${load.toFixed(2)} >= ${maxLoad}: waiting (${Math.round(waited / 60)} of ${minutes} min)`);
    await sleep(60_000);
  }
}

/** Samples the 1-minute load now and then while the measurement runs, to report what it ran under. */
export class LoadSampler {
  private readonly samples: number[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 5000) {
    this.samples.push(loadAverage()[0]);
    this.timer = setInterval(() => this.samples.push(loadAverage()[0]), intervalMs);
    this.timer.unref();
  }

  stop(): { min: number; max: number; mean: number; samples: number } {
    clearInterval(this.timer);
    this.samples.push(loadAverage()[0]);
    const s = this.samples;
    return {
      min: Math.min(...s),
      max: Math.max(...s),
      mean: s.reduce((a, b) => a + b, 0) / s.length,
      samples: s.length,
    };
  }
}

/**
 * Between rounds: when someone else's build starts mid-measurement, wait for it to pass rather than time it.
 * Our own runtime under test adds about 1 to the load, hence the margin. Spends at most what is left of
 * `budget`, so a machine that never calms down still gets measured (and the load says so).
 */
export class LoadGate {
  pausedSeconds = 0;

  constructor(
    private readonly maxLoad: number,
    private budgetSeconds: number,
    private readonly log: (line: string) => void,
  ) {}

  async pass(): Promise<void> {
    if (loadAverage()[0] <= this.maxLoad + 1) return;
    const started = Date.now();
    this.log(`load ${loadAverage()[0].toFixed(2)} mid-measurement: pausing`);
    while (loadAverage()[0] > this.maxLoad + 0.5 && this.budgetSeconds - (Date.now() - started) / 1000 > 0) {
      await sleep(10_000);
    }
    const waited = (Date.now() - started) / 1000;
    this.pausedSeconds += waited;
    this.budgetSeconds -= waited;
    this.log(`resuming at load ${loadAverage()[0].toFixed(2)} after ${Math.round(waited)} s`);
  }
}
