/** The shape of bench/results/*.json, shared by the comparison and the switch study. */
import type { CpuMode } from '../src/emulator/cgroups.js';
import type { MachineInfo } from './machine.js';
import type { ColdSample, WarmSamples } from './measure.js';
import type { Sizes } from './sizes.js';
import { summarize, type Summary } from './stats.js';

export interface ColdSummary {
  initMs: Summary;
  coldStartMs: Summary;
  peakRssMb: Summary;
}

export interface WarmSummary {
  durationMs: Summary;
  roundTripMs: Summary;
}

export interface BuildInfo {
  command: string;
  publishSeconds: number;
  cached: boolean;
  checks: string[];
  warnings: string[];
}

export interface Conditions {
  date: string;
  command: string;
  machine: MachineInfo;
  /** 1-minute load average: when measuring began, and sampled during the measurement. */
  load: {
    atStart: number;
    waitedSeconds: number;
    /** Time spent paused between rounds while someone else's work ran. */
    pausedSeconds: number;
    during: { min: number; max: number; mean: number };
  };
  /** 1-minute load when the independent harness began (after waiting for the session's own load to pass). */
  independentLoad?: number;
  memoryMb: number;
  /** The runtimes' CPU: the whole machine, or Lambda's share for memoryMb (absent in older results: host). */
  cpu?: CpuMode;
  coldRounds: number;
  warmInvocations: number;
  order: string;
}

export const MiB = 1024 * 1024;

export function summarizeCold(samples: readonly ColdSample[]): ColdSummary {
  return {
    initMs: summarize(samples.map((s) => s.initMs)),
    coldStartMs: summarize(samples.map((s) => s.coldStartMs)),
    peakRssMb: summarize(samples.map((s) => s.peakRssBytes / MiB)),
  };
}

export function summarizeWarm(samples: WarmSamples): WarmSummary {
  return { durationMs: summarize(samples.durationMs), roundTripMs: summarize(samples.roundTripMs) };
}

export type { Sizes, Summary };

/** "12.3 (10.1–15.0)": median and p10–p90. */
export function spread(s: Summary, digits = 1): string {
  return `${s.median.toFixed(digits)} (${s.p10.toFixed(digits)}–${s.p90.toFixed(digits)})`;
}

export function mib(bytes: number, digits = 2): string {
  return bytes < 100 * 1024 ? `${(bytes / 1024).toFixed(0)} KiB` : `${(bytes / MiB).toFixed(digits)} MiB`;
}

export function ratio(value: number, base: number | undefined): string {
  return base ? `${(value / base).toFixed(3)}×` : '–';
}
