import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { csString, json, sh, xml, yaml } from '../../src/render/escape.js';
import { parseXml } from '../helpers/parse.js';

const hostile = [
  'plain',
  `it's "quoted"`,
  'a\\b',
  '<x>&amp;</x>',
  '$(rm -rf /) `id` ${HOME}',
  'line\nbreak\r\t',
  'ü ✓ 𝄞 \u2028',
  '\u0000\u001f',
];

describe('per-format escapers', () => {
  for (const text of hostile) {
    it(`round-trips ${JSON.stringify(text)} through XML, JSON, YAML and shell`, () => {
      const doc = parseXml(`<r a="${xml(text)}">${xml(text)}</r>`) as {
        r: { '#text'?: string; '@a': string };
      };
      const xmlText = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '\ufffd');
      assert.equal(doc.r['@a'], xmlText);
      assert.equal(doc.r['#text'], xmlText);
      assert.equal(JSON.parse(json(text)), text);
      assert.equal(parseYaml(`k: ${yaml(text)}`).k, text);
      assert.equal(
        execFileSync('sh', ['-c', `printf %s ${sh(text.replace(/\u0000/g, ''))}`], { encoding: 'utf8' }),
        text.replace(/\u0000/g, ''),
      );
    });
  }

  it('writes C# string literals with only ASCII and escapes', () => {
    assert.equal(csString('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(csString('é\n'), '"\\u00e9\\u000a"');
    assert.equal(csString('𝄞'), '"\\U0001d11e"');
    assert.match(csString(hostile.join('')), /^"[\x20-\x7e]*"$/);
  });
});
