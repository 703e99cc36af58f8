import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import helpers, { type RunResult } from 'yeoman-test';
import AppGenerator from '../../generators/app/index.js';

export { tempDir } from './fs.js';

export interface Generated {
  readonly root: string;
  readonly result: RunResult;
  /** Files by path relative to the project folder. */
  readonly files: ReadonlyMap<string, string>;
  read(path: string): string;
  mode(path: string): number;
}

const generatorMeta = {
  resolved: join(import.meta.dirname, '../../generators/app/index.ts'),
  namespace: 'aot-lambda:app',
};

export function listFiles(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? walk(path) : [relative(root, path)];
    });
  return walk(root).sort();
}

/** Runs the generator through yeoman-test with options (and answers, which force the interactive path). */
export async function generate(
  options: Record<string, string | boolean>,
  answers?: Record<string, string | boolean>,
  cwd?: string,
): Promise<Generated> {
  let context = helpers.run(AppGenerator as never, generatorMeta as never);
  if (cwd) context = context.cd(cwd);
  const result = await context
    .withOptions({ 'skip-install': true, ...(answers ? { interactive: true } : {}), ...options } as never)
    .withAnswers(answers ?? {});
  const name = String(options.name ?? answers?.name ?? '');
  const root = cwd && !options.name && !answers?.name ? result.cwd : join(result.cwd, name);
  const files = new Map(listFiles(root).map((p) => [p, readFileSync(join(root, p), 'utf8')]));
  return {
    root,
    result,
    files,
    read(path) {
      const text = files.get(path);
      if (text === undefined)
        throw new Error(`${path} was not generated; files: ${[...files.keys()].join(', ')}`);
      return text;
    },
    mode: (path) => statSync(join(root, path)).mode & 0o777,
  };
}
