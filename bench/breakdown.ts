/**
 * Where the bytes of a NativeAOT executable go, from ILC's map file (IlcGenerateMapFile=true): native code
 * per assembly, from the mangled names (`System_Net_Http_System_Net_Http_...` is assembly System.Net.Http),
 * and the other node kinds (type descriptors, dehydrated data, GC info...) as totals.
 */
import { readFileSync } from 'node:fs';

export interface Breakdown {
  totalBytes: number;
  codeByAssembly: { assembly: string; bytes: number }[];
  byKind: { kind: string; bytes: number }[];
}

/** The assembly part of a mangled name: everything before the first namespace-like segment. */
const assemblyOf = (name: string): string => {
  const bare = name.replace(/^_ZTV\d+/, '').replace(/^&lt;Boxed&gt;/, '');
  const match = /^(.*?)_(?:System|Microsoft|Internal|Interop|Windows|__)/.exec(bare);
  const mangled = match?.[1] || bare;
  return mangled.replace(/^S_P_/, 'System.Private.').replaceAll('_', '.');
};

export function breakdown(mapXml: string): Breakdown {
  const text = readFileSync(mapXml, 'utf8');
  const code = new Map<string, number>();
  const kinds = new Map<string, number>();
  let totalBytes = 0;
  for (const m of text.matchAll(/<(\w+) Name="([^"]*)" Length="(\d+)"/g)) {
    const [, kind = '', name = '', length = '0'] = m;
    const bytes = Number(length);
    totalBytes += bytes;
    kinds.set(kind, (kinds.get(kind) ?? 0) + bytes);
    if (kind === 'MethodCode') code.set(assemblyOf(name), (code.get(assemblyOf(name)) ?? 0) + bytes);
  }
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
  return {
    totalBytes,
    codeByAssembly: sorted(code).map(([assembly, bytes]) => ({ assembly, bytes })),
    byKind: sorted(kinds).map(([kind, bytes]) => ({ kind, bytes })),
  };
}
