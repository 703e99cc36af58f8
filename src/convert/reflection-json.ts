import type { SyntaxNode } from '../csharp/parser.js';
import {
  argumentsOf,
  memberCalls,
  usingDirectives,
  type SourceFile,
  type TypeDecl,
} from './csharp-source.js';
import { globalUsingNamespaces } from './minimal-client.js';
import { replaceRange, type TextEdit } from './splice.js';

/**
 * Reflection-based System.Text.Json calls in the handler's code: `JsonSerializer.Deserialize<Order>(body)` or
 * `JsonSerializer.Serialize(total)`. Under NativeAOT they warn IL2026/IL3050 at publish and throw at run time
 * (reflection serialization is off by default there). Each call of the one-argument forms whose type is known gets
 * the source-generated metadata as a second argument, `LambdaFunctionJsonSerializerContext.Default.Order`, and the type
 * joins the context. The generic overloads taking a JsonTypeInfo<T> behave as the reflection ones with the same
 * options; a context without options of its own has JsonSerializerOptions' defaults, as these calls had.
 */
export interface ReflectionJsonCall {
  readonly file: SourceFile;
  /** The serialized type as written, e.g. `Order`. */
  readonly type: string;
  /** Where the extra argument goes: just before the argument list's `)`. */
  readonly insertAt: number;
  /** The namespace the call is written in (its enclosing type's), '' for the global one. */
  readonly namespace: string;
  readonly line: number;
}

export interface ReflectionJsonFindings {
  readonly calls: readonly ReflectionJsonCall[];
  /** Calls convert cannot rewrite, as notes naming the file and line. */
  readonly notes: readonly string[];
}

const methods = ['Serialize', 'Deserialize'] as const;

/** `JsonSerializer` as System.Text.Json's: qualified, or imported by the file or a global using. */
function isSystemTextJson(callee: string, file: SourceFile, globalImport: boolean): boolean {
  if (/^(global::)?System\.Text\.Json\.JsonSerializer$/.test(callee)) return true;
  return (
    callee === 'JsonSerializer' &&
    (globalImport ||
      usingDirectives(file).some((u) => /^(global\s+)?using\s+System\.Text\.Json\s*;$/.test(u.trim())))
  );
}

/** The one type argument of `Method<T>`, if written. */
function typeArgument(fn: SyntaxNode): SyntaxNode | undefined {
  const name = fn.childForFieldName('name');
  if (name?.type !== 'generic_name') return undefined;
  const args = name.namedChildren.find((c) => c?.type === 'type_argument_list')?.namedChildren ?? [];
  return args.length === 1 ? (args[0] ?? undefined) : undefined;
}

/** The declared type of a local or parameter `name` visible from `node`, or the type `new T(...)` creates. */
function typeOfIdentifier(node: SyntaxNode): SyntaxNode | undefined {
  const name = node.text;
  let scope: SyntaxNode | null = node.parent;
  while (scope && scope.type !== 'method_declaration' && scope.type !== 'local_function_statement')
    scope = scope.parent;
  if (!scope) return undefined;
  const declarator = scope
    .descendantsOfType('variable_declarator')
    .find((d) => d?.childForFieldName('name')?.text === name);
  if (declarator) {
    const declared = declarator.parent?.childForFieldName('type');
    if (declared && declared.text !== 'var') return declared;
    const init = declarator.namedChildren.filter((c): c is SyntaxNode => c !== null).at(-1);
    return init?.type === 'object_creation_expression'
      ? (init.childForFieldName('type') ?? undefined)
      : undefined;
  }
  const parameter = scope
    .descendantsOfType('parameter')
    .find((p) => p?.childForFieldName('name')?.text === name);
  return parameter?.childForFieldName('type') ?? undefined;
}

/** Named types only (`Order`, `Models.Order`): the context's property for them is the simple name. */
const isNamedType = (t: SyntaxNode | undefined): t is SyntaxNode =>
  t !== undefined && (t.type === 'identifier' || t.type === 'qualified_name');

export function reflectionJsonCalls(
  files: readonly SourceFile[],
  types: readonly TypeDecl[],
): ReflectionJsonFindings {
  const calls: ReflectionJsonCall[] = [];
  const notes: string[] = [];
  const globalImport = globalUsingNamespaces(files).includes('System.Text.Json');
  for (const file of files) {
    for (const method of methods) {
      for (const call of memberCalls(file.parsed.root, 'JsonSerializer', method)) {
        const fn = call.childForFieldName('function') as SyntaxNode;
        if (!isSystemTextJson(fn.childForFieldName('expression')?.text ?? '', file, globalImport)) continue;
        const args = argumentsOf(call);
        // Two or more arguments: options, a JsonTypeInfo or a context already, or a Stream form; not ours.
        if (args.length !== 1) continue;
        const line = call.startPosition.row + 1;
        const arg = args[0] as SyntaxNode;
        const type =
          typeArgument(fn) ??
          (method === 'Serialize' && arg.type === 'identifier' ? typeOfIdentifier(arg) : undefined);
        if (!isNamedType(type)) {
          notes.push(
            `${file.path}:${line}: JsonSerializer.${method} uses reflection, which NativeAOT does not allow, and convert cannot ` +
              `tell its type: list the type in LambdaFunctionJsonSerializerContext and pass its JsonTypeInfo (Context.Default.Type)`,
          );
          continue;
        }
        const owner = types
          .filter(
            (t) =>
              t.file === file && t.node.startIndex <= call.startIndex && call.endIndex <= t.node.endIndex,
          )
          .at(-1);
        const list = call.childForFieldName('arguments') as SyntaxNode;
        calls.push({
          file,
          type: type.text,
          insertAt: list.endIndex - 1,
          namespace: owner?.namespace ?? '',
          line,
        });
      }
    }
  }
  // In reading order, for the report.
  calls.sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file) || a.insertAt - b.insertAt);
  return { calls, notes };
}

/** The context's simple name, where the type-info property is `Simple` for `Ns.Simple`. */
const propertyOf = (type: string): string => type.slice(type.lastIndexOf('.') + 1);

/** Edits per file passing `context` (its class name in `namespace`) to each call. */
export function reflectionJsonEdits(
  calls: readonly ReflectionJsonCall[],
  context: { readonly name: string; readonly namespace: string },
): Map<SourceFile, TextEdit[]> {
  const edits = new Map<SourceFile, TextEdit[]>();
  for (const c of calls) {
    const ref =
      c.namespace === context.namespace
        ? context.name
        : `global::${context.namespace ? `${context.namespace}.` : ''}${context.name}`;
    const edit = replaceRange(c.insertAt, c.insertAt, `, ${ref}.Default.${propertyOf(c.type)}`);
    edits.set(c.file, [...(edits.get(c.file) ?? []), edit]);
  }
  return edits;
}

/** The report line for the rewritten calls. */
export function reflectionJsonNote(calls: readonly ReflectionJsonCall[], contextName: string): string[] {
  if (calls.length === 0) return [];
  const where = calls.map((c) => `${c.file.path}:${c.line}`).join(', ');
  return [
    `${where}: JsonSerializer calls now pass ${contextName}'s source-generated metadata (reflection serialization fails under NativeAOT)`,
  ];
}
