/**
 * The bench's cold starts measured a second way (bench/independent.ts): the harness floor and the NativeAOT hello
 * builds the last `npm run bench` left in bench/work, interleaved, medians printed.
 * Usage: node --import tsx bench/cross-check.ts [rounds] [--host-memory] [label=executable ...] (default 20
 * rounds); each label=executable adds one more candidate (an experiment's build), measured in the same interleaved
 * rounds. The runtimes see 512 MB of memory, as a 512 MB function does on Lambda; --host-memory shows them the host's.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { workRoot } from './args.js';
import { measureIndependently } from './independent.js';

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

const present = Object.entries(candidates)
  .filter(([, executable]) => existsSync(executable))
  .map(([label, executable]) => ({ label, executable }));
if (present.length === 0) {
  console.error('No builds in bench/work: run `npm run bench` first.');
  process.exit(2);
}

const hostMemory = args.includes('--host-memory');
const results = await measureIndependently(
  present.map((c) => ({ ...c, hostMemory })),
  rounds,
);
const floor = results.find((r) => r.label.startsWith('harness floor'));
console.log(
  `independent harness, ${rounds} interleaved cold starts each (medians), ${results[0]?.memory ?? ''} memory:`,
);
for (const r of results) {
  const ratio = floor && r !== floor ? `  ${(r.coldStartMs / floor.coldStartMs).toFixed(2)}x the floor` : '';
  console.log(
    `  ${r.label.padEnd(34)} cold start ${r.coldStartMs.toFixed(2)} ms  init ${r.initMs.toFixed(2)} ms  ` +
      `duration ${r.durationMs.toFixed(2)} ms${ratio}` +
      (r.lost > 0 ? `  (${r.lost} runs lost to the harness)` : ''),
  );
}
