/**
 * A starter kit built on aot-lambda (test/fixtures/starter-kit): a Yeoman generator that composes with
 * aot-lambda:app, passing its preset (a template folder of its own and its answers) as options, then adds and
 * overrides files. The combined project must build and pass its own tests with the real SDK.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createEnv } from 'yeoman-environment';
import AppGenerator from '../../generators/app/index.js';
import { missingTools, dotnet, tail, workDir } from './dotnet.js';

const kit = join(import.meta.dirname, '../fixtures/starter-kit');

describe('starter kit: a generator composing aot-lambda:app', () => {
  it('writes the kit template, answers and files, and the result builds and passes its tests', async (t) => {
    const parent = workDir('starter-kit');
    const env = createEnv({ cwd: parent });
    // What `yo` does after looking both packages up: aot-lambda:app by its namespace, the kit by its file.
    env.register(AppGenerator as never, {
      namespace: 'aot-lambda:app',
      resolved: join(import.meta.dirname, '../../generators/app/index.ts'),
    });
    // The kit's module is imported here, as yo would load it: registering its path makes yeoman-environment
    // require() it, which tsx (this suite's loader) turns into CommonJS that cannot import ESM-only packages.
    const kitFile = join(kit, 'generators/app/index.js');
    const { default: Kit } = (await import(kitFile)) as { default: unknown };
    env.register(Kit as never, { namespace: 'acme-orders:app', resolved: kitFile });
    await env.run(['acme-orders:app', 'Orders']);

    const root = join(parent, 'Orders');
    const read = (path: string): string => readFileSync(join(root, path), 'utf8');
    const stored = (JSON.parse(read('.yo-rc.json')) as Record<string, Record<string, string>>)[
      'generator-aot-lambda'
    ];
    assert.equal(stored?.template, join(kit, 'template'), 'the preset names its template relative to itself');
    assert.equal(stored?.client, 'minimal');
    assert.match(read('src/Orders/Orders.csproj'), /<RuntimeIdentifier>linux-arm64<\/RuntimeIdentifier>/);
    assert.match(read('src/Orders/Function.cs'), /public OrderReceipt FunctionHandler\(OrderPlaced\? order/);
    assert.match(read('src/Orders/LambdaJsonContext.cs'), /typeof\(Audit\)/);
    assert.match(read('src/Orders/JsonTypes.cs'), /Acme's audit record/, 'the kit replaced the stub');
    assert.match(read('README.md'), /^# Orders/m);
    assert.match(read('README.md'), /## Acme\nBuilt from the Acme orders starter kit\.\n$/);
    assert.equal(read('.github/CODEOWNERS'), '* @acme/platform\n');
    assert.ok(existsSync(join(root, 'scripts/build.sh')));

    const skip = missingTools(['dotnet']);
    if (skip) return t.skip(skip);
    const test = await dotnet(['test', 'Orders.sln'], root);
    assert.equal(test.status, 0, tail(test.output));
    assert.match(test.output, /Passed!|total: 1, failed: 0|Test Run Successful/i, tail(test.output));
  });
});
