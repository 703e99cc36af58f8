/**
 * A quick single measurement, when the full bench (`npm run bench`) is too long: cold starts of two already
 * published builds of one project, alternating, through the Runtime API emulator with 512 MB, with events/event.json.
 *   node --import tsx bench/quick.ts <project dir> [rounds]     (expects <dir>/out/bootstrap and <dir>/outjit/bootstrap)
 * The NativeAOT build is `dotnet publish -c Release -o out`; the JIT one adds
 * `-o outjit -p:PublishAot=false --self-contained false`, as bench/modes.ts does.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startRuntimeApi } from '../src/emulator/index.js';

const dir = process.argv[2];
const rounds = Number(process.argv[3] ?? 5);
if (!dir || !Number.isInteger(rounds) || rounds < 1) {
  console.error('usage: node --import tsx bench/quick.ts <project dir> [rounds]');
  process.exit(2);
}
const event = readFileSync(join(dir, 'events', 'event.json'), 'utf8');
const builds = { NativeAOT: join(dir, 'out', 'bootstrap'), JIT: join(dir, 'outjit', 'bootstrap') };
const samples = new Map<string, { cold: number[]; init: number[]; rss: number[] }>();
const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

for (let round = 0; round < rounds; round++) {
  for (const [label, executable] of Object.entries(builds)) {
    const api = await startRuntimeApi({ executable, output: 'capture', timeoutSeconds: 60, memoryMb: 512 });
    try {
      const result = await api.invoke(event);
      if (result.outcome !== 'success') throw new Error(`${label}: ${result.outcome} ${result.payload}`);
      const s = samples.get(label) ?? { cold: [], init: [], rss: [] };
      s.cold.push(result.coldStartMs ?? NaN);
      s.init.push(result.initDurationMs ?? NaN);
      s.rss.push(result.maxMemoryUsedMb);
      samples.set(label, s);
    } finally {
      await api.close();
    }
  }
}
for (const [label, s] of samples) {
  console.log(
    `${label}: cold start median ${median(s.cold).toFixed(1)} ms (${s.cold.map((x) => x.toFixed(0)).join(' ')}), ` +
      `init ${median(s.init).toFixed(1)} ms, max memory ${median(s.rss)} MB, executable ${(statSync(builds[label as keyof typeof builds]).size / 1048576).toFixed(2)} MB`,
  );
}
