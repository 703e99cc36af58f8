import { readFileSync, statSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { fail } from './errors.js';

/**
 * The one way convert reads a user's file, and the matching way it encodes one for writing. Text is UTF-8 (with or
 * without a BOM) or UTF-16 with a BOM; anything else is refused naming the file, because decoding it would replace
 * bytes with U+FFFD and writing it back would damage the user's file (é and © in a Latin-1 Function.cs). The BOM
 * stays in the decoded string as U+FEFF and line endings are never touched, so untouched parts round-trip byte for
 * byte. ESLint forbids readFileSync elsewhere in src/convert, so no file bypasses this check.
 */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf16le = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });

/** The encoding a file's bytes announce: UTF-16 only with its BOM, else UTF-8. */
export function encodingOf(bytes: Uint8Array): TextEncoding {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

/** Line and column (1-based) of byte `offset`, counting lines by \n: where to look in an editor. */
function position(bytes: Uint8Array, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return `line ${line}, byte ${offset - lineStart + 1}`;
}

/** The first byte where `bytes` stops being UTF-8 (the decoder only says that it did). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    const need =
      b < 0x80
        ? 0
        : b >= 0xc2 && b <= 0xdf
          ? 1
          : b >= 0xe0 && b <= 0xef
            ? 2
            : b >= 0xf0 && b <= 0xf4
              ? 3
              : -1;
    if (need < 0) return i;
    const end = i + need + 1;
    if (end > bytes.length) return i;
    try {
      utf8.decode(bytes.subarray(i, end));
    } catch {
      return i;
    }
    i = end;
  }
  return bytes.length;
}

/** Control characters no source, project or template file holds (tab, line breaks and form feed are text). */
const binaryControl = /[\u0000-\u0008\u000e-\u001a\u001c-\u001f]/;

function refuse(label: string, why: string, fix: string): never {
  return fail(
    `${label} ${why}. convert reads and writes text and would damage it: ${fix} Nothing was written.`,
  );
}

/** Decodes `bytes` read from the file shown as `label`, or refuses it with the reason and the fix. */
export function decodeText(bytes: Uint8Array, label: string): string {
  const encoding = encodingOf(bytes);
  let text: string;
  if (encoding === 'utf-8') {
    try {
      text = utf8.decode(bytes);
    } catch {
      const at = firstInvalidUtf8(bytes);
      const looksBinary = binaryControl.test(Buffer.from(bytes).toString('latin1'));
      if (looksBinary) {
        refuse(
          label,
          `is not a text file (binary data: byte 0x${(bytes[at] as number).toString(16).padStart(2, '0')} at ${position(bytes, at)} is not UTF-8)`,
          'restore it from version control or move it out of the project, then run convert again.',
        );
      }
      refuse(
        label,
        `is not UTF-8 text (byte 0x${(bytes[at] as number).toString(16).padStart(2, '0')} at ${position(bytes, at)}; ` +
          `probably Latin-1 or Windows-1252)`,
        `re-save it as UTF-8 (e.g. iconv -f windows-1252 -t utf-8), check it, then run convert again.`,
      );
    }
  } else {
    if (bytes.length % 2 !== 0)
      refuse(
        label,
        'starts with a UTF-16 byte-order mark but has an odd number of bytes',
        'restore it from version control, then run convert again.',
      );
    const le = Buffer.from(bytes);
    if (encoding === 'utf-16be') le.swap16();
    try {
      text = utf16le.decode(le);
    } catch {
      refuse(
        label,
        `starts with a UTF-16 byte-order mark but is not valid ${encoding.toUpperCase()}`,
        're-save it as UTF-8, then run convert again.',
      );
    }
  }
  const control = binaryControl.exec(text);
  if (control) {
    refuse(
      label,
      `is not a text file (it holds the control character U+${(control[0].codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')})`,
      'restore it from version control or move it out of the project, then run convert again.',
    );
  }
  return text;
}

/** Reads a text file (see the module comment); `label` is how messages name it (default: relative to the cwd). */
export function readText(path: string, label = relative(process.cwd(), path) || basename(path)): string {
  // A folder would be a raw EISDIR, a named pipe or device a read that never ends: say what it is instead.
  const stat = statSync(path);
  if (!stat.isFile()) {
    fail(
      `${label} is ${stat.isDirectory() ? 'a folder' : 'not a regular file'}, where convert expects a text file. Rename or move it, ` +
        `then run convert again. Nothing was written.`,
    );
  }
  return decodeText(readFileSync(path), label);
}

/** A file's bytes as they are, for comparing and digests only: text goes through readText. */
export function readBytes(path: string): Buffer {
  return readFileSync(path);
}

/** The bytes to write for `text` in `encoding`: the encoding the file had (a BOM in `text` is kept as is). */
export function encodeText(text: string, encoding: TextEncoding): Buffer {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  const bytes = Buffer.from(text, 'utf16le');
  return encoding === 'utf-16be' ? bytes.swap16() : bytes;
}

/** The encoding of the file at `path` as it is now (UTF-8 when it does not exist): what a rewrite must keep. */
export function encodingOfFile(path: string): TextEncoding {
  try {
    return encodingOf(readBytes(path).subarray(0, 2));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'utf-8';
    throw error;
  }
}
