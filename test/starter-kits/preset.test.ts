import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readPreset } from '../../src/preset.js';
import { runBin } from '../bin/run-bin.js';
import { tempDir } from '../helpers/fs.js';
import { generate } from '../helpers/generate.js';

function kit(contents: unknown): string {
  const dir = tempDir('aot-lambda-preset-');
  writeFileSync(join(dir, 'kit.json'), typeof contents === 'string' ? contents : JSON.stringify(contents));
  return dir;
}

describe('starter kits: --preset', () => {
  it('reads a flat file by setting keys or flags, and type lists as arrays', () => {
    const dir = kit({ template: 'typed', 'json-types': ['Order', 'Receipt'], reflectionTypes: 'Ns.Plugin' });
    assert.deepEqual(readPreset('kit.json', dir), {
      template: 'typed',
      jsonTypes: 'Order,Receipt',
      reflectionTypes: 'Ns.Plugin',
    });
  });

  it('reads a .yo-rc.json-shaped file', () => {
    const dir = kit({ 'generator-aot-lambda': { client: 'minimal', architecture: 'arm64' } });
    assert.deepEqual(readPreset('kit.json', dir), { client: 'minimal', architecture: 'arm64' });
  });

  it('the generator uses the preset; flags given win over it', async () => {
    const dir = kit({ template: 'typed', architecture: 'arm64', client: 'minimal', 'json-types': ['Order'] });
    const project = await generate({
      name: 'Orders',
      yes: true,
      preset: join(dir, 'kit.json'),
      architecture: 'x86_64',
    });
    const stored = JSON.parse(project.read('.yo-rc.json')) as Record<string, Record<string, string>>;
    assert.equal(stored['generator-aot-lambda']?.template, 'typed');
    assert.equal(stored['generator-aot-lambda']?.client, 'minimal');
    assert.equal(stored['generator-aot-lambda']?.architecture, 'x86_64');
    assert.match(
      project.read('src/Orders/Orders.csproj'),
      /<RuntimeIdentifier>linux-x64<\/RuntimeIdentifier>/,
    );
    assert.match(project.read('src/Orders/LambdaJsonContext.cs'), /\[JsonSerializable\(typeof\(Order\)\)\]/);
  });

  const refusals: [string, unknown, RegExp][] = [
    [
      'an unknown key',
      { colour: 'blue' },
      /--preset kit\.json: unknown setting 'colour'\. Settings: name, framework/,
    ],
    ['a number', { template: 3 }, /'template' must be a string, such as "typed"; found number 3/],
    ['an array where one value is expected', { client: ['minimal'] }, /'client' must be a string/],
    ['not JSON', '{ template: typed', /--preset kit\.json: not valid JSON/],
    ['an array at the top', ['typed'], /expected a JSON object of settings.*found an array/],
  ];
  for (const [what, contents, message] of refusals) {
    it(`refuses ${what}, naming the file`, () => {
      assert.throws(() => readPreset('kit.json', kit(contents)), message);
    });
  }

  it('a bad value gets the same error as the flag, and nothing is written', async () => {
    const dir = kit({ framework: 'net7.0' });
    const viaPreset = await runBin(['new', 'Orders', '--yes', '--skip-install', '--preset', 'kit.json'], {
      cwd: dir,
    });
    const viaFlag = await runBin(['new', 'Orders', '--yes', '--skip-install', '--framework', 'net7.0'], {
      cwd: dir,
    });
    assert.equal(viaPreset.code, 2);
    assert.match(
      viaPreset.stderr,
      /Unknown --framework 'net7\.0'\. Valid values: net10\.0, net9\.0, net8\.0\./,
    );
    assert.equal(viaPreset.stderr, viaFlag.stderr);
    assert.equal(existsSync(join(dir, 'Orders')), false);
  });

  it('the bin refuses a missing or non-file preset with exit 2', async () => {
    const dir = tempDir('aot-lambda-preset-');
    mkdirSync(join(dir, 'folder.json'));
    const missing = await runBin(['new', 'Orders', '--yes', '--skip-install', '--preset', 'nope.json'], {
      cwd: dir,
    });
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /aot-lambda: error: --preset nope\.json: the file cannot be read \(ENOENT\)\./,
    );
    const folder = await runBin(['new', 'Orders', '--yes', '--skip-install', '--preset', 'folder.json'], {
      cwd: dir,
    });
    assert.match(folder.stderr, /--preset folder\.json: not a regular file/);
  });
});
