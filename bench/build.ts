/**
 * Scaffolds generated projects with the bin, and publishes copies of them in each mode. Publishing is the
 * slow part (minutes for NativeAOT on two cores), so a build is cached under bench/work/builds and reused
 * while the generated sources, the publish arguments and the SDK are unchanged.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { binArgs } from '../test/bin/run-bin.js';
import { dotnet, run, tail, unavailablePackages } from '../test/e2e/dotnet.js';
import { writeNugetConfig } from '../test/helpers/nuget.js';
import { workRoot } from './args.js';
import { modeSpec, type Mode } from './modes.js';
import { verifyBuild } from './verify.js';

export interface Project {
  template: string;
  client: string;
  name: string;
  /** The scaffolded project folder (solution root). */
  dir: string;
}

/** Scaffolds `template` with `client` through the bin, as a user would (net10.0, provided.al2023). */
export async function scaffold(template: string, client: string): Promise<Project> {
  const name = `Bench${template[0]?.toUpperCase()}${template.slice(1)}`;
  const parent = join(workRoot, 'scaffold', `${template}-${client}`);
  rmSync(parent, { recursive: true, force: true });
  mkdirSync(parent, { recursive: true });
  const args = ['--template', template, '--client', client, '--framework', 'net10.0'];
  const result = await run(
    process.execPath,
    [...binArgs, 'new', name, '--yes', '--skip-install', ...args],
    parent,
  );
  if (result.status !== 0)
    throw new Error(`scaffolding ${template}/${client} failed:\n${tail(result.output)}`);
  return { template, client, name, dir: join(parent, name) };
}

/** MSBuild properties to set in the copy's csproj; `null` removes the property (the SDK default applies). */
export type Properties = Readonly<Record<string, string | null>>;

export interface BuildRequest {
  project: Project;
  mode: Mode;
  /** Folder name under bench/work/builds. */
  id: string;
  properties?: Properties;
  /** Files of the function project to replace, by path under src/<Name> (what-if experiments). */
  files?: Readonly<Record<string, string>>;
  rebuild?: boolean;
}

export interface Built {
  status: 'built';
  dir: string;
  outDir: string;
  /** The published executable (the apphost for JIT and ReadyToRun). */
  executable: string;
  command: string;
  publishSeconds: number;
  cached: boolean;
  checks: string[];
  ilcArgs: string[];
  /** Trim/AOT warnings (ILxxxx) the publish printed. */
  warnings: string[];
}

export interface NotBuilt {
  status: 'not measured';
  reason: string;
}

interface BuildRecord extends Omit<Built, 'cached' | 'dir' | 'outDir' | 'executable'> {
  key: string;
}

export async function build(request: BuildRequest): Promise<Built | NotBuilt> {
  const { project, mode } = request;
  const args = ['publish', join('src', project.name, `${project.name}.csproj`), '-c', 'Release', '-o', 'out'];
  args.push(...modeSpec(mode).publishArgs);
  const dir = join(workRoot, 'builds', request.id);
  const outDir = join(dir, 'out');
  const executable = join(outDir, 'bootstrap');
  const key = hashOf(project, args, request.properties ?? {}, request.files ?? {}, await sdkVersion());
  const recordFile = join(dir, 'build.json');
  if (!request.rebuild && existsSync(recordFile) && existsSync(executable)) {
    const record = JSON.parse(readFileSync(recordFile, 'utf8')) as BuildRecord;
    if (record.key === key) return { ...record, status: 'built', dir, outDir, executable, cached: true };
  }

  rmSync(dir, { recursive: true, force: true });
  // Only the function project: the test project is not published, and a copy keeps each mode's obj/ apart.
  cpSync(join(project.dir, 'src', project.name), join(dir, 'src', project.name), { recursive: true });
  const csproj = join(dir, 'src', project.name, `${project.name}.csproj`);
  if (request.properties)
    writeFileSync(csproj, setProperties(readFileSync(csproj, 'utf8'), request.properties));
  for (const [path, text] of Object.entries(request.files ?? {})) {
    writeFileSync(join(dir, 'src', project.name, path), text);
  }
  // The Amazon.Lambda packages (RuntimeSupport, ASP.NET Core hosting) from ../shared/nuget where it exists, as
  // the tests get them; without it the restore fails and the variant is reported as not measured.
  writeNugetConfig(dir);

  const publish = await dotnet(args, dir);
  if (publish.status !== 0) {
    // The one expected failure: packages this machine's NuGet sources lack (Amazon.Lambda.* here).
    const missing = unavailablePackages(publish.output);
    if (missing.length > 0) {
      return {
        status: 'not measured',
        reason: `restore failed: NuGet sources do not serve ${missing.join(', ')}`,
      };
    }
    throw new Error(`publish of ${request.id} failed:\n${tail(publish.output)}`);
  }
  const warnings = [...new Set(publish.output.match(/warning IL\d{4}[^\r\n]*/g) ?? [])];
  const { checks, ilcArgs } = verifyBuild(mode, join(dir, 'src', project.name), outDir, 'bootstrap');
  const record: BuildRecord = {
    key,
    status: 'built',
    command: `dotnet ${args.join(' ')}`,
    publishSeconds: publish.seconds,
    checks,
    ilcArgs,
    warnings,
  };
  writeFileSync(recordFile, `${JSON.stringify(record, null, 2)}\n`);
  return { ...record, status: 'built', dir, outDir, executable, cached: false };
}

/**
 * Sets properties in a copy of the generated csproj: each is removed where it stands, and the ones with a
 * value are written in a PropertyGroup at the end (where they would win anyway: MSBuild's last write wins).
 */
export function setProperties(csproj: string, properties: Properties): string {
  let text = csproj;
  for (const name of Object.keys(properties)) {
    text = text.replace(new RegExp(`^[ \\t]*<${name}>[^<]*</${name}>[ \\t]*\\r?\\n`, 'gm'), '');
  }
  const lines = Object.entries(properties)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([name, value]) => `    <${name}>${value}</${name}>`);
  if (lines.length === 0) return text;
  const group = `  <PropertyGroup Label="bench">\n${lines.join('\n')}\n  </PropertyGroup>\n\n`;
  return text.replace(/<\/Project>\s*$/, `${group}</Project>\n`);
}

/**
 * What a build depends on: the project's sources with the properties applied, the publish arguments and the
 * SDK. The csproj counts without its comments, so rewording them (or the template's values of switches a
 * set overrides anyway) does not throw away minutes of cached NativeAOT builds.
 */
function hashOf(
  project: Project,
  args: readonly string[],
  properties: Properties,
  files: Readonly<Record<string, string>>,
  sdk: string,
): string {
  const hash = createHash('sha256');
  const src = join(project.dir, 'src');
  const csproj = join(src, project.name, `${project.name}.csproj`);
  const projectDir = join(src, project.name);
  for (const file of listFiles(src)) {
    hash.update(relative(src, file));
    const replaced = files[relative(projectDir, file)];
    if (replaced !== undefined) hash.update(replaced);
    else if (file !== csproj) hash.update(readFileSync(file));
    else hash.update(withoutComments(setProperties(readFileSync(file, 'utf8'), properties)));
  }
  hash.update(JSON.stringify({ args, sdk }));
  return hash.digest('hex');
}

function withoutComments(xml: string): string {
  return xml
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

let sdk: Promise<string> | undefined;

function sdkVersion(): Promise<string> {
  sdk ??= dotnet(['--version'], process.cwd()).then((r) => r.output.trim());
  return sdk;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !(e.isDirectory() && (e.name === 'bin' || e.name === 'obj')))
    .flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}
