import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { functionTemplates } from '../../src/catalog/templates.js';
import { loadTemplateFolder, manifestFileName } from '../../src/catalog/template-manifest.js';
import { templatesRoot } from '../../src/paths.js';
import { runBin } from '../bin/run-bin.js';
import { tempDir } from '../helpers/fs.js';
import { generate } from '../helpers/generate.js';

const sample = join(import.meta.dirname, '../fixtures/starter-kit/template');

/** A copy of the sample template with its manifest changed by `edit`. */
function variant(edit: (manifest: Record<string, unknown>) => void): string {
  const dir = join(tempDir('aot-lambda-template-'), 'template');
  cpSync(sample, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, manifestFileName), 'utf8')) as Record<string, unknown>;
  edit(manifest);
  writeFileSync(join(dir, manifestFileName), JSON.stringify(manifest));
  return dir;
}

const files = (list: [string, string][]) => (m: Record<string, unknown>) => {
  m.files = list.map(([from, to]) => ({ from, to }));
};

describe('starter kits: external templates', () => {
  it('the built-in templates are folders in the same layout', () => {
    assert.deepEqual(
      functionTemplates.map((t) => t.id),
      ['hello', 'typed', 'http-api'],
    );
    for (const template of functionTemplates) {
      assert.equal(template.root, join(templatesRoot, 'function', template.id));
      assert.deepEqual(loadTemplateFolder(template.root), template);
    }
  });

  it('a template folder renders through the same spec: its files, event, JSON context and stored path', async () => {
    const cwd = tempDir('aot-lambda-kit-');
    cpSync(sample, join(cwd, 'kit'), { recursive: true });
    const project = await generate(
      { name: 'Shop', yes: true, client: 'minimal', template: './kit' },
      undefined,
      cwd,
    );
    assert.match(
      project.read('src/Shop/Function.cs'),
      /public OrderReceipt FunctionHandler\(OrderPlaced\? order/,
    );
    assert.match(project.read('src/Shop/Function.cs'), /LambdaRuntime\.RunAsync<OrderPlaced, OrderReceipt>/);
    assert.match(project.read('src/Shop/Model/Orders.cs'), /^namespace Shop;$/m);
    assert.match(
      project.read('test/Shop.Tests/FunctionTests.cs'),
      /"\{\\"orderId\\":\\"o-1\\",\\"items\\":3\}"/,
    );
    assert.deepEqual(JSON.parse(project.read('events/event.json')), {
      orderId: 'o-1',
      lines: [
        { sku: 'tea', quantity: 2 },
        { sku: 'cup', quantity: 1 },
      ],
    });
    const context = project.read('src/Shop/LambdaJsonContext.cs');
    assert.match(context, /typeof\(OrderPlaced\)/);
    assert.match(context, /typeof\(OrderReceipt\)/);
    assert.equal(
      project.files.has('src/Shop/JsonTypes.cs'),
      false,
      'the template declares its models: no stubs',
    );
    const stored = JSON.parse(project.read('.yo-rc.json')) as Record<string, Record<string, string>>;
    assert.equal(stored['generator-aot-lambda']?.template, join(cwd, 'kit'));
  });

  it('an installed npm package is found by name', async () => {
    const cwd = tempDir('aot-lambda-kit-');
    cpSync(sample, join(cwd, 'node_modules/@acme/aot-lambda-orders'), { recursive: true });
    writeFileSync(
      join(cwd, 'node_modules/@acme/aot-lambda-orders/package.json'),
      JSON.stringify({ name: '@acme/aot-lambda-orders', version: '1.0.0' }),
    );
    const project = await generate(
      { name: 'Shop', yes: true, client: 'minimal', template: '@acme/aot-lambda-orders' },
      undefined,
      cwd,
    );
    assert.match(project.read('src/Shop/Function.cs'), /OrderReceipt/);
  });

  const broken: [string, () => string, RegExp][] = [
    [
      'no manifest',
      () => tempDir('aot-lambda-template-'),
      /no aot-lambda-template\.json\. A template folder holds/,
    ],
    ['an unknown key', () => variant((m) => (m.handler = 'x')), /unknown key 'handler'/],
    [
      'a bad input type',
      () => variant((m) => (m.inputType = 'List<')),
      /'inputType' .* must be a C# type name/,
    ],
    [
      'a missing sample event',
      () => variant((m) => delete m.sampleEvent),
      /'sampleEvent' .* must be any JSON value/,
    ],
    [
      'a file outside the folder',
      () =>
        variant(
          files([
            ['../../x.ejs', 'src/X.cs'],
            ['FunctionTests.cs.ejs', 'test/T.cs'],
          ]),
        ),
      /files\[0\]\.from: \.\.\/\.\.\/x\.ejs is not a file in the template folder/,
    ],
    [
      'a destination escaping the project',
      () =>
        variant(
          files([
            ['Function.cs.ejs', 'src/../../evil.cs'],
            ['FunctionTests.cs.ejs', 'test/T.cs'],
          ]),
        ),
      /files\[0\]\.to must be src\/<path>\.cs or test\/<path>\.cs/,
    ],
    [
      'a file the generator writes',
      () =>
        variant(
          files([
            ['Function.cs.ejs', 'src/LambdaJsonContext.cs'],
            ['FunctionTests.cs.ejs', 'test/T.cs'],
          ]),
        ),
      /src\/LambdaJsonContext\.cs is written by the generator itself/,
    ],
    [
      'no tests',
      () => variant(files([['Function.cs.ejs', 'src/Function.cs']])),
      /no file goes to test\/: the template must bring tests/,
    ],
    [
      'two files to one place',
      () =>
        variant(
          files([
            ['Function.cs.ejs', 'src/F.cs'],
            ['Orders.cs.ejs', 'src/F.cs'],
            ['FunctionTests.cs.ejs', 'test/T.cs'],
          ]),
        ),
      /two files go to src\/F\.cs/,
    ],
  ];
  for (const [what, make, message] of broken) {
    it(`refuses a template with ${what}`, () => {
      assert.throws(() => loadTemplateFolder(make()), message);
    });
  }

  it('refuses a template file that is a symlink to a file elsewhere', () => {
    const dir = variant(() => undefined);
    const outside = join(tempDir('aot-lambda-outside-'), 'secret.ejs');
    writeFileSync(outside, 'secret');
    symlinkSync(outside, join(dir, 'Link.cs.ejs'));
    const manifest = JSON.parse(readFileSync(join(dir, manifestFileName), 'utf8')) as { files: unknown[] };
    manifest.files.push({ from: 'Link.cs.ejs', to: 'src/Link.cs' });
    writeFileSync(join(dir, manifestFileName), JSON.stringify(manifest));
    assert.throws(
      () => loadTemplateFolder(dir),
      /Link\.cs\.ejs must be a regular file inside the template folder/,
    );
  });

  it('the bin: a broken template or an unknown name exits 2 with the layout problem and the valid values; nothing written', async () => {
    const cwd = tempDir('aot-lambda-kit-');
    mkdirSync(join(cwd, 'empty'));
    const broken = await runBin(['new', 'Shop', '--yes', '--skip-install', '--template', './empty'], { cwd });
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /aot-lambda: error: Template .*empty: no aot-lambda-template\.json/);
    assert.match(broken.stderr, /Valid values: hello, typed, http-api, or a template folder/);
    const unknown = await runBin(['new', 'Shop', '--yes', '--skip-install', '--template', 'typedd'], { cwd });
    assert.equal(unknown.code, 2);
    assert.match(
      unknown.stderr,
      /Unknown --template 'typedd': no built-in template has that name, and no npm package/,
    );
    assert.equal(existsSync(join(cwd, 'Shop')), false);
  });
});
