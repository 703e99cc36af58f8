/**
 * cfn-lint (AWS's own CloudFormation linter, which also expands SAM with aws-sam-translator) on the
 * template.yaml of every generated variant: no error, no warning, and each informational finding accounted
 * for below. Settings that do not reach template.yaml (framework, client, type lists) give identical files,
 * which are linted once; every architecture x runtime x function template x packaging x name shape is there.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { architectures } from '../../src/catalog/architectures.js';
import { packagings } from '../../src/catalog/packaging.js';
import { runtimes } from '../../src/catalog/runtimes.js';
import { functionTemplates } from '../../src/catalog/templates.js';
import { renderProject } from '../../src/render/render-project.js';
import { completeSettings } from '../../src/settings.js';
import { buildSpec, type ProjectSpec } from '../../src/spec.js';
import { tempDir } from '../helpers/fs.js';
import { hasTool } from '../helpers/validators.js';

interface Finding {
  Filename: string;
  Level: 'Error' | 'Warning' | 'Informational';
  Message: string;
  Rule: { Id: string };
  Location: { Path: Array<string | number> };
}

interface Linted {
  spec: ProjectSpec;
  file: string;
}

/**
 * Accepted informational findings, each with its reason. I3011 asks every stateful resource for an explicit
 * DeletionPolicy/UpdateReplacePolicy; the only one here is the function's own log group, and deleting it
 * with the stack (CloudFormation's default) is intended: it holds nothing but this function's logs, kept
 * 14 days anyway, and a retained group would make the next deploy of the same stack fail on its name.
 */
const accepted: ReadonlyArray<{ rule: string; path: string; why: string }> = [
  { rule: 'I3011', path: 'Resources/FunctionLogGroup', why: 'log group goes with the stack, by design' },
];

function renderTemplates(dir: string): Linted[] {
  const seen = new Map<string, Linted>();
  for (const architecture of architectures)
    for (const runtime of runtimes)
      for (const template of functionTemplates)
        for (const packaging of packagings)
          for (const name of ['Orders', 'Contoso.Order-Api']) {
            const spec = buildSpec(
              completeSettings({
                name,
                architecture: architecture.id,
                runtime: runtime.id,
                template: template.id,
                packaging: packaging.id,
              }),
            );
            const yaml = renderProject(spec).find((f) => f.path === 'template.yaml')?.contents;
            assert.ok(yaml, 'template.yaml was not rendered');
            if (seen.has(yaml)) continue;
            const file = join(dir, String(seen.size), 'template.yaml');
            mkdirSync(join(file, '..'), { recursive: true });
            writeFileSync(file, yaml);
            seen.set(yaml, { spec, file });
          }
  return [...seen.values()];
}

describe('cfn-lint on every generated template.yaml', () => {
  it('finds no error and no warning; informational findings are only the accepted ones', (t) => {
    if (!hasTool('cfn-lint')) return t.skip('cfn-lint is not installed (pip install cfn-lint)');
    const dir = tempDir('aot-lambda-cfn-lint-');
    try {
      const linted = renderTemplates(dir);
      assert.ok(linted.length >= architectures.length * runtimes.length * packagings.length * 2);
      const run = spawnSync(
        'cfn-lint',
        ['--include-checks', 'I', '--format', 'json', '--', ...linted.map((l) => l.file)],
        { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      );
      assert.ok(run.stdout.trim().startsWith('['), `cfn-lint did not report: ${run.stderr}`);
      const findings = JSON.parse(run.stdout) as Finding[];
      const where = (f: Finding) => `${f.Filename} ${f.Rule.Id} ${f.Location.Path.join('/')}: ${f.Message}`;
      const runtimeOf = (f: Finding) => linted.find((l) => l.file === f.Filename)?.spec.runtime;

      // A deprecated runtime the user chose (the generator warns at that moment too) is the one warning
      // that stays: cfn-lint is right to repeat it, and it must name exactly those variants.
      const deprecated = (f: Finding) => f.Rule.Id === 'W2531' && runtimeOf(f)?.deprecated !== undefined;
      const problems = findings.filter((f) => f.Level !== 'Informational' && !deprecated(f));
      assert.deepEqual(problems.map(where), []);
      // An image function names no Runtime in the template, so only zip variants carry it.
      const chose = linted.filter(
        (l) => l.spec.runtime.deprecated !== undefined && l.spec.packaging.id === 'zip',
      );
      assert.equal(
        findings.filter(deprecated).length,
        chose.length,
        'W2531 on each deprecated-runtime variant',
      );

      const unexplained = findings.filter(
        (f) =>
          f.Level === 'Informational' &&
          !accepted.some((a) => a.rule === f.Rule.Id && a.path === f.Location.Path.join('/')),
      );
      assert.deepEqual(unexplained.map(where), []);
      t.diagnostic(
        `${linted.length} distinct templates linted, ${findings.length} findings, all accounted for`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
