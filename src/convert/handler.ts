import { parseTypeName, TypeNameError } from '../csharp/type-names.js';
import type { SyntaxNode } from '../csharp/parser.js';
import { fail } from './errors.js';
import { methodsOf, type MethodDecl, type TypeDecl } from './csharp-source.js';

/**
 * Lambda's .NET handler string `Assembly::Namespace.Type::Method`, and the method it names: found by
 * namespace-qualified type and name, overloads picked the way Lambda picks them, and its signature reduced to
 * what the entry point needs (input, context, output, sync/Task/ValueTask).
 */
export interface HandlerRef {
  readonly text: string;
  readonly assembly: string;
  readonly type: string;
  readonly method: string;
}

export function parseHandlerRef(text: string, source: string): HandlerRef {
  const parts = text.split('::');
  if (parts.length !== 3 || parts.some((p) => p.trim() === '')) {
    fail(
      `The handler '${text}' (${source}) is not in Lambda's .NET form Assembly::Namespace.Type::Method, ` +
        `e.g. --handler MyFunction::MyFunction.Function::FunctionHandler.`,
    );
  }
  const [assembly, type, method] = parts.map((p) => p.trim()) as [string, string, string];
  return { text, assembly, type, method };
}

export function isHandlerRef(text: string | undefined): text is string {
  return text !== undefined && text.includes('::');
}

/** A type that may or may not be there: Stream means raw bytes, anything else goes through the serializer. */
export interface HandlerType {
  /** As written in the signature (nested types qualified by their owner so code outside it can name them). */
  readonly written: string;
  readonly isStream: boolean;
}

export interface HandlerShape {
  readonly ref: HandlerRef;
  readonly method: MethodDecl;
  readonly input: HandlerType | undefined;
  readonly hasContext: boolean;
  /** The context parameter's type as written (whitespace removed), when there is one. */
  readonly contextType: string | undefined;
  readonly output: HandlerType | undefined;
  readonly async: 'sync' | 'task' | 'valuetask';
}

const streamTypes = new Set(['Stream', 'System.IO.Stream', 'global::System.IO.Stream']);
/** Amazon.Lambda.Core's ILambdaContext, or the built-in client's (`<ns>.Runtime.ILambdaContext`), as written. */
const contextTypes = /^(global::)?([\p{L}_][\p{L}\p{Nd}_]*\.)*ILambdaContext$/u;
const taskNames: Record<string, 'task' | 'valuetask'> = {
  Task: 'task',
  'System.Threading.Tasks.Task': 'task',
  ValueTask: 'valuetask',
  'System.Threading.Tasks.ValueTask': 'valuetask',
};

/** The parameter type is ILambdaContext (Amazon.Lambda.Core's or the built-in client's), however qualified. */
export function isContext(type: string): boolean {
  return contextTypes.test(type.replace(/\s+/g, ''));
}

/** How well the parameter list fits Lambda's accepted shapes: 3 (TIn, ILambdaContext), 2 one parameter, 1 none, 0 not a handler. */
export function fitRank(method: MethodDecl): number {
  if (method.isGeneric) return 0;
  const [first, second] = method.parameters;
  if (method.parameters.length === 0) return 1;
  if (method.parameters.length === 1) return 2;
  if (method.parameters.length === 2 && first && second && !isContext(first.type) && isContext(second.type))
    return 3;
  return 0;
}

/** Qualifies names of types nested in the handler's class, so the entry point (outside it) can name them. */
function qualifyNested(type: string, owner: TypeDecl): string {
  if (owner.nestedTypeNames.length === 0) return type;
  const ownerPath = owner.namespace ? owner.fullName.slice(owner.namespace.length + 1) : owner.fullName;
  return type.replace(/(?<![\w.:])([\p{L}_][\p{L}\p{Nd}_]*)/gu, (name: string) =>
    owner.nestedTypeNames.includes(name) ? `${ownerPath}.${name}` : name,
  );
}

/** A handler's input or output type as written; `owner` given, names of types nested in it are qualified. */
export function handlerType(written: string, owner?: TypeDecl): HandlerType {
  const compact = written.replace(/\s+/g, ' ').trim();
  return { written: owner ? qualifyNested(compact, owner) : compact, isStream: streamTypes.has(compact) };
}

function returnShape(returns: SyntaxNode, owner: TypeDecl): Pick<HandlerShape, 'output' | 'async'> {
  const text = returns.text.replace(/\s+/g, '');
  if (text === 'void') return { output: undefined, async: 'sync' };
  const plain = taskNames[text];
  if (plain) return { output: undefined, async: plain };
  // Task<T> / ValueTask<T>, possibly namespace-qualified: the generic name is the last segment.
  const generic = returns.type === 'qualified_name' ? returns.childForFieldName('name') : returns;
  if (generic?.type === 'generic_name') {
    const name =
      returns.type === 'qualified_name'
        ? `${returns.childForFieldName('qualifier')?.text}.${generic.namedChildren[0]?.text}`
        : generic.namedChildren[0]?.text;
    const kind = taskNames[(name ?? '').replace(/\s+/g, '')];
    const args = generic.namedChildren.find((c) => c?.type === 'type_argument_list')?.namedChildren ?? [];
    if (kind && args.length === 1 && args[0])
      return { output: handlerType(args[0].text, owner), async: kind };
  }
  return { output: handlerType(returns.text, owner), async: 'sync' };
}

export function handlerShape(ref: HandlerRef, method: MethodDecl): HandlerShape {
  const params = method.parameters;
  const first = params[0];
  const inputParam = first && !(params.length === 1 && isContext(first.type)) ? first : undefined;
  return {
    ref,
    method,
    input: inputParam ? handlerType(inputParam.type, method.owner) : undefined,
    hasContext: params.some((p) => isContext(p.type)),
    contextType: params.find((p) => isContext(p.type))?.type.replace(/\s+/g, ''),
    ...returnShape(method.returns, method.owner),
  };
}

export function describeMethod(m: MethodDecl): string {
  const params = m.parameters.map((p) => `${p.type} ${p.name}`).join(', ');
  return `${m.owner.clrName}::${m.name}(${params}) returning ${m.returns.text} (${m.owner.file.path}:${m.line})`;
}

/** Methods anywhere in the project that Lambda could call as a handler: public, non-generic, fitting parameters. */
export function candidateHandlers(types: readonly TypeDecl[]): MethodDecl[] {
  return types
    .filter((t) => !t.isGeneric && t.node.type !== 'interface_declaration')
    .flatMap(methodsOf)
    .filter((m) => m.isPublic && m.name !== 'Main' && fitRank(m) > 0);
}

/** One line of a list of candidate handlers: the handler string that names the method, and where it is. */
export function candidateLine(method: MethodDecl, assembly: string): string {
  return `  ${assembly}::${method.owner.clrName}::${method.name}   (${method.owner.file.path}:${method.line})`;
}

function candidateList(types: readonly TypeDecl[], assembly: string): string {
  const found = candidateHandlers(types);
  if (found.length === 0) return 'No public method in the project looks like a handler.';
  return `Methods that could be handlers:\n${found.map((m) => candidateLine(m, assembly)).join('\n')}`;
}

/** Finds the method named by `ref` (partial classes across files included) and picks the overload Lambda would. */
export function resolveHandler(ref: HandlerRef, types: readonly TypeDecl[]): HandlerShape {
  const owners = types.filter((t) => t.clrName === ref.type || t.fullName === ref.type);
  if (owners.length === 0) {
    fail(
      `Handler '${ref.text}': no class ${ref.type} in the project. ${candidateList(types, ref.assembly)}\nPass the right one with --handler.`,
    );
  }
  if (owners.some((t) => t.isGeneric))
    fail(`Handler '${ref.text}': ${ref.type} is generic; Lambda cannot construct an open generic class.`);
  const named = owners.flatMap(methodsOf).filter((m) => m.name === ref.method);
  if (named.length === 0) {
    fail(
      `Handler '${ref.text}': ${ref.type} has no method ${ref.method}. ${candidateList(types, ref.assembly)}\nPass the right one with --handler.`,
    );
  }
  const best = Math.max(...named.map(fitRank));
  if (best === 0) {
    fail(
      `Handler '${ref.text}': no overload of ${ref.method} has a parameter list Lambda accepts ((TIn, ILambdaContext), (TIn) or ()):\n` +
        named.map((m) => `  ${describeMethod(m)}`).join('\n'),
    );
  }
  const picked = named.filter((m) => fitRank(m) === best);
  if (picked.length > 1) {
    fail(
      `Handler '${ref.text}' is ambiguous: ${picked.length} overloads of ${ref.method} fit equally well:\n` +
        picked.map((m) => `  ${describeMethod(m)}`).join('\n') +
        `\nRename one of them (Lambda cannot choose either) and pass --handler with the new name.`,
    );
  }
  return handlerShape(ref, picked[0] as MethodDecl);
}

/** The type as `typeof(...)` needs it (Task unwrapped, reference-type `?` dropped); a clear error when it cannot be named. */
export function jsonTypeOf(type: HandlerType, where: string): string {
  try {
    return parseTypeName(type.written);
  } catch (error) {
    if (error instanceof TypeNameError) {
      fail(
        `${where}: the type '${type.written}' cannot be listed in a JsonSerializerContext (${error.message}). Use a named class or record for it.`,
      );
    }
    throw error;
  }
}
