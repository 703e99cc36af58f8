import { fail } from './errors.js';
import { indentAt, indentUnitOf, insertAt, lineBreakOf, replaceRange, type TextEdit } from './splice.js';

/**
 * A position-aware JSON reader (comments and trailing commas tolerated, as in aws-lambda-tools-defaults.json
 * files users edit by hand), so edits replace one value or insert one member and keep the rest of the text.
 */
export type JsonNode =
  | { kind: 'object'; start: number; end: number; members: JsonMember[] }
  | { kind: 'array'; start: number; end: number; items: JsonNode[] }
  | { kind: 'value'; start: number; end: number; value: string | number | boolean | null };

export interface JsonMember {
  readonly key: string;
  readonly keyStart: number;
  readonly value: JsonNode;
}

export function parseJsonDoc(source: string, label: string): JsonNode {
  let i = 0;
  const error = (what: string): never => {
    const line = source.slice(0, i).split('\n').length;
    return fail(`${label} is not valid JSON (line ${line}: ${what}). Fix the file, then run convert again.`);
  };
  const skip = (): void => {
    for (;;) {
      while (/\s/.test(source[i] ?? '')) i++;
      if (source.startsWith('//', i))
        i = source.indexOf('\n', i) < 0 ? source.length : source.indexOf('\n', i);
      else if (source.startsWith('/*', i)) {
        const close = source.indexOf('*/', i + 2);
        if (close < 0) error('unclosed comment');
        i = close + 2;
      } else return;
    }
  };
  const readString = (): string => {
    const start = i;
    i++;
    while (i < source.length && source[i] !== '"') i += source[i] === '\\' ? 2 : 1;
    if (i >= source.length) error('unterminated string');
    i++;
    return JSON.parse(source.slice(start, i)) as string;
  };
  const value = (): JsonNode => {
    skip();
    const start = i;
    const c = source[i];
    if (c === '{') {
      i++;
      const members: JsonMember[] = [];
      for (;;) {
        skip();
        if (source[i] === '}') break;
        if (source[i] !== '"') error(`expected a property name or '}'`);
        const keyStart = i;
        const key = readString();
        skip();
        if (source[i] !== ':') error(`expected ':' after "${key}"`);
        i++;
        members.push({ key, keyStart, value: value() });
        skip();
        if (source[i] === ',') i++;
        else if (source[i] !== '}') error(`expected ',' or '}'`);
      }
      i++;
      return { kind: 'object', start, end: i, members };
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      for (;;) {
        skip();
        if (source[i] === ']') break;
        items.push(value());
        skip();
        if (source[i] === ',') i++;
        else if (source[i] !== ']') error(`expected ',' or ']'`);
      }
      i++;
      return { kind: 'array', start, end: i, items };
    }
    if (c === '"') {
      const text = readString();
      return { kind: 'value', start, end: i, value: text };
    }
    const literal = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(source.slice(i, i + 40));
    if (!literal) return error('expected a value');
    i += literal[0].length;
    return {
      kind: 'value',
      start,
      end: i,
      value: JSON.parse(literal[0]) as string | number | boolean | null,
    };
  };
  const root = value();
  skip();
  if (i < source.length) error('unexpected text after the document');
  return root;
}

export function member(node: JsonNode | undefined, key: string): JsonMember | undefined {
  return node?.kind === 'object' ? node.members.find((m) => m.key === key) : undefined;
}

export function memberValue(node: JsonNode | undefined, key: string): JsonNode | undefined {
  return member(node, key)?.value;
}

export function stringValue(node: JsonNode | undefined): string | undefined {
  return node?.kind === 'value' && typeof node.value === 'string' ? node.value : undefined;
}

/** Sets `key` of `object` to the JSON text `valueText`: replaces the value when present, else appends a member. */
export function setMember(source: string, object: JsonNode, key: string, valueText: string): TextEdit[] {
  if (object.kind !== 'object') return [];
  const existing = member(object, key);
  if (existing) {
    const current = source.slice(existing.value.start, existing.value.end);
    return current === valueText ? [] : [replaceRange(existing.value.start, existing.value.end, valueText)];
  }
  const last = object.members.at(-1);
  const eol = lineBreakOf(source);
  if (!last) {
    const indent = indentAt(source, object.start) + indentUnitOf(source);
    return [
      replaceRange(
        object.start,
        object.end,
        `{${eol}${indent}${JSON.stringify(key)}: ${valueText}${eol}${indentAt(source, object.start)}}`,
      ),
    ];
  }
  const indent = indentAt(source, last.keyStart);
  const sameLine = !source.slice(object.start, last.keyStart).includes('\n');
  const separator = sameLine ? ' ' : `${eol}${indent}`;
  const colon = /^"(?:[^"\\]|\\.)*"(\s*:\s*)/.exec(source.slice(last.keyStart))?.[1] ?? ': ';
  // Insert after the last value, before any trailing comma it may already have.
  const afterLast = source.slice(last.value.end);
  const trailingComma = /^\s*,/.exec(afterLast);
  const at = trailingComma ? last.value.end + trailingComma[0].length : last.value.end;
  const text = trailingComma
    ? `${separator}${JSON.stringify(key)}${colon}${valueText},`
    : `,${separator}${JSON.stringify(key)}${colon}${valueText}`;
  return [insertAt(at, text)];
}
