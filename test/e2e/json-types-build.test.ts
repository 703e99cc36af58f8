import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { frameworkTypes } from '../../src/catalog/framework-types.js';
import { renderProject, writeProject } from '../../src/render/render-project.js';
import { completeSettings } from '../../src/settings.js';
import { buildSpec, checkJsonTypesCompile } from '../../src/spec.js';
import { tempDir } from '../helpers/fs.js';
import { dotnet, missingTools, tail } from './dotnet.js';

/**
 * Issue 17.10: every --json-types entry `new` accepts must compile. One project names each .NET type of the
 * catalogue (with as many type arguments as it declares, bare and namespace-qualified), placeholders plain and
 * qualified by the project's namespace, the template's own types and `T` as a plain name; `dotnet build` must
 * pass. The built-in client needs no Amazon.Lambda package, so this runs on the machine's NuGet mirror alone.
 * Run under the publish lock: flock /work/wt/publish.lock node --import tsx --test test/e2e/json-types-build.test.ts
 */
const skip = missingTools(['dotnet']);

const closed = (name: string, arity: number): string =>
  arity === 0 ? name : `${name}<${['string', 'int'].slice(-arity).join(', ')}>`;

describe('--json-types accepted by new compile (dotnet build)', { skip }, () => {
  it('every catalogue type, bare and qualified, plus placeholders, builds with no error', async () => {
    const entries = [
      ...frameworkTypes.flatMap((t) =>
        t.arities.flatMap((n) => [closed(t.name, n), `${t.namespace}.${closed(t.name, n)}`]),
      ),
      'Order',
      'Jt.Item',
      'T',
      'Request',
      'Response',
      'Function',
      'List<Item>[]',
      'int?',
      'global::System.Guid',
    ];
    const spec = buildSpec(
      completeSettings({ name: 'Jt', client: 'minimal', template: 'typed', jsonTypes: entries.join(', ') }),
    );
    checkJsonTypesCompile(spec);
    const root = join(tempDir('aot-lambda-json-types-'), 'Jt');
    writeProject(root, renderProject(spec));
    const build = await dotnet(['build', spec.artifacts.projectFile, '-nologo'], root);
    assert.equal(build.status, 0, tail(build.output));
    assert.doesNotMatch(build.output, /error CS\d+/, tail(build.output));
  });
});
