/**
 * One escaper per output format. Templates never interpolate a user string raw: they call the escaper of
 * the format the string lands in.
 */

/** `\uxxxx`, the escape of one UTF-16 code unit that C#, JSON and YAML share (and the CLI's messages use). */
export function unicodeEscape(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Text or attribute content in XML. Line breaks and tabs become character references so attribute-value
 * normalisation keeps them; control characters XML 1.0 forbids even as references become U+FFFD.
 */
export function xml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd');
}

/** A C# regular string literal, quotes included. Non-ASCII and control characters become \u escapes. */
export function csString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else if (code <= 0xffff) out += unicodeEscape(code);
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** A JSON string literal, quotes included. */
export function json(text: string): string {
  return JSON.stringify(text);
}

/** A YAML double-quoted scalar: JSON's escapes are valid YAML; non-ASCII is escaped so no line-break lookalike survives. */
export function yaml(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (c) => unicodeEscape(c.charCodeAt(0)));
}

/** A POSIX shell word: single-quoted, with embedded single quotes closed, escaped and reopened. */
export function sh(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
