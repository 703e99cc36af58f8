/**
 * The quick start's main job, end to end on this machine: scaffold a function with the bin, and where the .NET
 * SDK and clang are present, test it, publish it NativeAOT, check it with `doctor` and invoke it locally.
 *   npm run demo [-- <dir> [extra `new` flags]]     default: .tmp/demo/Hello
 * It uses the default client (Amazon.Lambda.RuntimeSupport) when its packages restore (from the machine's NuGet
 * sources, or ../shared/nuget added by a nuget.config in <dir>, outside the project), else the built-in client,
 * and says which.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultClient } from '../src/catalog/clients.js';
import { completeSettings } from '../src/settings.js';
import { buildSpec } from '../src/spec.js';
import { readStoredSettings } from '../src/stored-settings.js';
import { findExecutable } from '../src/tools.js';
import { writeNugetConfig } from '../test/helpers/nuget.js';

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

const scaffold = (flags: string[]): void => {
  rmSync(project, { recursive: true, force: true });
  step('scaffold', ...aotLambda(['new', name, '--yes', '--skip-install', ...flags, ...extra]), parent);
};
const clientChosen = extra.includes('--client');

mkdirSync(parent, { recursive: true });
const nugetSkip = writeNugetConfig(parent);
scaffold([]);

const missing = ['dotnet', 'clang'].filter((tool) => !findExecutable(tool));
if (missing.length > 0) {
  console.log(`\ndemo: scaffolded ${project}; skipped build and invoke: ${missing.join(', ')} not on PATH.`);
  process.exit(0);
}
if (!clientChosen) {
  console.log(`\n=== restore (default client: ${defaultClient})`);
  const restore = spawnSync('dotnet', ['restore', '--nologo'], { cwd: project, encoding: 'utf8' });
  if (restore.status === 0) {
    console.log(`demo: using the default client, ${defaultClient}: its packages restored.`);
  } else {
    const missingPackages = [...new Set(restore.stdout.match(/Unable to find package [\w.]+/g) ?? [])];
    console.log(
      `demo: using the built-in client (--client minimal): the default client's packages did not restore ` +
        `(${missingPackages.join('; ') || 'dotnet restore failed'}${nugetSkip ? `; ${nugetSkip}` : ''}).`,
    );
    scaffold(['--client', 'minimal']);
  }
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
console.log(`\ndemo: done, with the ${spec.client.id} client. The project is in ${project}.`);
