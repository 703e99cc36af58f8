import { formattingChars, identifierPartChars, identifierStartChars } from './identifier-chars.js';

/** C# reserved keywords: not usable as identifiers without `@`. Contextual keywords are allowed. */
export const csharpKeywords: ReadonlySet<string> = new Set(
  (
    'abstract as base bool break byte case catch char checked class const continue decimal default delegate do ' +
    'double else enum event explicit extern false finally fixed float for foreach goto if implicit in int interface ' +
    'internal is lock long namespace new null object operator out override params private protected public readonly ' +
    'ref return sbyte sealed short sizeof stackalloc static string struct switch this throw true try typeof uint ulong ' +
    'unchecked unsafe ushort using virtual void volatile while __arglist __makeref __reftype __refvalue'
  ).split(' '),
);

/**
 * Identifier characters, as regex source: C#'s Unicode categories intersected with Unicode's XID classes, as
 * of one pinned Unicode version (see scripts/gen-identifier-chars.ts), so that what is accepted does not
 * change with the ICU of the Node that runs the generator.
 */
export const identifierStart = identifierStartChars;
export const identifierPart = `(?:${identifierPartChars}|${formattingChars})`;

const identifierPattern = new RegExp(`^${identifierStart}${identifierPart}*$`, 'u');

export function isCSharpIdentifier(text: string): boolean {
  return identifierPattern.test(text) && !csharpKeywords.has(text);
}
