/**
 * The function's architecture and runtime as its project says them, for a bootstrap or zip that lies inside
 * a generated or converted project: the nearest folder up from the file with this generator's .yo-rc.json,
 * or with one csproj that sets RuntimeIdentifier, or Amazon.Lambda.Tools' aws-lambda-tools-defaults.json beside it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { architectures } from '../catalog/architectures.js';
import { readStoredSettings } from '../stored-settings.js';
import { csprojProperty } from '../watch/function-project.js';

export interface ProjectSettings {
  architecture?: string;
  runtime?: string;
  /** The file the values came from, named in the report. */
  source: string;
}

/** Folders walked up at most: a publish folder sits about 7 below its project (src/X/bin/Release/net10.0/rid/publish). */
const MAX_LEVELS = 12;

export function settingsFrom(target: string): ProjectSettings | undefined {
  const start = resolve(target);
  let dir = isFolder(start) ? start : dirname(start);
  for (let level = 0; level < MAX_LEVELS; level++) {
    const found = fromYoRc(dir) ?? fromCsproj(dir);
    if (found) return found;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

function fromYoRc(dir: string): ProjectSettings | undefined {
  const stored = readStoredSettings(dir);
  if (!stored || (stored.architecture === undefined && stored.runtime === undefined)) return undefined;
  return { architecture: stored.architecture, runtime: stored.runtime, source: join(dir, '.yo-rc.json') };
}

function fromCsproj(dir: string): ProjectSettings | undefined {
  const csprojs = safeList(dir).filter((name) => name.endsWith('.csproj'));
  if (csprojs.length !== 1) return undefined; // none, or several: no one project speaks for the file
  const csproj = join(dir, csprojs[0] as string);
  let rid: string | undefined;
  try {
    rid = csprojProperty(csproj, 'RuntimeIdentifier');
  } catch {
    rid = undefined; // not XML: the csproj says nothing doctor can use
  }
  const defaults = toolsDefaults(dir);
  const architecture = architectures.find((a) => a.rid === rid)?.id ?? defaults['function-architecture'];
  const runtime = defaults['function-runtime'];
  if (architecture === undefined && runtime === undefined) return undefined;
  const source =
    rid !== undefined && architecture !== undefined ? csproj : join(dir, 'aws-lambda-tools-defaults.json');
  return { architecture, runtime, source };
}

/** The string settings of Amazon.Lambda.Tools' defaults file, which convert and the generator both write. */
function toolsDefaults(dir: string): Record<string, string | undefined> {
  const file = join(dir, 'aws-lambda-tools-defaults.json');
  if (!existsSync(file)) return {};
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const text = (key: string) => {
      const value = parsed[key];
      return typeof value === 'string' && value !== '' ? value : undefined;
    };
    return {
      'function-architecture': text('function-architecture'),
      'function-runtime': text('function-runtime'),
    };
  } catch {
    return {};
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
