import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createEnv } from 'yeoman-environment';
import ConvertGenerator from '../../generators/convert/index.js';
import { tempDir } from '../helpers/fs.js';

const fixtures = join(import.meta.dirname, '../fixtures');

describe('starter kits: composing aot-lambda:convert', () => {
  it("a kit's generator converts a managed project in place, then adds its own file", async () => {
    const project = join(tempDir('aot-lambda-kit-convert-'), 'EmptyFunction');
    cpSync(join(fixtures, 'convert/empty-function/input'), project, { recursive: true });
    const env = createEnv({ cwd: project });
    env.register(ConvertGenerator as never, {
      namespace: 'aot-lambda:convert',
      resolved: join(import.meta.dirname, '../../generators/convert/index.ts'),
    });
    // The kit's module is imported here, as yo would load it: registering its path makes yeoman-environment
    // require() it, which tsx (this suite's loader) turns into CommonJS that cannot import ESM-only packages.
    const kitFile = join(fixtures, 'starter-kit/generators/convert/index.js');
    const { default: Kit } = (await import(kitFile)) as { default: unknown };
    env.register(Kit as never, { namespace: 'acme-orders:convert', resolved: kitFile });
    await env.run(['acme-orders:convert', '.']);

    const csproj = readFileSync(join(project, 'src/EmptyFunction/EmptyFunction.csproj'), 'utf8');
    assert.match(csproj, /<PublishAot>true<\/PublishAot>/);
    assert.match(csproj, /<AssemblyName>bootstrap<\/AssemblyName>/);
    assert.equal(readFileSync(join(project, '.github/CODEOWNERS'), 'utf8'), '* @acme/platform\n');
  });
});
