import { dirname, relative, resolve } from 'node:path';
import { memberValue, parseJsonDoc, setMember, stringValue, type JsonNode } from './json-doc.js';
import { openTemplate, type MapHandle } from './template-doc.js';
import { applyEdits, type TextEdit } from './splice.js';
import { readText } from './text-file.js';

/**
 * Where a function's deployment settings live (aws-lambda-tools-defaults.json, SAM template.yaml, CloudFormation
 * serverless.template): what they say about the function, and the edits that point them at the native executable.
 */
export interface FunctionTarget {
  readonly runtime: string;
  readonly architecture: string;
  /** New handler value, or undefined to keep each function's handler (one executable serving several). */
  readonly handler: string | undefined;
}

export interface ToolsDefaults {
  readonly path: string;
  readonly source: string;
  readonly root: JsonNode;
  readonly handler: string | undefined;
  readonly runtime: string | undefined;
  readonly architecture: string | undefined;
}

export function readToolsDefaults(path: string, label: string): ToolsDefaults {
  const source = readText(path, label);
  const root = parseJsonDoc(source, label);
  const text = (key: string): string | undefined => stringValue(memberValue(root, key));
  return {
    path,
    source,
    root,
    handler: text('function-handler'),
    runtime: text('function-runtime'),
    architecture: text('function-architecture'),
  };
}

const selfContained = '--self-contained true';

export function toolsDefaultsAfter(tools: ToolsDefaults, target: FunctionTarget): string {
  const { source, root } = tools;
  // With a "template" the deploy reads the function settings from it: add no function-* keys, update present ones.
  const viaTemplate = memberValue(root, 'template') !== undefined;
  const settable = (key: string): boolean => !viaTemplate || memberValue(root, key) !== undefined;
  const edits: TextEdit[] = [];
  if (settable('function-runtime'))
    edits.push(...setMember(source, root, 'function-runtime', JSON.stringify(target.runtime)));
  if (target.handler !== undefined && settable('function-handler')) {
    edits.push(...setMember(source, root, 'function-handler', JSON.stringify(target.handler)));
  }
  if (
    (tools.architecture !== undefined || target.architecture !== 'x86_64') &&
    settable('function-architecture')
  ) {
    edits.push(...setMember(source, root, 'function-architecture', JSON.stringify(target.architecture)));
  }
  // The executable carries its runtime: Amazon.Lambda.Tools must publish self-contained.
  const msbuild = stringValue(memberValue(root, 'msbuild-parameters'));
  if (msbuild === undefined)
    edits.push(...setMember(source, root, 'msbuild-parameters', JSON.stringify(selfContained)));
  else if (!/--self-contained(\s+true)?(\s|$)/.test(msbuild)) {
    edits.push(
      ...setMember(
        source,
        root,
        'msbuild-parameters',
        JSON.stringify(`${msbuild.trim()} ${selfContained}`.trim()),
      ),
    );
  }
  return applyEdits(source, edits);
}

const functionTypes = new Set(['AWS::Serverless::Function', 'AWS::Lambda::Function']);

export interface TemplateFunction {
  readonly logicalId: string;
  readonly serverless: boolean;
  /** The resource (Type, Properties, Metadata...). */
  readonly resource: MapHandle;
  readonly properties: MapHandle;
  /** A serverless function whose CodeUri is this project's folder: `sam build` builds it from the project. */
  readonly builtFromProject: boolean;
  readonly handler: string | undefined;
  readonly runtime: string | undefined;
  readonly architecture: string | undefined;
  readonly image: boolean;
}

export interface TemplateFile {
  readonly path: string;
  readonly source: string;
  readonly root: MapHandle;
  /** Functions whose code is this project. */
  readonly functions: readonly TemplateFunction[];
  /** Every serverless function in the template (Globals apply to all of them). */
  readonly serverlessCount: number;
  readonly globals: MapHandle | undefined;
  /** A file `sam build` reads by default (template.yaml or template.yml). */
  readonly samCli: boolean;
}

function formatOf(path: string, source: string): 'yaml' | 'json' {
  if (/\.ya?ml$/.test(path)) return 'yaml';
  return source.trimStart().startsWith('{') ? 'json' : 'yaml';
}

/**
 * Reads a template and keeps the functions built from `projectDir`: CodeUri resolving to it (or absent, with the
 * template beside the project), or a handler naming the project's assembly.
 */
export function readTemplate(
  path: string,
  label: string,
  projectDir: string,
  assemblyName: string,
): TemplateFile {
  const source = readText(path, label);
  const root = openTemplate(source, label, formatOf(path, source));
  const resources = root.map('Resources');
  const globals = root.map('Globals')?.map('Function');
  const functions: TemplateFunction[] = [];
  let serverlessCount = 0;
  for (const logicalId of resources?.keys() ?? []) {
    const resource = resources?.map(logicalId);
    const type = resource?.get('Type');
    if (typeof type !== 'string' || !functionTypes.has(type)) continue;
    const serverless = type === 'AWS::Serverless::Function';
    if (serverless) serverlessCount++;
    const properties = resource?.map('Properties');
    if (!properties) continue;
    const scalar = (key: string, fallback?: MapHandle): string | undefined => {
      const v = properties.get(key) ?? (serverless ? fallback?.get(key) : undefined);
      return typeof v === 'string' ? v : undefined;
    };
    const handler = scalar('Handler', globals);
    const codeUri = properties.get('CodeUri');
    const local =
      codeUri === undefined ||
      (typeof codeUri === 'string' && !/^s3:\/\//.test(codeUri) && !codeUri.endsWith('.zip'))
        ? resolve(dirname(path), typeof codeUri === 'string' ? codeUri : '')
        : undefined;
    const builtFromProject = serverless && local !== undefined && relative(local, projectDir) === '';
    const ours = builtFromProject || (handler !== undefined && handler.split('::')[0] === assemblyName);
    if (!ours || !resource) continue;
    const architectures =
      properties.get('Architectures') ?? (serverless ? globals?.get('Architectures') : undefined);
    functions.push({
      logicalId,
      serverless,
      resource,
      properties,
      builtFromProject,
      handler,
      runtime: scalar('Runtime', globals),
      architecture: Array.isArray(architectures) ? architectures[0] : undefined,
      image: (scalar('PackageType', globals) ?? '').toLowerCase() === 'image',
    });
  }
  return {
    path,
    source,
    root,
    functions,
    serverlessCount,
    globals,
    samCli: /(^|[\\/])template\.ya?ml$/.test(path),
  };
}

/**
 * Edits for one template. A setting defined in Globals is changed there only when every serverless function in the
 * template is this project's; otherwise the function gets its own, which overrides Globals for it alone.
 */
export function templateAfter(template: TemplateFile, target: FunctionTarget): string {
  const edits: TextEdit[] = [];
  const globalsAreOurs = template.functions.filter((f) => f.serverless).length === template.serverlessCount;
  for (const fn of template.functions.filter((f) => !f.image)) {
    const set = (key: string, value: string | readonly string[], after?: string): void => {
      if (!fn.properties.has(key) && fn.serverless && template.globals?.has(key) && globalsAreOurs) {
        edits.push(...(template.globals as MapHandle).set(key, value, after));
        return;
      }
      edits.push(...fn.properties.set(key, value, after));
    };
    set('Runtime', target.runtime, 'Handler');
    if (target.handler !== undefined) set('Handler', target.handler, 'Runtime');
    const hasArchitectures =
      fn.properties.has('Architectures') || (fn.serverless && template.globals?.has('Architectures'));
    if (hasArchitectures || target.architecture !== 'x86_64')
      set('Architectures', [target.architecture], 'Runtime');
    // `sam build` builds a provided.* function from its project only with a BuildMethod: SAM's guide to Native AOT
    // names dotnet7 (any .NET version; the Lambda tools read the project). A BuildMethod already set is kept.
    if (template.samCli && fn.builtFromProject && target.runtime.startsWith('provided')) {
      const metadata = fn.resource.map('Metadata');
      if (!metadata?.has('BuildMethod'))
        edits.push(...fn.resource.set('Metadata', { BuildMethod: 'dotnet7' }, 'Properties'));
    }
  }
  return applyEdits(template.source, dedupe(edits));
}

/** Globals edits are reached once per function; keep one copy of identical edits. */
function dedupe(edits: readonly TextEdit[]): TextEdit[] {
  const seen = new Set<string>();
  return edits.filter((e) => {
    const key = `${e.start}:${e.end}:${e.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
