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
 * Identifier characters, as regex source: what the C# spec allows (Unicode categories) and also Unicode's XID
 * classes, which tree-sitter's grammar and other tools use. A letter outside XID (e.g. U+FDFA, whose NFKC form
 * has spaces) is legal C# but breaks those tools, so generated code does without it.
 */
export const identifierStart = String.raw`(?:(?=[\p{L}\p{Nl}_])[\p{XID_Start}_])`;
export const identifierPart = String.raw`(?:(?=[\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Pc}])\p{XID_Continue}|\p{Cf})`;

const identifierPattern = new RegExp(`^${identifierStart}${identifierPart}*$`, 'u');

export function isCSharpIdentifier(text: string): boolean {
  return identifierPattern.test(text) && !csharpKeywords.has(text);
}
