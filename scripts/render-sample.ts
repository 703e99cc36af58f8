#!/usr/bin/env -S node --import tsx
// Renders a whole generated project from the real spec and templates, without Yeoman, into a folder:
//   npx tsx scripts/render-sample.ts --out /tmp/x [--name Sample] [--template typed] [--client minimal]
//     [--framework net10.0] [--architecture x86_64] [--runtime provided.al2023] [--json-types "A,List<A>"]
//     [--reflection-types "Asm!Ns.Type"] [--packaging zip]
// It is the proof harness for the C#/MSBuild templates (build, test, publish and run the output with the SDK).
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { renderProject, writeProject } from '../src/render/render-project.js';
import { completeSettings, settingsTable, type SettingKey } from '../src/settings.js';
import { buildSpec } from '../src/spec.js';

const settingOptions = Object.fromEntries(settingsTable.map((s) => [s.flag, { type: 'string' as const }]));
const { values } = parseArgs({
  options: { ...settingOptions, out: { type: 'string' }, clean: { type: 'boolean' } },
  strict: true,
});
if (!values.out) {
  console.error('usage: render-sample.ts --out DIR [--name N] [--template T] [--client C] ... [--clean]');
  process.exit(2);
}

const given: Partial<Record<SettingKey, string>> = { name: 'Sample' };
for (const setting of settingsTable) {
  const value = (values as Record<string, string | boolean | undefined>)[setting.flag];
  if (typeof value === 'string') given[setting.key] = value;
}
const spec = buildSpec(completeSettings(given));
const out = resolve(values.out);
if (values.clean) rmSync(out, { recursive: true, force: true });
writeProject(out, renderProject(spec));
for (const warning of spec.warnings) console.error(`warning: ${warning}`);
console.log(
  `${out}: ${spec.name} (${spec.template.id}, ${spec.client.id}, ${spec.framework.tfm}, ${spec.architecture.id}, ${spec.runtime.id})`,
);
