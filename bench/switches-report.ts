/** switches.md: the switch study as tables, with the size breakdown of the generated build. */
import type { Breakdown } from './breakdown.js';
import type { Difference } from './stats.js';
import { findings } from './switches-findings.js';
import { mib, spread, type ColdSummary, type Conditions, type Sizes, type WarmSummary } from './results.js';

export interface ErrorSample {
  errorType: string;
  errorMessage: string;
  stackFrames: number;
  firstFrame: string;
}

export interface SetResult {
  id: string;
  description: string;
  properties: Record<string, string>;
  /** ILC arguments added (+) or dropped (-) against `before`: proof that the switches reached ILC. */
  ilcDelta: string[];
  warnings: string[];
  sizes: Sizes;
  /** The executable did not answer the sample event: why. */
  broken?: string;
  cold?: ColdSummary;
  /** Cold start minus `before`'s, paired by round. */
  coldDeltaMs?: Difference;
  warm?: WarmSummary;
  error?: ErrorSample;
}

const kib = (bytes: number) => `${bytes < 0 ? '−' : '+'}${(Math.abs(bytes) / 1024).toFixed(0)} KiB`;
const signed = (v: number) => `${v < 0 ? '−' : '+'}${Math.abs(v).toFixed(1)}`;
const difference = (d: Difference) => `${signed(d.median)} (${signed(d.lo)} to ${signed(d.hi)})`;
const cell = (text: string) => text.replaceAll('|', '\\|');

export function switchesMarkdown(c: Conditions, results: readonly SetResult[], map?: Breakdown): string {
  const ref = results.find((r) => r.id === 'before');
  const lines = [
    '# Size and speed switches: hello, built-in client, NativeAOT',
    '',
    `${c.date.slice(0, 10)} · \`${c.command}\` · ${c.machine.cores} × ${c.machine.cpu} · .NET SDK ${c.machine.dotnetSdk} (runtime ${c.machine.dotnetRuntime}) · load (1-min average) ${c.load.atStart.toFixed(2)} when measuring began, ${c.load.during.min.toFixed(2)}–${c.load.during.max.toFixed(2)} (mean ${c.load.during.mean.toFixed(2)}) during, the bench's own runtime included; paused ${c.load.pausedSeconds} s between rounds for others' work · ${c.coldRounds} cold starts and ${c.warmInvocations} warm invocations per set, ${c.order} · AWS_LAMBDA_FUNCTION_MEMORY_SIZE=${c.memoryMb}.`,
    '',
    'Cells: median (p10–p90). Δ: against `before`, the csproj before this study; for cold start, the median of the differences paired by round, with its 95% bootstrap interval (an interval that contains 0 means no measurable difference). Error: what the caller gets when the handler throws (hello given an object instead of a string).',
    '',
    '| Set | Executable | Δ | Zip | Δ | Cold start ms | Δ ms (95% CI) | Init ms | Peak RSS MiB | Warm ms | Stack frames | Error message |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const sizes = `${mib(r.sizes.executableBytes)} | ${ref ? kib(r.sizes.executableBytes - ref.sizes.executableBytes) : ''} | ${mib(r.sizes.zipBytes)} | ${ref ? kib(r.sizes.zipBytes - ref.sizes.zipBytes) : ''}`;
    if (r.broken) {
      lines.push(`| \`${r.id}\` | ${sizes} | **broken**: ${cell(r.broken.slice(0, 160))} |||||||`);
      continue;
    }
    lines.push(
      `| \`${r.id}\` | ${sizes} | ${r.cold ? spread(r.cold.coldStartMs) : ''} | ${r.coldDeltaMs ? difference(r.coldDeltaMs) : ''} | ${r.cold ? spread(r.cold.initMs) : ''} | ${r.cold ? spread(r.cold.peakRssMb) : ''} | ${r.warm ? r.warm.durationMs.median.toFixed(3) : ''} | ${r.error?.stackFrames ?? ''} | ${cell((r.error?.errorMessage ?? '').slice(0, 70))} |`,
    );
  }
  const conclusions = findings(results);
  if (conclusions.length > 0) {
    lines.push(
      '',
      '## Findings, and the defaults chosen',
      '',
      'No switch moved the cold start by more than about 1 ms, inside the spread of a local process start (with this many comparisons, an interval or two that just misses 0 is expected by chance). So the defaults are chosen on size, memory and what an error report keeps:',
      '',
      ...conclusions.map((f) => `- ${f}`),
    );
  }
  lines.push('', '## The sets, and what reached the compiler', '');
  for (const r of results) {
    const props = Object.entries(r.properties)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    lines.push(`- \`${r.id}\`: ${r.description}. Effective: ${props || '(none)'}.`);
    if (r.ilcDelta.length > 0) lines.push(`  ILC arguments against \`before\`: \`${r.ilcDelta.join(' ')}\``);
    else if (r.id !== 'before') lines.push('  ILC arguments: identical to `before`.');
    if (r.error)
      lines.push(`  First stack frame of the handler error: \`${r.error.firstFrame || '(none)'}\``);
    if (r.warnings.length > 0) lines.push(`  Warnings: ${r.warnings.join('; ')}`);
  }
  if (map) {
    lines.push(
      '',
      '## Where the bytes of the generated executable go',
      '',
      `From ILC's map file of \`as-generated\` (IlcGenerateMapFile=true): ${(map.totalBytes / 1024).toFixed(0)} KiB of compiled managed code and data; the native runtime (GC, libSystem.Native) is linked on top.`,
      '',
      '| Native code of assembly | KiB |',
      '|---|---|',
      ...map.codeByAssembly.slice(0, 15).map((a) => `| ${a.assembly} | ${(a.bytes / 1024).toFixed(0)} |`),
      '',
      '| Node kind (all assemblies) | KiB |',
      '|---|---|',
      ...map.byKind.slice(0, 8).map((k) => `| ${k.kind} | ${(k.bytes / 1024).toFixed(0)} |`),
    );
  }
  return `${lines.join('\n')}\n`;
}
