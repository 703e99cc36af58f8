import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { architectures } from '../../src/catalog/architectures.js';
import { clients } from '../../src/catalog/clients.js';
import { frameworks } from '../../src/catalog/frameworks.js';
import { packagings } from '../../src/catalog/packaging.js';
import { runtimes } from '../../src/catalog/runtimes.js';
import { functionTemplates } from '../../src/catalog/templates.js';
import { renderProject, type RenderedFile } from '../../src/render/render-project.js';
import { completeSettings, type SettingKey } from '../../src/settings.js';
import { buildSpec, type ProjectSpec } from '../../src/spec.js';
import { parseCfnYaml, parseXml } from '../helpers/parse.js';
import {
  actionlint,
  bashSyntax,
  checkCloudFormation,
  csharpErrors,
  dockerfileDiagnostics,
  fromLines,
  hasTool,
  serviceSpec,
  shellcheck,
  xmllint,
  type TextFile,
} from '../helpers/validators.js';

/**
 * Every combination of the closed settings, with and without the free-text type lists, rendered in-process
 * (renderProject: no Yeoman), and every artefact checked by the tool of its field. Identical file contents
 * are checked once: the tools are deterministic, and deduplication keeps the file well under a minute.
 */
type Props = Record<string, unknown>;

interface Variant {
  readonly label: string;
  readonly spec: ProjectSpec;
  readonly files: readonly RenderedFile[];
}

const typeLists = {
  jsonTypes:
    'Order, List<Order>, Dictionary<string, int[]>, JsonElement, JsonNode, DateTime?, Contoso.Shared.Money',
  reflectionTypes: 'Plugins.Audit, Other.Lib!Other.Lib.Thing`1+Inner, Other.Lib!Other.Lib.Other',
};

function variants(): Variant[] {
  const out: Variant[] = [];
  for (const framework of frameworks)
    for (const architecture of architectures)
      for (const runtime of runtimes)
        for (const client of clients)
          for (const template of functionTemplates.filter((t) => !t.refusedClients?.[client.id]))
            for (const packaging of packagings)
              for (const withTypes of [false, true]) {
                // Two names in turn: a plain one, and one with dots and a dash (namespace Contoso.Order_Api).
                const name = out.length % 2 === 0 ? 'Orders' : 'Contoso.Order-Api';
                const given: Partial<Record<SettingKey, string>> = {
                  name,
                  framework: framework.tfm,
                  architecture: architecture.id,
                  runtime: runtime.id,
                  client: client.id,
                  template: template.id,
                  packaging: packaging.id,
                  ...(withTypes ? typeLists : {}),
                };
                const spec = buildSpec(completeSettings(given));
                const label = [
                  name,
                  framework.tfm,
                  architecture.id,
                  runtime.id,
                  client.id,
                  template.id,
                  packaging.id,
                  withTypes ? 'types' : 'no-types',
                ].join('/');
                out.push({ label, spec, files: renderProject(spec) });
              }
  return out;
}

/** The files matching `test` across all variants, one per distinct content, named `<label>/<path>`. */
function distinct(
  all: readonly Variant[],
  test: (path: string) => boolean,
): (TextFile & { variant: Variant; path: string })[] {
  const seen = new Map<string, TextFile & { variant: Variant; path: string }>();
  all.forEach((variant, i) => {
    for (const file of variant.files) {
      if (!test(file.path) || seen.has(file.contents)) continue;
      seen.set(file.contents, {
        name: `v${i}/${file.path}`,
        contents: file.contents,
        variant,
        path: file.path,
      });
    }
  });
  return [...seen.values()];
}

function file(variant: Variant, path: string): string {
  const found = variant.files.find((f) => f.path === path);
  assert.ok(found, `${variant.label}: ${path} was not generated`);
  return found.contents;
}

const groups = (value: unknown): Props[] =>
  ([] as Props[]).concat((value as Props | Props[] | undefined) ?? []);

describe('generated artefacts over every combination of settings', () => {
  let all: Variant[] = [];
  before(async () => {
    all = variants();
    await serviceSpec(); // loaded once (~1 s), outside any single test's time
  });

  it('renders all combinations (frameworks x architectures x runtimes x clients x templates x packagings x type lists) but the refused ones', () => {
    const pairs = clients.flatMap((c) => functionTemplates.filter((t) => !t.refusedClients?.[c.id]));
    const expected =
      frameworks.length * architectures.length * runtimes.length * pairs.length * packagings.length * 2;
    assert.equal(all.length, expected);
    assert.equal(pairs.length, 7, 'webapi is refused with the minimal client');
    assert.equal(expected, 504);
    for (const v of all) assert.ok(v.files.length >= 18, `${v.label}: ${v.files.length} files`);
  });

  it('shell scripts: shellcheck -x -S style reports nothing, bash -n parses them, and they are executable', (t) => {
    if (!hasTool('shellcheck'))
      return t.skip('shellcheck is not installed (apt-get install shellcheck; .ci/run installs it)');
    const scripts = distinct(all, (p) => p.endsWith('.sh'));
    assert.ok(scripts.length >= 3 * 2);
    assert.deepEqual(shellcheck(scripts), []);
    assert.deepEqual(bashSyntax(scripts), []);
    for (const v of all)
      for (const f of v.files.filter((x) => x.path.endsWith('.sh')))
        assert.equal(f.mode, 0o755, `${v.label}: ${f.path}`);
  });

  it('template.yaml: types, properties and references valid for CloudFormation and SAM (aws-service-spec); values as set', async () => {
    const templates = distinct(all, (p) => p === 'template.yaml');
    for (const t of templates) {
      const doc = parseCfnYaml(t.contents) as {
        Transform: string;
        Resources: Record<string, { Type: string; Properties: Props }>;
      };
      assert.deepEqual(await checkCloudFormation(doc), [], t.variant.label);
      assert.equal(doc.Transform, 'AWS::Serverless-2016-10-31');
      const { spec } = t.variant;
      const fn = doc.Resources.Function as { Type: string; Properties: Props };
      assert.equal(fn.Type, 'AWS::Serverless::Function');
      assert.deepEqual(fn.Properties.Architectures, [spec.architecture.id]);
      if (spec.packaging.id === 'zip') {
        assert.equal(fn.Properties.Runtime, spec.runtime.id);
        assert.equal(fn.Properties.Handler, spec.handler);
        assert.equal(fn.Properties.CodeUri, spec.artifacts.zip);
      } else {
        assert.equal(fn.Properties.PackageType, 'Image');
        assert.equal(fn.Properties.Runtime, undefined, 'an image function has no Runtime');
      }
    }
  });

  it('the workflow: actionlint reports nothing; runner and SDK follow architecture and framework', async () => {
    const workflows = distinct(all, (p) => p === '.github/workflows/ci.yml');
    for (const w of workflows) {
      assert.deepEqual(await actionlint(w.contents), [], w.variant.label);
      const doc = parseYaml(w.contents) as { jobs: { build: { 'runs-on': string; steps: Props[] } } };
      const { spec } = w.variant;
      assert.equal(
        doc.jobs.build['runs-on'],
        spec.architecture.id === 'arm64' ? 'ubuntu-24.04-arm' : 'ubuntu-24.04',
      );
      const setup = doc.jobs.build.steps.find((s) => String(s.uses).startsWith('actions/setup-dotnet@'));
      assert.deepEqual(setup?.with, { 'dotnet-version': `${spec.framework.version}.x` });
    }
  });

  it('Dockerfile: dockerfile-utils reports nothing; every FROM pins --platform and an architecture tag', () => {
    const dockerfiles = distinct(all, (p) => p === 'Dockerfile');
    for (const d of dockerfiles) {
      const { spec, label } = d.variant;
      assert.deepEqual(dockerfileDiagnostics(d.contents), [], label);
      const froms = fromLines(d.contents);
      assert.equal(
        froms.length,
        (d.contents.match(/^FROM /gm) ?? []).length,
        `${label}: every FROM understood`,
      );
      assert.equal(froms.length, spec.packaging.id === 'image' ? 3 : 2, label);
      const other = architectures.find((a) => a.id !== spec.architecture.id)?.imageTag as string;
      for (const from of froms) {
        if (from.image === 'scratch') continue; // an empty stage: no architecture to pin
        assert.equal(from.platform, spec.architecture.dockerPlatform, `${label}: ${JSON.stringify(from)}`);
        assert.ok(
          from.tag?.endsWith(`-${spec.architecture.imageTag}`),
          `${label}: tag of ${from.image} is ${from.tag}`,
        );
        assert.ok(!from.tag?.includes(other), `${label}: ${from.tag}`);
      }
      assert.equal(
        froms.at(-1)?.image === 'scratch',
        spec.packaging.id === 'zip',
        `${label}: the last stage`,
      );
    }
  });

  it('csproj and rd.xml: well-formed (xmllint and fast-xml-parser), properties read back as set', (t) => {
    const documents = distinct(all, (p) => /\.(csproj|xml)$/.test(p));
    if (hasTool('xmllint')) assert.deepEqual(xmllint(documents), []);
    else t.diagnostic('xmllint is not installed: checked with fast-xml-parser only');
    for (const v of all) {
      const { spec, label } = v;
      const project = parseXml(file(v, `src/${spec.name}/${spec.name}.csproj`)) as { Project: Props };
      const props = Object.assign({}, ...groups(project.Project.PropertyGroup)) as Props;
      assert.equal(
        project.Project['@Sdk'],
        spec.template.id === 'webapi' ? 'Microsoft.NET.Sdk.Web' : 'Microsoft.NET.Sdk',
      );
      assert.deepEqual(
        [
          props.OutputType,
          props.TargetFramework,
          props.RuntimeIdentifier,
          props.AssemblyName,
          props.RootNamespace,
        ],
        ['Exe', spec.framework.tfm, spec.architecture.rid, spec.assemblyName, spec.namespace],
        label,
      );
      assert.deepEqual(
        [
          props.PublishAot,
          props.StripSymbols,
          props.InvariantGlobalization,
          props.TrimMode,
          props.AWSProjectType,
        ],
        // No TrimMode: NativeAOT's default full trimming, the one setting that publishes Amazon.Lambda.* warning-free.
        ['true', 'true', 'true', undefined, 'Lambda'],
      );
      const items = groups(project.Project.ItemGroup);
      const refs = items
        .flatMap((g) => groups(g.PackageReference))
        .map((r) => `${r['@Include'] as string}@${r['@Version'] as string}`);
      assert.deepEqual(
        refs,
        spec.packages.map((p) => `${p.id}@${p.version}`),
        label,
      );
      const rdXml = items.flatMap((g) => groups(g.RdXmlFile)).map((r) => r['@Include']);
      assert.deepEqual(rdXml, spec.reflectionTypes.length > 0 ? ['rd.xml'] : [], label);

      const tests = parseXml(file(v, `test/${spec.name}.Tests/${spec.name}.Tests.csproj`)) as {
        Project: Props;
      };
      const testProps = Object.assign({}, ...groups(tests.Project.PropertyGroup)) as Props;
      // xunit.v3 test projects are executables; RollForward lets .NET 10 alone run net8.0/net9.0 tests.
      assert.deepEqual(
        [testProps.TargetFramework, testProps.OutputType, testProps.RollForward],
        [spec.framework.tfm, 'Exe', 'Major'],
      );
      const testRefs = groups(tests.Project.ItemGroup)
        .flatMap((g) => groups(g.PackageReference))
        .map((r) => `${r['@Include'] as string}@${r['@Version'] as string}`);
      assert.deepEqual(
        testRefs,
        spec.testPackages.map((p) => `${p.id}@${p.version}`),
      );
      const projectRefs = groups(tests.Project.ItemGroup)
        .flatMap((g) => groups(g.ProjectReference))
        .map((r) => r['@Include']);
      assert.deepEqual(projectRefs, [`..\\..\\src\\${spec.name}\\${spec.name}.csproj`]);

      const rd = v.files.find((f) => f.path === `src/${spec.name}/rd.xml`);
      assert.equal(rd !== undefined, spec.reflectionTypes.length > 0, label);
      if (rd) {
        const doc = parseXml(rd.contents) as { Directives: { Application: { Assembly: Props | Props[] } } };
        const entries = groups(doc.Directives.Application.Assembly).flatMap((a) =>
          groups(a.Type).map((type) => `${a['@Name'] as string}!${type['@Name'] as string}`),
        );
        assert.deepEqual(
          entries.sort(),
          spec.reflectionTypes.map((r) => `${r.assembly}!${r.type}`).sort(),
          label,
        );
      }
    }
  });

  it('the solution names both projects at paths that are generated', () => {
    for (const v of all) {
      const sln = file(v, `${v.spec.name}.sln`);
      const paths = [...sln.matchAll(/^Project\("\{FAE04EC0-[^"]+\}"\) = "[^"]+", "([^"]+)"/gm)].map((m) =>
        (m[1] as string).replace(/\\/g, '/'),
      );
      assert.deepEqual(paths, [
        `src/${v.spec.name}/${v.spec.name}.csproj`,
        `test/${v.spec.name}.Tests/${v.spec.name}.Tests.csproj`,
      ]);
      for (const p of paths)
        assert.ok(
          v.files.some((f) => f.path === p),
          `${v.label}: ${p}`,
        );
    }
  });

  it('every C# file parses with tree-sitter-c-sharp: no ERROR or MISSING node', async () => {
    const sources = distinct(all, (p) => p.endsWith('.cs'));
    assert.ok(sources.length >= 30, `${sources.length} distinct C# files`);
    const broken: string[] = [];
    for (const s of sources) {
      const errors = await csharpErrors(s.contents);
      if (errors.length > 0) broken.push(`${s.variant.label} ${s.path}: ${errors.join(', ')}`);
    }
    assert.deepEqual(broken, []);
  });

  it('every JSON file parses, with the values set', () => {
    for (const v of all) {
      const { spec, label } = v;
      for (const f of v.files.filter((x) => x.path.endsWith('.json')))
        assert.doesNotThrow(() => JSON.parse(f.contents), `${label}: ${f.path}`);
      const defaults = JSON.parse(file(v, `src/${spec.name}/aws-lambda-tools-defaults.json`)) as Props;
      assert.deepEqual(
        [
          defaults['function-runtime'],
          defaults['function-architecture'],
          defaults['function-handler'],
          defaults.framework,
        ],
        [spec.runtime.id, spec.architecture.id, spec.handler, spec.framework.tfm],
        label,
      );
      assert.deepEqual(JSON.parse(file(v, 'events/event.json')), spec.template.sampleEvent);
      for (const more of spec.template.moreEvents ?? [])
        assert.deepEqual(JSON.parse(file(v, `events/${more.file}`)), more.event, label);
    }
  });
});
