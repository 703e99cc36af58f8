/**
 * Text splices: every edit `convert` makes is a replacement of a [start, end) range of the original text, so
 * everything outside the ranges stays byte-identical.
 */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export function replaceRange(start: number, end: number, text: string): TextEdit {
  return { start, end, text };
}

export function insertAt(at: number, text: string): TextEdit {
  return { start: at, end: at, text };
}

/** Applies edits given in any order; overlapping ranges are a bug in the caller. */
export function applyEdits(source: string, edits: readonly TextEdit[]): string {
  // Stable by start so that several insertions at one point keep their given order.
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.i - b.i);
  let out = '';
  let at = 0;
  for (const { e } of sorted) {
    if (e.start < at) throw new Error(`overlapping edits at ${e.start}`);
    out += source.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + source.slice(at);
}

/** The line break the file already uses (CRLF files stay CRLF). */
export function lineBreakOf(source: string): string {
  return source.includes('\r\n') ? '\r\n' : '\n';
}

/** Whitespace from the start of the line holding `index` up to the first non-blank character. */
export function indentAt(source: string, index: number): string {
  const lineStart = source.lastIndexOf('\n', index - 1) + 1;
  return /^[ \t]*/.exec(source.slice(lineStart))?.[0] ?? '';
}

/** The file's indentation unit, guessed from its first indented line (two spaces when it has none). */
export function indentUnitOf(source: string): string {
  const match = /\n([ \t]+)\S/.exec(source);
  if (!match) return '  ';
  const indent = match[1] as string;
  return indent.startsWith('\t') ? '\t' : indent;
}

const blankLine = /^[ \t]*\r?$/;

/**
 * Edits that delete the whole lines holding each range (a node alone on its lines; otherwise just the node's text),
 * with the `//` comment lines right above it when `withComments`. Touching deletions merge, and a deletion between
 * two blank lines (or at the top of the file before a blank line) takes one of them along, so no gap is doubled.
 */
export function deleteLines(
  source: string,
  ranges: readonly { start: number; end: number }[],
  withComments = false,
): TextEdit[] {
  const lineStartOf = (i: number): number => source.lastIndexOf('\n', i - 1) + 1;
  const lineEndOf = (i: number): number => {
    const eol = source.indexOf('\n', i);
    return eol < 0 ? source.length : eol + 1;
  };
  const lineAt = (start: number): string => source.slice(start, lineEndOf(start)).replace(/\n$/, '');
  const whole: { start: number; end: number }[] = [];
  const partial: TextEdit[] = [];
  for (const range of ranges) {
    let start = lineStartOf(range.start);
    const end = lineEndOf(Math.max(range.end - 1, range.start));
    const before = source.slice(start, range.start);
    const after = source.slice(range.end, end).replace(/\n$/, '');
    if (!blankLine.test(before) || !blankLine.test(after)) {
      partial.push(replaceRange(range.start, range.end, ''));
      continue;
    }
    while (withComments && start > 0) {
      const previous = lineStartOf(start - 1);
      if (!/^[ \t]*\/\/.*\r?$/.test(lineAt(previous))) break;
      start = previous;
    }
    whole.push({ start, end });
  }
  whole.sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const r of whole) {
    const last = merged.at(-1);
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return [
    ...partial,
    ...merged.map(({ start, end }) => {
      const blankBefore = start === 0 || blankLine.test(lineAt(lineStartOf(start - 1)));
      const next = end < source.length && blankLine.test(lineAt(end)) ? lineEndOf(end) : end;
      return replaceRange(start, blankBefore ? next : end, '');
    }),
  ];
}
