import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cpuModes, type CpuMode } from '../src/emulator/cgroups.js';

export interface BenchOptions {
  /** Cold starts per variant (each a fresh process). */
  cold: number;
  /** Warm invocations per variant, after its cold start. */
  warm: number;
  quick: boolean;
  /** Templates to run (hello, typed); all when empty. */
  only: string[];
  /** Run the size/speed switch study on the hello NativeAOT build instead of the variant comparison. */
  switches: boolean;
  /** Only write the markdown and chart again from the JSON already in outDir. */
  render: boolean;
  /** Where the table, JSON and chart go. */
  outDir: string;
  /** Publish again even when a build of the same sources and arguments is cached under bench/work. */
  rebuild: boolean;
  /** Measure only once the 1-minute load average is below this (builds of others skew timings). */
  maxLoad: number;
  /** Give up waiting for a quiet machine after this long, and measure anyway (the load is recorded). */
  waitMinutes: number;
  /** AWS_LAMBDA_FUNCTION_MEMORY_SIZE for every run: the runtimes size their GC heap limit from it. */
  memoryMb: number;
  /** host: the machine's own numbers, comparable from run to run; lambda: Lambda's CPU share for memoryMb. */
  cpu: CpuMode;
}

export const benchRoot = import.meta.dirname;
export const workRoot = join(benchRoot, 'work');

const usage = `Usage: npm run bench -- [options]
  --cold N         cold starts per variant (default 20; --quick 3)
  --warm N         warm invocations per variant (default 1000; --quick 100)
  --quick          fast smoke run; results go to bench/work/results-quick unless --out is given
  --only T[,T]     templates to run: hello, typed (default both)
  --switches       size/speed switch study of the hello NativeAOT build (bench/results/switches.md)
  --out DIR        output folder (default bench/results)
  --render         only rewrite the markdown and chart from the JSON in the output folder
  --rebuild        publish again even when a cached build matches
  --max-load X     wait until the 1-minute load average is below X before measuring (default 0.7)
  --wait-minutes M wait at most M minutes for that (default 20; 0 = do not wait)
  --memory MB      AWS_LAMBDA_FUNCTION_MEMORY_SIZE for every run (default 512)
  --cpu host|lambda host (default): the whole machine, the runtimes' own speed; lambda: Lambda's CPU
                   share for --memory (1769 MB = 1 vCPU), through a cgroup`;

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      cold: { type: 'string' },
      warm: { type: 'string' },
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      switches: { type: 'boolean', default: false },
      out: { type: 'string' },
      render: { type: 'boolean', default: false },
      rebuild: { type: 'boolean', default: false },
      'max-load': { type: 'string' },
      'wait-minutes': { type: 'string' },
      memory: { type: 'string' },
      cpu: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const quick = values.quick === true;
  const only = (values.only ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const t of only) if (!['hello', 'typed'].includes(t)) throw new Error(`--only: unknown template ${t}`);
  return {
    cold: count(values.cold, quick ? 3 : 20, '--cold'),
    warm: count(values.warm, quick ? 100 : 1000, '--warm'),
    quick,
    only,
    switches: values.switches === true,
    render: values.render === true,
    outDir: values.out ?? (quick ? join(workRoot, 'results-quick') : join(benchRoot, 'results')),
    rebuild: values.rebuild === true,
    maxLoad: number(values['max-load'], 0.7, '--max-load'),
    waitMinutes: quick ? 0 : number(values['wait-minutes'], 20, '--wait-minutes'),
    memoryMb: count(values.memory, 512, '--memory'),
    cpu: cpuMode(values.cpu),
  };
}

function cpuMode(text: string | undefined): CpuMode {
  if (text === undefined) return 'host';
  const mode = cpuModes.find((m) => m === text);
  if (!mode) throw new Error(`--cpu must be ${cpuModes.join(' or ')}, got ${text}`);
  return mode;
}

function count(text: string | undefined, fallback: number, flag: string): number {
  const value = number(text, fallback, flag);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} must be a positive integer`);
  return value;
}

function number(text: string | undefined, fallback: number, flag: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${flag} must be a number >= 0, got ${text}`);
  return value;
}
