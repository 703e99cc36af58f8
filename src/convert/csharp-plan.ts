import { basename, join } from 'node:path';
import { existsSync } from 'node:fs';
import type { SyntaxNode } from '../csharp/parser.js';
import { parseTypeName, TypeNameError } from '../csharp/type-names.js';
import { fail } from './errors.js';
import { readText } from './text-file.js';
import {
  argumentsOf,
  entryPoints,
  memberCalls,
  methodsOf,
  typeDeclarations,
  usingDirectives,
  type EntryPoint,
  type SourceFile,
  type TypeDecl,
} from './csharp-source.js';
import {
  contextClassName,
  contextUsings,
  entryPointUsings,
  mergeUsings,
  minimalEntryPointUsings,
  needsSerializer,
  renderEntryPoint,
  renderJsonContext,
  renderMinimalEntryPoint,
  serializerNamespace,
  type CodeStyle,
} from './entry-point.js';
import {
  candidateHandlers,
  candidateLine,
  fitRank,
  handlerShape,
  handlerType,
  isContext,
  jsonTypeOf,
  resolveHandler,
  type HandlerRef,
  type HandlerShape,
  type HandlerType,
} from './handler.js';
import {
  reflectionJsonCalls,
  reflectionJsonEdits,
  reflectionJsonNote,
  type ReflectionJsonCall,
} from './reflection-json.js';
import {
  checkMinimalHandler,
  checkRuntimeNamespaceFree,
  globalUsingNamespaces,
  runsMinimalClient,
  runtimeFolder,
} from './minimal-client.js';
import {
  applyEdits,
  deleteLines,
  indentAt,
  indentUnitOf,
  lineBreakOf,
  replaceRange,
  type TextEdit,
} from './splice.js';

/**
 * The C# side of a conversion: a new entry point wiring the handler(s), or the existing Main switched to the
 * source-generated serializer; the JsonSerializerContext (new, or completed); `[assembly: LambdaSerializer]`
 * made consistent. Returns whole-file texts keyed by absolute path.
 */
export interface CSharpInput {
  readonly projectDir: string;
  readonly files: readonly SourceFile[];
  readonly refs: readonly HandlerRef[];
  /** --handler was given explicitly. */
  readonly explicitHandler: boolean;
  readonly extraJsonTypes: readonly string[];
  readonly implicitUsings: boolean;
  readonly assemblyName: string;
  /** Set for --client minimal: the built-in client's namespace and its rendered Runtime/ files. */
  readonly minimal?: MinimalClient;
}

export interface MinimalClient {
  readonly namespace: string;
  /** Paths relative to the project folder. */
  readonly files: readonly { readonly path: string; readonly text: string }[];
}

export type FileTexts = Map<string, { before: string | undefined; after: string }>;

/** Edits gathered per existing file (applied together, so two edits to one file never overwrite each other) and new files. */
class EditSet {
  private readonly edits = new Map<SourceFile, TextEdit[]>();
  private readonly created = new Map<string, string>();
  edit(file: SourceFile, edits: readonly TextEdit[]): void {
    if (edits.length === 0) return;
    this.edits.set(file, [...(this.edits.get(file) ?? []), ...edits]);
  }
  create(path: string, text: string): void {
    this.created.set(path, text);
  }
  /** Keyed by path relative to the project folder. */
  result(): FileTexts {
    const out: FileTexts = new Map();
    for (const [file, edits] of this.edits)
      out.set(file.path, { before: file.text, after: applyEdits(file.text, edits) });
    for (const [path, text] of this.created) out.set(path, { before: undefined, after: text });
    return out;
  }
}

export interface CSharpPlan {
  /** Keyed by path relative to the project folder. */
  readonly files: FileTexts;
  readonly handlers: readonly string[];
  /** False for a Stream-only handler: no serializer package needed. */
  readonly usesSerializer: boolean;
  readonly notes: readonly string[];
}

const legacySerializers: Record<string, { camelCase: boolean }> = {
  DefaultLambdaJsonSerializer: { camelCase: false },
  CamelCaseLambdaJsonSerializer: { camelCase: true },
};

function lastSegment(typeText: string): string {
  return typeText.replace(/<.*$/s, '').split('.').at(-1)?.trim() ?? '';
}

function styleFor(file: SourceFile, namespace: string, usings: readonly string[]): CodeStyle {
  const root = file.parsed.root;
  return {
    indent: indentUnitOf(file.text),
    eol: lineBreakOf(file.text),
    namespace,
    fileScopedNamespace: root.namedChildren.some((c) => c?.type === 'file_scoped_namespace_declaration'),
    usings,
  };
}

function distinct(types: readonly string[]): string[] {
  return [...new Set(types)];
}

/** A file name in the project folder that is free, from the preferred ones. */
function freeName(projectDir: string, names: readonly string[], taken: (n: string) => boolean): string {
  const name = names.find((n) => !existsSync(join(projectDir, `${n}.cs`)) && !taken(n));
  if (!name)
    fail(
      `The project already has ${names.map((n) => `${n}.cs`).join(' and ')}; rename one so convert can add its file.`,
    );
  return name;
}

export function planCSharp(input: CSharpInput): CSharpPlan {
  const types = input.files.flatMap(typeDeclarations);
  const mains = input.files.flatMap((f) => entryPoints(f, types));
  if (mains.length > 1) {
    fail(
      `The project has ${mains.length} entry points (${mains.map((m) => `${m.file.path}:${m.line}`).join(', ')}); a NativeAOT ` +
        `executable has one. Remove the extra Main, then run convert again.`,
    );
  }
  const existing = mains[0];
  if (existing && runsMinimalClient([existing.file])) {
    if (!input.minimal) {
      fail(
        `${existing.file.path}:${existing.line} runs the built-in Lambda runtime client (LambdaRuntime.RunAsync), and convert does ` +
          `not switch a project between clients. Run convert without --client (or with --client minimal).`,
      );
    }
    // Converted before (or generated with --client minimal): the entry point and its files are the user's now.
    return {
      files: new Map(),
      handlers: [`${basename(existing.file.path)} (existing Main)`],
      usesSerializer: true,
      notes: [],
    };
  }
  if (existing && input.minimal) {
    fail(
      `${existing.file.path}:${existing.line} already has a Main, which starts the runtime client itself. convert wires the built-in ` +
        `client (--client minimal) only into projects without one, and does not rewrite an existing Main. Run convert with ` +
        `--client runtime-support (the default) to keep this Main, or move the Main out of the project (the handler stays) and run ` +
        `convert --client minimal again.`,
    );
  }
  if (existing) return updateEntryPoint(input, types, existing);
  return newEntryPoint(input, types);
}

function newEntryPoint(input: CSharpInput, types: readonly TypeDecl[]): CSharpPlan {
  if (input.refs.length === 0) {
    const found = candidateHandlers(types).map((m) => candidateLine(m, input.assemblyName));
    fail(
      `No handler found: aws-lambda-tools-defaults.json and the SAM/CloudFormation templates name none, and the project has no Main. ` +
        `Pass it with --handler Assembly::Namespace.Type::Method.` +
        (found.length > 0 ? `\nMethods that could be handlers:\n${found.join('\n')}` : ''),
    );
  }
  const shapes = input.refs.map((ref) => resolveHandler(ref, types));
  const minimal = input.minimal;
  if (minimal) {
    const globalUsings = globalUsingNamespaces(input.files);
    for (const shape of shapes) checkMinimalHandler(shape, minimal.namespace, globalUsings);
    checkRuntimeNamespaceFree(minimal.namespace, types);
  }
  const first = shapes[0] as HandlerShape;
  const namespace = first.method.owner.namespace;
  const handlerFiles = distinct(shapes.map((s) => s.method.owner.file.path)).map(
    (p) => input.files.find((f) => f.path === p) as SourceFile,
  );
  const copied = handlerFiles.flatMap(usingDirectives);
  const typeNames = distinct([
    ...shapes.flatMap((s) =>
      [s.input, s.output]
        .filter((t): t is HandlerType => t !== undefined && !t.isStream)
        .map((t) => jsonTypeOf(t, s.ref.text)),
    ),
    ...input.extraJsonTypes,
  ]);
  const usesSerializer = shapes.some(needsSerializer);
  const inNamespace = (n: string): boolean => types.some((t) => t.name === n && t.namespace === namespace);
  const programName = freeName(input.projectDir, ['Program', 'LambdaEntryPoint'], inNamespace);
  const contextFile = freeName(input.projectDir, ['LambdaJsonContext', contextClassName], () => false);
  if (inNamespace(contextClassName))
    fail(
      `${namespace || 'The global namespace'} already has a type named ${contextClassName}; rename it so convert can add its context.`,
    );
  const out = new EditSet();
  const handlerFile = first.method.owner.file;
  const legacy = legacyAttributeTypes(input.files);
  const camelCase = legacyAttributeIsCamelCase(legacy);
  const handlerList = shapes.map((s) => s.ref.text).join(', ');
  const notes: string[] = [];
  // Reflection JsonSerializer calls get the context's metadata, unless the context has options those calls lacked.
  const reflection = rewritableJson(input.files, types, camelCase || minimal !== undefined, notes);
  typeNames.push(...distinct(reflection.map((c) => c.type)).filter((t) => !typeNames.includes(t)));
  if (minimal) {
    const entryUsings = mergeUsings(copied, minimalEntryPointUsings(input.implicitUsings, minimal.namespace));
    out.create(
      `${programName}.cs`,
      renderMinimalEntryPoint(programName, shapes, styleFor(handlerFile, namespace, entryUsings)),
    );
    for (const file of minimal.files) {
      const path = join(input.projectDir, file.path);
      if (!existsSync(path)) out.create(file.path, file.text);
      else if (readText(path, file.path) !== file.text) {
        fail(
          `The project already has ${file.path}, which is not the built-in client's. Move it (or the whole ${runtimeFolder}/ ` +
            `folder) so convert can add the client there, then run convert again.`,
        );
      }
    }
    notes.push(
      `added ${programName}.cs: Main runs ${handlerList} through the built-in Lambda runtime client`,
      `added ${runtimeFolder}/*.cs: the built-in client, in namespace ${minimal.namespace}`,
    );
    notes.push(...removeSerializerAttributes(input.files, out));
  } else {
    const entryUsings = mergeUsings(copied, entryPointUsings(input.implicitUsings));
    out.create(
      `${programName}.cs`,
      renderEntryPoint(programName, shapes, styleFor(handlerFile, namespace, entryUsings)),
    );
    notes.push(`added ${programName}.cs: Main runs ${handlerList} through Amazon.Lambda.RuntimeSupport`);
  }
  if (usesSerializer || typeNames.length > 0) {
    const callUsings = [...new Set(reflection.map((c) => c.file))].flatMap(usingDirectives);
    const style = styleFor(handlerFile, namespace, mergeUsings([...copied, ...callUsings], contextUsings));
    out.create(
      `${contextFile}.cs`,
      renderJsonContext(typeNames, style, { camelCase, lambdaDefaults: minimal !== undefined }),
    );
  }
  if (!minimal)
    addAttributeEdits(legacy, namespace ? `${namespace}.${contextClassName}` : contextClassName, out);
  for (const [file, edits] of reflectionJsonEdits(reflection, { name: contextClassName, namespace }))
    out.edit(file, edits);
  notes.push(...reflectionJsonNote(reflection, contextClassName));
  return {
    files: out.result(),
    handlers: shapes.map((s) => s.ref.text),
    usesSerializer,
    notes,
  };
}

/** The attribute is `LambdaSerializer` (or `LambdaSerializerAttribute`), however qualified. */
function isLambdaSerializerAttribute(attribute: SyntaxNode | null | undefined): boolean {
  const name = lastSegment(attribute?.childForFieldName('name')?.text ?? '');
  return name === 'LambdaSerializer' || name === 'LambdaSerializerAttribute';
}

/** `[assembly: LambdaSerializer(...)]` lists of a single attribute: in `file`, with their node. */
function serializerAttributeLists(file: SourceFile): SyntaxNode[] {
  return file.parsed.root.descendantsOfType('global_attribute').filter((list): list is SyntaxNode => {
    const attributes = list?.namedChildren.filter((c) => c?.type === 'attribute') ?? [];
    return attributes.length === 1 && isLambdaSerializerAttribute(attributes[0]);
  });
}

/**
 * On the built-in client `[assembly: LambdaSerializer]` is read by nothing (only RuntimeSupport's class-library
 * mode reads it): it goes, with the comment line above it, so the serializer package it names can go too.
 */
function removeSerializerAttributes(files: readonly SourceFile[], out: EditSet): string[] {
  return files.flatMap((file) => {
    const lists = serializerAttributeLists(file);
    if (lists.length === 0) return [];
    out.edit(
      file,
      deleteLines(
        file.text,
        lists.map((l) => ({ start: l.startIndex, end: l.endIndex })),
        true,
      ),
    );
    return [`${file.path}: removed [assembly: LambdaSerializer]; only Amazon.Lambda.RuntimeSupport reads it`];
  });
}

/** A legacy serializer named by `[assembly: LambdaSerializer(typeof(...))]`: the file and the `typeof` type. */
interface LegacyAttributeType {
  readonly file: SourceFile;
  readonly typeNode: SyntaxNode;
}

/** The legacy serializers named by `[assembly: LambdaSerializer(typeof(...))]` in the files. */
function legacyAttributeTypes(files: readonly SourceFile[]): LegacyAttributeType[] {
  return files.flatMap((file) =>
    file.parsed.root.descendantsOfType('attribute').flatMap((attribute) => {
      if (!attribute || attribute.parent?.type !== 'global_attribute') return [];
      if (!isLambdaSerializerAttribute(attribute)) return [];
      const typeNode = attribute.descendantsOfType('typeof_expression')[0]?.childForFieldName('type');
      return typeNode && lastSegment(typeNode.text) in legacySerializers ? [{ file, typeNode }] : [];
    }),
  );
}

/** CamelCaseLambdaJsonSerializer promised camelCase JSON: the context keeps that contract. */
function legacyAttributeIsCamelCase(legacy: readonly LegacyAttributeType[]): boolean {
  return legacy.some(({ typeNode }) => legacySerializers[lastSegment(typeNode.text)]?.camelCase === true);
}

/** `[assembly: LambdaSerializer(typeof(DefaultLambdaJsonSerializer))]` now names the source-generated serializer. */
function addAttributeEdits(
  legacy: readonly LegacyAttributeType[],
  qualifiedContext: string,
  out: EditSet,
): void {
  for (const { file, typeNode } of legacy) {
    const prefix = typeNode.text.includes('.') ? `${serializerNamespace}.` : '';
    const text = `${prefix}SourceGeneratorLambdaJsonSerializer<${qualifiedContext}>`;
    out.edit(file, [replaceRange(typeNode.startIndex, typeNode.endIndex, text)]);
  }
}

/** The method (or local function, or file of top-level statements) a call sits in: where its variables are declared. */
function enclosingScope(node: SyntaxNode): SyntaxNode {
  let p: SyntaxNode | null = node;
  while (
    p &&
    p.type !== 'method_declaration' &&
    p.type !== 'local_function_statement' &&
    p.type !== 'compilation_unit'
  )
    p = p.parent;
  return p ?? node;
}

/** Declarators named `name` visible from `scope` (its own, then the file's). */
function declaratorNamed(scope: SyntaxNode, file: SourceFile, name: string): SyntaxNode | undefined {
  const find = (n: SyntaxNode): SyntaxNode | undefined =>
    n.descendantsOfType('variable_declarator').find((d) => d?.childForFieldName('name')?.text === name) ??
    undefined;
  return find(scope) ?? find(file.parsed.root);
}

function initializerOf(declarator: SyntaxNode): SyntaxNode | undefined {
  const children = declarator.namedChildren.filter((c): c is SyntaxNode => c !== null);
  return children.length > 1 ? children.at(-1) : undefined;
}

/** Input/output from a delegate type written out: Func<TIn, ILambdaContext, Task<TOut>>, Action<TIn>... */
function typesFromDelegate(typeNode: SyntaxNode): { input?: HandlerType; output?: HandlerType } | undefined {
  const generic = typeNode.type === 'qualified_name' ? typeNode.childForFieldName('name') : typeNode;
  if (!generic || generic.type !== 'generic_name') return undefined;
  const name = generic.namedChildren[0]?.text;
  if (name !== 'Func' && name !== 'Action') return undefined;
  const args = (generic.namedChildren.find((c) => c?.type === 'type_argument_list')?.namedChildren ?? []).map(
    (a) => (a as SyntaxNode).text,
  );
  const params = name === 'Func' ? args.slice(0, -1) : args;
  const inputText = params.find((p) => !isContext(p));
  let outputText = name === 'Func' ? args.at(-1) : undefined;
  const task = outputText
    ? /^(?:System\.Threading\.Tasks\.)?(?:Value)?Task(?:<(.*)>)?$/s.exec(outputText.trim())
    : null;
  if (task) outputText = task[1];
  return {
    input: inputText ? handlerType(inputText) : undefined,
    output: outputText ? handlerType(outputText) : undefined,
  };
}

/** The types a Create(handler, ...) argument carries, from its declared delegate type, its method, or its lambda. */
function handlerTypes(
  arg: SyntaxNode,
  entry: EntryPoint,
  types: readonly TypeDecl[],
  notes: string[],
): { input?: HandlerType; output?: HandlerType } {
  const scope = enclosingScope(arg);
  let target: SyntaxNode | undefined = arg;
  if (arg.type === 'identifier') {
    const declarator = declaratorNamed(scope, entry.file, arg.text);
    const declaredType = declarator?.parent?.childForFieldName('type');
    const fromType = declaredType ? typesFromDelegate(declaredType) : undefined;
    if (fromType) return fromType;
    if (declarator) target = initializerOf(declarator);
  }
  while (target?.type === 'cast_expression') {
    const fromCast = typesFromDelegate(target.childForFieldName('type') as SyntaxNode);
    if (fromCast) return fromCast;
    target = target.childForFieldName('value') ?? undefined;
  }
  if (target?.type === 'lambda_expression') {
    const params = (target.childForFieldName('parameters')?.namedChildren ?? []).flatMap((p) => {
      const t = p?.childForFieldName('type')?.text;
      return t ? [t] : [];
    });
    const inputText = params.find((p) => !isContext(p));
    notes.push(
      `the handler is a lambda: its return type is not declared, so add it with --json-types if it is not a Stream`,
    );
    return { input: inputText ? handlerType(inputText) : undefined };
  }
  const methodName =
    target?.type === 'member_access_expression' ? target.childForFieldName('name')?.text : target?.text;
  const ownerType = entry.main?.owner;
  const named = [
    ...(ownerType ? methodsOf(ownerType) : []),
    ...types.filter((t) => t !== ownerType).flatMap(methodsOf),
  ].filter((m) => m.name === methodName && fitRank(m) > 0);
  const method = named[0];
  if (!method) {
    fail(
      `${entry.file.path}:${entry.line}: cannot tell which method LambdaBootstrapBuilder.Create runs (${arg.text}). Declare the handler variable with its delegate type, e.g. Func<Request, ILambdaContext, Response> handler = ...`,
    );
  }
  const shape = handlerShape(
    { text: method.name, assembly: '', type: method.owner.clrName, method: method.name },
    method,
  );
  return { input: shape.input, output: shape.output };
}

function updateEntryPoint(input: CSharpInput, types: readonly TypeDecl[], entry: EntryPoint): CSharpPlan {
  if (input.explicitHandler) {
    fail(
      `--handler applies to class-library functions, but the project already has an entry point (${entry.file.path}:${entry.line}) ` +
        `that chooses its handler. Change the handler there, and run convert without --handler.`,
    );
  }
  // The Main's class (its helpers included), or the file of top-level statements.
  const calls = memberCalls(
    entry.main?.owner.node ?? entry.file.parsed.root,
    'LambdaBootstrapBuilder',
    'Create',
  );
  if (calls.length === 0) {
    fail(
      `${entry.file.path}:${entry.line} has a Main that does not start the Lambda runtime client (LambdaBootstrapBuilder.Create). ` +
        `A NativeAOT function's Main must: move this Main out of the project (or delete it) and run convert again, so convert can write one.`,
    );
  }
  const notes: string[] = [];
  const edits: TextEdit[] = [];
  const jsonTypes: string[] = [];
  let contextName: string | undefined;
  let camelCase = false;
  let usesSerializer = false;
  for (const call of calls) {
    const [handlerArg, serializerArg] = argumentsOf(call);
    if (!handlerArg) continue;
    const found = handlerTypes(handlerArg, entry, types, notes);
    for (const t of [found.input, found.output]) {
      if (t && !t.isStream) jsonTypes.push(jsonTypeOf(t, `${entry.file.path}:${entry.line}`));
    }
    if (!serializerArg) continue;
    usesSerializer = true;
    let creation: SyntaxNode | undefined = serializerArg;
    if (serializerArg.type === 'identifier') {
      const declarator = declaratorNamed(enclosingScope(call), entry.file, serializerArg.text);
      creation = declarator ? initializerOf(declarator) : undefined;
    }
    const typeNode =
      creation?.type === 'object_creation_expression' ? creation.childForFieldName('type') : undefined;
    const typeName = typeNode ? lastSegment(typeNode.text) : '';
    if (typeNode && typeName === 'SourceGeneratorLambdaJsonSerializer') {
      contextName = typeNode.descendantsOfType('type_argument_list')[0]?.namedChildren[0]?.text;
    } else if (typeNode && legacySerializers[typeName]) {
      camelCase ||= (legacySerializers[typeName] as { camelCase: boolean }).camelCase;
      const prefix = typeNode.text.includes('.')
        ? typeNode.text.slice(0, typeNode.text.lastIndexOf('.') + 1)
        : '';
      edits.push(
        replaceRange(
          typeNode.startIndex,
          typeNode.endIndex,
          `${prefix}SourceGeneratorLambdaJsonSerializer<${contextClassName}>`,
        ),
      );
      contextName = contextClassName;
    } else {
      fail(
        `${entry.file.path}:${entry.line}: LambdaBootstrapBuilder.Create is given the serializer '${serializerArg.text}', which convert ` +
          `does not know. Use new DefaultLambdaJsonSerializer() or SourceGeneratorLambdaJsonSerializer<TContext>, then run convert again.`,
      );
    }
  }
  const legacy = legacyAttributeTypes(input.files);
  const out = new EditSet();
  if (edits.length > 0) {
    out.edit(entry.file, edits);
    notes.push(
      `${entry.file.path}: Main now passes SourceGeneratorLambdaJsonSerializer<${contextClassName}>`,
    );
  }
  const namespace = entry.main?.owner.namespace ?? '';
  const simpleContext = contextName ? lastSegment(contextName) : undefined;
  const context = simpleContext
    ? types.find(
        (t) =>
          t.name === simpleContext &&
          /JsonSerializerContext/.test(t.node.childForFieldName('bases')?.text ?? t.node.text.slice(0, 400)),
      )
    : undefined;
  // Options on the user's context (or camelCase on ours) would change what those reflection calls wrote.
  const contextOptions = context
    ? /JsonSourceGenerationOptions/.test(context.node.text.slice(0, context.node.text.indexOf('{') + 1))
    : camelCase || legacyAttributeIsCamelCase(legacy);
  const reflection = rewritableJson(input.files, types, contextOptions, notes);
  const wanted = distinct([...jsonTypes, ...input.extraJsonTypes, ...reflection.map((c) => c.type)]);
  if (context) {
    completeContext(context, wanted, out, notes);
  } else if (usesSerializer || wanted.length > 0) {
    const contextFile = freeName(input.projectDir, ['LambdaJsonContext', contextClassName], () => false);
    const copied = usingDirectives(entry.file);
    out.create(
      `${contextFile}.cs`,
      renderJsonContext(wanted, styleFor(entry.file, namespace, mergeUsings(copied, contextUsings)), {
        camelCase: camelCase || legacyAttributeIsCamelCase(legacy),
      }),
    );
    notes.push(`added ${contextFile}.cs with ${wanted.join(', ') || 'no types yet'}`);
  }
  addAttributeEdits(legacy, namespace ? `${namespace}.${contextClassName}` : contextClassName, out);
  const contextRef = context
    ? { name: context.name, namespace: context.namespace }
    : { name: contextClassName, namespace };
  for (const [file, fileEdits] of reflectionJsonEdits(reflection, contextRef)) out.edit(file, fileEdits);
  notes.push(...reflectionJsonNote(reflection, contextRef.name));
  return {
    files: out.result(),
    handlers: [`${basename(entry.file.path)} (existing Main)`],
    usesSerializer,
    notes,
  };
}

/**
 * The reflection JsonSerializer calls to rewrite (reflection-json.ts), with the notes for those it cannot. A context
 * with options of its own (camelCase, Lambda's defaults) would change what those calls read and write: they are then
 * left alone, with a note.
 */
function rewritableJson(
  files: readonly SourceFile[],
  types: readonly TypeDecl[],
  contextHasOptions: boolean,
  notes: string[],
): readonly ReflectionJsonCall[] {
  const found = reflectionJsonCalls(files, types);
  notes.push(...found.notes);
  if (!contextHasOptions || found.calls.length === 0) return found.calls;
  notes.push(
    `${found.calls.map((c) => `${c.file.path}:${c.line}`).join(', ')}: JsonSerializer calls use reflection, which NativeAOT does not ` +
      `allow; the JSON context has other options than theirs, so give them a context of their own (JsonTypeInfo argument)`,
  );
  return [];
}

/** Adds a [JsonSerializable] line for each type the context lacks, after its last one. */
function completeContext(context: TypeDecl, wanted: readonly string[], out: EditSet, notes: string[]): void {
  const attributes = context.node.namedChildren.filter((c): c is SyntaxNode => c?.type === 'attribute_list');
  const listed = new Set<string>();
  let last: SyntaxNode | undefined;
  for (const list of attributes) {
    for (const attribute of list.descendantsOfType('attribute')) {
      if (
        lastSegment(attribute?.childForFieldName('name')?.text ?? '').replace(/Attribute$/, '') !==
        'JsonSerializable'
      )
        continue;
      last = list;
      const typeText = attribute?.descendantsOfType('typeof_expression')[0]?.childForFieldName('type')?.text;
      if (!typeText) continue;
      try {
        listed.add(parseTypeName(typeText));
      } catch (error) {
        if (!(error instanceof TypeNameError)) throw error;
      }
    }
  }
  const missing = wanted.filter((t) => !listed.has(t));
  if (missing.length === 0) return;
  const file = context.file;
  const anchor = last ?? attributes.at(-1);
  const eol = lineBreakOf(file.text);
  const indent = indentAt(file.text, context.node.startIndex);
  const lines = missing.map((t) => `[JsonSerializable(typeof(${t}))]`);
  const edit = anchor
    ? replaceRange(anchor.endIndex, anchor.endIndex, lines.map((l) => `${eol}${indent}${l}`).join(''))
    : replaceRange(
        context.node.startIndex,
        context.node.startIndex,
        lines.map((l) => `${l}${eol}${indent}`).join(''),
      );
  out.edit(file, [edit]);
  notes.push(`${file.path}: ${context.name} gains ${missing.join(', ')}`);
}
