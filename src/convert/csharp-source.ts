import { type ParseCSharp, type ParsedCSharp, type SyntaxNode } from '../csharp/parser.js';

/**
 * The project's C# as tree-sitter sees it: type declarations with their namespace-qualified names, methods
 * with parameters and return types, entry points. Names come from the syntax tree, never from regexes.
 */
export interface SourceFile {
  /** Path relative to the project folder, with forward slashes. */
  readonly path: string;
  readonly text: string;
  readonly parsed: ParsedCSharp;
}

export interface TypeDecl {
  /** Namespace-qualified name with `.` between nested types, as C# code names it. */
  readonly fullName: string;
  /** As Lambda's handler string names it: nested types joined with `+`. */
  readonly clrName: string;
  readonly name: string;
  readonly namespace: string;
  readonly node: SyntaxNode;
  readonly file: SourceFile;
  readonly isStatic: boolean;
  readonly isGeneric: boolean;
  /** Names of types declared directly inside this one. */
  readonly nestedTypeNames: readonly string[];
}

export interface Parameter {
  readonly type: string;
  readonly typeNode: SyntaxNode;
  readonly name: string;
}

export interface MethodDecl {
  readonly name: string;
  readonly node: SyntaxNode;
  readonly owner: TypeDecl;
  readonly isStatic: boolean;
  readonly isPublic: boolean;
  readonly isGeneric: boolean;
  readonly parameters: readonly Parameter[];
  readonly returns: SyntaxNode;
  /** 1-based line of the declaration, for messages. */
  readonly line: number;
}

const typeDeclarationKinds = new Set([
  'class_declaration',
  'record_declaration',
  'struct_declaration',
  'record_struct_declaration',
  'interface_declaration',
]);

export async function loadSource(parse: ParseCSharp, path: string, text: string): Promise<SourceFile> {
  return { path, text, parsed: await parse(text) };
}

function modifiers(node: SyntaxNode): string[] {
  return node.children.filter((c) => c?.type === 'modifier').map((c) => (c as SyntaxNode).text);
}

/** The file-scoped namespace of the compilation unit, if any. */
function fileNamespace(root: SyntaxNode): string {
  const decl = root.namedChildren.find((c) => c?.type === 'file_scoped_namespace_declaration');
  return decl?.childForFieldName('name')?.text.replace(/\s+/g, '') ?? '';
}

function enclosingNames(node: SyntaxNode): { namespace: string[]; types: string[] } {
  const namespace: string[] = [];
  const types: string[] = [];
  for (let p = node.parent; p; p = p.parent) {
    const name = p.childForFieldName('name')?.text.replace(/\s+/g, '');
    if (!name) continue;
    if (p.type === 'namespace_declaration') namespace.unshift(name);
    else if (typeDeclarationKinds.has(p.type)) types.unshift(name);
  }
  return { namespace, types };
}

export function typeDeclarations(file: SourceFile): TypeDecl[] {
  const root = file.parsed.root;
  const fileNs = fileNamespace(root);
  return root.descendantsOfType([...typeDeclarationKinds]).flatMap((node) => {
    if (!node) return [];
    const name = node.childForFieldName('name')?.text ?? '';
    const outer = enclosingNames(node);
    const namespace = [fileNs, ...outer.namespace].filter((s) => s.length > 0).join('.');
    const typePath = [...outer.types, name];
    const prefix = namespace ? `${namespace}.` : '';
    const body = node.childForFieldName('body');
    return [
      {
        fullName: prefix + typePath.join('.'),
        clrName: prefix + typePath.join('+'),
        name,
        namespace,
        node,
        file,
        isStatic: modifiers(node).includes('static'),
        isGeneric: node.children.some((c) => c?.type === 'type_parameter_list'),
        nestedTypeNames: (body?.namedChildren ?? [])
          .filter((c) => c && (typeDeclarationKinds.has(c.type) || c.type === 'enum_declaration'))
          .map((c) => (c as SyntaxNode).childForFieldName('name')?.text ?? ''),
      },
    ];
  });
}

export function methodsOf(type: TypeDecl): MethodDecl[] {
  const body = type.node.childForFieldName('body');
  return (body?.namedChildren ?? []).flatMap((node) => {
    if (!node || node.type !== 'method_declaration') return [];
    const mods = modifiers(node);
    const parameters = (node.childForFieldName('parameters')?.namedChildren ?? []).flatMap((p) => {
      if (!p || p.type !== 'parameter') return [];
      const typeNode = p.childForFieldName('type');
      return typeNode
        ? [{ type: typeNode.text, typeNode, name: p.childForFieldName('name')?.text ?? '' }]
        : [];
    });
    const returns = node.childForFieldName('returns') ?? node.childForFieldName('type');
    if (!returns) return [];
    return [
      {
        name: node.childForFieldName('name')?.text ?? '',
        node,
        owner: type,
        isStatic: mods.includes('static'),
        isPublic: mods.includes('public'),
        isGeneric: node.children.some((c) => c?.type === 'type_parameter_list'),
        parameters,
        returns,
        line: node.startPosition.row + 1,
      },
    ];
  });
}

/** `using` directives at the top of the file and inside its namespaces (aliases and statics included). */
export function usingDirectives(file: SourceFile): string[] {
  return file.parsed.root
    .descendantsOfType('using_directive')
    .filter((u) => u !== null && !u.text.startsWith('global '))
    .map((u) => (u as SyntaxNode).text.replace(/\s+/g, ' '));
}

export interface EntryPoint {
  readonly file: SourceFile;
  /** The Main method, or undefined for top-level statements. */
  readonly main: MethodDecl | undefined;
  readonly line: number;
}

export function entryPoints(file: SourceFile, types: readonly TypeDecl[]): EntryPoint[] {
  const found: EntryPoint[] = [];
  const root = file.parsed.root;
  const firstGlobal = root.namedChildren.find((c) => c?.type === 'global_statement');
  if (firstGlobal) found.push({ file, main: undefined, line: firstGlobal.startPosition.row + 1 });
  for (const type of types.filter((t) => t.file === file)) {
    for (const method of methodsOf(type)) {
      if (method.name === 'Main' && method.isStatic) found.push({ file, main: method, line: method.line });
    }
  }
  return found;
}

/** `Create` for both `Create` and `Create<TIn, TOut>`. */
function simpleName(name: SyntaxNode | null): string | undefined {
  return name?.type === 'generic_name' ? name.namedChildren[0]?.text : name?.text;
}

/**
 * Calls to `typeName.method(...)` or `.method<T...>(...)` inside `scope`, the type named simply or qualified:
 * `memberCalls(scope, 'LambdaBootstrapBuilder', 'Create')`.
 */
export function memberCalls(scope: SyntaxNode, typeName: string, method: string): SyntaxNode[] {
  const owner = new RegExp(`(^|\\.)${typeName}$`);
  return scope.descendantsOfType('invocation_expression').filter((call): call is SyntaxNode => {
    const fn = call?.childForFieldName('function');
    return (
      fn?.type === 'member_access_expression' &&
      simpleName(fn.childForFieldName('name')) === method &&
      owner.test(fn.childForFieldName('expression')?.text ?? '')
    );
  });
}

export function argumentsOf(call: SyntaxNode): SyntaxNode[] {
  const list = call.childForFieldName('arguments');
  return (list?.namedChildren ?? [])
    .filter((a) => a?.type === 'argument')
    .map((a) => (a as SyntaxNode).namedChildren.at(-1) as SyntaxNode);
}
