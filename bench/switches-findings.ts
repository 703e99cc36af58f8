/**
 * The conclusions of the switch study, each computed from the measured sets it compares, so the prose in
 * switches.md cannot drift from its own table. A finding whose sets are missing (or broken) is left out.
 */
import type { SetResult } from './switches-report.js';

const kib = (bytes: number) => `${bytes < 0 ? '−' : '+'}${(Math.abs(bytes) / 1024).toFixed(0)} KiB`;
const ms = (v: number) => `${v < 0 ? '−' : '+'}${Math.abs(v).toFixed(1)}`;

export function findings(results: readonly SetResult[]): string[] {
  const by = new Map(results.map((r) => [r.id, r]));
  const sizes = (a: string, b: string) => {
    const x = by.get(a);
    const y = by.get(b);
    return x && y
      ? `${kib(x.sizes.executableBytes - y.sizes.executableBytes)} executable, ${kib(x.sizes.zipBytes - y.sizes.zipBytes)} zipped`
      : undefined;
  };
  const cold = (id: string) => {
    const d = by.get(id)?.coldDeltaMs;
    return d
      ? `cold start ${ms(d.median)} ms (95% CI ${ms(d.lo)} to ${ms(d.hi)}) against \`before\``
      : 'cold start not measured';
  };
  const rss = (a: string, b: string) => {
    const x = by.get(a)?.cold?.peakRssMb.median;
    const y = by.get(b)?.cold?.peakRssMb.median;
    return x !== undefined && y !== undefined ? `peak RSS ${y.toFixed(1)} → ${x.toFixed(1)} MiB` : '';
  };
  const frame = (id: string) => by.get(id)?.error?.firstFrame ?? '';
  const message = (id: string) => by.get(id)?.error?.errorMessage.slice(0, 60) ?? '';
  const out: (string | false)[] = [
    by.has('size') &&
      by.has('before') &&
      `**OptimizationPreference=Size** — chosen. Against Speed (\`before\`): ${sizes('size', 'before')}, ${rss('size', 'before')}, ${cold('size')}. Speed's profile-guided code has nothing to speed up in a cold start that runs one event; the bytes are real.`,
    by.has('size+messages') &&
      `**UseSystemResourceKeys=false** (full messages) — chosen. Against \`size\`: ${sizes('size+messages', 'size')}. Resource keys buy no measurable size here, and they turn messages into keys: "${message('size')}…" instead of "${message('size+messages')}…".`,
    by.has('blended') &&
      by.has('sdk-defaults') &&
      `**EventSourceSupport, DebuggerSupport, MetricsSupport, HttpActivityPropagationSupport, EnableUnsafeUTF7Encoding=false** — kept. Together (\`blended\` against \`sdk-defaults\`, both without OptimizationPreference): ${sizes('blended', 'sdk-defaults')}; nothing a Lambda function needs.`,
    by.has('size+no-stacktrace-support') &&
      `**StackTraceSupport=false** — not chosen; the csproj names it as an opt-in. Against \`size\`: ${sizes('size+no-stacktrace-support', 'size')}, ${cold('size+no-stacktrace-support')}. The stackTrace array stays non-empty (the e2e tests' assertion holds), but its frames become \`${frame('size+no-stacktrace-support')}\`: readable only with bootstrap.dbg and addr2line. With it (\`lean\`) the zip target is met, the executable one still is not.`,
    by.has('size+no-stacktrace-data') &&
      `**IlcGenerateStackTraceData=false** — no effect on .NET 10: ILC got the same arguments as \`size\` (${sizes('size+no-stacktrace-data', 'size')}); the ILCompiler targets now derive --stacktracedata from StackTraceSupport alone.`,
    by.has('size+fold') &&
      `**IlcFoldIdenticalMethodBodies=true** — not chosen. Against \`size\`: ${sizes('size+fold', 'size')}; folded bodies can make a stack frame name a different method with the same code, a poor trade for the one diagnostic a Lambda error carries. (StackTraceSupport=false turns it on anyway.)`,
    by.has('size+trim-partial') &&
      `**TrimMode=partial** — not for the built-in client. Against \`size\` (full): ${sizes('size+trim-partial', 'size')}. Partial exists for libraries that are not trim-safe (the RuntimeSupport client keeps it).`,
    by.has('size+no-concurrent-gc') &&
      `**ConcurrentGarbageCollection=false** — no measurable effect. Against \`size\`: ${sizes('size+no-concurrent-gc', 'size')}, ${rss('size+no-concurrent-gc', 'size')}; ${cold('size+no-concurrent-gc')}, where \`size\` itself has ${cold('size')}. The background GC thread is created on first use, which a short function never reaches.`,
    by.has('size+autorelease-off') &&
      `**AutoreleasePoolSupport=false** — a macOS switch: ILC arguments identical to \`size\` (${sizes('size+autorelease-off', 'size')}). **UseNativeHttpHandler** likewise applies to iOS/Android only and was not built.`,
    by.has('size+no-dehydrate') &&
      `**IlcDehydrate=false** — not chosen: ${sizes('size+no-dehydrate', 'size')} against \`size\` for ${cold('size+no-dehydrate')}; rehydrating the runtime's data at start-up costs nothing measurable.`,
    by.has('lean+no-scan-reflection') &&
      `**IlcScanReflection=false** — unsafe: ${by.get('lean+no-scan-reflection')?.broken ? `the build succeeds without a warning, and the executable then fails its init (${by.get('lean+no-scan-reflection')?.broken?.slice(0, 120)}…)` : 'it answered here, but relies on no code needing reflection heuristics'}.`,
    by.has('lean+invariant-timezone') &&
      `**InvariantTimezone=true** — not chosen: against \`lean\`, ${sizes('lean+invariant-timezone', 'lean')}, and every TimeZoneInfo lookup but UTC fails: a behaviour change, not a size switch.`,
    by.has('before-socket-client') &&
      by.has('as-generated') &&
      `**Not a switch: the HTTP stack.** The built-in client speaks HTTP/1.1 over one Socket (templates/client/minimal/Runtime/RuntimeApiClient.cs.ejs). Its predecessor on HttpClient (\`before-socket-client\`, bench/experiments/HttpClientRuntimeApiClient.cs) brought SocketsHttpHandler's TLS stack (System.Net.Security, System.Security.Cryptography, System.Formats.Asn1, System.Runtime.Numerics) that a plain-HTTP loopback API never uses: as generated now, against it, ${sizes('as-generated', 'before-socket-client')}, ${rss('as-generated', 'before-socket-client')}, ${cold('as-generated')}.`,
  ];
  return out.filter((line): line is string => typeof line === 'string');
}
