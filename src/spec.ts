import { architectures, type Architecture } from './catalog/architectures.js';
import { clients, type RuntimeClient } from './catalog/clients.js';
import { frameworks, frameworkSupportWarning, type Framework } from './catalog/frameworks.js';
import { testPackages, type PackageRef } from './catalog/packages.js';
import { packagings, type Packaging } from './catalog/packaging.js';
import { runtimes, targetGlibc, type LambdaRuntime } from './catalog/runtimes.js';
import { functionTemplates, type FunctionTemplate } from './catalog/templates.js';
import { formattingChars, identifierUnicodeVersion, unassignedChars } from './csharp/identifier-chars.js';
import { csharpKeywords, identifierPart, identifierStart } from './csharp/keywords.js';
import { parseTypeList, splitTypeList, TypeNameError } from './csharp/type-names.js';
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
  readonly template: FunctionTemplate;
  readonly packaging: Packaging;
  /** Every type of the JSON context: the handler's input and output first, then --json-types; distinct. */
  readonly jsonTypes: readonly string[];
  /** Simple names from --json-types that the project does not define yet: the generator writes a record for each. */
  readonly stubTypes: readonly string[];
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

/** Names of framework types that need no stub (System, collections, JSON DOM). */
const frameworkTypeNames = new Set(
  (
    'List IList IReadOnlyList ICollection IReadOnlyCollection IEnumerable Dictionary IDictionary ' +
    'IReadOnlyDictionary HashSet ISet SortedDictionary KeyValuePair Queue Stack LinkedList Nullable DateTime ' +
    'DateTimeOffset DateOnly TimeOnly TimeSpan Guid Uri Version Int16 Int32 Int64 UInt16 UInt32 UInt64 String ' +
    'Boolean Decimal Double Single Byte SByte Char Object Half Int128 UInt128 JsonElement JsonDocument JsonNode ' +
    'JsonObject JsonArray JsonValue Memory ReadOnlyMemory ImmutableArray ImmutableList ImmutableDictionary'
  ).split(' '),
);

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

const typeNameToken = new RegExp(`${identifierStart}(?:${identifierPart}|[.:])*(<)?`, 'gu');

/** Simple (unqualified, non-generic-definition) names used in the type list that nothing defines yet. */
function findStubTypes(jsonTypes: readonly string[], defined: ReadonlySet<string>): string[] {
  const names = new Set<string>();
  for (const type of jsonTypes) {
    // Identifier characters as the type-name parser reads them (letter numbers, combining marks, connectors,
    // format characters): a narrower class would cut 'ⅫÉ' into a stub named 'É'.
    for (const match of type.matchAll(typeNameToken)) {
      const [token, generic] = [match[0].replace(/<$/, ''), match[1]];
      if (generic || token.includes('.') || token.includes('::')) continue;
      if (csharpKeywords.has(token) || frameworkTypeNames.has(token) || defined.has(token)) continue;
      names.add(token);
    }
  }
  return [...names];
}

/** Builds the spec; throws SettingError naming the setting, the problem and the fix. */
export function buildSpec(settings: Settings, today: Date = new Date()): ProjectSpec {
  const namespace = deriveNamespace(settings.name);
  const framework = frameworks.find((f) => f.tfm === settings.framework) as Framework;
  const runtime = find(runtimes, settings.runtime);
  const client = find(clients, settings.client);
  const template = find(functionTemplates, settings.template);
  const assemblyName = runtime.kind === 'custom' ? 'bootstrap' : settings.name;
  const architecture = find(architectures, settings.architecture);
  const functionName = settings.name.replace(/\./g, '-');
  const contextNamespace = client.contextNamespace.replace('{ns}', namespace);

  const extraTypes = validateJsonTypes(settings.jsonTypes);
  const jsonTypes = [...new Set([template.inputType, template.outputType, ...extraTypes])];
  const warnings: string[] = [];
  const frameworkWarning = frameworkSupportWarning(framework, today);
  if (frameworkWarning) warnings.push(frameworkWarning);
  if (runtime.deprecated && today.toISOString().slice(0, 10) >= runtime.deprecated) {
    warnings.push(
      `Lambda deprecated the ${runtime.id} runtime on ${runtime.deprecated}; prefer dotnet10 or provided.al2023.`,
    );
  }
  const reflectionTypes = parseReflectionTypes(settings.reflectionTypes, assemblyName);
  const stubTypes = findStubTypes(extraTypes, new Set(template.modelTypes));
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
    packaging: find(packagings, settings.packaging),
    jsonTypes,
    stubTypes,
    reflectionTypes,
    reflectionStubs: reflection.stubs,
    packages: client.packages,
    testPackages: [...testPackages, ...client.testPackages],
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
