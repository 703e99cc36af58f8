import assert from 'node:assert/strict';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { parseDocument } from 'yaml';
import { syntaxErrors, withParsedCSharp } from '../../src/csharp/parser.js';
import { convert } from '../../src/convert/index.js';
import { cloudFormationTags } from '../../src/convert/template-doc.js';
import { parseJsonDoc } from '../../src/convert/json-doc.js';
import { cases, copyFixture, fixturesRoot, snapshot } from './helpers.js';

/**
 * Each fixture converted equals its committed expected/ tree byte for byte; a second run changes nothing; and
 * every converted file of a structured format loads. UPDATE_GOLDENS=1 rewrites expected/ (review the diff!).
 */
const update = process.env.UPDATE_GOLDENS === '1';

describe('convert: golden outputs', () => {
  for (const c of cases) {
    it(`${c.shape}: converts to the expected tree, then reports already converted`, async () => {
      const dir = copyFixture(c.shape);
      const first = await convert(join(dir, c.target), { ...c.options, force: true });
      assert.equal(first.status, 'converted');
      const expectedDir = join(fixturesRoot, c.shape, 'expected');
      if (update) {
        rmSync(expectedDir, { recursive: true, force: true });
        mkdirSync(expectedDir, { recursive: true });
        cpSync(dir, expectedDir, { recursive: true });
      }
      const actual = snapshot(dir);
      const expected = snapshot(expectedDir);
      assert.deepEqual([...actual.keys()], [...expected.keys()], 'same files');
      for (const [path, text] of expected)
        assert.equal(actual.get(path), text, `${path} differs from expected/`);

      const second = await convert(join(dir, c.target), { ...c.options, force: true });
      assert.equal(
        second.status,
        'unchanged',
        `second run would change: ${second.plan.changes.map((x) => x.path).join(', ')}`,
      );
      assert.match(second.report, /already converted/);
      assert.deepEqual(snapshot(dir), actual, 'second run wrote nothing');
    });

    it(`${c.shape}: every converted C#, XML, JSON and YAML file parses`, async () => {
      const files = snapshot(join(fixturesRoot, c.shape, 'expected'));
      assert.ok(files.size > 0, 'expected/ exists');
      for (const [path, latin1] of files) {
        const text = Buffer.from(latin1, 'latin1').toString('utf8');
        if (path.endsWith('.cs')) {
          const errors = await withParsedCSharp(text, ({ root }) => syntaxErrors(root));
          assert.deepEqual(errors, [], `${path} has C# syntax errors`);
        } else if (/\.(csproj|props|xml)$/.test(path)) {
          assert.equal(XMLValidator.validate(text), true, `${path} is not well-formed XML`);
        } else if (path.endsWith('.json') || path.endsWith('serverless.template')) {
          assert.doesNotThrow(() => parseJsonDoc(text, path), `${path} is not JSON`);
        } else if (/\.ya?ml$/.test(path)) {
          const doc = parseDocument(text, { customTags: cloudFormationTags });
          assert.deepEqual(doc.errors, [], `${path} is not YAML`);
        }
      }
    });
  }
});
