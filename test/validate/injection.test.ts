import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { architectures } from '../../src/catalog/architectures.js';
import { clients } from '../../src/catalog/clients.js';
import { frameworks } from '../../src/catalog/frameworks.js';
import { packagings } from '../../src/catalog/packaging.js';
import { runtimes } from '../../src/catalog/runtimes.js';
import { functionTemplates } from '../../src/catalog/templates.js';
import { syntaxErrors, withParsedCSharp, type SyntaxNode } from '../../src/csharp/parser.js';
import * as esc from '../../src/render/escape.js';
import { renderProject, type RenderedFile } from '../../src/render/render-project.js';
import { completeSettings, SettingError, type SettingKey } from '../../src/settings.js';
import { buildSpec, type ProjectSpec, type ReflectionStub } from '../../src/spec.js';
import { parseCfnYaml, parseXml } from '../helpers/parse.js';
import {
  actionlint,
  bashSyntax,
  checkCloudFormation,
  dockerfileDiagnostics,
  hasTool,
  shellcheck,
  xmllint,
  type TextFile,
} from '../helpers/validators.js';
import { hostileText, plausibleName, plausibleReflectionList, plausibleTypeList } from './hostile.js';

/**
 * Injection-proofing: hostile strings into every free-text setting (and straight into each escaper). Each
 * input is either refused with a SettingError whose message stays on one line, or the whole project renders
 * and every file still parses in its format with the user's text only where it belongs: the same structure as
 * a project generated with a harmless value, and the values reading back as intended. In-process checks run
 * on every case; the external tools (shellcheck, bash -n, xmllint, actionlint, the SAM spec) on a sample.
 */
// AOT_LAMBDA_PROPERTY_RUNS raises the count for a longer hunt (e.g. 20000) without changing the suite's.
const numRuns = Number(process.env['AOT_LAMBDA_PROPERTY_RUNS'] ?? 1000);
const sampleSize = 50;

type Closed = Record<'framework' | 'architecture' | 'runtime' | 'client' | 'template' | 'packaging', string>;
const closedSettings: fc.Arbitrary<Closed> = fc
  .record({
    framework: fc.constantFrom(...frameworks.map((f) => f.tfm)),
    architecture: fc.constantFrom(...architectures.map((a) => a.id)),
    runtime: fc.constantFrom(...runtimes.map((r) => r.id)),
    client: fc.constantFrom(...clients.map((c) => c.id)),
    template: fc.constantFrom(...functionTemplates.map((t) => t.id)),
    packaging: fc.constantFrom(...packagings.map((p) => p.id)),
  })
  .filter((c) => !functionTemplates.find((t) => t.id === c.template)?.refusedClients?.[c.client]);

type Given = Partial<Record<SettingKey, string>>;

/** Control characters, line breaks and bidi controls: none may reach a one-line error message. */
const unprintable = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function build(given: Given): ProjectSpec | SettingError {
  try {
    return buildSpec(completeSettings(given));
  } catch (error) {
    if (error instanceof SettingError) return error;
    throw error;
  }
}

// ---- structure: what a file is made of, regardless of the values in it

type Shape = string | Shape[] | { [key: string]: Shape };
/** Keys and nesting of parsed data; leaves collapse to their type, so only values may differ. */
function shape(value: unknown): Shape {
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k.startsWith('@') ? `${k}=` : k, shape(v)]),
    );
  }
  return typeof value;
}

function structure(file: RenderedFile): Shape {
  const { path, contents } = file;
  const lines = String(contents.split('\n').length);
  if (/\.(csproj|xml)$/.test(path)) return { lines, xml: shape(parseXml(contents)) };
  if (path.endsWith('.json')) return { lines, json: shape(JSON.parse(contents)) };
  if (path === 'template.yaml') return { lines, yaml: shape(parseCfnYaml(contents)) };
  if (path.endsWith('.yml')) return { lines, yaml: shape(parseYaml(contents)) };
  return { lines };
}

/** A file's place in the project, independent of the project name (src/{n}/{n}.csproj, ...). */
function role(path: string, name: string): string {
  const inside = (prefix: string, rest: string): string =>
    `${prefix}${rest === `${name}.csproj` ? '{n}.csproj' : rest === `${name}.Tests.csproj` ? '{n}.Tests.csproj' : rest}`;
  if (path === `${name}.sln`) return '{n}.sln';
  if (path.startsWith(`src/${name}/`)) return inside('src/{n}/', path.slice(`src/${name}/`.length));
  if (path.startsWith(`test/${name}.Tests/`))
    return inside('test/{n}.Tests/', path.slice(`test/${name}.Tests/`.length));
  return path;
}

interface Baseline {
  /** The files by role. */
  readonly files: Map<string, RenderedFile>;
  /** structure() of the file with `role`, parsed on first use and then reused by every case. */
  structure(role: string): Shape;
}

const baselines = new Map<string, Baseline>();
/** The same project with a harmless value in place of the hostile one, by role; rendered once per combination. */
function baseline(given: Given): Baseline {
  const key = JSON.stringify(given);
  let found = baselines.get(key);
  if (!found) {
    const spec = buildSpec(completeSettings(given));
    const files = new Map(renderProject(spec).map((f) => [role(f.path, spec.name), f]));
    const structures = new Map<string, Shape>();
    found = {
      files,
      structure(r) {
        let parsed = structures.get(r);
        if (parsed === undefined) {
          parsed = structure(files.get(r) as RenderedFile);
          structures.set(r, parsed);
        }
        return parsed;
      },
    };
    baselines.set(key, found);
  }
  return found;
}

// ---- reading values back

/** The value of a shell assignment `name=<word>` whose word is made only of '...' and \' pieces. */
function shellAssignment(script: string, name: string): string {
  const line = script.split('\n').find((l) => l.startsWith(`${name}=`));
  assert.ok(line, `no ${name}= in the script`);
  const word = line.slice(name.length + 1);
  assert.match(word, /^(?:'[^']*'|\\')+$/, `${name}= is one quoted word: ${word}`);
  return [...word.matchAll(/'([^']*)'|\\(')/g)].map((m) => m[1] ?? m[2]).join('');
}

/** A Docker image reference `repository:tag` as the distribution grammar accepts it (one path component). */
const dockerReference = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

const nodesOf = (root: SyntaxNode, type: string): SyntaxNode[] =>
  root.descendantsOfType(type).filter((n): n is SyntaxNode => n !== null);
/** A C# identifier token as the type-name parser reads one. */
const identifierToken = /[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Pc}\p{Cf}]*/gu;

/** In-process checks of one rendered project; returns the problems found (empty: clean). */
async function checkProject(
  spec: ProjectSpec,
  files: readonly RenderedFile[],
  base: Baseline,
  varying: RegExp,
): Promise<string[]> {
  const problems: string[] = [];
  const byPath = new Map(files.map((f) => [f.path, f]));
  const read = (path: string): string => {
    const file = byPath.get(path);
    if (!file) throw new Error(`${path} not generated`);
    return file.contents;
  };
  // The same files with the same structure as with a harmless value, except those the setting adds to.
  const roles = new Map(files.map((f) => [role(f.path, spec.name), f]));
  for (const [r, file] of roles) {
    const other = base.files.get(r);
    if (varying.test(file.path)) continue;
    if (!other) {
      problems.push(`${file.path}: not in the baseline project`);
      continue;
    }
    try {
      assert.deepEqual(structure(file), base.structure(r));
    } catch (error) {
      problems.push(
        `${file.path}: structure differs from ${other.path}: ${(error as Error).message.slice(0, 400)}`,
      );
    }
  }
  for (const [r, other] of base.files)
    if (!roles.has(r) && !varying.test(other.path)) problems.push(`${other.path} missing`);
  const ns = spec.namespace;
  const src = `src/${spec.name}`;

  const csproj = parseXml(read(`${src}/${spec.name}.csproj`)) as {
    Project: { PropertyGroup: Record<string, unknown>[] };
  };
  const props = Object.assign({}, ...csproj.Project.PropertyGroup) as Record<string, unknown>;
  if (props.AssemblyName !== spec.assemblyName || props.RootNamespace !== ns)
    problems.push(`csproj names: ${props.AssemblyName} ${props.RootNamespace}`);

  const rd = byPath.get(`${src}/rd.xml`);
  if ((rd !== undefined) !== spec.reflectionTypes.length > 0)
    problems.push('rd.xml present iff reflection types');
  if (rd) {
    const doc = parseXml(rd.contents) as { Directives: { Application: { Assembly: unknown } } };
    const assemblies = ([] as Record<string, unknown>[]).concat(
      doc.Directives.Application.Assembly as Record<string, unknown>[],
    );
    const entries = assemblies.flatMap((a) =>
      ([] as Record<string, unknown>[])
        .concat(a.Type as Record<string, unknown>[])
        .map((t) => `${a['@Name'] as string}!${t['@Name'] as string}!${t['@Dynamic'] as string}`),
    );
    const expected = spec.reflectionTypes.map((r) => `${r.assembly}!${r.type}!Required All`);
    if (JSON.stringify(entries.sort()) !== JSON.stringify(expected.sort()))
      problems.push(`rd.xml entries ${JSON.stringify(entries)} != ${JSON.stringify(expected)}`);
    const content = (a: Record<string, unknown>): string =>
      Object.keys(a)
        .filter((k) => k !== '#text' || String(a[k]).trim() !== '') // indentation between elements
        .sort()
        .join();
    if (assemblies.some((a) => content(a) !== '@Name,Type'))
      problems.push('rd.xml: an Assembly with other content');
  }

  const defaults = JSON.parse(read(`${src}/aws-lambda-tools-defaults.json`)) as Record<string, unknown>;
  if (defaults['function-handler'] !== spec.handler) problems.push('tools-defaults handler');

  const sam = parseCfnYaml(read('template.yaml')) as {
    Description: string;
    Resources: Record<string, { Properties: Record<string, unknown> }>;
  };
  if (
    sam.Description !==
    `${spec.name}: C# Lambda function compiled with NativeAOT (${spec.runtime.id}, ${spec.architecture.id})`
  )
    problems.push(`SAM Description ${sam.Description}`);
  const logGroup = sam.Resources.FunctionLogGroup?.Properties.LogGroupName as { 'Fn::Sub': string };
  if (logGroup['Fn::Sub'] !== `/aws/lambda/\${AWS::StackName}-${spec.functionName}`)
    problems.push(`LogGroupName ${logGroup['Fn::Sub']}`);

  const workflow = parseYaml(read('.github/workflows/ci.yml')) as {
    jobs: { build: { steps: { name?: string; run?: string; with?: Record<string, unknown> }[] } };
  };
  const testStep = workflow.jobs.build.steps.find((s) => s.name === 'Test');
  if (testStep?.run !== `dotnet test ${esc.sh(`${spec.name}.sln`)} -c Release`)
    problems.push(`workflow Test step: ${testStep?.run}`);

  if (shellAssignment(read('scripts/build.sh'), 'project') !== `${src}/${spec.name}.csproj`)
    problems.push('build.sh project=');
  if (shellAssignment(read('scripts/deploy.sh'), 'default_name') !== spec.functionName)
    problems.push('deploy.sh default_name=');
  if (spec.packaging.id === 'image') {
    const image = shellAssignment(read('scripts/package.sh'), 'image');
    if (!dockerReference.test(image))
      problems.push(`package.sh: '${image}' is not a valid Docker image reference`);
  }
  const docker = dockerfileDiagnostics(read('Dockerfile'));
  if (docker.length > 0) problems.push(`Dockerfile: ${docker.join('; ')}`);

  const slnProjects = [
    ...read(`${spec.name}.sln`).matchAll(/^Project\("\{FAE04EC0-[^"]+\}"\) = "([^"]+)", "([^"]+)"/gm),
  ].map((m) => `${m[1]}|${m[2]}`);
  const expectedSln = [
    `${spec.name}|src\\${spec.name}\\${spec.name}.csproj`,
    `${spec.name}.Tests|test\\${spec.name}.Tests\\${spec.name}.Tests.csproj`,
  ];
  if (JSON.stringify(slnProjects) !== JSON.stringify(expectedSln))
    problems.push(`sln projects ${JSON.stringify(slnProjects)}`);

  for (const file of files.filter((f) => f.path.endsWith('.cs'))) {
    problems.push(
      ...(await withParsedCSharp(file.contents, ({ root }) => csharpProblems(spec, file.path, root))),
    );
  }
  // A stub is a whole identifier of the type list, never a piece of one.
  const tokens = new Set(spec.jsonTypes.flatMap((t) => [...t.matchAll(identifierToken)].map((m) => m[0])));
  for (const stub of spec.stubTypes)
    if (!tokens.has(stub))
      problems.push(`stub '${stub}' is not an identifier of ${JSON.stringify(spec.jsonTypes)}`);
  return problems;
}

/** The C# of one generated file: it parses, and its namespaces, serializable types and stubs are the spec's. */
function csharpProblems(spec: ProjectSpec, path: string, root: SyntaxNode): string[] {
  if (root.hasError) return [`${path}: ${syntaxErrors(root).join(', ')}`];
  const problems: string[] = [];
  const ns = spec.namespace;
  const stubFile = path.endsWith('/ReflectionTypes.cs');
  // The reflection-type placeholders live in the namespaces the user named (a sanitised name, never code).
  const stubNamespaces = new Set(spec.reflectionStubs.map((n) => n.namespace));
  for (const decl of nodesOf(root, 'file_scoped_namespace_declaration').concat(
    nodesOf(root, 'namespace_declaration'),
  )) {
    const name = decl.childForFieldName('name')?.text ?? '';
    if (
      stubFile ? !stubNamespaces.has(name) : name !== ns && name !== `${ns}.Tests` && name !== `${ns}.Runtime`
    )
      problems.push(`${path}: namespace ${name}`);
  }
  if (stubFile) {
    const names = (types: readonly ReflectionStub[]): string[] =>
      types.flatMap((t) => [t.name, ...names(t.nested)]);
    const classes = nodesOf(root, 'class_declaration').map((n) => n.childForFieldName('name')?.text);
    const expected = spec.reflectionStubs.flatMap((n) => names(n.types));
    if (JSON.stringify(classes.sort()) !== JSON.stringify(expected.sort()))
      problems.push(`stub classes ${JSON.stringify(classes)} != ${JSON.stringify(expected)}`);
  }
  if (path.endsWith('/LambdaJsonContext.cs')) {
    const types = nodesOf(root, 'typeof_expression').map((n) => n.childForFieldName('type')?.text);
    if (JSON.stringify(types) !== JSON.stringify(spec.jsonTypes))
      problems.push(`JsonSerializable types ${JSON.stringify(types)} != ${JSON.stringify(spec.jsonTypes)}`);
  }
  if (path.endsWith('/JsonTypes.cs')) {
    const records = nodesOf(root, 'record_declaration').map((n) => n.childForFieldName('name')?.text);
    if (JSON.stringify(records) !== JSON.stringify(spec.stubTypes))
      problems.push(`stub records ${JSON.stringify(records)} != ${JSON.stringify(spec.stubTypes)}`);
  }
  return problems;
}

/** Collects up to `sampleSize` accepted projects' files for the external tools, one copy per distinct content. */
class Sample {
  readonly files = new Map<string, TextFile & { path: string }>();
  readonly workflows: string[] = [];
  readonly templates: string[] = [];
  projects = 0;
  add(files: readonly RenderedFile[]): void {
    if (this.projects >= sampleSize) return;
    this.projects++;
    for (const f of files) {
      if (!/\.(sh|csproj|xml)$/.test(f.path) || this.files.has(f.contents)) continue;
      this.files.set(f.contents, { name: `s${this.projects}/${f.path}`, contents: f.contents, path: f.path });
    }
    for (const f of files) {
      if (f.path === '.github/workflows/ci.yml') this.workflows.push(f.contents);
      if (f.path === 'template.yaml') this.templates.push(f.contents);
    }
  }
  async check(t: { diagnostic: (m: string) => void }): Promise<void> {
    const all = [...this.files.values()];
    const scripts = all.filter((f) => f.path.endsWith('.sh'));
    const xml = all.filter((f) => !f.path.endsWith('.sh'));
    t.diagnostic(
      `external tools on ${this.projects} accepted projects: ${scripts.length} scripts, ${xml.length} XML files`,
    );
    if (hasTool('shellcheck')) assert.deepEqual(shellcheck(scripts), []);
    else t.diagnostic('shellcheck not installed: skipped on the sample');
    assert.deepEqual(bashSyntax(scripts), []);
    if (hasTool('xmllint')) assert.deepEqual(xmllint(xml), []);
    for (const w of new Set(this.workflows)) assert.deepEqual(await actionlint(w), []);
    for (const tpl of new Set(this.templates))
      assert.deepEqual(await checkCloudFormation(parseCfnYaml(tpl)), []);
  }
}

interface Tally {
  refused: number;
  accepted: number;
}

/** The property for one free-text setting. */
async function injectionProperty(
  key: SettingKey,
  values: fc.Arbitrary<string>,
  harmless: string,
  varying: RegExp,
  t: { diagnostic: (m: string) => void },
): Promise<Tally> {
  const tally: Tally = { refused: 0, accepted: 0 };
  const sample = new Sample();
  await fc.assert(
    fc.asyncProperty(closedSettings, values, async (closed, value) => {
      const given: Given = { name: 'Orders', ...closed, [key]: value };
      const spec = build(given);
      if (spec instanceof SettingError) {
        tally.refused++;
        assert.equal(spec.setting.key, key, 'the error names the setting given');
        assert.doesNotMatch(
          spec.message,
          unprintable,
          `the message stays one printable line: ${JSON.stringify(spec.message)}`,
        );
        return;
      }
      tally.accepted++;
      const files = renderProject(spec);
      const problems = await checkProject(spec, files, baseline({ ...given, [key]: harmless }), varying);
      assert.deepEqual(problems, [], `${key}=${JSON.stringify(value)}`);
      sample.add(files);
    }),
    { numRuns, includeErrorInReport: true },
  );
  t.diagnostic(`${key}: ${tally.accepted} accepted, ${tally.refused} refused`);
  await sample.check(t);
  return tally;
}

describe('injection: hostile free text is refused or stays inside its context', () => {
  it(`name (${numRuns} runs)`, async (t) => {
    const tally = await injectionProperty('name', fc.oneof(hostileText, plausibleName), 'Orders', /^$/, t);
    assert.ok(tally.accepted > numRuns / 5 && tally.refused > numRuns / 5, JSON.stringify(tally));
  });

  it(`json-types (${numRuns} runs)`, async (t) => {
    const tally = await injectionProperty(
      'jsonTypes',
      fc.oneof(hostileText, plausibleTypeList),
      '',
      /\/(LambdaJsonContext|JsonTypes)\.cs$/,
      t,
    );
    assert.ok(tally.accepted > numRuns / 5 && tally.refused > numRuns / 10, JSON.stringify(tally));
  });

  it(`reflection-types (${numRuns} runs)`, async (t) => {
    // Compared with a project that has one reflection type, so the csproj's RdXmlFile item is in the baseline.
    const tally = await injectionProperty(
      'reflectionTypes',
      fc.oneof(hostileText, plausibleReflectionList).filter((v) => v.trim().replace(/,/g, '') !== ''),
      'Ns.Type',
      // Own-assembly types also get placeholder classes in ReflectionTypes.cs, which the README then lists.
      /(\/rd\.xml|\/ReflectionTypes\.cs|^README\.md)$/,
      t,
    );
    assert.ok(tally.accepted > numRuns / 5 && tally.refused > numRuns / 10, JSON.stringify(tally));
  });
});

describe('injection: each escaper keeps any string inside its context', () => {
  const anyText = fc.oneof(hostileText, fc.string({ unit: 'binary' }));
  /** XML 1.0 cannot carry these even as references: the escaper substitutes U+FFFD. */
  const xmlVisible = (s: string): string =>
    s
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

  it(`xml: one element, one attribute, text and attribute read back (${numRuns} runs)`, () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const escaped = esc.xml(s);
        assert.doesNotMatch(escaped, /[<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
        const doc = parseXml(`<r a="${escaped}">${escaped}</r>`) as Record<string, Record<string, unknown>>;
        assert.deepEqual(Object.keys(doc), ['r']);
        const r = doc.r as Record<string, unknown>;
        assert.deepEqual(Object.keys(r).sort(), s === '' ? ['@a'] : ['#text', '@a']);
        assert.equal(xmlVisible(String(r['@a'])), xmlVisible(s));
        if (s !== '') assert.equal(xmlVisible(String(r['#text'])), xmlVisible(s));
      }),
      { numRuns, includeErrorInReport: true },
    );
  });

  it(`csString: one string literal token, ASCII only, decoding to the input (${numRuns} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(anyText, async (s) => {
        const literal = esc.csString(s);
        assert.match(literal, /^"[\x20-\x7e]*"$/);
        const source = `class C { const string S = ${literal}; int After; }`;
        const [hasError, strings, fields] = await withParsedCSharp(source, ({ root }) => [
          root.hasError,
          nodesOf(root, 'string_literal').map((n) => n.text),
          nodesOf(root, 'field_declaration').length,
        ]);
        assert.equal(hasError, false, literal);
        assert.deepEqual(strings, [literal]);
        assert.equal(fields, 2, 'the literal ends where it should');
        const decoded = literal
          .slice(1, -1)
          .replace(/\\(?:u([0-9a-f]{4})|U([0-9a-f]{8})|(["\\]))/g, (_, u?: string, U?: string, c?: string) =>
            u
              ? String.fromCharCode(parseInt(u, 16))
              : U
                ? String.fromCodePoint(parseInt(U, 16))
                : (c as string),
          );
        assert.equal(decoded, s);
      }),
      { numRuns, includeErrorInReport: true },
    );
  });

  it(`json: a document keeps exactly its keys; the value reads back (${numRuns} runs)`, () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const doc = JSON.parse(`{"a": ${esc.json(s)}, "b": 1}`) as Record<string, unknown>;
        assert.deepEqual(doc, { a: s, b: 1 });
      }),
      { numRuns, includeErrorInReport: true },
    );
  });

  it(`yaml: a mapping keeps exactly its keys; the value reads back; ASCII only (${numRuns} runs)`, () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const scalar = esc.yaml(s);
        assert.match(scalar, /^"[\x20-\x7e]*"$/);
        assert.deepEqual(parseYaml(`a: ${scalar}\nb: 1\n`, { strict: true }), { a: s, b: 1 });
        assert.deepEqual(parseCfnYaml(`a: !Sub ${scalar}\nb: [${scalar}]\n`), {
          a: { 'Fn::Sub': s },
          b: [s],
        });
      }),
      { numRuns, includeErrorInReport: true },
    );
  });

  it(`sh: one word that the shell reads back unchanged (${numRuns} runs, one bash for all; shellcheck on ${sampleSize})`, () => {
    // NUL cannot be in a shell word (nor in argv or a file name); everything else must survive.
    const words = fc.sample(
      anyText.map((s) => s.replace(/\u0000/g, '')),
      { numRuns, seed: 4242 },
    );
    for (const s of words) {
      const word = esc.sh(s);
      assert.match(word, /^(?:'[^']*'|\\')+$/, "only quoted pieces and \\'");
    }
    // Each word printed NUL-terminated by bash; the output must be the inputs, in order.
    const script = words.map((s) => `printf '%s\\0' ${esc.sh(s)}`).join('\n');
    // On stdin: as one argument the script would pass the kernel's 128 KiB limit at larger run counts.
    const run = spawnSync('bash', ['-s'], {
      input: Buffer.from(script, 'utf8'),
      encoding: 'buffer',
      maxBuffer: 64 << 20,
    });
    assert.equal(run.status, 0, run.error?.message ?? run.stderr.toString());
    const out = run.stdout.toString('utf8').split('\0').slice(0, -1);
    // Written to bash as UTF-8, an unpaired surrogate becomes U+FFFD, as in any file the generator writes.
    assert.deepEqual(
      out,
      words.map((s) => Buffer.from(s, 'utf8').toString('utf8')),
    );
    const scripts = words.slice(0, sampleSize).map((s, i) => ({
      name: `w${i}.sh`,
      contents: `#!/usr/bin/env bash\nvalue=${esc.sh(s)}\nprintf '%s\\n' "$value"\n`,
    }));
    // SC2016 ("expressions don't expand in single quotes") states the escaper's purpose: '$x' stays literal.
    if (hasTool('shellcheck')) assert.deepEqual(shellcheck(scripts, ['SC2016']), []);
    assert.deepEqual(bashSyntax(scripts), []);
  });
});

describe('injection: cases the properties found, kept as fixed examples', () => {
  const refused = (given: Given): SettingError => {
    const result = build({ name: 'Orders', ...given });
    assert.ok(result instanceof SettingError, `refused: ${JSON.stringify(given)}`);
    return result;
  };

  it("a name like 'A._' still gives a valid Docker image name to package.sh", () => {
    const spec = buildSpec(completeSettings({ name: 'A._', packaging: 'image' }));
    assert.equal(spec.images.local, 'a:latest');
    assert.equal(
      buildSpec(completeSettings({ name: 'Contoso.Order--Api_' })).images.local,
      'contoso-order-api:latest',
    );
    const script = renderProject(spec).find((f) => f.path === 'scripts/package.sh')?.contents ?? '';
    assert.equal(shellAssignment(script, 'image'), 'a:latest');
  });

  it('a stub type is the whole identifier, letter numbers and combining marks included', () => {
    assert.deepEqual(
      buildSpec(completeSettings({ name: 'Orders', jsonTypes: 'ⅫÉ, Cafe\u0301, List<Ⅻ>' })).stubTypes,
      ['ⅫÉ', 'Cafe\u0301', 'Ⅻ'],
    );
  });

  it('json-types with invisible formatting characters or characters beyond U+FFFF are refused, naming the character', () => {
    assert.match(
      refused({ jsonTypes: 'z\u00ad' }).message,
      /invisible formatting character U\+00AD; type the names without it/,
    );
    assert.match(refused({ jsonTypes: 'Order\u202e' }).message, /U\+202E/);
    assert.match(
      refused({ jsonTypes: '\u{323b0}' }).message,
      /U\+323B0, which the C# compiler does not accept in names/,
    );
  });

  it('json-types with a letter newer than the pinned Unicode (U+A7CE, Unicode 17) are refused, naming it', () => {
    // Found by the property on a Node whose ICU knows Unicode 17: tree-sitter and Roslyn on .NET 8 do not.
    for (const [text, code] of [
      ['\uA7CE', 'U+A7CE'],
      ['Order\uA7CB', 'U+A7CB'],
    ] as const) {
      assert.match(
        refused({ jsonTypes: text }).message,
        new RegExp(`contains ${code.replace('+', '\\+')}, added to Unicode after 15\\.0\\.0`),
      );
    }
  });

  it('a message quoting the input stays one printable line', () => {
    const message = refused({ name: 'a\nb\u001b[2J' }).message;
    assert.match(message, /^'a\\u000ab\\u001b\[2J' is not a valid project name/);
    assert.doesNotMatch(message, unprintable);
  });
});
