import { XMLValidator } from 'fast-xml-parser';
import { fail } from './errors.js';

/**
 * A position-aware view of an XML document (MSBuild files): elements with the offsets of their tags, so that
 * edits splice exactly the element they mean and leave comments, whitespace and order alone. fast-xml-parser
 * validates first (its message carries the line); this tokenizer then only needs to handle well-formed input.
 */
export interface XmlAttribute {
  readonly value: string;
  /** Offsets of the value between the quotes. */
  readonly valueStart: number;
  readonly valueEnd: number;
}

export interface XmlElement {
  readonly name: string;
  readonly attributes: ReadonlyMap<string, XmlAttribute>;
  /** Offset of `<`. */
  readonly start: number;
  /** Offset just after the start tag's `>`. */
  readonly openEnd: number;
  /** Offset of the closing tag's `<` (equals openEnd... when self-closing: end). */
  readonly closeStart: number;
  /** Offset just after the element. */
  readonly end: number;
  readonly selfClosing: boolean;
  readonly children: XmlElement[];
  readonly parent: XmlElement | undefined;
}

export interface XmlDocument {
  readonly source: string;
  readonly root: XmlElement;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    return entities[ref] ?? whole;
  });
}

/** Parses `source`; a malformed file is a ConvertError naming the file, the line and what is wrong. */
export function parseXml(source: string, fileLabel: string): XmlDocument {
  if (source.replace(/^\uFEFF/, '').trim() === '') {
    fail(
      `${fileLabel} is empty. An MSBuild file is an XML document such as <Project Sdk="Microsoft.NET.Sdk">...</Project>: ` +
        `restore it from version control, then run convert again.`,
    );
  }
  const verdict = XMLValidator.validate(source, { allowBooleanAttributes: false });
  if (verdict !== true) {
    const { line, col, msg } = verdict.err;
    // The validator leaves the column out for some errors: no "column undefined".
    const where = typeof col === 'number' ? `line ${line}, column ${col}` : `line ${line}`;
    fail(`${fileLabel} is not well-formed XML (${where}: ${msg}). Fix the file, then run convert again.`);
  }
  const stack: {
    name: string;
    start: number;
    openEnd: number;
    attributes: Map<string, XmlAttribute>;
    children: XmlElement[];
  }[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  const skipTo = (marker: string): void => {
    const at = source.indexOf(marker, i);
    i = at < 0 ? source.length : at + marker.length;
  };
  // Children are created before their parent object exists; the parent link is patched when it closes.
  const finish = (el: XmlElement): void => {
    const top = stack[stack.length - 1];
    if (top) top.children.push(el);
    else root = el;
  };
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    if (lt < 0) break;
    i = lt;
    if (source.startsWith('<!--', i)) skipTo('-->');
    else if (source.startsWith('<![CDATA[', i)) skipTo(']]>');
    else if (source.startsWith('<?', i)) skipTo('?>');
    else if (source.startsWith('<!', i)) skipTo('>');
    else if (source.startsWith('</', i)) {
      const gt = source.indexOf('>', i);
      const open = stack.pop();
      if (!open) fail(`${fileLabel}: unexpected closing tag at offset ${i}.`);
      const el: XmlElement = {
        name: open.name,
        attributes: open.attributes,
        start: open.start,
        openEnd: open.openEnd,
        closeStart: i,
        end: gt + 1,
        selfClosing: false,
        children: open.children,
        parent: undefined,
      };
      for (const child of el.children) (child as { parent: XmlElement | undefined }).parent = el;
      finish(el);
      i = gt + 1;
    } else {
      const tag = readStartTag(source, i);
      if (tag.selfClosing) {
        finish({
          name: tag.name,
          attributes: tag.attributes,
          start: i,
          openEnd: tag.end,
          closeStart: tag.end,
          end: tag.end,
          selfClosing: true,
          children: [],
          parent: undefined,
        });
      } else {
        stack.push({ name: tag.name, start: i, openEnd: tag.end, attributes: tag.attributes, children: [] });
      }
      i = tag.end;
    }
  }
  if (!root) fail(`${fileLabel} has no root element.`);
  return { source, root };
}

function readStartTag(
  source: string,
  start: number,
): { name: string; attributes: Map<string, XmlAttribute>; end: number; selfClosing: boolean } {
  const nameMatch = /^<([^\s/>]+)/.exec(source.slice(start, start + 200));
  const name = nameMatch?.[1] ?? '';
  let i = start + 1 + name.length;
  const attributes = new Map<string, XmlAttribute>();
  for (;;) {
    while (/\s/.test(source[i] ?? '')) i++;
    const c = source[i];
    if (c === '>') return { name, attributes, end: i + 1, selfClosing: false };
    if (c === '/') return { name, attributes, end: source.indexOf('>', i) + 1, selfClosing: true };
    const eq = source.indexOf('=', i);
    const attrName = source.slice(i, eq).trim();
    i = eq + 1;
    while (/\s/.test(source[i] ?? '')) i++;
    const quote = source[i] as string;
    const valueStart = i + 1;
    const valueEnd = source.indexOf(quote, valueStart);
    attributes.set(attrName, {
      value: decodeXmlText(source.slice(valueStart, valueEnd)),
      valueStart,
      valueEnd,
    });
    i = valueEnd + 1;
  }
}

/** The element's text content (decoded), or undefined when it holds elements. */
export function textOf(doc: XmlDocument, el: XmlElement): string | undefined {
  if (el.selfClosing) return '';
  if (el.children.length > 0) return undefined;
  return decodeXmlText(doc.source.slice(el.openEnd, el.closeStart).replace(/<!--[\s\S]*?-->/g, ''));
}

export function childElements(el: XmlElement, name?: string): XmlElement[] {
  return name === undefined ? el.children : el.children.filter((c) => c.name === name);
}

/** `start` extended to the beginning of its line and `end` past its line break, when the element sits alone on its line. */
export function wholeLines(
  source: string,
  el: { start: number; end: number },
): { start: number; end: number } {
  const lineStart = source.lastIndexOf('\n', el.start - 1) + 1;
  const before = source.slice(lineStart, el.start);
  const eol = source.indexOf('\n', el.end);
  const lineEnd = eol < 0 ? source.length : eol + 1;
  const after = source.slice(el.end, lineEnd);
  if (!/^[ \t]*$/.test(before) || !/^[ \t]*\r?\n?$/.test(after)) return el;
  // A comment alone on the line right above describes the element: it goes with it.
  const prevEnd = lineStart - 1;
  const prevStart = source.lastIndexOf('\n', prevEnd - 1) + 1;
  const previous = source.slice(prevStart, prevEnd).replace(/\r$/, '');
  if (prevEnd > 0 && /^[ \t]*<!--(?:(?!-->)[\s\S])*-->[ \t]*$/.test(previous))
    return { start: prevStart, end: lineEnd };
  return { start: lineStart, end: lineEnd };
}
