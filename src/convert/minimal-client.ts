import { csharpKeywords } from '../csharp/keywords.js';
import { minimalClientRuntimeFiles } from '../render/file-plan.js';
import { renderTemplate } from '../render/render-project.js';
import type { ProjectSpec } from '../spec.js';
import { memberCalls, usingDirectives, type SourceFile, type TypeDecl } from './csharp-source.js';
import { fail } from './errors.js';
import type { HandlerShape } from './handler.js';

/**
 * `--client minimal` for convert: the built-in Runtime API client's files (rendered from the same templates as a
 * new project's Runtime/), the namespace they go in, and which handlers that client can serve.
 *
 * What the client serves is what `LambdaRuntime.RunAsync<TInput, TOutput>` takes: a handler of a typed event that
 * returns a typed result (synchronously, as Task<T> or as ValueTask<T>), with or without the client's own
 * ILambdaContext. Everything else is refused with the reason and the way out (--client runtime-support).
 */

/** The folder, relative to the project, that receives the client's files. */
export const runtimeFolder = 'Runtime';

/** Types the client declares in its namespace; the project must not declare them there too. */
const runtimeTypeNames = [
  'ILambdaContext',
  'ILambdaLogger',
  'LambdaContext',
  'LambdaLogger',
  'LambdaLogLevel',
  'LambdaError',
  'LambdaRuntime',
  'Invocation',
  'RuntimeApiException',
  'RuntimeApiClient',
  'RuntimeApiSocket',
  'Libc',
  'MinimalJsonEscaping',
];

/** The namespaces the SDK's implicit usings bring in: the client's files rely on them. */
const implicitUsingNamespaces = [
  'System',
  'System.Collections.Generic',
  'System.IO',
  'System.Linq',
  'System.Net.Http',
  'System.Threading',
  'System.Threading.Tasks',
];

/**
 * `<root>.Runtime`, where root is the project's root namespace: RootNamespace when the project (or
 * Directory.Build.props) sets it, else MSBuild's default, the project file's name. That is the namespace an IDE gives
 * a file added to the Runtime/ folder, and the one a new project's client uses. Characters a C# namespace cannot
 * hold become '_', as they do for a new project's name.
 */
export function runtimeNamespace(rootNamespace: string | undefined, projectName: string): string {
  const root = rootNamespace && !rootNamespace.includes('$(') ? rootNamespace.trim() : projectName;
  const segments = root
    .split('.')
    .filter((s) => s.length > 0)
    .map((segment) => {
      const clean = segment.replace(/[^\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Pc}]/gu, '_');
      const named = /^[\p{L}\p{Nl}_]/u.test(clean) ? clean : `_${clean}`;
      return csharpKeywords.has(named) ? `@${named}` : named;
    });
  return [...(segments.length > 0 ? segments : ['Function']), 'Runtime'].join('.');
}

export interface RuntimeFileStyle {
  readonly eol: string;
  /** The project has ImplicitUsings enabled: the files need no System usings of their own. */
  readonly implicitUsings: boolean;
  /** The project enables nullable reference types (the files use `?` annotations). */
  readonly nullable: boolean;
}

/**
 * The client's files, `Runtime/<Name>.cs` relative to the project: every templates/client/minimal/Runtime/*.cs.ejs
 * rendered with the spec, in `namespace`. A project without implicit usings gets the SDK's implicit usings written
 * out at the top; one without nullable annotations gets `#nullable enable`, so the files compile without warnings.
 */
export function renderRuntimeFiles(
  spec: ProjectSpec,
  namespace: string,
  style: RuntimeFileStyle,
): { path: string; text: string }[] {
  const rendered: ProjectSpec = { ...spec, contextNamespace: namespace };
  const usings = style.implicitUsings ? [] : implicitUsingNamespaces.map((n) => `using ${n};`);
  return minimalClientRuntimeFiles().map(({ template, name }) => {
    let text = renderTemplate(template, rendered);
    if (usings.length > 0) {
      // The written-out usings join the file's own block, sorted with it.
      const own = /^(?:using [\w.]+;\n)+/.exec(text)?.[0] ?? '';
      const names = [...usings, ...own.split('\n')].map((l) => /^using ([\w.]+);$/.exec(l)?.[1]);
      const block = [...new Set(names.filter((n): n is string => n !== undefined))]
        .sort()
        .map((n) => `using ${n};`);
      text = `${block.join('\n')}\n${own ? '' : '\n'}${text.slice(own.length)}`;
    }
    if (!style.nullable) text = `#nullable enable\n\n${text}`;
    return {
      path: `${runtimeFolder}/${name}`,
      text: style.eol === '\n' ? text : text.replace(/\r?\n/g, style.eol),
    };
  });
}

/** The project declares none of the client's types in its namespace, and no type that the namespace would hide. */
export function checkRuntimeNamespaceFree(namespace: string, types: readonly TypeDecl[]): void {
  const clash = types.find(
    (t) => t.fullName === namespace || (t.namespace === namespace && runtimeTypeNames.includes(t.name)),
  );
  if (clash) {
    fail(
      `${clash.file.path} declares ${clash.fullName}, which clashes with the built-in client convert adds in namespace ${namespace} ` +
        `(Runtime/). Rename or move that type, or set <RootNamespace> in the project to choose another namespace, then run convert again.`,
    );
  }
  const runner = types.find((t) => t.name === 'LambdaRuntime');
  if (runner) {
    fail(
      `${runner.file.path} declares a type named LambdaRuntime; the entry point convert writes calls the built-in client's ` +
        `${namespace}.LambdaRuntime, and the two names would collide. Rename that type, then run convert again.`,
    );
  }
}

/** The project's files run the built-in client already (a converted or a generated `--client minimal` project). */
export function runsMinimalClient(files: readonly SourceFile[]): boolean {
  return files.some((f) => memberCalls(f.parsed.root, 'LambdaRuntime', 'RunAsync').length > 0);
}

/** `using X;` directives of a file and the project's `global using X;` ones: the namespaces a simple name can come from. */
function importedNamespaces(file: SourceFile, globalUsings: readonly string[]): Set<string> {
  const plain = (u: string): string | undefined => /^using\s+([\w.@]+)\s*;$/.exec(u)?.[1];
  return new Set(
    [...usingDirectives(file).map(plain), ...globalUsings].filter((n): n is string => n !== undefined),
  );
}

/** `global using X;` namespaces declared anywhere in the project. */
export function globalUsingNamespaces(files: readonly SourceFile[]): string[] {
  return files.flatMap((file) =>
    file.parsed.root
      .descendantsOfType('using_directive')
      .map((u) => /^global\s+using\s+([\w.@]+)\s*;$/.exec(u?.text.replace(/\s+/g, ' ') ?? '')?.[1])
      .filter((n): n is string => n !== undefined),
  );
}

/**
 * Whether the handler's context parameter is the built-in client's ILambdaContext: written qualified with the
 * client's namespace, or simple with that namespace imported and Amazon.Lambda.Core not.
 */
function takesBuiltInContext(
  shape: HandlerShape,
  namespace: string,
  globalUsings: readonly string[],
): boolean {
  const written = (shape.contextType ?? '').replace(/^global::/, '');
  const owner = shape.method.owner.namespace;
  if (written.includes('.')) {
    // Fully qualified, or relative to the handler's namespace (Runtime.ILambdaContext inside namespace Shop).
    const qualifier = written.slice(0, written.lastIndexOf('.'));
    return qualifier === namespace || (owner !== '' && `${owner}.${qualifier}` === namespace);
  }
  const imported = importedNamespaces(shape.method.owner.file, globalUsings);
  return (imported.has(namespace) || owner === namespace) && !imported.has('Amazon.Lambda.Core');
}

const runtimeSupportAdvice =
  'Keep Amazon.Lambda.RuntimeSupport for this project: run convert with --client runtime-support (the default).';

/** Refuses, naming the reason, a handler the built-in client cannot call. */
export function checkMinimalHandler(
  shape: HandlerShape,
  namespace: string,
  globalUsings: readonly string[],
): void {
  const handler = `Handler '${shape.ref.text}' (${shape.method.owner.file.path}:${shape.method.line})`;
  const streamSide = shape.input?.isStream ? 'reads' : shape.output?.isStream ? 'returns' : undefined;
  if (streamSide) {
    fail(
      `${handler} ${streamSide} a Stream. The built-in client (--client minimal) hands the handler typed values through the ` +
        `source-generated JSON serializer and has no raw-bytes mode for it. ${runtimeSupportAdvice}`,
    );
  }
  if (!shape.input) {
    fail(
      `${handler} takes no event. The built-in client calls LambdaRuntime.RunAsync<TInput, TOutput>, which passes each event ` +
        `to the handler as a typed value. Give the handler an event parameter (JsonElement if it ignores the event), or: ${runtimeSupportAdvice}`,
    );
  }
  if (!shape.output) {
    fail(
      `${handler} returns no result (${shape.method.returns.text}). The built-in client calls LambdaRuntime.RunAsync<TInput, TOutput>, ` +
        `which posts the handler's result as JSON. Return a value (Task<T> for an async handler), or: ${runtimeSupportAdvice}`,
    );
  }
  if (shape.hasContext && !takesBuiltInContext(shape, namespace, globalUsings)) {
    const file = shape.method.owner.file.path;
    fail(
      `${handler} takes Amazon.Lambda.Core's ILambdaContext, which only Amazon.Lambda.RuntimeSupport provides; the built-in ` +
        `client passes its own, ${namespace}.ILambdaContext (the same members except ClientContext and Identity). Either ` +
        `keep Amazon.Lambda.RuntimeSupport: run convert with --client runtime-support (the default). Or move the handler to ` +
        `the built-in context: in ${file} replace 'using Amazon.Lambda.Core;' with 'using ${namespace};' (or write the ` +
        `parameter as ${namespace}.ILambdaContext where the file needs other Amazon.Lambda.Core types), make tests pass ` +
        `new ${namespace}.LambdaContext() instead of TestLambdaContext, and run convert --client minimal again.`,
    );
  }
}
