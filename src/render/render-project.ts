import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ejs from 'ejs';
import { templatesRoot } from '../paths.js';
import type { ProjectSpec } from '../spec.js';
import * as esc from './escape.js';
import { planFor } from './file-plan.js';

export interface RenderedFile {
  /** Path relative to the project folder, with forward slashes. */
  readonly path: string;
  readonly contents: string;
  readonly mode: number;
}

/**
 * Renders one template file (a path relative to templates/, or absolute for a starter kit's template) with the
 * spec. `include()` resolves relative to the file; a path starting with `/` resolves in the package's templates/
 * (`root`), so a template outside the package can include the shared partials and the client's Main.
 * EJS keeps each compiled template, and each included partial, by file name (`cache`) for the process's life.
 */
export function renderTemplate(template: string, spec: ProjectSpec): string {
  const filename = resolve(templatesRoot, template);
  return ejs.render(
    readFileSync(filename, 'utf8'),
    { spec, esc },
    { filename, root: templatesRoot, async: false, cache: true },
  );
}

/** The whole project as text, in plan order; the generator and the tests write it wherever they need it. */
export function renderProject(spec: ProjectSpec): RenderedFile[] {
  return planFor(spec).map((file) => ({
    path: file.destination,
    contents: file.content ?? renderTemplate(file.template as string, spec),
    mode: file.executable ? 0o755 : 0o644,
  }));
}

/** Writes rendered files below `root` directly, without Yeoman (scripts and tests that need a project on disk). */
export function writeProject(root: string, files: readonly RenderedFile[]): void {
  for (const file of files) {
    const path = join(root, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.contents);
    chmodSync(path, file.mode);
  }
}
