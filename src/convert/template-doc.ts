import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode, type Tags, type YAMLMap } from 'yaml';
import { yaml as escapeYaml } from '../render/escape.js';
import { fail } from './errors.js';
import { memberValue, parseJsonDoc, setMember, type JsonNode } from './json-doc.js';
import { indentAt, insertAt, lineBreakOf, replaceRange, type TextEdit } from './splice.js';

/**
 * SAM (template.yaml) and CloudFormation JSON (serverless.template) documents behind one small interface: read
 * a map's scalar or list entries, and produce the text edit that sets one. YAML keeps its comments because only
 * the edited scalar (or an inserted line) changes; CloudFormation short tags parse as custom tags.
 */
export interface MapHandle {
  get(key: string): string | string[] | undefined;
  has(key: string): boolean;
  map(key: string): MapHandle | undefined;
  keys(): string[];
  /**
   * Edits that make `key` hold `value` (a list for sequences, a record for a mapping of scalars), inserting it after
   * `after` when absent. A mapping that exists already gets the record's entries set in it.
   */
  set(key: string, value: TemplateValue, after?: string): TextEdit[];
}

export type TemplateValue = string | readonly string[] | Readonly<Record<string, string>>;

const isRecord = (v: TemplateValue): v is Readonly<Record<string, string>> =>
  typeof v !== 'string' && !Array.isArray(v);

const intrinsicNames = [
  'Ref',
  'Sub',
  'GetAtt',
  'Join',
  'Select',
  'Split',
  'If',
  'Equals',
  'And',
  'Or',
  'Not',
  'FindInMap',
  'GetAZs',
  'ImportValue',
  'Base64',
  'Cidr',
  'Condition',
  'Transform',
  'ToJsonString',
  'Length',
];

/** CloudFormation short-form intrinsics in all three YAML shapes (scalar, sequence, mapping). */
export const cloudFormationTags: Tags = intrinsicNames.flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => ({ [`Fn::${name}`]: value }) },
  { tag: `!${name}`, collection: 'seq' as const, resolve: (value: unknown) => value },
  { tag: `!${name}`, collection: 'map' as const, resolve: (value: unknown) => value },
]);

export function openTemplate(source: string, label: string, format: 'yaml' | 'json'): MapHandle {
  return format === 'json' ? jsonMap(source, parseJsonDoc(source, label)) : yamlRoot(source, label);
}

function jsonMap(source: string, node: JsonNode): MapHandle {
  return {
    get(key) {
      const v = memberValue(node, key);
      if (v?.kind === 'value' && typeof v.value === 'string') return v.value;
      if (v?.kind === 'array')
        return v.items.flatMap((i) => (i.kind === 'value' && typeof i.value === 'string' ? [i.value] : []));
      return undefined;
    },
    has: (key) => memberValue(node, key) !== undefined,
    map(key) {
      const v = memberValue(node, key);
      return v?.kind === 'object' ? jsonMap(source, v) : undefined;
    },
    keys: () => (node.kind === 'object' ? node.members.map((m) => m.key) : []),
    set(key, value) {
      const existing = memberValue(node, key);
      if (isRecord(value)) {
        if (existing?.kind === 'object') {
          const inner = jsonMap(source, existing);
          return Object.entries(value).flatMap(([k, v]) => inner.set(k, v));
        }
        const members = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`);
        return setMember(source, node, key, `{ ${members.join(', ')} }`);
      }
      const text =
        typeof value === 'string'
          ? JSON.stringify(value)
          : `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
      if (existing?.kind === 'array' && typeof value !== 'string') {
        // Keep the array's own layout: replace its items one by one when the counts match.
        const current = existing.items.map((i) => (i.kind === 'value' ? i.value : undefined));
        if (current.length === value.length) {
          return existing.items.flatMap((item, n) =>
            current[n] === value[n] ? [] : [replaceRange(item.start, item.end, JSON.stringify(value[n]))],
          );
        }
      }
      return setMember(source, node, key, text);
    },
  };
}

function yamlRoot(source: string, label: string): MapHandle {
  const doc = parseDocument(source, {
    customTags: cloudFormationTags,
    keepSourceTokens: false,
    uniqueKeys: false,
  });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    fail(
      `${label} is not valid YAML (${first?.message.split('\n')[0]}). Fix the file, then run convert again.`,
    );
  }
  if (!isMap(doc.contents))
    fail(`${label} is not a CloudFormation template (its top level is not a mapping).`);
  return yamlMap(source, doc.contents);
}

/** A YAML scalar written in the quoting style the file used at that spot. */
function yamlScalarText(value: string, like: string | undefined): string {
  if (like?.startsWith('"')) return escapeYaml(value);
  if (like?.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
  return /^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|~)$/i.test(value)
    ? value
    : escapeYaml(value);
}

function yamlMap(source: string, map: YAMLMap): MapHandle {
  const pairOf = (key: string) => map.items.find((p) => isScalar(p.key) && p.key.value === key);
  const valueNode = (key: string): YamlNode | undefined =>
    (pairOf(key)?.value ?? undefined) as YamlNode | undefined;
  const rangeText = (node: YamlNode): string =>
    node.range ? source.slice(node.range[0], node.range[1]) : '';
  return {
    get(key) {
      const v = valueNode(key);
      if (isScalar(v))
        return typeof v.value === 'string' ? v.value : v.value === null ? undefined : String(v.value);
      if (isSeq(v))
        return v.items.flatMap((i) => (isScalar(i) && typeof i.value === 'string' ? [i.value] : []));
      return undefined;
    },
    has: (key) => pairOf(key) !== undefined,
    map(key) {
      const v = valueNode(key);
      return isMap(v) ? yamlMap(source, v) : undefined;
    },
    keys: () => map.items.flatMap((p) => (isScalar(p.key) ? [String(p.key.value)] : [])),
    set(key, value, after) {
      const v = valueNode(key);
      if (isRecord(value)) {
        if (isMap(v)) {
          const inner = yamlMap(source, v);
          return Object.entries(value).flatMap(([k, x]) => inner.set(k, x));
        }
        if (v?.range) {
          const entries = Object.entries(value).map(([k, x]) => `${k}: ${yamlScalarText(x, undefined)}`);
          return [replaceRange(v.range[0], v.range[1], `{ ${entries.join(', ')} }`)];
        }
        return [insertPair(source, map, key, value, after)];
      }
      if (typeof value === 'string' && isScalar(v) && v.range) {
        return v.value === value
          ? []
          : [replaceRange(v.range[0], v.range[1], yamlScalarText(value, rangeText(v)))];
      }
      if (typeof value !== 'string' && isSeq(v) && v.items.length === value.length) {
        return v.items.flatMap((item, n) => {
          const want = value[n] as string;
          if (!isScalar(item) || !item.range) return [];
          return item.value === want
            ? []
            : [replaceRange(item.range[0], item.range[1], yamlScalarText(want, rangeText(item)))];
        });
      }
      if (v?.range) {
        // Present with another shape (a tag, a list of another length): replace the value in flow style.
        const text =
          typeof value === 'string'
            ? yamlScalarText(value, undefined)
            : `[${value.map((x) => yamlScalarText(x, undefined)).join(', ')}]`;
        return [replaceRange(v.range[0], v.range[1], text)];
      }
      return [insertPair(source, map, key, value, after)];
    },
  };
}

/** A new `key: value` line in a block mapping, indented like its siblings, after `after` or at the end. */
function insertPair(
  source: string,
  map: YAMLMap,
  key: string,
  value: TemplateValue,
  after?: string,
): TextEdit {
  const eol = lineBreakOf(source);
  const firstKey = map.items[0]?.key as YamlNode | undefined;
  if (map.flow || !firstKey?.range)
    fail(
      `Cannot add ${key} to a flow-style YAML mapping; write the mapping in block style, then run convert again.`,
    );
  const indent = indentAt(source, firstKey.range[0]);
  const anchor =
    (after && map.items.find((p) => isScalar(p.key) && p.key.value === after)) || map.items.at(-1);
  const anchorValue = anchor?.value as YamlNode | undefined;
  const end = anchorValue?.range?.[1] ?? (anchor?.key as YamlNode).range?.[1] ?? 0;
  const lineEnd = source.indexOf('\n', Math.max(end - 1, 0));
  const at = lineEnd < 0 ? source.length : lineEnd + 1;
  let body: string;
  if (typeof value === 'string') body = `${indent}${key}: ${yamlScalarText(value, undefined)}${eol}`;
  else if (isRecord(value)) {
    const child = indent + childIndentUnit(source, map, indent);
    body = `${indent}${key}:${eol}${Object.entries(value)
      .map(([k, v]) => `${child}${k}: ${yamlScalarText(v, undefined)}${eol}`)
      .join('')}`;
  } else
    body = `${indent}${key}:${eol}${value.map((v) => `${indent}  - ${yamlScalarText(v, undefined)}${eol}`).join('')}`;
  return insertAt(at, lineEnd < 0 ? `${eol}${body}` : body);
}

/** How far the file indents a nested block mapping under this map's keys (two spaces when none says). */
function childIndentUnit(source: string, map: YAMLMap, indent: string): string {
  for (const pair of map.items) {
    const nested = pair.value;
    if (!isMap(nested) || nested.flow) continue;
    const firstKey = nested.items[0]?.key as YamlNode | undefined;
    if (!firstKey?.range) continue;
    const inner = indentAt(source, firstKey.range[0]);
    if (inner.startsWith(indent) && inner.length > indent.length) return inner.slice(indent.length);
  }
  return '  ';
}
