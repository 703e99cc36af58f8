/**
 * Cold and warm measurements through the local Runtime API emulator. Variants are interleaved (A B C, then
 * B C A, ...) so that whatever else the machine is doing hits all of them alike: that protects the ratios,
 * not the absolute numbers.
 */
import { isDeepStrictEqual } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { CpuMode } from '../src/emulator/cgroups.js';
import { startRuntimeApi, type Emulator, type InvokeResult } from '../src/emulator/index.js';
import { LoadGate, LoadSampler, waitForQuiet } from './machine.js';
import type { Conditions } from './results.js';
import { shuffled, turnOrder } from './stats.js';

export interface Target {
  id: string;
  executable: string;
  /** The event as JSON text (a JS string would be sent raw). */
  event: string;
  expected: unknown;
}

export interface ColdSample {
  /** Spawn to the first GET /next: Lambda's Init Duration. */
  initMs: number;
  /** Spawn to the first response: how published cold starts are counted. */
  coldStartMs: number;
  /** Peak RSS of the process tree when the first response arrived. */
  peakRssBytes: number;
}

export interface WarmSamples {
  /** Event delivered to the runtime until its answer arrived (Lambda's Duration). */
  durationMs: number[];
  /** invoke() called until it resolved: the Duration plus the emulator's own queueing. */
  roundTripMs: number[];
}

export interface MeasureSettings {
  memoryMb: number;
  /** Default host: the whole machine. */
  cpu?: CpuMode;
  log: (line: string) => void;
  /** Awaited before each round (cold) or chunk (warm): lets the caller pause while the machine is busy. */
  beforeRound?: () => Promise<void>;
}

const start = (target: Target, memoryMb: number, cpu: CpuMode = 'host'): Promise<Emulator> =>
  startRuntimeApi({ executable: target.executable, output: 'capture', memoryMb, timeoutSeconds: 60, cpu });

/** A wrong answer means the numbers measure something else: stop rather than report them. */
function expectAnswer(target: Target, result: InvokeResult): void {
  const ok = result.outcome === 'success' && isDeepStrictEqual(JSON.parse(result.payload), target.expected);
  if (!ok) {
    throw new Error(
      `${target.id} answered ${result.outcome} ${result.payload} (expected ${JSON.stringify(target.expected)})\n${result.logs ?? ''}`,
    );
  }
}

export async function coldStart(target: Target, memoryMb: number, cpu?: CpuMode): Promise<ColdSample> {
  const emulator = await start(target, memoryMb, cpu);
  try {
    const result = await emulator.invoke(target.event);
    expectAnswer(target, result);
    if (!result.coldStart || result.initDurationMs === undefined || result.coldStartMs === undefined) {
      throw new Error(`${target.id}: the first invocation was not a cold start`);
    }
    return {
      initMs: result.initDurationMs,
      coldStartMs: result.coldStartMs,
      peakRssBytes: result.maxMemoryUsedBytes,
    };
  } finally {
    await emulator.close();
  }
}

/** `rounds` cold starts per target, interleaved, after one discarded start each (page cache, first exec). */
export async function measureCold(
  targets: readonly Target[],
  rounds: number,
  settings: MeasureSettings,
): Promise<Map<string, ColdSample[]>> {
  const samples = new Map<string, ColdSample[]>(targets.map((t) => [t.id, []]));
  for (const target of targets) await coldStart(target, settings.memoryMb, settings.cpu);
  const random = turnOrder();
  for (let round = 0; round < rounds; round++) {
    await settings.beforeRound?.();
    for (const target of shuffled(targets, random)) {
      samples.get(target.id)?.push(await coldStart(target, settings.memoryMb, settings.cpu));
    }
    if ((round + 1) % 5 === 0 || round + 1 === rounds)
      settings.log(`cold starts: ${round + 1}/${rounds} rounds`);
  }
  return samples;
}

/**
 * `count` warm invocations per target, after its (unrecorded) cold start, in interleaved chunks; every
 * runtime stays up, idle in GET /next, while the others run.
 */
export async function measureWarm(
  targets: readonly Target[],
  count: number,
  settings: MeasureSettings,
  chunk = 100,
): Promise<Map<string, WarmSamples>> {
  const samples = new Map<string, WarmSamples>(
    targets.map((t) => [t.id, { durationMs: [], roundTripMs: [] }]),
  );
  const emulators = new Map<string, Emulator>();
  try {
    const firstPayload = new Map<string, string>();
    for (const target of targets) {
      const emulator = await start(target, settings.memoryMb, settings.cpu);
      emulators.set(target.id, emulator);
      const cold = await emulator.invoke(target.event);
      expectAnswer(target, cold);
      firstPayload.set(target.id, cold.payload);
    }
    const random = turnOrder();
    for (let done = 0; done < count; done += chunk) {
      await settings.beforeRound?.();
      for (const target of shuffled(targets, random)) {
        const emulator = emulators.get(target.id) as Emulator;
        const into = samples.get(target.id) as WarmSamples;
        for (let i = 0; i < Math.min(chunk, count - done); i++) {
          const began = performance.now();
          const result = await emulator.invoke(target.event);
          const roundTrip = performance.now() - began;
          // Comparing the text is enough once the first answer was checked, and costs nothing.
          if (result.coldStart || result.payload !== firstPayload.get(target.id))
            expectAnswer(target, result);
          if (result.coldStart)
            throw new Error(`${target.id}: the runtime restarted during warm invocations`);
          into.durationMs.push(result.durationMs);
          into.roundTripMs.push(roundTrip);
        }
      }
    }
    settings.log(`warm invocations: ${count} per variant`);
  } finally {
    for (const emulator of emulators.values()) await emulator.close();
  }
  return samples;
}

export interface SessionOptions {
  cold: number;
  warm: number;
  memoryMb: number;
  cpu?: CpuMode;
  maxLoad: number;
  waitMinutes: number;
  log: (line: string) => void;
  /** What the targets are, for the log ("variants", "sets"). */
  what: string;
}

export interface Session {
  cold: Map<string, ColdSample[]>;
  warm: Map<string, WarmSamples>;
  /** The load the measurement ran under: conditions.load of the results. */
  load: Conditions['load'];
}

/**
 * One measuring session of a bench run: waits for a quiet machine, then `cold` rounds and `warm` invocations
 * of every target, pausing between rounds while someone else's work runs, with the load sampled throughout.
 */
export async function measureSession(targets: readonly Target[], options: SessionOptions): Promise<Session> {
  const { log } = options;
  const quiet = await waitForQuiet(options.maxLoad, options.waitMinutes, log);
  log(`measuring ${targets.length} ${options.what} at load ${quiet.load.toFixed(2)}`);
  const sampler = new LoadSampler();
  const gate = new LoadGate(options.maxLoad, options.waitMinutes * 60, log);
  const settings = { memoryMb: options.memoryMb, cpu: options.cpu, log, beforeRound: () => gate.pass() };
  const cold = await measureCold(targets, options.cold, settings);
  const warm = await measureWarm(targets, options.warm, settings);
  const during = sampler.stop();
  return {
    cold,
    warm,
    load: {
      atStart: quiet.load,
      waitedSeconds: Math.round(quiet.waitedSeconds),
      pausedSeconds: Math.round(gate.pausedSeconds),
      during,
    },
  };
}
