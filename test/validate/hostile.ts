import fc from 'fast-check';

/**
 * Arbitraries of hostile text for the injection properties: random Unicode, and strings built from the
 * pieces that break out of each output format (quotes, markup, shell expansion, comment and CDATA markers,
 * line breaks and their Unicode look-alikes, bidi overrides, control characters, keywords).
 */
export const breakers = [
  '<',
  '>',
  '&',
  '"',
  "'",
  '\\',
  '`',
  '$(',
  '${',
  '}',
  '{',
  '\n',
  '\r',
  '\r\n',
  '\t',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u2028',
  '\u2029',
  '\u202e',
  '\u2066',
  '\ufeff',
  '\ufffe',
  '\ud800',
  'é',
  'e\u0301',
  'ß',
  '𝄞',
  '中',
  '--',
  '-->',
  '<!--',
  ']]>',
  '<![CDATA[',
  '&amp;',
  '&#10;',
  '*/',
  '/*',
  '//',
  '#',
  ';',
  ',',
  '!',
  '+',
  '.',
  '..',
  '/',
  '::',
  ':',
  ' ',
  '[',
  ']',
  '(',
  ')',
  '<T>',
  '?',
  '*',
  '|',
  '&&',
  '%',
  '@',
  '=',
  '!Ref ',
  '{{',
  '${{ github.token }}',
  "'; rm -rf / #",
  '"); System.Exit(1); ("',
  '</Project>',
  '<Import Project="x"/>',
  '\n  - evil: 1',
  'class',
  'typeof',
  'global',
  'namespace',
  'Task',
  'void',
  '__arglist',
  'record',
  '1',
  '_',
  '-',
  'A',
  'z',
];

/** Arbitrary Unicode (any code point, unpaired surrogates included) or a concatenation of breakers and ASCII. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 20 }),
  fc
    .array(fc.oneof(fc.constantFrom(...breakers), fc.string({ unit: 'grapheme-ascii', maxLength: 4 })), {
      maxLength: 10,
    })
    .map((parts) => parts.join('')),
);

const asciiIdentifier = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,11}$/);
/** Letters C# allows in identifiers beyond ASCII: accented, CJK, combining marks, a connector, a format char. */
const unicodeIdentifier = fc
  .array(
    fc.constantFrom(
      'É',
      'ñ',
      'Ω',
      '中',
      'ß',
      'Ǆ',
      'ǅ',
      'Ⅻ',
      'a\u0301',
      'x\u0903',
      'y\u203f',
      'z\u00ad',
      'q\u200c',
    ),
    {
      minLength: 1,
      maxLength: 4,
    },
  )
  .map((parts) => parts.join(''));

/** Project names that may pass validation: dotted parts, dashes, keyword and digit parts mixed in. */
export const plausibleName: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,15}(\.[A-Za-z0-9_-]{1,8}){0,3}$/),
  fc
    .tuple(
      fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,8}$/),
      fc.constantFrom(
        'class',
        'int',
        'record',
        'var',
        'async',
        'await',
        'global',
        'value',
        '__arglist',
        '__makeref',
        'System',
        'Tests',
        'Runtime',
        '1x',
        '-',
        '_',
      ),
    )
    .map(([a, b]) => `${a}.${b}`),
);

/** C# type names, mostly valid: qualified, generic (nested), arrays, nullable, aliases, Unicode identifiers. */
export const plausibleType: fc.Arbitrary<string> = fc.letrec<{ type: string }>((tie) => ({
  type: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(
      asciiIdentifier,
      unicodeIdentifier,
      fc.constantFrom(
        'int',
        'string',
        'object',
        'decimal',
        'Guid',
        'DateTime',
        'JsonElement',
        'JsonNode',
        'Task',
        'dynamic',
        'var',
      ),
    ),
    fc.tuple(asciiIdentifier, asciiIdentifier).map(([a, b]) => `${a}.${b}`),
    fc.constant('global::System.Guid'),
    fc
      .tuple(
        fc.constantFrom('List', 'Dictionary', 'Task', 'ValueTask', 'IReadOnlyList', 'Ns.Box'),
        fc.array(tie('type'), { minLength: 1, maxLength: 2 }),
      )
      .map(([g, args]) => `${g}<${args.join(', ')}>`),
    fc.tuple(tie('type'), fc.constantFrom('[]', '[,]', '?', '[]?', '?[]')).map(([t, s]) => `${t}${s}`),
  ),
})).type;

export const plausibleTypeList: fc.Arbitrary<string> = fc
  .array(fc.oneof({ weight: 4, arbitrary: plausibleType }, { weight: 1, arbitrary: hostileText }), {
    maxLength: 4,
  })
  .map((types) => types.join(', '));

const assemblyName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,12}$/);
const reflectionType = fc
  .tuple(
    fc.array(asciiIdentifier, { minLength: 1, maxLength: 3 }),
    fc.constantFrom('', '`1', '`2'),
    fc.constantFrom('', '+Inner', '+Inner`1+Deep'),
  )
  .map(([parts, arity, nested]) => `${parts.join('.')}${arity}${nested}`);

export const plausibleReflectionList: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: reflectionType },
      { weight: 3, arbitrary: fc.tuple(assemblyName, reflectionType).map(([a, t]) => `${a}!${t}`) },
      { weight: 1, arbitrary: hostileText },
    ),
    { maxLength: 4 },
  )
  .map((items) => items.join(','));
