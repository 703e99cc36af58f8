import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { defaultClient } from '../catalog/clients.js';
import { nugetVersions } from '../catalog/packages.js';
import { runtimes } from '../catalog/runtimes.js';
import { parseTypeList, TypeNameError } from '../csharp/type-names.js';
import { checkChoice, completeSettings, settingByKey, SettingError, type SettingKey } from '../settings.js';
import { buildSpec, type ProjectSpec } from '../spec.js';
import { addItems, propertyEdits, readProjectFile, type PropertyGoal, type ProjectFile } from './csproj.js';
import { planCSharp } from './csharp-plan.js';
import { loadSource } from './csharp-source.js';
import { findProject, findTemplates, inheritedProperties, projectSources } from './discover.js';
import { fail } from './errors.js';
import {
  readTemplate,
  readToolsDefaults,
  templateAfter,
  toolsDefaultsAfter,
  type FunctionTarget,
  type TemplateFile,
} from './function-config.js';
import { isHandlerRef, parseHandlerRef } from './handler.js';
import { checkProjectShape } from './project-checks.js';
import { renderRdXml } from './rd-xml.js';
import { applyEdits, lineBreakOf } from './splice.js';

/**
 * Computes a whole conversion without writing anything: every file's text before and after. Applying it, showing
 * it as a diff, or reporting "already converted" are the callers' business.
 */
export interface ConvertOptions {
  readonly runtime?: string;
  readonly architecture?: string;
  readonly client?: string;
  readonly jsonTypes?: string;
  readonly reflectionTypes?: string;
  readonly handler?: string;
}

export interface FileChange {
  /** Absolute path. */
  readonly path: string;
  /** undefined: the file is new. */
  readonly before: string | undefined;
  readonly after: string;
}

export interface ConvertPlan {
  readonly projectPath: string;
  readonly projectDir: string;
  /** Only files whose text changes. */
  readonly changes: readonly FileChange[];
  readonly runtime: string;
  readonly architecture: string;
  readonly handlers: readonly string[];
  readonly notes: readonly string[];
}

/** The `new` settings convert accepts, checked against the same table (al2 gets the catalogue's refusal). */
function checked(key: SettingKey, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    checkChoice(settingByKey(key), value);
  } catch (error) {
    if (error instanceof SettingError) fail(error.message);
    throw error;
  }
  return value;
}

const minorVersion = (v: string): number[] =>
  v
    .split(/[.-]/)
    .slice(0, 3)
    .map((n) => Number.parseInt(n, 10) || 0);
function olderThan(version: string, minimum: string): boolean {
  const [a, b] = [minorVersion(version), minorVersion(minimum)];
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
}

/** SourceGeneratorLambdaJsonSerializer first shipped in this version of the package. */
const sourceGeneratorSince = '2.2.0';

function buildConvertSpec(settings: Record<string, string>): ProjectSpec {
  try {
    return buildSpec(completeSettings(settings));
  } catch (error) {
    if (error instanceof SettingError) fail(error.message);
    throw error;
  }
}

export async function planConversion(target: string, options: ConvertOptions): Promise<ConvertPlan> {
  const projectPath = findProject(target);
  const projectDir = dirname(projectPath);
  const label = (p: string): string => relative(process.cwd(), p) || basename(p);
  const projectText = readFileSync(projectPath, 'utf8');
  const project = readProjectFile(projectText, label(projectPath));
  const inherited = inheritedProperties(projectDir);
  const framework = checkProjectShape(project, inherited);
  const alreadyAot = (project.property('PublishAot') ?? '').toLowerCase() === 'true';
  const assemblyName =
    project.property('AssemblyName') ?? inherited.get('AssemblyName') ?? basename(projectPath, '.csproj');

  const toolsPath = join(projectDir, 'aws-lambda-tools-defaults.json');
  const tools = existsSync(toolsPath) ? readToolsDefaults(toolsPath, label(toolsPath)) : undefined;
  const templates: TemplateFile[] = findTemplates(projectDir).map((p) =>
    readTemplate(p, label(p), projectDir, assemblyName),
  );
  const functions = templates.flatMap((t) => t.functions);

  // Defaults: what the project already runs on when it is already native, else the settings table's.
  const existingRuntime = [tools?.runtime, ...functions.map((f) => f.runtime)].find((r) =>
    runtimes.some((x) => x.id === r),
  );
  const runtimeId =
    checked('runtime', options.runtime) ??
    (alreadyAot && existingRuntime ? existingRuntime : (settingByKey('runtime').default as string));
  const existingArchitecture = [...functions.map((f) => f.architecture), tools?.architecture].find(
    (a) => a === 'x86_64' || a === 'arm64',
  );
  const architecture =
    checked('architecture', options.architecture) ??
    existingArchitecture ??
    (settingByKey('architecture').default as string);
  const client = checked('client', options.client) ?? defaultClient;
  if (client !== 'runtime-support') {
    fail(
      `convert supports --client runtime-support only for now: the built-in minimal client's files are not available to it yet. ` +
        `Run without --client (Amazon.Lambda.RuntimeSupport).`,
    );
  }
  const runtime = runtimes.find((r) => r.id === runtimeId) as (typeof runtimes)[number];
  const specName =
    /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/.test(assemblyName) && assemblyName !== 'bootstrap'
      ? assemblyName
      : 'Function';
  const spec = buildConvertSpec({
    name: specName,
    framework: framework.tfm,
    runtime: runtimeId,
    architecture,
    client,
    reflectionTypes: options.reflectionTypes ?? '',
    jsonTypes: options.jsonTypes ?? '',
  });
  let extraJsonTypes: string[];
  try {
    extraJsonTypes = parseTypeList(options.jsonTypes ?? '');
  } catch (error) {
    if (error instanceof TypeNameError) fail(`--json-types: ${error.message}.`);
    throw error;
  }

  // Handlers: --handler, else the templates' and tools-defaults' Assembly::Type::Method strings.
  const explicitHandler = options.handler !== undefined;
  const handlerTexts = explicitHandler
    ? [options.handler as string]
    : [...new Set(functions.map((f) => f.handler).filter(isHandlerRef))];
  if (!explicitHandler && handlerTexts.length === 0 && isHandlerRef(tools?.handler))
    handlerTexts.push(tools.handler);
  const refs = handlerTexts.map((h) =>
    parseHandlerRef(h, explicitHandler ? '--handler' : 'from the project files'),
  );
  if (refs.length > 1 && runtime.kind === 'managed') {
    fail(
      `${refs.length} functions run different handlers of this project (${handlerTexts.join(', ')}). On ${runtime.id} the handler names ` +
        `the executable, so one executable cannot serve them: use --runtime provided.al2023 (the entry point then dispatches on _HANDLER).`,
    );
  }

  const sourcePaths = projectSources(projectDir);
  const files = await Promise.all(
    sourcePaths.map((p) =>
      loadSource(relative(projectDir, p).split('\\').join('/'), readFileSync(p, 'utf8')),
    ),
  );
  const implicitUsings = /^(enable|true)$/i.test(
    project.property('ImplicitUsings') ?? inherited.get('ImplicitUsings') ?? '',
  );
  const csharp = planCSharp({
    projectDir,
    files,
    refs,
    explicitHandler,
    extraJsonTypes,
    implicitUsings,
    assemblyName,
  });

  const changes: FileChange[] = [];
  const change = (path: string, before: string | undefined, after: string): void => {
    if (before !== after) changes.push({ path, before, after });
  };

  // Project file.
  const projectAfter = projectEdits(
    project,
    inherited,
    runtime.kind === 'custom',
    spec,
    csharp.usesSerializer,
  );
  change(projectPath, projectText, projectAfter);
  for (const [path, texts] of csharp.files) change(join(projectDir, path), texts.before, texts.after);
  if (spec.reflectionTypes.length > 0) {
    const rdPath = join(projectDir, 'rd.xml');
    const before = existsSync(rdPath) ? readFileSync(rdPath, 'utf8') : undefined;
    change(rdPath, before, renderRdXml(spec.reflectionTypes, lineBreakOf(projectText)));
  }

  // Deployment settings.
  const single = refs.length <= 1;
  const handlerValue = runtime.kind === 'custom' ? 'bootstrap' : assemblyName;
  const functionTarget: FunctionTarget = {
    runtime: runtime.id,
    architecture,
    handler: single ? handlerValue : undefined,
  };
  if (tools) change(tools.path, tools.source, toolsDefaultsAfter(tools, functionTarget));
  for (const template of templates)
    change(template.path, template.source, templateAfter(template, functionTarget));

  const notes = [...csharp.notes, ...spec.warnings];
  if (functions.some((f) => f.image))
    notes.push(
      'container-image functions keep their template settings: rebuild the image from the native executable',
    );
  if (!tools && templates.length === 0)
    notes.push(
      'no aws-lambda-tools-defaults.json or SAM/CloudFormation template found: set the function runtime and handler where you deploy it',
    );
  return {
    projectPath,
    projectDir,
    changes,
    runtime: runtime.id,
    architecture,
    handlers: refs.length > 0 ? refs.map((r) => r.text) : csharp.handlers,
    notes,
  };
}

function projectEdits(
  project: ProjectFile,
  inherited: { get(name: string): string | undefined },
  custom: boolean,
  spec: ProjectSpec,
  usesSerializer: boolean,
): string {
  const refs = project.packageReferences();
  const hasPackage = (id: string): boolean => refs.some((r) => r.id.toLowerCase() === id.toLowerCase());
  const readyToRunInherited = (inherited.get('PublishReadyToRun') ?? '').toLowerCase() === 'true';
  const goals: PropertyGoal[] = [
    { name: 'OutputType', value: 'Exe' },
    ...(custom ? [{ name: 'AssemblyName', value: 'bootstrap' }] : []),
    { name: 'PublishAot', value: 'true' },
    { name: 'StripSymbols', value: 'true' },
    // No ICU on Amazon Linux 2023's Lambda images.
    { name: 'InvariantGlobalization', value: 'true' },
    // The AWS SDK is not trim-safe: keep its assemblies whole, as AWS's own NativeAOT template does.
    ...(refs.some((r) => r.id.startsWith('AWSSDK.')) && !project.property('TrimMode')
      ? [{ name: 'TrimMode', value: 'partial' }]
      : []),
    // A RID already pinned must match the architecture; none pinned stays none (the publish passes -r).
    ...(project.property('RuntimeIdentifier')
      ? [{ name: 'RuntimeIdentifier', value: spec.architecture.rid }]
      : []),
    // ReadyToRun is JIT pre-compilation: meaningless with NativeAOT. Directory.Build.props' value is overridden here.
    readyToRunInherited
      ? { name: 'PublishReadyToRun', value: 'false' }
      : { name: 'PublishReadyToRun', remove: true as const },
  ];
  const edits = propertyEdits(project, goals);
  const wanted = spec.packages.filter(
    (p) =>
      p.id !== 'Amazon.Lambda.Core' &&
      (usesSerializer || p.id !== 'Amazon.Lambda.Serialization.SystemTextJson'),
  );
  edits.push(
    ...addItems(
      project,
      'PackageReference',
      wanted
        .filter((p) => !hasPackage(p.id))
        .map((p) => `<PackageReference Include="${p.id}" Version="${p.version}" />`),
    ),
  );
  const serializer = refs.find((r) => r.id === 'Amazon.Lambda.Serialization.SystemTextJson');
  const versionAttribute = serializer?.element.attributes.get('Version');
  if (
    usesSerializer &&
    serializer?.version &&
    versionAttribute &&
    olderThan(serializer.version, sourceGeneratorSince)
  ) {
    edits.push({
      start: versionAttribute.valueStart,
      end: versionAttribute.valueEnd,
      text: nugetVersions['Amazon.Lambda.Serialization.SystemTextJson'],
    });
  }
  if (
    spec.reflectionTypes.length > 0 &&
    !project.items('RdXmlFile').some((i) => i.attributes.get('Include')?.value === 'rd.xml')
  ) {
    edits.push(...addItems(project, 'RdXmlFile', ['<RdXmlFile Include="rd.xml" />']));
  }
  return applyEdits(project.doc.source, edits);
}
