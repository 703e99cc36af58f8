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

/** A C# identifier (letters, digits, underscore; not starting with a digit), per the spec's Unicode classes. */
const identifierPattern = /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Pc}\p{Cf}]*$/u;

export function isCSharpIdentifier(text: string): boolean {
  return identifierPattern.test(text) && !csharpKeywords.has(text);
}
