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
