import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import helpers from 'yeoman-test';
import ConvertGenerator from '../../generators/convert/index.js';
import { cases, copyFixture, fixturesRoot, snapshot } from './helpers.js';

/** `yo aot-lambda:convert` runs the same library: same result as the goldens, dry run included. */
const meta = {
  resolved: join(import.meta.dirname, '../../generators/convert/index.ts'),
  namespace: 'aot-lambda:convert',
};

describe('aot-lambda:convert generator', () => {
  it('converts a project given as the path argument, like the CLI', async () => {
    const c = cases.find((x) => x.shape === 'empty-function');
    assert.ok(c);
    const dir = copyFixture(c.shape);
    const result = await helpers
      .run(ConvertGenerator as never, meta as never)
      .withArguments([join(dir, c.target)])
      .withOptions({ force: true, yes: true } as never);
    const generator = result.generator as unknown as ConvertGenerator;
    assert.equal(generator.outcome?.status, 'converted');
    const expected = snapshot(join(fixturesRoot, c.shape, 'expected'));
    assert.deepEqual(snapshot(dir), expected);
  });

  it('--dry-run and settings options pass through; nothing is written', async () => {
    const dir = copyFixture('serverless-json');
    const before = snapshot(dir);
    const result = await helpers
      .run(ConvertGenerator as never, meta as never)
      .withArguments([dir])
      .withOptions({ 'dry-run': true, architecture: 'arm64', yes: true } as never);
    const generator = result.generator as unknown as ConvertGenerator;
    assert.equal(generator.outcome?.status, 'dry-run');
    assert.ok(
      generator.outcome?.status === 'dry-run' &&
        generator.outcome.diff.includes('"Architectures": ["arm64"]'),
    );
    assert.deepEqual(snapshot(dir), before);
  });
});
