import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { templatesRoot } from '../paths.js';
import type { ProjectSpec } from '../spec.js';

/**
 * Every file a generated project has: where its template lives (under templates/), where it lands, and when
 * it is written. The generator renders this list through Yeoman's mem-fs, so --force, --dry-run and conflicts
 * behave as Yeoman users expect. Dotfiles are stored without the dot because npm drops some of them on publish.
 */
export interface PlannedFile {
  /** Template path relative to templates/, rendered with EJS; absent when `content` gives the text. */
  readonly template?: string;
  /** Produces the text directly (data files). */
  readonly content?: (spec: ProjectSpec) => string;
  readonly destination: (spec: ProjectSpec) => string;
  readonly when?: (spec: ProjectSpec) => boolean;
  /** Written with mode 0755. */
  readonly executable?: boolean;
}

const src = (spec: ProjectSpec, file: string): string => `src/${spec.name}/${file}`;
const test = (spec: ProjectSpec, file: string): string => `test/${spec.name}.Tests/${file}`;
const minimalClient = (spec: ProjectSpec): boolean => spec.client.id === 'minimal';

/**
 * The built-in runtime client's files, shared by `new` and `convert --client minimal`: every
 * templates/client/minimal/Runtime/<name>.cs.ejs in name order, as its template path and the file name it renders to.
 */
export function minimalClientRuntimeFiles(): { template: string; name: string }[] {
  return readdirSync(join(templatesRoot, 'client/minimal/Runtime'))
    .filter((f) => f.endsWith('.cs.ejs'))
    .sort()
    .map((f) => ({ template: `client/minimal/Runtime/${f}`, name: f.slice(0, -'.ejs'.length) }));
}

export const filePlan: readonly PlannedFile[] = [
  { template: 'project/sln.ejs', destination: (s) => s.artifacts.solution },
  { template: 'project/src/Project.csproj.ejs', destination: (s) => s.artifacts.projectFile },
  { template: 'function/{template}/Function.cs.ejs', destination: (s) => src(s, 'Function.cs') },
  {
    template: 'function/{template}/Models.cs.ejs',
    destination: (s) => src(s, 'Models.cs'),
    when: (s) => s.template.modelTypes.length > 0,
  },
  { template: 'project/src/LambdaJsonContext.cs.ejs', destination: (s) => src(s, 'LambdaJsonContext.cs') },
  {
    template: 'project/src/JsonTypes.cs.ejs',
    destination: (s) => src(s, 'JsonTypes.cs'),
    when: (s) => s.stubTypes.length > 0,
  },
  {
    template: 'project/src/ReflectionTypes.cs.ejs',
    destination: (s) => src(s, 'ReflectionTypes.cs'),
    when: (s) => s.reflectionStubs.length > 0,
  },
  {
    template: 'project/src/rd.xml.ejs',
    destination: (s) => src(s, 'rd.xml'),
    when: (s) => s.reflectionTypes.length > 0,
  },
  {
    template: 'project/src/aws-lambda-tools-defaults.json.ejs',
    destination: (s) => src(s, 'aws-lambda-tools-defaults.json'),
  },
  { template: 'project/test/Tests.csproj.ejs', destination: (s) => test(s, `${s.name}.Tests.csproj`) },
  { template: 'function/{template}/FunctionTests.cs.ejs', destination: (s) => test(s, 'FunctionTests.cs') },
  {
    content: (s) => `${JSON.stringify(s.template.sampleEvent, null, 2)}\n`,
    destination: () => 'events/event.json',
  },
  { template: 'project/template.yaml.ejs', destination: () => 'template.yaml' },
  { template: 'project/Dockerfile.ejs', destination: () => 'Dockerfile' },
  { template: 'project/dockerignore', destination: () => '.dockerignore' },
  ...['build', 'package', 'deploy'].map((name): PlannedFile => ({
    template: `project/scripts/${name}.sh.ejs`,
    destination: () => `scripts/${name}.sh`,
    executable: true,
  })),
  { template: 'project/.github/workflows/ci.yml.ejs', destination: () => '.github/workflows/ci.yml' },
  { template: 'project/README.md.ejs', destination: () => 'README.md' },
  { template: 'project/gitignore', destination: () => '.gitignore' },
  { template: 'project/editorconfig', destination: () => '.editorconfig' },
  ...minimalClientRuntimeFiles().map(({ template, name }): PlannedFile => ({
    template,
    destination: (s) => src(s, `Runtime/${name}`),
    when: minimalClient,
  })),
];

/** The plan for one spec: template paths resolved, files that do not apply left out. */
export function planFor(
  spec: ProjectSpec,
): { template?: string; content?: string; destination: string; executable: boolean }[] {
  return filePlan
    .filter((f) => f.when?.(spec) ?? true)
    .map((f) => ({
      ...(f.template ? { template: f.template.replace('{template}', spec.template.id) } : {}),
      ...(f.content ? { content: f.content(spec) } : {}),
      destination: f.destination(spec),
      executable: f.executable ?? false,
    }));
}
