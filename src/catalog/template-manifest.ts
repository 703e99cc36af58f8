import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isCSharpIdentifier } from '../csharp/keywords.js';
import { parseTypeName, TypeNameError } from '../csharp/type-names.js';

/**
 * The layout of a function template, built-in or from a starter kit: a folder holding this manifest and the
 * EJS files it names. The built-in templates (templates/function/<id>/) use the same layout, so every test of
 * a built-in template also proves the layout.
 */
export const manifestFileName = 'aot-lambda-template.json';

/** One file a template contributes: `from` is relative to the template folder, `to` to the project. */
export interface TemplateFile {
  readonly from: string;
  /** `src/<file>.cs` lands in the function project, `test/<file>.cs` in the test project. */
  readonly to: string;
}

export interface FunctionTemplate {
  readonly id: string;
  readonly description: string;
  /** C# type names as they appear in the handler signature. */
  readonly inputType: string;
  readonly outputType: string;
  /** Model types the template itself declares. */
  readonly modelTypes: readonly string[];
  readonly sampleEvent: unknown;
  /** What the sample event must produce: the generated tests and this project's end-to-end tests assert it. */
  readonly expectedResponse: unknown;
  readonly files: readonly TemplateFile[];
  /** Absolute folder the `files` are read from. */
  readonly root: string;
}

/** A template folder that breaks the layout: the message names the folder, what is wrong and the fix. */
export class TemplateLayoutError extends Error {}

const maxManifestBytes = 256 * 1024;
const idPattern = /^[a-z][a-z0-9-]{0,39}$/;
const destinationPattern = /^(src|test)\/([A-Za-z_][A-Za-z0-9_.-]*\/)*[A-Za-z_][A-Za-z0-9_.-]*\.cs$/;
/** Files the project itself writes in the function project; a template may not replace them. */
const reservedDestinations = ['src/LambdaJsonContext.cs', 'src/JsonTypes.cs'];
const reservedFolders = ['src/Runtime/', 'src/bin/', 'src/obj/', 'test/bin/', 'test/obj/'];

type Check = (value: unknown) => string | undefined;

const isString: Check = (v) => (typeof v === 'string' && v.trim() !== '' ? undefined : 'a non-empty string');
const isTypeName: Check = (v) => {
  if (typeof v !== 'string') return 'a C# type name such as "Order" or "List<Order>"';
  try {
    parseTypeName(v);
    return undefined;
  } catch (error) {
    if (error instanceof TypeNameError) return `a C# type name (${error.message})`;
    throw error;
  }
};
const present: Check = (v) => (v === undefined ? 'any JSON value' : undefined);

/** The manifest's keys and what each must hold: one table for the checks and for the error messages. */
const fields: Readonly<Record<string, { check: Check; required: boolean }>> = {
  id: {
    check: (v) =>
      typeof v === 'string' && idPattern.test(v)
        ? undefined
        : 'lower-case letters, digits and -, starting with a letter',
    required: true,
  },
  description: { check: isString, required: true },
  inputType: { check: isTypeName, required: true },
  outputType: { check: isTypeName, required: true },
  modelTypes: {
    check: (v) =>
      Array.isArray(v) && v.every((t) => typeof t === 'string' && isCSharpIdentifier(t))
        ? undefined
        : 'an array of C# identifiers',
    required: false,
  },
  sampleEvent: { check: present, required: true },
  expectedResponse: { check: present, required: true },
  files: {
    check: (v) => (Array.isArray(v) && v.length > 0 ? undefined : 'a non-empty array of { "from", "to" }'),
    required: true,
  },
};

/** Reads and checks the template in `folder`; throws TemplateLayoutError saying what breaks the layout. */
export function loadTemplateFolder(folder: string): FunctionTemplate {
  const root = resolve(folder);
  const manifestPath = join(root, manifestFileName);
  const fail = (problem: string): never => {
    throw new TemplateLayoutError(`Template ${root}: ${problem}`);
  };
  if (!existsSync(manifestPath)) {
    fail(
      `no ${manifestFileName}. A template folder holds that manifest and the .ejs files it names (see "Write a starter kit" in the README).`,
    );
  }
  const stat = lstatSync(manifestPath);
  if (!stat.isFile()) fail(`${manifestFileName} is not a regular file.`);
  if (stat.size > maxManifestBytes)
    fail(`${manifestFileName} is ${stat.size} bytes; at most ${maxManifestBytes}.`);
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    fail(`${manifestFileName} is not valid JSON (${(error as Error).message}).`);
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    fail(`${manifestFileName} must hold a JSON object.`);
  }
  const data = manifest as Record<string, unknown>;
  for (const key of Object.keys(data)) {
    if (!Object.hasOwn(fields, key))
      fail(`unknown key '${key}' in ${manifestFileName}; keys: ${Object.keys(fields).join(', ')}.`);
  }
  for (const [key, field] of Object.entries(fields)) {
    if (data[key] === undefined && !field.required) continue;
    const expected = field.check(data[key]);
    if (expected !== undefined) fail(`'${key}' in ${manifestFileName} must be ${expected}.`);
  }
  const modelTypes = (data.modelTypes as string[] | undefined) ?? [];
  const files = (data.files as unknown[]).map((entry, index) => checkFile(root, entry, index, fail));
  const destinations = files.map((f) => f.to);
  const twice = destinations.find((to, i) => destinations.indexOf(to) !== i);
  if (twice !== undefined) fail(`two files go to ${twice}.`);
  if (!destinations.some((to) => to.startsWith('src/')))
    fail('no file goes to src/: the function needs its handler.');
  if (!destinations.some((to) => to.startsWith('test/')))
    fail('no file goes to test/: the template must bring tests for its sample event.');
  return {
    id: data.id as string,
    description: data.description as string,
    inputType: data.inputType as string,
    outputType: data.outputType as string,
    modelTypes,
    sampleEvent: data.sampleEvent,
    expectedResponse: data.expectedResponse,
    files,
    root,
  };
}

function checkFile(
  root: string,
  entry: unknown,
  index: number,
  fail: (problem: string) => never,
): TemplateFile {
  const where = `files[${index}]`;
  if (typeof entry !== 'object' || entry === null)
    fail(`${where} must be { "from": "<file>.ejs", "to": "src/<file>.cs" }.`);
  const { from, to, ...rest } = entry as Record<string, unknown>;
  if (Object.keys(rest).length > 0)
    fail(`${where} has unknown keys ${Object.keys(rest).join(', ')}; only from and to.`);
  if (typeof from !== 'string' || !from.endsWith('.ejs') || isAbsolute(from)) {
    fail(`${where}.from must be a relative path to an .ejs file in the template folder.`);
  }
  const source = resolve(root, from as string);
  if (relative(root, source).startsWith('..') || !existsSync(source))
    fail(`${where}.from: ${String(from)} is not a file in the template folder.`);
  // The real path too: a symlink inside the folder must not pull in a file from elsewhere.
  if (!lstatSync(source).isFile() || !realpathSync(source).startsWith(realpathSync(root) + sep)) {
    fail(
      `${where}.from: ${String(from)} must be a regular file inside the template folder, not a link or folder.`,
    );
  }
  if (typeof to !== 'string' || !destinationPattern.test(to) || to.split('/').includes('..')) {
    fail(
      `${where}.to must be src/<path>.cs or test/<path>.cs (letters, digits, _ . -), got ${JSON.stringify(to)}.`,
    );
  }
  if (
    reservedDestinations.includes(to as string) ||
    reservedFolders.some((f) => (to as string).startsWith(f))
  ) {
    fail(`${where}.to: ${String(to)} is written by the generator itself; choose another file name.`);
  }
  return { from: from as string, to: to as string };
}

/** `--template` values that name a folder rather than a built-in template or an npm package. */
export function isTemplatePath(value: string): boolean {
  // '@scope/name' is an npm package; any other slash (or a backslash, on Windows) makes it a path.
  return (
    value.startsWith('.') ||
    isAbsolute(value) ||
    value.includes('\\') ||
    (value.includes('/') && !value.startsWith('@'))
  );
}

const npmNamePattern = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/**
 * The folder of an external template: a path (resolved against `cwd`), or an npm package installed where
 * `cwd` would find it, whose root holds the manifest. Throws TemplateLayoutError naming what was tried.
 */
export function externalTemplateFolder(value: string, cwd: string): string {
  if (isTemplatePath(value)) return resolve(cwd, value);
  if (!npmNamePattern.test(value)) {
    throw new TemplateLayoutError(
      `--template '${value}' is neither a built-in template, a folder nor an npm package name.`,
    );
  }
  try {
    return dirname(createRequire(join(cwd, 'noop.js')).resolve(`${value}/${manifestFileName}`));
  } catch {
    throw new TemplateLayoutError(
      `Unknown --template '${value}': no built-in template has that name, and no npm package of that name with ${manifestFileName} at its root is installed where ${cwd} finds packages.`,
    );
  }
}
