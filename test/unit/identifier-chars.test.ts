import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { renderIdentifierChars } from '../../scripts/gen-identifier-chars.js';
import {
  formattingChars,
  identifierPartChars,
  identifierStartChars,
  identifierUnicodeVersion,
} from '../../src/csharp/identifier-chars.js';
import { isCSharpIdentifier } from '../../src/csharp/keywords.js';
import { withParsedCSharp } from '../../src/csharp/parser.js';

const inClass = (chars: string) => new RegExp(`^${chars}$`, 'u');

function* bmpMatching(pattern: RegExp): Generator<string> {
  for (let code = 0; code <= 0xffff; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const char = String.fromCharCode(code);
    if (pattern.test(char)) yield char;
  }
}

describe('identifier characters (pinned Unicode version)', () => {
  it('src/csharp/identifier-chars.ts is what its generator writes from the pinned Unicode data', async () => {
    const file = await readFile(new URL('../../src/csharp/identifier-chars.ts', import.meta.url), 'utf8');
    assert.equal(
      file,
      await renderIdentifierChars(),
      'run: node --import tsx scripts/gen-identifier-chars.ts',
    );
    assert.equal(identifierUnicodeVersion, '15.0.0');
  });

  it('every accepted character, in first or later position, parses as part of one identifier in tree-sitter', async () => {
    const formatting = inClass(formattingChars);
    const cases: string[] = [];
    for (const char of bmpMatching(inClass(identifierStartChars))) cases.push(`${char}A`);
    for (const char of bmpMatching(inClass(identifierPartChars)))
      if (!formatting.test(char)) cases.push(`A${char}`);
    assert.ok(cases.length > 90_000, `${cases.length} cases`);
    const broken: string[] = [];
    for (const name of cases) {
      const parsedWhole = await withParsedCSharp(`class ${name} { }`, ({ root, source }) => {
        const id = root.namedChildren[0]?.childForFieldName('name');
        return !root.hasError && !!id && source.slice(id.startIndex, id.endIndex) === name;
      });
      if (!parsedWhole)
        broken.push(name.replace(/[^A]/u, (c) => `U+${c.charCodeAt(0).toString(16).toUpperCase()}`));
    }
    assert.deepEqual(broken, []);
  });

  it('does not follow the running Node: letters of later Unicode versions are not identifier characters', () => {
    // U+A7CB is a letter since Unicode 16.0, U+A7CE since 17.0; U+0D04 since 13.0, U+0E86 since 12.0.
    assert.equal(isCSharpIdentifier('\uA7CB'), false);
    assert.equal(isCSharpIdentifier('A\uA7CE'), false);
    assert.equal(isCSharpIdentifier('\u0E86\u0D04'), true);
    // Letters outside XID (U+FDFA) and non-letters stay out; letter numbers and combining marks stay in.
    assert.equal(isCSharpIdentifier('A\uFDFA'), false);
    assert.equal(isCSharpIdentifier('a½'), false);
    assert.equal(isCSharpIdentifier('Ⅻ\u0301'), true);
  });
});
