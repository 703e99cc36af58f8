/**
 * Cold starts timed by something that is not the product: the independent raw-socket Runtime API in Python
 * (test/emulator/independent-harness.py, which shares no code with the emulator and spawns with posix_spawn).
 * The emulator, a Node HTTP server, adds about 0.9 ms of its own to every cold start it times, the C floor's
 * included, which flatters any ratio to the floor; issue 14's "x the C floor" target is judged from these medians.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { shuffled, summarize, turnOrder } from './stats.js';

interface Run {
  initMs: number;
  durationMs: number;
  coldStartMs: number;
  /** The cgroup memory limit the runtime ran under ("cgroup v1, 512 MB"), null for the host's memory. */
  memoryLimit: string | null;
}

export interface IndependentResult {
  label: string;
  executable: string;
  /** Medians, ms. */
  coldStartMs: number;
  initMs: number;
  durationMs: number;
  runs: number;
  /** Runs the harness lost (a killed runtime's reconnect still in its listen backlog), counted, not measured. */
  lost: number;
  /** Asked for the host's memory rather than the function's. */
  hostMemory: boolean;
  /** The memory the runtimes saw: "cgroup v1, 512 MB", or the host's when no cgroup held them. */
  memory: string;
}

const harness = join(import.meta.dirname, '..', 'test', 'emulator', 'independent-harness.py');
const harnessesPerExecutable = 3;
const median = (values: readonly number[]): number => summarize(values).median;

/**
 * `rounds` cold starts of each executable, interleaved in a new random order each round; one discarded
 * round first (first page-ins). Lambda's environment, its memory size, and only that much memory visible to the
 * runtime, through a cgroup, as in Lambda's sandbox (.NET's GC sizes its reservations from it); a candidate
 * with `hostMemory` sees the host's instead, in the same interleaved rounds.
 */
export async function measureIndependently(
  candidates: readonly { label: string; executable: string; hostMemory?: boolean }[],
  rounds: number,
  memoryMb = 512,
): Promise<IndependentResult[]> {
  const start = (
    executable: string,
    hostMemory: boolean,
  ): (() => Promise<Run | undefined>) & { end(): void } => {
    const memoryArgs = hostMemory ? ['--host-memory'] : ['--memory-mb', String(memoryMb)];
    const child = spawn('python3', [harness, ...memoryArgs, executable], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const once = async (): Promise<Run | undefined> => {
      child.stdin.write('run\n');
      const { value, done } = await lines.next();
      if (done) throw new Error(`the independent harness stopped for ${executable}`);
      const parsed = JSON.parse(String(value)) as Run | { error: string };
      return 'error' in parsed ? undefined : parsed;
    };
    return Object.assign(once, { end: () => child.stdin.end() });
  };
  // Several harness processes per executable, taking turns: one process's medians can sit a few percent off
  // another's for the very same executable (an A/A comparison showed 3.5 %), as large as the effects measured.
  const harnesses = candidates.map(({ label, executable, hostMemory = false }) => ({
    label,
    executable,
    hostMemory,
    instances: Array.from({ length: harnessesPerExecutable }, () => start(executable, hostMemory)),
    runs: [] as Run[],
    lost: 0,
  }));
  const random = turnOrder();
  try {
    for (let round = 0; round <= rounds; round++) {
      for (const h of shuffled(harnesses, random)) {
        const once = h.instances[round % harnessesPerExecutable];
        if (!once) continue;
        const run = await once();
        if (round === 0) continue;
        if (run) h.runs.push(run);
        else h.lost++;
      }
    }
  } finally {
    for (const h of harnesses) for (const instance of h.instances) instance.end();
  }
  return harnesses.map((h) => ({
    label: h.label,
    executable: h.executable,
    coldStartMs: median(h.runs.map((r) => r.coldStartMs)),
    initMs: median(h.runs.map((r) => r.initMs)),
    durationMs: median(h.runs.map((r) => r.durationMs)),
    runs: h.runs.length,
    lost: h.lost,
    hostMemory: h.hostMemory,
    memory: h.runs[0]?.memoryLimit ?? "the host's",
  }));
}
