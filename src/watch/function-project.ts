/**
 * The function project a development server builds: found from a folder (a generated project's .yo-rc.json,
 * else the one csproj under src/ or in the folder) or named directly by its csproj.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { XMLParser } from 'fast-xml-parser';

export interface FunctionProject {
  /** The folder given (or the csproj's folder). */
  readonly root: string;
  readonly csproj: string;
  /** The name the Invoke API answers to: the generated project's name, else the csproj's. */
  readonly name: string;
  /** AssemblyName: the executable's file name. */
  readonly assemblyName: string;
  /** The generator's template, when the project was generated (http-api and webapi get the HTTP front door). */
  readonly template?: string;
}

export class ProjectNotFoundError extends Error {}

const generatorKey = 'generator-aot-lambda';

function csprojsIn(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.csproj'))
        .map((f) => join(dir, f))
    : [];
}

function subfolders(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => join(dir, d.name))
    : [];
}

/** A property of the csproj's PropertyGroups (the last one set wins, as in MSBuild). */
export function csprojProperty(csproj: string, name: string): string | undefined {
  const parsed = new XMLParser({ ignoreAttributes: true, isArray: (tag) => tag === 'PropertyGroup' }).parse(
    readFileSync(csproj, 'utf8'),
  ) as { Project?: { PropertyGroup?: Array<Record<string, unknown>> } };
  const values = (parsed.Project?.PropertyGroup ?? [])
    .map((group) => group[name])
    .filter((value): value is string | number => typeof value === 'string' || typeof value === 'number');
  return values.length > 0 ? String(values[values.length - 1]).trim() : undefined;
}

function storedSettings(root: string): { name?: string; template?: string } | undefined {
  const file = join(root, '.yo-rc.json');
  if (!existsSync(file)) return undefined;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as Record<string, { name?: string; template?: string }>)[
      generatorKey
    ];
  } catch {
    return undefined;
  }
}

export function findFunctionProject(target = '.'): FunctionProject {
  const path = resolve(target);
  if (!existsSync(path)) throw new ProjectNotFoundError(`${target} does not exist`);
  const isCsproj = statSync(path).isFile() && path.endsWith('.csproj');
  const root = isCsproj ? dirname(path) : path;
  const settings = isCsproj ? undefined : storedSettings(root);
  let csproj: string | undefined = isCsproj ? path : undefined;
  if (!csproj && settings?.name) {
    const generated = join(root, 'src', settings.name, `${settings.name}.csproj`);
    if (existsSync(generated)) csproj = generated;
  }
  if (!csproj) {
    const candidates = [...csprojsIn(root), ...subfolders(join(root, 'src')).flatMap(csprojsIn)];
    if (candidates.length !== 1) {
      throw new ProjectNotFoundError(
        candidates.length === 0
          ? `no function project in ${root}: run this in a generated project's folder, or name the function's .csproj`
          : `${candidates.length} projects in ${root} (${candidates.map((c) => basename(c)).join(', ')}): name the function's .csproj`,
      );
    }
    csproj = candidates[0] as string;
  }
  const projectName = basename(csproj, '.csproj');
  return {
    root,
    csproj,
    name: settings?.name ?? projectName,
    assemblyName: csprojProperty(csproj, 'AssemblyName') ?? projectName,
    template: settings?.template,
  };
}
