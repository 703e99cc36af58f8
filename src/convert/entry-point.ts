import { csString } from '../render/escape.js';
import type { HandlerShape, HandlerType } from './handler.js';

/**
 * C# text of what a converted project gains: the entry point wiring the handler(s) to
 * Amazon.Lambda.RuntimeSupport, and the source-generated JsonSerializerContext for their types.
 */
export interface CodeStyle {
  readonly indent: string;
  readonly eol: string;
  /** Namespace of the generated types; empty for the global namespace. */
  readonly namespace: string;
  readonly fileScopedNamespace: boolean;
  /** Directives copied from the handler's file so its type names resolve the same way, then ours. */
  readonly usings: readonly string[];
}

export const contextClassName = 'LambdaFunctionJsonSerializerContext';

const serializerNamespace = 'Amazon.Lambda.Serialization.SystemTextJson';

export function needsSerializer(shape: HandlerShape): boolean {
  const typed = (t: HandlerType | undefined): boolean => t !== undefined && !t.isStream;
  return typed(shape.input) || typed(shape.output);
}

/** The delegate type LambdaBootstrapBuilder.Create accepts for this shape (ValueTask handlers are adapted to Task). */
function delegateType(shape: HandlerShape): string {
  const params = [shape.input?.written, shape.hasContext ? 'ILambdaContext' : undefined].filter(
    (p): p is string => p !== undefined,
  );
  if (shape.async === 'sync' && !shape.output)
    return params.length === 0 ? 'Action' : `Action<${params.join(', ')}>`;
  const result =
    shape.async === 'sync'
      ? (shape.output?.written as string)
      : shape.output
        ? `Task<${shape.output.written}>`
        : 'Task';
  return `Func<${[...params, result].join(', ')}>`;
}

/** The handler's class as code in `namespace` names it. */
function ownerPath(shape: HandlerShape, namespace: string): string {
  const owner = shape.method.owner;
  if (owner.namespace === namespace)
    return namespace ? owner.fullName.slice(namespace.length + 1) : owner.fullName;
  return `global::${owner.fullName}`;
}

/** Statements that build the LambdaBootstrapBuilder for one handler; the instance (if any) is created once. */
function builderStatements(
  shape: HandlerShape,
  serializer: string,
  namespace: string,
): { lines: string[]; builder: string } {
  const lines: string[] = [];
  const owner = ownerPath(shape, namespace);
  let target = `${owner}.${shape.method.name}`;
  if (!shape.method.isStatic) {
    lines.push(`var function = new ${owner}();`);
    target = `function.${shape.method.name}`;
  }
  const type = delegateType(shape);
  if (shape.async === 'valuetask') {
    // RuntimeSupport takes Task-returning delegates; the adapter awaits the ValueTask once per invocation.
    const args = [shape.input ? 'input' : undefined, shape.hasContext ? 'context' : undefined]
      .filter(Boolean)
      .join(', ');
    lines.push(`${type} handler = async (${args}) => await ${target}(${args});`);
  } else {
    lines.push(`${type} handler = ${target};`);
  }
  const args = needsSerializer(shape) ? `handler, ${serializer}` : 'handler';
  return { lines, builder: `LambdaBootstrapBuilder.Create(${args})` };
}

function wrapNamespace(style: CodeStyle, body: string[]): string {
  const { eol, indent } = style;
  const usings = style.usings.map((u) => `${u}${eol}`).join('');
  if (!style.namespace) return `${usings}${eol}${body.join(eol)}${eol}`;
  if (style.fileScopedNamespace)
    return `${usings}${eol}namespace ${style.namespace};${eol}${eol}${body.join(eol)}${eol}`;
  const inner = body.map((l) => (l === '' ? l : indent + l));
  return `${usings}${eol}namespace ${style.namespace}${eol}{${eol}${inner.join(eol)}${eol}}${eol}`;
}

/** Names of Main's helpers, one per handler: `prefix` and the method's name, numbered where two methods share it. */
function handlerMethodNames(shapes: readonly HandlerShape[], prefix: string): string[] {
  return shapes.map(
    (s, n) =>
      `${prefix}${s.method.name}${shapes.filter((o) => o.method.name === s.method.name).length > 1 ? n + 1 : ''}`,
  );
}

const severalHandlersSummary =
  "/// <summary>One executable serves several functions: Lambda passes each one's Handler setting in _HANDLER.</summary>";

/**
 * Main's switch on Lambda's _HANDLER variable: each handler string calls its helper in `names`. Any other fails the
 * init phase through the runtime client (`unknown` turns the throw expression into the arm's value), so Lambda gets
 * a /runtime/init/error instead of a process that died unreported and a caller waiting for the timeout.
 * `lead` is what the statement does with the switch's value (`var bootstrap =`, `return`).
 */
function handlerSwitch(
  shapes: readonly HandlerShape[],
  names: readonly string[],
  i: string,
  lead: string,
  unknown: (throwExpression: string) => string,
): string[] {
  const known = shapes
    .map((s) => s.ref.text)
    .join(', ')
    .replace(/[{}"\\]/g, '');
  return [
    `${i}${i}var handlerName = Environment.GetEnvironmentVariable("_HANDLER");`,
    `${i}${i}${lead} handlerName switch`,
    `${i}${i}{`,
    ...shapes.map((s, n) => `${i}${i}${i}${csString(s.ref.text)} => ${names[n]}(),`),
    `${i}${i}${i}_ => ${unknown(`throw new InvalidOperationException($"Unknown handler '{handlerName}': set the function's Handler to one of ${known}.")`)},`,
    `${i}${i}};`,
  ];
}

/** Program.cs for a project that had no entry point. Several handlers are told apart by Lambda's _HANDLER variable. */
export function renderEntryPoint(
  className: string,
  shapes: readonly HandlerShape[],
  style: CodeStyle,
): string {
  const i = style.indent;
  const serializer = `new SourceGeneratorLambdaJsonSerializer<${contextClassName}>()`;
  const body: string[] = [
    `// Entry point of the NativeAOT executable (added by aot-lambda convert): Amazon.Lambda.RuntimeSupport calls`,
    `// the handler, and ${contextClassName} serializes its types without reflection.`,
    `public static class ${className}`,
    '{',
  ];
  if (shapes.length === 1) {
    const shape = shapes[0] as HandlerShape;
    const { lines, builder } = builderStatements(shape, serializer, style.namespace);
    body.push(
      `${i}/// <summary>Runs ${shape.ref.text}.</summary>`,
      `${i}public static async Task Main()`,
      `${i}{`,
      ...lines.map((l) => `${i}${i}${l}`),
      `${i}${i}await ${builder}`,
      `${i}${i}${i}.Build()`,
      `${i}${i}${i}.RunAsync();`,
      `${i}}`,
    );
  } else {
    const names = handlerMethodNames(shapes, 'Bootstrap');
    body.push(
      `${i}${severalHandlersSummary}`,
      `${i}public static async Task Main()`,
      `${i}{`,
      ...handlerSwitch(
        shapes,
        names,
        i,
        'var bootstrap =',
        // LambdaBootstrap posts an initializer's exception to /runtime/init/error before it exits.
        (error) => `LambdaBootstrapBuilder.Create(() => { }).UseBootstrapHandler(() => ${error})`,
      ),
      `${i}${i}await bootstrap.Build().RunAsync();`,
      `${i}}`,
    );
    shapes.forEach((shape, n) => {
      const { lines, builder } = builderStatements(shape, serializer, style.namespace);
      body.push(
        '',
        `${i}private static LambdaBootstrapBuilder ${names[n]}()`,
        `${i}{`,
        ...lines.map((l) => `${i}${i}${l}`),
        `${i}${i}return ${builder};`,
        `${i}}`,
      );
    });
  }
  body.push('}');
  return wrapNamespace(style, body);
}

/** How the generated context serializes, beyond the types it lists. */
export interface ContextOptions {
  /** camelCase property names (the project used CamelCaseLambdaJsonSerializer). */
  readonly camelCase: boolean;
  /**
   * Case-insensitive property matching and no null properties written: DefaultLambdaJsonSerializer's settings,
   * kept when the context itself is the serializer (the built-in client) instead of a Lambda serializer's input.
   */
  readonly lambdaDefaults?: boolean;
}

/** The JsonSerializerContext listing each type once. */
export function renderJsonContext(
  types: readonly string[],
  style: CodeStyle,
  options: ContextOptions,
): string {
  const settings = [
    ...(options.lambdaDefaults
      ? ['PropertyNameCaseInsensitive = true', 'DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull']
      : []),
    ...(options.camelCase ? ['PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase'] : []),
  ];
  const body = [
    `// Source-generated System.Text.Json metadata for every type the handler reads or returns (added by aot-lambda`,
    `// convert): NativeAOT cannot serialize through reflection. Add a [JsonSerializable] line for each new type.`,
    ...(options.lambdaDefaults
      ? [
          `// The options are those of the Lambda serializer the project used before: property names match`,
          `// case-insensitively and null properties are not written.`,
        ]
      : []),
    ...(settings.length === 0
      ? []
      : settings.length === 1
        ? [`[JsonSourceGenerationOptions(${settings[0]})]`]
        : [
            '[JsonSourceGenerationOptions(',
            ...settings.map((x, n) => `${style.indent}${x}${n < settings.length - 1 ? ',' : ')]'}`),
          ]),
    ...types.map((t) => `[JsonSerializable(typeof(${t}))]`),
    `public partial class ${contextClassName} : JsonSerializerContext`,
    '{',
    '}',
  ];
  return wrapNamespace(style, body);
}

/** The handler's call as the built-in client's `Func<TInput, ILambdaContext, TOutput>` factory expects it. */
function minimalFactory(shape: HandlerShape, namespace: string, i: string): string[] {
  const owner = ownerPath(shape, namespace);
  const args = ['input', shape.hasContext ? 'context' : undefined].filter(Boolean).join(', ');
  const exact = shape.hasContext && shape.async !== 'valuetask';
  const target = shape.method.isStatic ? `${owner}.${shape.method.name}` : `function.${shape.method.name}`;
  // ValueTask<T> is awaited into the Task<T> the client takes; a handler without a context ignores the client's.
  const lambda =
    shape.async === 'valuetask'
      ? `async (input, context) => await ${target}(${args})`
      : `(input, context) => ${target}(${args})`;
  if (exact) {
    return [
      shape.method.isStatic ? `static () => ${target},` : `static () => new ${owner}().${shape.method.name},`,
    ];
  }
  if (shape.method.isStatic) return [`static () => ${lambda},`];
  return ['static () =>', '{', `${i}var function = new ${owner}();`, `${i}return ${lambda};`, '},'];
}

/** `LambdaRuntime.RunAsync<TIn, TOut>(factory, Context.Default)` for one handler, as the lines of an expression. */
function minimalRun(shape: HandlerShape, namespace: string, i: string): string[] {
  const input = shape.input?.written as string;
  const output = shape.output?.written as string;
  return [
    `LambdaRuntime.RunAsync<${input}, ${output}>(`,
    ...minimalFactory(shape, namespace, i).map((l) => `${i}${l}`),
    `${i}${contextClassName}.Default);`,
  ];
}

/**
 * Program.cs for a project that had no entry point, on the built-in client (Runtime/LambdaRuntime.cs): Main
 * constructs the handler's class once (the init phase) and runs the invoke loop. Several handlers are told apart
 * by Lambda's _HANDLER variable.
 */
export function renderMinimalEntryPoint(
  className: string,
  shapes: readonly HandlerShape[],
  style: CodeStyle,
): string {
  const i = style.indent;
  const body: string[] = [
    `// Entry point of the NativeAOT executable (added by aot-lambda convert): the built-in Lambda Runtime API client`,
    `// (Runtime/) calls the handler, and ${contextClassName} serializes its types without reflection.`,
    `public static class ${className}`,
    '{',
  ];
  if (shapes.length === 1) {
    const shape = shapes[0] as HandlerShape;
    const [first, ...rest] = minimalRun(shape, style.namespace, i);
    body.push(
      `${i}/// <summary>Runs ${shape.ref.text}; the exit code is the runtime client's.</summary>`,
      `${i}public static Task<int> Main() =>`,
      `${i}${i}${first}`,
      ...rest.map((l) => `${i}${i}${l}`),
    );
  } else {
    const names = handlerMethodNames(shapes, 'Run');
    body.push(
      `${i}${severalHandlersSummary}`,
      `${i}public static Task<int> Main()`,
      `${i}{`,
      ...handlerSwitch(
        shapes,
        names,
        i,
        'return',
        // The client's RunAsync reports an exception of its initialize step to /runtime/init/error.
        (error) => `LambdaRuntime.RunAsync(() => ${error})`,
      ),
      `${i}}`,
    );
    shapes.forEach((shape, n) => {
      const [first, ...rest] = minimalRun(shape, style.namespace, i);
      body.push(
        '',
        `${i}private static Task<int> ${names[n]}() =>`,
        `${i}${i}${first}`,
        ...rest.map((l) => `${i}${i}${l}`),
      );
    });
  }
  body.push('}');
  return wrapNamespace(style, body);
}

/** Usings of Program.cs on the built-in client: System ones when the project has no implicit usings, and the client's. */
export function minimalEntryPointUsings(implicitUsings: boolean, runtimeNamespace: string): string[] {
  return [
    ...(implicitUsings ? [] : ['using System;', 'using System.Threading.Tasks;']),
    `using ${runtimeNamespace};`,
  ];
}

export function entryPointUsings(implicitUsings: boolean): string[] {
  return [
    ...(implicitUsings ? [] : ['using System;', 'using System.Threading.Tasks;']),
    'using Amazon.Lambda.Core;',
    'using Amazon.Lambda.RuntimeSupport;',
    `using ${serializerNamespace};`,
  ];
}

export const contextUsings = ['using System.Text.Json.Serialization;'];

/** Copied directives first (their order kept), then the ones the generated code needs, each once. */
export function mergeUsings(copied: readonly string[], needed: readonly string[]): string[] {
  const seen = new Set<string>();
  return [...copied, ...needed].filter((u) => {
    const key = u.replace(/\s+/g, ' ');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export { serializerNamespace };
