import { existsSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { defaultClient } from '../catalog/clients.js';
import { convertFrameworkFix, frameworkSupportWarning } from '../catalog/frameworks.js';
import { runtimes } from '../catalog/runtimes.js';
import { parseTypeList } from '../csharp/type-names.js';
import { withCSharpParser, type ParseCSharp } from '../csharp/parser.js';
import { checkChoice, completeSettings, settingByKey, SettingError, type SettingKey } from '../settings.js';
import type { PackageRef } from '../catalog/packages.js';
import { buildSpec, validateName, type ProjectSpec } from '../spec.js';
import { refuseAnnotations } from './annotations.js';
import { addItems, propertyEdits, readProjectFile, type PropertyGoal, type ProjectFile } from './csproj.js';
import { planCSharp } from './csharp-plan.js';
import { renderRuntimeFiles, runsMinimalClient, runtimeNamespace } from './minimal-client.js';
import { centralPackages, packageEdits, type CentralPackages } from './package-edits.js';
import { packageBumps, type PackageBump } from './package-bumps.js';
import { packageUsage, replaceablePackages } from './package-usage.js';
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
import { applyEdits, lineBreakOf, type TextEdit } from './splice.js';
import { xml as escapeXml } from '../render/escape.js';
import { readText } from './text-file.js';

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
  /** Amazon.Lambda.* pins raised so that restore does not fail with NU1605 (their files are among `changes`). */
  readonly bumps: readonly PackageBump[];
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

/**
 * The assembly name can stand in for `new`'s project name (it can be a C# namespace too). An assembly name that
 * cannot ('Contoso.2024.Orders') is no reason to refuse the conversion: the spec then gets a neutral name.
 */
function isProjectName(name: string): boolean {
  try {
    validateName(name);
    return true;
  } catch (error) {
    if (error instanceof SettingError) return false;
    throw error;
  }
}

function buildConvertSpec(settings: Record<string, string>): ProjectSpec {
  try {
    return buildSpec(completeSettings(settings));
  } catch (error) {
    if (error instanceof SettingError) fail(error.message);
    throw error;
  }
}

export function planConversion(target: string, options: ConvertOptions): Promise<ConvertPlan> {
  return withCSharpParser((parse) => planWith(parse, target, options));
}

async function planWith(parse: ParseCSharp, target: string, options: ConvertOptions): Promise<ConvertPlan> {
  const projectPath = findProject(target);
  const projectDir = dirname(projectPath);
  const label = (p: string): string => relative(process.cwd(), p) || basename(p);
  const projectText = readText(projectPath, label(projectPath));
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
  const sourcePaths = projectSources(projectDir);
  const files = await Promise.all(
    sourcePaths.map((p) =>
      loadSource(parse, relative(projectDir, p).split('\\').join('/'), readText(p, label(p))),
    ),
  );
  // Annotations writes its own handlers and Main: refused with its own NativeAOT route (annotations.ts).
  refuseAnnotations(
    label(projectPath),
    project.packageReferences().map((r) => r.id),
    files,
  );
  // A project that runs the built-in client already (converted before, or generated with it) keeps it.
  const client = checked('client', options.client) ?? (runsMinimalClient(files) ? 'minimal' : defaultClient);
  const runtime = runtimes.find((r) => r.id === runtimeId) as (typeof runtimes)[number];
  const specName = assemblyName !== 'bootstrap' && isProjectName(assemblyName) ? assemblyName : 'Function';
  const spec = buildConvertSpec({
    name: specName,
    framework: framework.tfm,
    runtime: runtimeId,
    architecture,
    client,
    reflectionTypes: options.reflectionTypes ?? '',
    jsonTypes: options.jsonTypes ?? '',
  });
  // buildSpec validated --json-types already (spec.jsonTypes adds the template's types): this cannot throw.
  const extraJsonTypes = parseTypeList(spec.settings.jsonTypes);

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

  const implicitUsings = /^(enable|true)$/i.test(
    project.property('ImplicitUsings') ?? inherited.get('ImplicitUsings') ?? '',
  );
  const minimal =
    client === 'minimal'
      ? {
          namespace: runtimeNamespace(
            project.property('RootNamespace') ?? inherited.get('RootNamespace'),
            basename(projectPath, '.csproj'),
          ),
          files: [] as { path: string; text: string }[],
        }
      : undefined;
  if (minimal) {
    const nullable = project.property('Nullable') ?? inherited.get('Nullable') ?? '';
    minimal.files = renderRuntimeFiles(spec, minimal.namespace, {
      eol: lineBreakOf(files[0]?.text ?? projectText),
      implicitUsings,
      nullable: nullable.trim().toLowerCase() === 'enable',
    });
  }
  const csharp = planCSharp({
    projectDir,
    files,
    refs,
    explicitHandler,
    extraJsonTypes,
    implicitUsings,
    assemblyName,
    minimal,
  });
  const csharpFiles = new Map(csharp.files);

  // On the built-in client, the Amazon.Lambda packages it replaces go when no C# file needs them any more.
  let unusedPackages: readonly string[] = [];
  const referenced = new Set(project.packageReferences().map((r) => r.id));
  const candidates = replaceablePackages.filter((p) => referenced.has(p.id));
  if (minimal && candidates.length > 0) {
    // Each file as it will read: the already-parsed one where its text stays, else the new text (parsed there).
    const finalFiles = [
      ...files.map((f) => {
        const after = csharpFiles.get(f.path)?.after ?? f.text;
        return after === f.text ? f : { path: f.path, text: after };
      }),
      ...[...csharpFiles]
        .filter(([, t]) => t.before === undefined)
        .map(([path, t]) => ({ path, text: t.after })),
    ];
    const usingItems = project.items('Using').map((u) => u.attributes.get('Include')?.value ?? '');
    const usage = await packageUsage(finalFiles, candidates, usingItems, parse);
    for (const [path, edits] of usage.edits) {
      const texts = csharpFiles.get(path);
      const original = files.find((f) => f.path === path)?.text;
      const after = applyEdits(texts?.after ?? (original as string), edits);
      csharpFiles.set(path, { before: texts ? texts.before : original, after });
    }
    unusedPackages = usage.unused;
  }

  const changes: FileChange[] = [];
  const change = (path: string, before: string | undefined, after: string): void => {
    if (before !== after) changes.push({ path, before, after });
  };

  // Project file, and Directory.Packages.props under central package management.
  const central = centralPackages(projectDir, project, inherited);
  const edited = projectEdits(
    project,
    inherited,
    runtime.kind === 'custom',
    spec,
    csharp.usesSerializer,
    central,
    unusedPackages,
  );
  // Package pins the added packages need raised, in this project, the projects referencing it and central props.
  const bumped = packageBumps(projectPath, project, central, edited.written);
  const projectFiles = new Map<string, { text: string; edits: TextEdit[] }>([
    [projectPath, { text: projectText, edits: edited.project }],
  ]);
  if (central) projectFiles.set(central.path, { text: central.file.doc.source, edits: edited.central });
  for (const [path, edits] of bumped.edits) {
    const entry = projectFiles.get(path) ?? { text: bumped.texts.get(path) as string, edits: [] };
    projectFiles.set(path, { text: entry.text, edits: [...entry.edits, ...edits] });
  }
  for (const [path, { text, edits }] of projectFiles) change(path, text, applyEdits(text, edits));
  for (const [path, texts] of csharpFiles) change(join(projectDir, path), texts.before, texts.after);
  if (spec.reflectionTypes.length > 0) {
    const rdPath = join(projectDir, 'rd.xml');
    const before = existsSync(rdPath) ? readText(rdPath, label(rdPath)) : undefined;
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

  // The spec's end-of-support warning names `new`'s --framework flag, which convert does not have.
  const today = new Date();
  const newsWarning = frameworkSupportWarning(framework, today);
  const notes = [
    ...csharp.notes,
    ...edited.notes,
    ...spec.warnings.map((w) =>
      w === newsWarning ? (frameworkSupportWarning(framework, today, convertFrameworkFix) as string) : w,
    ),
  ];
  if (unusedPackages.length > 0)
    notes.push(
      `removed the reference${unusedPackages.length > 1 ? 's' : ''} to ${unusedPackages.join(', ')}: nothing in the project ` +
        `needs ${unusedPackages.length > 1 ? 'them' : 'it'} on the built-in client`,
    );
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
    bumps: bumped.bumps,
    notes,
  };
}

function projectEdits(
  project: ProjectFile,
  inherited: { get(name: string): string | undefined },
  custom: boolean,
  spec: ProjectSpec,
  usesSerializer: boolean,
  central: CentralPackages | undefined,
  unusedPackages: readonly string[],
): { project: TextEdit[]; central: TextEdit[]; written: readonly PackageRef[]; notes: readonly string[] } {
  const readyToRunInherited = (inherited.get('PublishReadyToRun') ?? '').toLowerCase() === 'true';
  const goals: PropertyGoal[] = [
    { name: 'OutputType', value: 'Exe' },
    ...(custom ? [{ name: 'AssemblyName', value: 'bootstrap' }] : []),
    { name: 'PublishAot', value: 'true' },
    { name: 'StripSymbols', value: 'true' },
    // No ICU on Amazon Linux 2023's Lambda images.
    { name: 'InvariantGlobalization', value: 'true' },
    // No TrimMode goal: NativeAOT's default full trimming publishes Amazon.Lambda.* (and the AWS SDK's trim-annotated
    // assemblies) warning-free, where TrimMode=partial makes Serialization.SystemTextJson warn IL3053. A TrimMode
    // the user set is theirs and stays.
    // A RID already pinned must match the architecture; none pinned stays none (the publish passes -r).
    ...(project.property('RuntimeIdentifier')
      ? [{ name: 'RuntimeIdentifier', value: spec.architecture.rid }]
      : []),
    // What the chosen client needs (the built-in one: AllowUnsafeBlocks), as the generated csproj has it.
    ...spec.client.projectProperties.map((p) => ({ name: p.name, value: p.value })),
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
  const packages = packageEdits(project, wanted, { usesSerializer, central, remove: unusedPackages });
  edits.push(...packages.project);
  // Items the project must include, each added unless it is there: what the chosen client needs (the built-in one:
  // direct calls into glibc), as the generated csproj has it, and rd.xml when types need reflection.
  const items = [
    ...spec.client.projectItems,
    ...(spec.reflectionTypes.length > 0 ? [{ type: 'RdXmlFile', include: 'rd.xml' }] : []),
  ];
  for (const { type, include } of items) {
    if (!project.items(type).some((i) => i.attributes.get('Include')?.value === include))
      edits.push(...addItems(project, type, [`<${type} Include="${escapeXml(include)}" />`]));
  }
  return { project: edits, central: packages.central, written: packages.written, notes: packages.notes };
}
