import { architectures, type Architecture } from './catalog/architectures.js';
import { clients, type RuntimeClient } from './catalog/clients.js';
import { frameworks, frameworkSupportWarning, type Framework } from './catalog/frameworks.js';
import { testPackages, type PackageRef } from './catalog/packages.js';
import { packagings, type Packaging } from './catalog/packaging.js';
import { runtimes, targetGlibc, type LambdaRuntime } from './catalog/runtimes.js';
import { templateFor, type FunctionTemplate } from './catalog/templates.js';
import { formattingChars, identifierUnicodeVersion, unassignedChars } from './csharp/identifier-chars.js';
import { csharpKeywords } from './csharp/keywords.js';
import { frameworkTypes, implicitUsings } from './catalog/framework-types.js';
import {
  isBuiltInAlias,
  isKnownValueType,
  parseTypeList,
  parseTypeTree,
  splitTypeList,
  TypeNameError,
  type TypeNode,
} from './csharp/type-names.js';
import { planReflectionStubs, type ReflectionStubNamespace } from './reflection-stubs.js';
import { printable, settingByKey, SettingError, type Settings } from './settings.js';

/**
 * The validated, normalised project description. Computed once from the settings; every template renders
 * from it and decides nothing itself.
 */
export interface ReflectionType {
  readonly assembly: string;
  readonly type: string;
}

export type { ReflectionStub, ReflectionStubNamespace } from './reflection-stubs.js';

export interface ProjectSpec {
  readonly settings: Settings;
  /** Folder, solution and project name, as given. */
  readonly name: string;
  /** Root C# namespace derived from the name. */
  readonly namespace: string;
  /** Name of the published executable: `bootstrap` on the custom runtime, else the project name. */
  readonly assemblyName: string;
  /** Lambda handler string. */
  readonly handler: string;
  /** Function name used by the deploy script (Lambda allows letters, digits, - and _). */
  readonly functionName: string;
  readonly framework: Framework;
  readonly architecture: Architecture;
  readonly runtime: LambdaRuntime;
  readonly client: RuntimeClient;
  /** The template as it is with this client (its byClient entry applied). */
  readonly template: FunctionTemplate;
  /** MSBuild SDK of the function project. */
  readonly sdk: string;
  readonly packaging: Packaging;
  /** Every type of the JSON context: the handler's input and output first, then --json-types; distinct. */
  readonly jsonTypes: readonly string[];
  /** Simple names from --json-types that the project does not define yet: the generator writes a record for each. */
  readonly stubTypes: readonly string[];
  /** Namespaces LambdaJsonContext.cs imports for the .NET types in jsonTypes (beyond the SDK's implicit ones). */
  readonly jsonUsings: readonly string[];
  readonly reflectionTypes: readonly ReflectionType[];
  /** Reflection types of the project's own assembly that nothing generated defines: written as empty classes. */
  readonly reflectionStubs: readonly ReflectionStubNamespace[];
  readonly packages: readonly PackageRef[];
  /** Packages of the test project: the common test packages, then the client's. */
  readonly testPackages: readonly PackageRef[];
  /** Namespace that provides ILambdaContext. */
  readonly contextNamespace: string;
  /** Namespace of the ILambdaContext implementation the generated tests construct. */
  readonly testContextNamespace: string;
  /** Glibc version of the Lambda execution environment (Amazon Linux 2023), which the build container matches. */
  readonly targetGlibc: string;
  /**
   * Container images, tags pinned to the architecture: the AL2023 build image and the Lambda base image; and
   * `local`, the image scripts/package.sh builds (a valid Docker reference: lower case, single dashes).
   */
  readonly images: { readonly build: string; readonly base: string; readonly local: string };
  /**
   * Relative paths of the solution, the function's project file and the build outputs, shared by the file plan,
   * scripts, SAM template, workflow, README and the generator's messages.
   */
  readonly artifacts: {
    readonly solution: string;
    readonly projectFile: string;
    readonly publishDir: string;
    readonly zip: string;
    readonly executable: string;
  };
  /** Amazon.Lambda.Tools (`dotnet lambda package/deploy-function`), configured by aws-lambda-tools-defaults.json. */
  readonly lambdaTools: {
    /** Its `dotnet publish` arguments: self-contained, and no .dbg beside the executable, so its zip holds the executable alone. */
    readonly msbuildParameters: string;
  };
  readonly warnings: readonly string[];
}

const namePattern = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;
const maxNameLength = 64;
/**
 * Windows refuses a file or folder whose name, up to its first dot, is a DOS device (any case): the project folder,
 * `<name>.sln` and `<name>.csproj` all start with the name.
 */
const windowsDevice = /^(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(?:\.|$)/i;

function fail(key: Parameters<typeof settingByKey>[0], message: string): never {
  throw new SettingError(settingByKey(key), printable(message));
}

function deriveNamespace(name: string): string {
  if (name.length > maxNameLength) {
    fail('name', `The name is ${name.length} characters long; use at most ${maxNameLength}.`);
  }
  if (!namePattern.test(name)) {
    fail(
      'name',
      `'${name}' is not a valid project name: start with an ASCII letter and use only letters, digits, '_', '-' ` +
        `and '.' between parts (no spaces, slashes or '..'), e.g. Orders or Contoso.Orders.`,
    );
  }
  const device = windowsDevice.exec(name);
  if (device) {
    fail(
      'name',
      `'${name}': '${device[1]}' is a device name Windows reserves (CON, PRN, AUX, NUL, COM0-9, LPT0-9, with or ` +
        `without an extension), so the project could not be checked out on Windows; try e.g. ${capitalise((device[1] as string).toLowerCase())}Function.`,
    );
  }
  return name
    .split('.')
    .map((part) => {
      const segment = part.replace(/-/g, '_');
      if (/^[0-9]/.test(segment)) {
        fail(
          'name',
          `'${name}': the part '${part}' starts with a digit, which a C# namespace cannot; rename it.`,
        );
      }
      if (csharpKeywords.has(segment)) {
        fail(
          'name',
          `'${name}': '${segment}' is a C# keyword and cannot name a namespace; try e.g. ${capitalise(segment)}Function.`,
        );
      }
      return segment;
    })
    .join('.');
}

/** Lambda's function name for a project name (Lambda allows letters, digits, - and _). */
export function functionNameOf(name: string): string {
  return name.replace(/\./g, '-');
}

/** Throws SettingError when the name cannot be a project name and C# namespace. */
export function validateName(name: string): void {
  deriveNamespace(name);
}

/** Characters refused in --json-types before parsing, each group with its own explanation. */
const oddCharacter = new RegExp(
  String.raw`(?<format>${formattingChars})|(?<astral>[\u{10000}-\u{10FFFF}])|(?<newer>(?=${unassignedChars})[\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Pc}])`,
  'u',
);

/** Parses --json-types; throws SettingError naming the problem and the fix. */
export function validateJsonTypes(text: string): string[] {
  // C# allows formatting characters (soft hyphen, zero-width joiners, bidi overrides) inside identifiers, but
  // the generator does not write invisible characters into code; Roslyn rejects names with characters beyond
  // U+FFFF although the language allows letters there (dotnet/roslyn#9731); and a letter newer than the
  // pinned Unicode version is an "unexpected character" to the compilers of older .NET runtimes.
  const odd = oddCharacter.exec(text);
  if (odd !== null) {
    const [char] = odd;
    const code = `U+${(char.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`;
    const why =
      odd.groups?.['format'] !== undefined
        ? `the invisible formatting character ${code}`
        : odd.groups?.['astral'] !== undefined
          ? `${code}, which the C# compiler does not accept in names`
          : `${code}, added to Unicode after ${identifierUnicodeVersion}, so the C# compiler of .NET 8 does not know it`;
    fail('jsonTypes', `--json-types: '${text}' contains ${why}; type the names without it.`);
  }
  try {
    return parseTypeList(text);
  } catch (error) {
    if (error instanceof TypeNameError) {
      fail(
        'jsonTypes',
        `--json-types: ${error.message}. Give C# type names separated by commas, e.g. Order,List<Order>.`,
      );
    }
    throw error;
  }
}

/** Throws SettingError when the reflection type list is malformed. */
export function validateReflectionTypes(text: string): void {
  parseReflectionTypes(text, 'Project');
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function find<T extends { id: string }>(list: readonly T[], id: string): T {
  return list.find((x) => x.id === id) as T;
}

const assemblyPattern = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const reflectionTypePattern =
  /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*(`[0-9]+)?(\+[A-Za-z_][A-Za-z0-9_]*(`[0-9]+)?)*$/;

function parseReflectionTypes(text: string, defaultAssembly: string): ReflectionType[] {
  const seen = new Map<string, ReflectionType>();
  for (const item of splitTypeList(text)) {
    const bang = item.indexOf('!');
    const assembly = bang >= 0 ? item.slice(0, bang).trim() : defaultAssembly;
    const type = (bang >= 0 ? item.slice(bang + 1) : item).trim();
    if (!assemblyPattern.test(assembly)) {
      fail(
        'reflectionTypes',
        `--reflection-types: '${item}': '${assembly}' is not an assembly name. Use Assembly!Namespace.Type.`,
      );
    }
    if (!reflectionTypePattern.test(type)) {
      fail(
        'reflectionTypes',
        `--reflection-types: '${item}': '${type}' is not a type name as rd.xml expects it (Namespace.Type, Outer+Nested, Generic\`1). ` +
          `Use [Assembly!]Namespace.Type.`,
      );
    }
    seen.set(`${assembly}!${type}`, { assembly, type });
  }
  return [...seen.values()];
}

/** A generic argument named like a type parameter (T, TKey, TResult): not a type JSON can be generated for. */
const typeParameter = /^T(?:[A-Z][a-z0-9]*)*$/;

interface JsonTypeResolution {
  /** Simple names nothing defines: the generator writes a placeholder record for each. */
  readonly stubs: readonly string[];
  /** Namespaces of .NET types named without their namespace that the SDK does not import implicitly. */
  readonly usings: readonly string[];
  /** Why the generated project would not compile, when it would not. */
  readonly problem?: string;
}

/**
 * Resolves every type named in the --json-types entries, as the C# compiler would in the generated
 * LambdaJsonContext.cs: a .NET type the catalogue knows (with its number of type arguments), a type of the project
 * (the template's, or a placeholder record), or a name qualified by the project's own namespace.
 */
function resolveJsonTypes(
  entries: readonly string[],
  namespace: string,
  defined: ReadonlySet<string>,
): JsonTypeResolution {
  const stubs = new Set<string>();
  const usings = new Set<string>();
  const problems: string[] = [];
  const arguments_ = (n: number): string => `${n} type argument${n === 1 ? '' : 's'}`;
  const visit = (entry: string, node: TypeNode, isArgument: boolean): void => {
    const name = node.name.replace(/^global::/, '');
    const dot = name.lastIndexOf('.');
    const [qualifier, simple] = [name.slice(0, Math.max(dot, 0)), name.slice(dot + 1)];
    const arity = node.args.length;
    const known = frameworkTypes.find(
      (t) => t.name === simple && (qualifier === '' || qualifier === t.namespace),
    );
    if (isBuiltInAlias(name)) {
      // int, string, object...
    } else if (known && (qualifier !== '' || !defined.has(simple))) {
      if (!known.arities.includes(arity)) {
        const example = known.arities.map((n) =>
          n === 0 ? simple : `${simple}<${['string', 'string', 'Order'].slice(-n).join(', ')}>`,
        );
        problems.push(
          `'${entry}': ${name} takes ${known.arities.map(arguments_).join(' or ')}, not ${arity}: e.g. ${example.join(' or ')}`,
        );
      } else if (known.name === 'Nullable' && !isKnownValueType((node.args[0] as TypeNode).name)) {
        problems.push(
          `'${entry}': Nullable<> takes a value type (int, DateTime, Guid...), and ${(node.args[0] as TypeNode).name} is ` +
            `not one the generator knows; a class is nullable already: name it without Nullable<>`,
        );
      } else if (qualifier === '' && !implicitUsings.has(known.namespace)) usings.add(known.namespace);
    } else if (qualifier !== '' && qualifier !== namespace) {
      problems.push(
        `'${entry}': the namespace ${qualifier} is not in the generated project (its namespace is ${namespace}) ` +
          `nor one of .NET's the generator knows, so it would not compile. Name the type without a namespace (a ` +
          `placeholder record is generated in ${namespace}), or add it to LambdaJsonContext.cs once it exists`,
      );
    } else if (arity > 0) {
      problems.push(
        `'${entry}': ${simple}<> is neither a generic .NET type the generator knows (such as List<T> or ` +
          `Dictionary<TKey, TValue>) nor defined by the project, and placeholders are written only for ` +
          `non-generic names, so it would not compile. Name closed types (e.g. ${simple} or List<${simple}>), and ` +
          `add generic ones to LambdaJsonContext.cs once they exist`,
      );
    } else if (isArgument && typeParameter.test(simple) && !defined.has(simple)) {
      problems.push(
        `'${entry}': '${simple}' reads as a type parameter, but JSON source generation needs a concrete type: ` +
          `name it, e.g. List<Order>`,
      );
    } else if (!defined.has(simple)) stubs.add(simple);
    for (const arg of node.args) visit(entry, arg, true);
  };
  for (const entry of entries) visit(entry, parseTypeTree(entry), false);
  return {
    stubs: [...stubs],
    usings: [...usings].sort(),
    ...(problems.length > 0 ? { problem: problems[0] as string } : {}),
  };
}

/** Types every generated project defines, besides the template's models: a placeholder must not repeat them. */
const generatedTypes = ['Function', 'LambdaJsonContext'];

function jsonTypeResolution(
  spec: Pick<ProjectSpec, 'settings' | 'namespace' | 'template'>,
): JsonTypeResolution {
  return resolveJsonTypes(
    parseTypeList(spec.settings.jsonTypes),
    spec.namespace,
    new Set([...spec.template.modelTypes, ...generatedTypes]),
  );
}

/**
 * Throws SettingError when a --json-types entry would not compile in the generated project (an unknown generic,
 * a namespace the project does not have, a type parameter, a wrong number of type arguments). Only `new` asks:
 * `convert` adds types to a project that defines its own.
 */
export function checkJsonTypesCompile(spec: ProjectSpec): void {
  const { problem } = jsonTypeResolution(spec);
  if (problem !== undefined) fail('jsonTypes', `--json-types: ${problem}.`);
}

/** The template with the client's variant applied; a client the template refuses is a SettingError with the reason. */
function forClient(template: FunctionTemplate, client: RuntimeClient): FunctionTemplate {
  const refusal = template.refusedClients?.[client.id];
  if (refusal !== undefined) {
    fail('client', `--template ${template.id} does not work with --client ${client.id}: ${refusal}`);
  }
  return { ...template, ...template.byClient?.[client.id] };
}

/** Builds the spec; throws SettingError naming the setting, the problem and the fix. */
export function buildSpec(settings: Settings, today: Date = new Date()): ProjectSpec {
  const namespace = deriveNamespace(settings.name);
  const framework = frameworks.find((f) => f.tfm === settings.framework) as Framework;
  const runtime = find(runtimes, settings.runtime);
  const client = find(clients, settings.client);
  const template = forClient(templateFor(settings.template), client);
  const assemblyName = runtime.kind === 'custom' ? 'bootstrap' : settings.name;
  const architecture = find(architectures, settings.architecture);
  const functionName = functionNameOf(settings.name);
  const contextNamespace = client.contextNamespace.replace('{ns}', namespace);

  const extraTypes = validateJsonTypes(settings.jsonTypes);
  const resolution = jsonTypeResolution({ settings, namespace, template });
  const jsonTypes = [
    ...new Set([template.inputType, template.outputType, ...(template.jsonTypes ?? []), ...extraTypes]),
  ];
  const warnings: string[] = [];
  const frameworkWarning = frameworkSupportWarning(framework, today);
  if (frameworkWarning) warnings.push(frameworkWarning);
  if (runtime.deprecated && today.toISOString().slice(0, 10) >= runtime.deprecated) {
    warnings.push(
      `Lambda deprecated the ${runtime.id} runtime on ${runtime.deprecated}; prefer dotnet10 or provided.al2023.`,
    );
  }
  const reflectionTypes = parseReflectionTypes(settings.reflectionTypes, assemblyName);
  const stubTypes = resolution.stubs;
  const ownTypes = new Set(
    ['Function', 'LambdaJsonContext', ...template.modelTypes, ...stubTypes].map((t) => `${namespace}.${t}`),
  );
  const reflection = planReflectionStubs(reflectionTypes, assemblyName, ownTypes, client);
  warnings.push(...reflection.warnings);
  if (settings.name.includes('-')) {
    warnings.push(`'${settings.name}' contains '-': the C# namespace is ${namespace}.`);
  }

  return {
    settings,
    name: settings.name,
    namespace,
    assemblyName,
    handler: assemblyName,
    functionName,
    framework,
    architecture,
    runtime,
    client,
    template,
    sdk: template.sdk ?? 'Microsoft.NET.Sdk',
    packaging: find(packagings, settings.packaging),
    jsonTypes,
    stubTypes,
    jsonUsings: resolution.usings,
    reflectionTypes,
    reflectionStubs: reflection.stubs,
    packages: [...client.packages, ...(template.packages ?? [])],
    testPackages: [
      ...testPackages,
      ...client.testPackages,
      ...(template.testPackages?.(framework.tfm) ?? []),
    ],
    contextNamespace,
    testContextNamespace: client.testContextNamespace ?? contextNamespace,
    targetGlibc,
    images: {
      build: `${framework.buildImage}:latest-${architecture.imageTag}`,
      base: `${runtime.baseImage}-${architecture.imageTag}`,
      // Docker repository names allow [a-z0-9] runs joined by '.', '_', '__' or dashes: 'A._' would be refused.
      local: `${functionName
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')}:latest`,
    },
    artifacts: {
      solution: `${settings.name}.sln`,
      projectFile: `src/${settings.name}/${settings.name}.csproj`,
      publishDir: 'artifacts/publish',
      zip: `artifacts/${functionName}.zip`,
      executable: `artifacts/publish/${assemblyName}`,
    },
    lambdaTools: { msbuildParameters: '--self-contained true /p:CopyOutputSymbolsToPublishDirectory=false' },
    warnings,
  };
}
