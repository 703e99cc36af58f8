import { csharpKeywords, identifierPart, identifierStart } from './keywords.js';

const identifierAtStart = new RegExp(`^${identifierStart}${identifierPart}*`, 'u');

/**
 * Parser for C# type names as users type them in `--json-types`: qualified names, generics (nested),
 * nullable `?`, arrays `[]`/`[,]`, keyword aliases. It returns the canonical text (no spaces except after
 * commas) so that duplicates compare equal, and unwraps `Task<T>` / `ValueTask<T>` to `T`.
 */
export class TypeNameError extends Error {}

/** C#'s keyword aliases of built-in types: the only keywords allowed as a type name. */
const valueTypeAliases =
  'bool byte sbyte char decimal double float int uint long ulong short ushort nint nuint'.split(' ');
const builtInAliases = new Set([...valueTypeAliases, 'object', 'string']);
/** `?` is kept only on these: on reference types it is an annotation that `typeof` rejects (CS8639). */
const valueTypes = new Set([
  ...valueTypeAliases,
  ...'DateTime DateTimeOffset DateOnly TimeOnly TimeSpan Guid Int16 Int32 Int64 UInt16 UInt32 UInt64 Byte SByte Char Boolean Decimal Double Single Half Int128 UInt128 JsonElement'.split(
    ' ',
  ),
]);
const taskTypes = new Set([
  'Task',
  'ValueTask',
  'System.Threading.Tasks.Task',
  'System.Threading.Tasks.ValueTask',
]);

export interface TypeNode {
  readonly name: string;
  readonly args: readonly TypeNode[];
  readonly suffix: string; // `?`, `[]`, `[,]` ... in order
}

class Reader {
  pos = 0;
  constructor(readonly text: string) {}
  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos++;
  }
  peek(): string {
    this.skipSpace();
    return this.text[this.pos] ?? '';
  }
  take(expected: string): void {
    if (this.peek() !== expected) this.fail(`expected '${expected}'`);
    this.pos++;
  }
  fail(why: string): never {
    const at =
      this.pos >= this.text.length ? 'at the end' : `at '${this.text.slice(this.pos, this.pos + 12)}'`;
    throw new TypeNameError(`'${this.text.trim()}' is not a C# type name: ${why} ${at}`);
  }
  identifier(): string {
    this.skipSpace();
    const match = identifierAtStart.exec(this.text.slice(this.pos));
    if (!match) this.fail('expected a name');
    this.pos += match[0].length;
    return match[0];
  }
}

function parseType(r: Reader): TypeNode {
  let name = r.identifier();
  if (name === 'global' && r.text.startsWith('::', r.pos)) {
    r.pos += 2;
    name = `global::${r.identifier()}`;
  }
  while (r.peek() === '.') {
    r.pos++;
    name += `.${r.identifier()}`;
  }
  const simple = name.replace(/^global::/, '');
  const segments = simple.split('.');
  for (const segment of segments) {
    if (csharpKeywords.has(segment) && !(segments.length === 1 && builtInAliases.has(segment))) {
      throw new TypeNameError(`'${r.text.trim()}' is not a C# type name: '${segment}' is a keyword`);
    }
  }
  const args: TypeNode[] = [];
  if (r.peek() === '<') {
    r.pos++;
    args.push(parseType(r));
    while (r.peek() === ',') {
      r.pos++;
      args.push(parseType(r));
    }
    r.take('>');
  }
  let suffix = '';
  if (r.peek() === '?') {
    r.pos++;
    if (valueTypes.has(simple.replace(/^System\./, ''))) suffix += '?';
  }
  while (r.peek() === '[') {
    r.pos++;
    let rank = '[';
    while (r.peek() === ',') {
      r.pos++;
      rank += ',';
    }
    r.take(']');
    suffix += `${rank}]`;
    if (r.peek() === '?') r.pos++; // arrays are reference types: the annotation is dropped
  }
  return { name, args, suffix };
}

function render(node: TypeNode): string {
  const args = node.args.length > 0 ? `<${node.args.map(render).join(', ')}>` : '';
  return `${node.name}${args}${node.suffix}`;
}

function unwrapTask(node: TypeNode): TypeNode {
  if (taskTypes.has(node.name) && node.suffix === '') {
    if (node.args.length === 1) return unwrapTask(node.args[0] as TypeNode);
    throw new TypeNameError(`'${render(node)}' carries no value to serialize: name the type it returns`);
  }
  if (node.name === 'void') throw new TypeNameError(`'void' cannot be serialized`);
  return node;
}

/** Parses one type name into its tree (Task<T> unwrapped); throws TypeNameError naming the problem. */
export function parseTypeTree(text: string): TypeNode {
  const r = new Reader(text);
  if (r.peek() === '') throw new TypeNameError('an empty type name was given');
  const node = parseType(r);
  if (r.peek() !== '') r.fail('unexpected text');
  return unwrapTask(node);
}

/** Parses one type name; throws TypeNameError naming the problem. */
export function parseTypeName(text: string): string {
  return render(parseTypeTree(text));
}

/** Whether `name` (a keyword alias, or a .NET struct name, System.-qualified or not) is a value type this parser knows. */
export const isKnownValueType = (name: string): boolean =>
  valueTypes.has(name.replace(/^(global::)?System\./, ''));

/** Whether `name` is one of C#'s keyword aliases of a built-in type (int, string, object...). */
export const isBuiltInAlias = (name: string): boolean => builtInAliases.has(name);

/** Splits a comma-separated list at top level (commas inside `<>` or `[]` belong to the type). */
export function splitTypeList(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '<' || c === '[') depth++;
    else if (c === '>' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      items.push(text.slice(start, i));
      start = i + 1;
    }
  }
  items.push(text.slice(start));
  return items.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Parses a `--json-types` list into distinct canonical type names, in the order given. */
export function parseTypeList(text: string): string[] {
  return [...new Set(splitTypeList(text).map(parseTypeName))];
}
