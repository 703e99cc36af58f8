import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { clients } from '../../src/catalog/clients.js';
import { runtimes } from '../../src/catalog/runtimes.js';
import { functionTemplates } from '../../src/catalog/templates.js';
import { planConversion } from '../../src/convert/index.js';
import { renderProject, writeProject } from '../../src/render/render-project.js';
import { completeSettings } from '../../src/settings.js';
import { buildSpec } from '../../src/spec.js';
import { tempDir } from './helpers.js';

/**
 * `new` and `convert` describe one NativeAOT project: converting what `new` just wrote changes nothing. A
 * difference means the two disagree about a fact (a tools-defaults key, how a Main starts the client...).
 */
const variants = [
  ...clients.flatMap((c) =>
    // webapi is an ASP.NET Core app, which convert refuses (test/convert/errors.test.ts).
    functionTemplates
      .filter((t) => !t.refusedClients?.[c.id] && t.sdk === undefined)
      .flatMap((t) =>
        runtimes.map((r) => ({ client: c.id, template: t.id, runtime: r.id, architecture: 'x86_64' })),
      ),
  ),
  {
    client: 'minimal',
    template: 'typed',
    runtime: 'provided.al2023',
    architecture: 'arm64',
    jsonTypes: 'List<Order>,Dictionary<string, int>',
    reflectionTypes: 'Orders!Orders.Order',
  },
];

describe('convert on a project new has just generated', () => {
  for (const settings of variants) {
    const label = Object.values(settings).join(' / ');
    it(`changes nothing: ${label}`, async () => {
      const spec = buildSpec(completeSettings({ name: 'Orders', ...settings }));
      const root = tempDir('aot-convert-generated-');
      writeProject(root, renderProject(spec));
      const plan = await planConversion(join(root, 'src', 'Orders'), {});
      assert.deepEqual(
        plan.changes.map((c) => c.path.slice(root.length + 1)),
        [],
        'files convert would change',
      );
      assert.equal(plan.runtime, settings.runtime);
      assert.equal(plan.architecture, settings.architecture);
    });
  }
});
