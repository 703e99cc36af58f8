import { childElements, parseXml, textOf, wholeLines, type XmlDocument, type XmlElement } from './xml-doc.js';
import { indentAt, indentUnitOf, insertAt, lineBreakOf, replaceRange, type TextEdit } from './splice.js';
import { xml as escapeXml } from '../render/escape.js';

/**
 * Reading and editing an SDK-style project file as a document: properties and items are found by element,
 * and each change is a splice of that element, so comments, blank lines and order survive.
 */
export interface PropertyOccurrence {
  readonly element: XmlElement;
  readonly group: XmlElement;
  readonly value: string;
  /** The group or the element carries a Condition. */
  readonly conditional: boolean;
}

export interface ProjectFile {
  readonly doc: XmlDocument;
  readonly label: string;
  properties(name: string): PropertyOccurrence[];
  /** Value that applies when no condition is in play: the last unconditional definition. */
  property(name: string): string | undefined;
  packageReferences(): { element: XmlElement; id: string; version: string | undefined }[];
  items(itemType: string): XmlElement[];
}

export function readProjectFile(source: string, label: string): ProjectFile {
  const doc = parseXml(source, label);
  const propertyGroups = (): XmlElement[] => childElements(doc.root, 'PropertyGroup');
  const properties = (name: string): PropertyOccurrence[] =>
    propertyGroups().flatMap((group) =>
      childElements(group, name).map((element) => ({
        element,
        group,
        value: (textOf(doc, element) ?? '').trim(),
        conditional: group.attributes.has('Condition') || element.attributes.has('Condition'),
      })),
    );
  const items = (itemType: string): XmlElement[] =>
    childElements(doc.root, 'ItemGroup').flatMap((group) => childElements(group, itemType));
  return {
    doc,
    label,
    properties,
    property: (name) =>
      properties(name)
        .filter((p) => !p.conditional)
        .at(-1)?.value,
    items,
    packageReferences: () =>
      items('PackageReference').map((element) => {
        const versionChild = childElements(element, 'Version')[0];
        return {
          element,
          id: element.attributes.get('Include')?.value ?? element.attributes.get('Update')?.value ?? '',
          version:
            element.attributes.get('Version')?.value ??
            (versionChild ? textOf(doc, versionChild)?.trim() : undefined),
        };
      }),
  };
}

/** What a property must end up as: a value, or absent. */
export type PropertyGoal =
  { readonly name: string; readonly value: string } | { readonly name: string; readonly remove: true };

const sameValue = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * Edits that make each goal hold. A value is written where the project already sets it (the last unconditional
 * definition), else added to the first unconditional PropertyGroup; conditional definitions that would override
 * it with another value are removed, since they would undo the conversion in that configuration.
 */
export function propertyEdits(project: ProjectFile, goals: readonly PropertyGoal[]): TextEdit[] {
  const { source } = project.doc;
  const edits: TextEdit[] = [];
  const additions: string[] = [];
  const removed = new Set<XmlElement>();
  const removeElement = (el: XmlElement): void => {
    removed.add(el);
  };
  for (const goal of goals) {
    const found = project.properties(goal.name);
    if ('remove' in goal) {
      found.forEach((p) => removeElement(p.element));
      continue;
    }
    const effective = found.filter((p) => !p.conditional).at(-1);
    if (effective) {
      if (!sameValue(effective.value, goal.value)) {
        edits.push(
          replaceRange(effective.element.openEnd, effective.element.closeStart, escapeXml(goal.value)),
        );
      }
    } else {
      additions.push(`<${goal.name}>${escapeXml(goal.value)}</${goal.name}>`);
    }
    const setAt = effective?.element.start ?? -1;
    for (const p of found) {
      if (p.conditional && !sameValue(p.value, goal.value) && (p.element.start > setAt || !effective))
        removeElement(p.element);
    }
  }
  // A group left with nothing in it goes too (a bare Condition'd group would only puzzle the reader).
  const emptied = new Set(
    [...removed]
      .map((el) => el.parent)
      .filter((g): g is XmlElement => g !== undefined && g.children.every((c) => removed.has(c))),
  );
  for (const el of [...removed, ...emptied]) {
    if (el.parent && emptied.has(el.parent)) continue;
    const range = wholeLines(source, el);
    edits.push(replaceRange(range.start, range.end, ''));
  }
  if (additions.length > 0) edits.push(...appendToMainPropertyGroup(project, additions, removed));
  return edits;
}

function appendToMainPropertyGroup(
  project: ProjectFile,
  lines: readonly string[],
  removed: ReadonlySet<XmlElement>,
): TextEdit[] {
  const { source, root } = project.doc;
  const eol = lineBreakOf(source);
  const unit = indentUnitOf(source);
  const main = childElements(root, 'PropertyGroup').find((g) => !g.attributes.has('Condition'));
  if (!main) {
    // No unconditional group: open one as the project's first child.
    const first = root.children[0];
    const indent = first ? indentAt(source, first.start) : unit;
    const body = lines.map((l) => `${indent}${unit}${l}${eol}`).join('');
    const text = `<PropertyGroup>${eol}${body}${indent}</PropertyGroup>${eol}${indent}`;
    return [insertAt(first ? first.start : root.closeStart, first ? text : `${eol}${indent}${text}`)];
  }
  return appendChildren(source, main, lines, removed);
}

/** Inserts child lines at the end of `parent`, indented like its existing children (ignoring ones being removed). */
export function appendChildren(
  source: string,
  parent: XmlElement,
  lines: readonly string[],
  removed: ReadonlySet<XmlElement> = new Set(),
): TextEdit[] {
  const eol = lineBreakOf(source);
  const kept = parent.children.filter((c) => !removed.has(c));
  const last = kept.at(-1);
  if (last) {
    const indent = indentAt(source, last.start);
    return [insertAt(last.end, lines.map((l) => `${eol}${indent}${l}`).join(''))];
  }
  const first = parent.children[0];
  if (first) {
    // Every child is being removed: insert right after the start tag, where no removal reaches.
    const indent = indentAt(source, first.start);
    return [insertAt(parent.openEnd, lines.map((l) => `${eol}${indent}${l}`).join(''))];
  }
  const parentIndent = indentAt(source, parent.start);
  const indent = parentIndent + indentUnitOf(source);
  const body = lines.map((l) => `${eol}${indent}${l}`).join('') + eol + parentIndent;
  if (parent.selfClosing) {
    const openTag = source.slice(parent.start, parent.end).replace(/\s*\/>$/, '>');
    return [replaceRange(parent.start, parent.end, `${openTag}${body}</${parent.name}>`)];
  }
  return [replaceRange(parent.openEnd, parent.closeStart, body)];
}

/** Adds item lines to the first unconditional ItemGroup holding `sameKind` items, else to a new ItemGroup at the end. */
export function addItems(project: ProjectFile, sameKind: string, lines: readonly string[]): TextEdit[] {
  if (lines.length === 0) return [];
  const { source, root } = project.doc;
  const existing = childElements(root, 'ItemGroup').find(
    (g) => !g.attributes.has('Condition') && childElements(g, sameKind).length > 0,
  );
  if (existing) return appendChildren(source, existing, lines);
  const eol = lineBreakOf(source);
  const unit = indentUnitOf(source);
  const last = root.children.at(-1);
  const indent = last ? indentAt(source, last.start) : unit;
  const body = lines.map((l) => `${indent}${unit}${l}${eol}`).join('');
  // Separate the new group the way the file separates its top-level elements (blank line or not).
  const previous = root.children.at(-2);
  const spaced = previous && last ? /\n[ \t]*\r?\n/.test(source.slice(previous.end, last.start)) : true;
  const group = `${indent}<ItemGroup>${eol}${body}${indent}</ItemGroup>`;
  // At the start of the closing tag's line, not right after the last element: a whole-line removal of that element
  // (a package group the conversion empties) ends there, and an insertion inside its range would overlap it.
  const close = root.closeStart;
  const lineStart = source.lastIndexOf('\n', close - 1) + 1;
  if (last && source.slice(lineStart, close).trim() === '' && lineStart > last.end) {
    // A blank line already before the closing tag separates the new group.
    const blankBefore = /\n[ \t]*\r?\n$/.test(source.slice(last.end, lineStart));
    return [insertAt(lineStart, `${spaced && !blankBefore ? eol : ''}${group}${eol}`)];
  }
  return [insertAt(last ? last.end : root.openEnd, `${spaced ? eol : ''}${eol}${group}`)];
}
