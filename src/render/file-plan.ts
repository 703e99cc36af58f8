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
  /** One planned entry per item (e.g. a template's source files); `{item}` in template and destination. */
  readonly each?: (spec: ProjectSpec) => readonly string[];
  /** Template path relative to templates/, rendered with EJS; absent when `content` gives the text. */
  readonly template?: string;
  /** Produces the text directly (data files). */
  readonly content?: (spec: ProjectSpec, item: string) => string;
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
  {
    content: (s) => `${JSON.stringify(s.template.sampleEvent, null, 2)}\n`,
    destination: () => 'events/event.json',
  },
  {
    content: (s, file) =>
      `${JSON.stringify(s.template.moreEvents?.find((e) => e.file === file)?.event, null, 2)}\n`,
    each: (s) => (s.template.moreEvents ?? []).map((e) => e.file),
    destination: () => 'events/{item}',
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

/**
 * The function template's own files, as its manifest names them: `src/` lands in the function project,
 * `test/` in the test project. Their template paths are absolute (a starter kit's template lives outside
 * templates/).
 */
function templateFiles(spec: ProjectSpec): { template: string; destination: string; executable: boolean }[] {
  return spec.template.files.map(({ from, to }) => {
    const [folder, ...rest] = to.split('/');
    const file = rest.join('/');
    return {
      template: join(spec.template.root, from),
      destination: folder === 'src' ? src(spec, file) : test(spec, file),
      executable: false,
    };
  });
}

/** The plan for one spec: template paths resolved, files that do not apply left out. */
export function planFor(
  spec: ProjectSpec,
): { template?: string; content?: string; destination: string; executable: boolean }[] {
  const projectFiles = filePlan
    .filter((f) => f.when?.(spec) ?? true)
    .flatMap((f) =>
      (f.each?.(spec) ?? ['']).map((item) => ({
        ...(f.template ? { template: f.template.replace('{item}', item) } : {}),
        ...(f.content ? { content: f.content(spec, item) } : {}),
        destination: f.destination(spec).replace('{item}', item),
        executable: f.executable ?? false,
      })),
    );
  // The template's files go right after the project file, where the handler sources always stood.
  return [...projectFiles.slice(0, 2), ...templateFiles(spec), ...projectFiles.slice(2)];
}
