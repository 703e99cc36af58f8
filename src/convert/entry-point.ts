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
    const names = shapes.map(
      (s, n) =>
        `Bootstrap${s.method.name}${shapes.filter((o) => o.method.name === s.method.name).length > 1 ? n + 1 : ''}`,
    );
    body.push(
      `${i}/// <summary>One executable serves several functions: Lambda passes each one's Handler setting in _HANDLER.</summary>`,
      `${i}public static async Task Main()`,
      `${i}{`,
      `${i}${i}var handlerName = Environment.GetEnvironmentVariable("_HANDLER");`,
      `${i}${i}var bootstrap = handlerName switch`,
      `${i}${i}{`,
      ...shapes.map((s, n) => `${i}${i}${i}${csString(s.ref.text)} => ${names[n]}(),`),
      `${i}${i}${i}_ => throw new InvalidOperationException($"Unknown handler '{handlerName}': set the function's Handler to one of ${shapes
        .map((s) => s.ref.text)
        .join(', ')
        .replace(/[{}"\\]/g, '')}."),`,
      `${i}${i}};`,
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

/** The JsonSerializerContext listing each type once. */
export function renderJsonContext(types: readonly string[], style: CodeStyle, camelCase: boolean): string {
  const body = [
    `// Source-generated System.Text.Json metadata for every type the handler reads or returns (added by aot-lambda`,
    `// convert): NativeAOT cannot serialize through reflection. Add a [JsonSerializable] line for each new type.`,
    ...(camelCase
      ? ['[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]']
      : []),
    ...types.map((t) => `[JsonSerializable(typeof(${t}))]`),
    `public partial class ${contextClassName} : JsonSerializerContext`,
    '{',
    '}',
  ];
  return wrapNamespace(style, body);
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
