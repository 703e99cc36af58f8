/**
 * The quick start's main job, end to end on this machine: scaffold a function with the bin, and where the .NET
 * SDK and clang are present, test it, publish it NativeAOT, check it with `doctor` and invoke it locally.
 *   npm run demo [-- <dir> [extra `new` flags]]     default: .tmp/demo/Hello with the built-in client
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { completeSettings } from '../src/settings.js';
import { buildSpec } from '../src/spec.js';
import { readStoredSettings } from '../src/stored-settings.js';
import { findExecutable } from '../src/tools.js';

const [dirArg, ...extra] = process.argv.slice(2);
const parent = resolve(dirArg ?? '.tmp/demo');
const name = 'Hello';
const project = join(parent, name);
const bin = resolve(import.meta.dirname, '../src/cli/main.ts');

function step(title: string, command: string, args: string[], cwd: string): void {
  console.log(`\n=== ${title}\n$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`demo: '${title}' failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

// tsx by absolute URL, so the bin runs from any working directory.
const aotLambda = (args: string[]): [string, string[]] => [
  process.execPath,
  ['--import', import.meta.resolve('tsx'), bin, ...args],
];

rmSync(project, { recursive: true, force: true });
mkdirSync(parent, { recursive: true });
step(
  'scaffold',
  ...aotLambda(['new', name, '--yes', '--skip-install', '--client', 'minimal', ...extra]),
  parent,
);

const missing = ['dotnet', 'clang'].filter((tool) => !findExecutable(tool));
if (missing.length > 0) {
  console.log(`\ndemo: scaffolded ${project}; skipped build and invoke: ${missing.join(', ')} not on PATH.`);
  process.exit(0);
}
// The paths the project was generated with, from the settings `new` stored in its .yo-rc.json.
const spec = buildSpec(completeSettings(readStoredSettings(project) ?? {}));
step('unit tests', 'dotnet', ['test', spec.artifacts.solution, '--nologo', '-v', 'q'], project);
step('NativeAOT publish', 'bash', ['scripts/build.sh', '--local'], project);
const executable = join(project, spec.artifacts.executable);
if (!existsSync(executable)) throw new Error(`${executable} was not produced`);
step('doctor', ...aotLambda(['doctor', executable]), project);
step(
  'invoke (cold, then warm)',
  ...aotLambda(['invoke', executable, '--event', 'events/event.json', '--repeat', '2']),
  project,
);
console.log(`\ndemo: done. The project is in ${project}.`);
