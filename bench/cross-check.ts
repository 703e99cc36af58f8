/**
 * The bench's cold starts measured a second way, by something that is not the product: the independent raw-socket
 * Runtime API in Python (test/emulator/independent-harness.py, which shares no code with the emulator). Runs the
 * harness floor and the NativeAOT hello builds the last `npm run bench` left in bench/work, interleaved, and prints
 * the medians. Usage: node --import tsx bench/cross-check.ts [rounds] [label=executable ...] (default 20 rounds);
 * each label=executable adds one more candidate (an experiment's build), measured in the same interleaved rounds.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { workRoot } from './args.js';
import { summarize } from './stats.js';

interface Run {
  initMs: number;
  durationMs: number;
  coldStartMs: number;
  payload: string;
}

const median = (values: readonly number[]): number => summarize(values).median;
const harness = join(import.meta.dirname, '..', 'test', 'emulator', 'independent-harness.py');
const candidates: Record<string, string> = {
  'harness floor (C)': join(workRoot, 'floor', 'bootstrap'),
  'hello minimal NativeAOT': join(workRoot, 'builds', 'hello-minimal-aot', 'out', 'bootstrap'),
  'hello runtime-support NativeAOT': join(
    workRoot,
    'builds',
    'hello-runtime-support-aot',
    'out',
    'bootstrap',
  ),
};
const args = process.argv.slice(2);
const rounds = Number(args.find((a) => /^\d+$/.test(a)) ?? 20);
for (const extra of args.filter((a) => a.includes('='))) {
  const [label = '', executable = ''] = extra.split(/=(.*)/s);
  candidates[label] = executable;
}

const present = Object.entries(candidates).filter(([, path]) => existsSync(path));
if (present.length === 0) {
  console.error('No builds in bench/work: run `npm run bench` first.');
  process.exit(2);
}

/** One harness process per executable; each `run` line it reads is one cold start, answered with a JSON line. */
const harnesses = present.map(([label, executable]) => {
  // Lambda's environment as the emulator gives it (TZ and the memory size change what a runtime does at start).
  const child: ChildProcessWithoutNullStreams = spawn('python3', [harness, executable], {
    env: { ...process.env, TZ: ':UTC', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512' },
  });
  const lines: Interface = createInterface({ input: child.stdout });
  const iterator = lines[Symbol.asyncIterator]();
  const once = async (): Promise<Run | undefined> => {
    child.stdin.write('run\n');
    const { value } = await iterator.next();
    const parsed = JSON.parse(String(value)) as Run | { error: string };
    return 'error' in parsed ? undefined : parsed;
  };
  return { label, child, once, runs: [] as Run[], errors: 0 };
});

for (let round = 0; round <= rounds; round++) {
  // Rotated each round, as the bench does; round 0 is discarded (first page-ins).
  for (let i = 0; i < harnesses.length; i++) {
    const h = harnesses[(round + i) % harnesses.length];
    if (!h) continue;
    const run = await h.once();
    if (round === 0) continue;
    if (run) h.runs.push(run);
    else h.errors++;
  }
}

const floor = harnesses.find((h) => h.label.startsWith('harness floor'));
const floorCold = floor ? median(floor.runs.map((r) => r.coldStartMs)) : undefined;
console.log(`independent harness, ${rounds} interleaved cold starts each (medians):`);
for (const h of harnesses) {
  h.child.stdin.end();
  const cold = median(h.runs.map((r) => r.coldStartMs));
  const ratio = floorCold && h !== floor ? `  ${(cold / floorCold).toFixed(2)}x the floor` : '';
  console.log(
    `  ${h.label.padEnd(34)} cold start ${cold.toFixed(2)} ms  init ${median(h.runs.map((r) => r.initMs)).toFixed(2)} ms  ` +
      `duration ${median(h.runs.map((r) => r.durationMs)).toFixed(2)} ms${ratio}` +
      (h.errors > 0 ? `  (${h.errors} runs lost to the harness)` : ''),
  );
}
