import { xml } from '../render/escape.js';
import type { ReflectionType } from '../spec.js';

/** rd.xml keeping the listed types for reflection, grouped by assembly (whole assemblies would bloat the binary). */
export function renderRdXml(types: readonly ReflectionType[], eol = '\n'): string {
  const byAssembly = new Map<string, string[]>();
  for (const t of types) byAssembly.set(t.assembly, [...(byAssembly.get(t.assembly) ?? []), t.type]);
  const lines = [
    '<Directives xmlns="http://schemas.microsoft.com/netfx/2013/01/metadata">',
    '  <!-- Types NativeAOT must keep for reflection (added by aot-lambda convert from --reflection-types). -->',
    '  <Application>',
    ...[...byAssembly].flatMap(([assembly, names]) => [
      `    <Assembly Name="${xml(assembly)}">`,
      ...names.map((n) => `      <Type Name="${xml(n)}" Dynamic="Required All" />`),
      '    </Assembly>',
    ]),
    '  </Application>',
    '</Directives>',
  ];
  return lines.join(eol) + eol;
}
