import { join } from 'node:path';
import { templatesRoot } from '../paths.js';
import { externalTemplateFolder, loadTemplateFolder, type FunctionTemplate } from './template-manifest.js';

export type { FunctionTemplate } from './template-manifest.js';

/**
 * The built-in function templates, in the order prompts and help list them. Each is a folder under
 * templates/function/ in the documented template layout (aot-lambda-template.json naming its handler types, its
 * sample event, the response that event must produce and its files): the generator writes the event, and the
 * generated project's tests and this project's end-to-end tests assert that response — one source of truth.
 */
const builtInTemplateIds = ['hello', 'typed', 'http-api'] as const;

export const functionTemplates: readonly FunctionTemplate[] = builtInTemplateIds.map((id) =>
  loadTemplateFolder(join(templatesRoot, 'function', id)),
);

export const defaultTemplate = 'hello';

/**
 * The template a `--template` value names: a built-in id, or a starter kit's template folder or npm package
 * (looked up from `cwd`), read and checked against the layout. Throws TemplateLayoutError for a bad one.
 */
export function templateFor(value: string, cwd: string = process.cwd()): FunctionTemplate {
  return (
    functionTemplates.find((t) => t.id === value) ?? loadTemplateFolder(externalTemplateFolder(value, cwd))
  );
}
