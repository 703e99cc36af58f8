import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fail } from './errors.js';
import { readProjectFile } from './csproj.js';
import { readText } from './text-file.js';

/**
 * Finding the project to convert from a folder or a .csproj, and the files around it that describe the function:
 * aws-lambda-tools-defaults.json beside it, SAM/CloudFormation templates beside it or up to the solution root,
 * and the Directory.Build.props MSBuild would import.
 */
const skippedDirs = new Set(['bin', 'obj', 'node_modules', '.git', '.vs', '.idea', 'artifacts', '.aws-sam']);
export const templateNames = ['template.yaml', 'template.yml', 'serverless.template'] as const;

/** The .csproj files in `dir` and up to `depth` folders below it (build output and hidden folders skipped). */
export function listProjects(dir: string, depth: number): string[] {
  if (depth < 0) return [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.sort().flatMap((entry) => {
    const path = join(dir, entry);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return [];
    }
    // A folder named X.csproj is a folder: looked into like any other, never read as a project.
    if (entry.endsWith('.csproj') && stat.isFile()) return [path];
    if (skippedDirs.has(entry) || entry.startsWith('.')) return [];
    return stat.isDirectory() ? listProjects(path, depth - 1) : [];
  });
}

/** A project that is a Lambda function and not a test project. */
function looksLikeFunction(csproj: string): boolean {
  const text = readText(csproj, relative(process.cwd(), csproj) || basename(csproj));
  if (/Microsoft\.NET\.Test\.Sdk|<IsTestProject>\s*true/i.test(text)) return false;
  return /Amazon\.Lambda\./.test(text) || existsSync(join(dirname(csproj), 'aws-lambda-tools-defaults.json'));
}

/** The .csproj to convert: the one given, the only one in the folder, or the only Lambda function below it. */
export function findProject(target: string): string {
  const path = resolve(target);
  if (!existsSync(path))
    fail(`No such file or folder: ${target}. Pass the folder or .csproj of a Lambda project.`);
  const stat = statSync(path);
  if (!stat.isFile() && !stat.isDirectory())
    fail(`${target} is neither a file nor a folder. Pass the folder or .csproj of a Lambda project.`);
  if (stat.isFile()) {
    if (!path.endsWith('.csproj'))
      fail(`${target} is not a .csproj file. Pass a project folder or its .csproj.`);
    return path;
  }
  const here = listProjects(path, 0);
  if (here.length === 1) return here[0] as string;
  const all = here.length > 1 ? here : listProjects(path, 4);
  if (all.length === 0) {
    const folders = csprojFolders(path);
    if (folders.length > 0) {
      fail(
        `${folders.join(', ')} ${folders.length > 1 ? 'are folders' : 'is a folder'}, not a project file, and no .csproj file ` +
          `was found ${path.endsWith('.csproj') ? 'in it' : `in ${target}`} or below. Pass the folder or .csproj file of a Lambda project.`,
      );
    }
    fail(
      `No .csproj found in ${target} or the folders below it. Pass the folder or .csproj of a Lambda project.`,
    );
  }
  const functions = all.filter(looksLikeFunction);
  if (functions.length === 1) return functions[0] as string;
  const listed = (functions.length > 0 ? functions : all)
    .map((p) => `  ${relative(process.cwd(), p) || basename(p)}`)
    .join('\n');
  return fail(
    `${target} holds ${functions.length > 0 ? 'several Lambda projects' : 'no project that references Amazon.Lambda.*'}:\n${listed}\n` +
      `Pass the .csproj to convert, e.g. aot-lambda convert ${relative(process.cwd(), (functions[0] ?? all[0]) as string)}.`,
  );
}

/** Folders named *.csproj at or below `path` (what a user may have taken for the project): named in the refusal. */
function csprojFolders(path: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth < 0) return;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const entry of entries.sort()) {
      if (skippedDirs.has(entry) || entry.startsWith('.')) continue;
      const child = join(dir, entry);
      if (!existsSync(child) || !statSync(child).isDirectory()) continue;
      if (entry.endsWith('.csproj')) found.push(relative(process.cwd(), child) || entry);
      walk(child, depth - 1);
    }
  };
  if (path.endsWith('.csproj')) found.push(relative(process.cwd(), path) || basename(path));
  walk(path, 4);
  return found;
}

const marksSolutionRoot = (entry: string): boolean =>
  entry.endsWith('.sln') || entry.endsWith('.slnx') || entry === '.git';

/** Folders from the project's up to the first with a .sln or .git (at most 4 up), and whether one was found. */
function walkUp(projectDir: string): { dirs: string[]; marked: boolean } {
  const dirs: string[] = [];
  let dir = projectDir;
  for (let n = 0; n < 5; n++) {
    dirs.push(dir);
    const entries = readdirSync(dir);
    if (n > 0 && entries.some(marksSolutionRoot)) return { dirs, marked: true };
    if (n === 0 && entries.includes('.git')) return { dirs, marked: true };
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return { dirs, marked: false };
}

/** Folders from the project's up to the solution root (the first folder with a .sln or .git, at most 4 up). */
export function searchRoots(projectDir: string): string[] {
  return walkUp(projectDir).dirs;
}

/**
 * The folder whose projects may reference the function: the solution root (the nearest folder with a .sln, .slnx
 * or .git, at most 4 up); without one, the folder holding `src/` when the project sits in `src/<Name>` (the
 * layout of `dotnet new` and AWS's blueprints, its tests in `test/`), else the project's own folder. Never wider:
 * convert reads and may edit what it finds there, and a folder four levels up can be a whole home directory.
 */
export function solutionRoot(projectDir: string): string {
  const { dirs, marked } = walkUp(projectDir);
  if (marked) return dirs.at(-1) as string;
  const parent = dirname(projectDir);
  return basename(parent) === 'src' ? dirname(parent) : projectDir;
}

export function findTemplates(projectDir: string): string[] {
  return searchRoots(projectDir).flatMap((dir) =>
    templateNames.map((n) => join(dir, n)).filter((p) => existsSync(p)),
  );
}

/**
 * The nearest `fileName` in the project's folder or above it, if any: the Directory.Build.props MSBuild imports,
 * the Directory.Packages.props NuGet reads.
 */
export function findNearest(projectDir: string, fileName: string): string | undefined {
  for (let dir = projectDir; ; dir = dirname(dir)) {
    const candidate = join(dir, fileName);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Properties set unconditionally by Directory.Build.props (what the project inherits unless it sets them itself). */
export function inheritedProperties(projectDir: string): {
  path: string | undefined;
  get(name: string): string | undefined;
} {
  const path = findNearest(projectDir, 'Directory.Build.props');
  if (!path) return { path, get: () => undefined };
  const props = readProjectFile(readText(path, path), path);
  return { path, get: (name) => props.property(name) };
}

/** C# files that belong to the project: below its folder, outside bin/obj and outside nested projects' folders. */
export function projectSources(projectDir: string): string[] {
  const walk = (dir: string, top: boolean): string[] => {
    const entries = readdirSync(dir).sort();
    if (!top && entries.some((e) => e.endsWith('.csproj'))) return [];
    return entries.flatMap((entry) => {
      const path = join(dir, entry);
      if (skippedDirs.has(entry) || entry.startsWith('.')) return [];
      const stat = statSync(path);
      if (stat.isDirectory()) return walk(path, false);
      return entry.endsWith('.cs') ? [path] : [];
    });
  };
  return walk(projectDir, true);
}
