import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runConvertCli } from '../../src/cli/convert.js';
import type { ConvertOptions } from '../../src/convert/index.js';
import { tempDir as freshDir, writeTree } from '../helpers/fs.js';

/** Shared by the convert tests: the fixture cases, copies of them, whole-tree snapshots, and a captured CLI run. */
export const fixturesRoot = join(import.meta.dirname, '../fixtures/convert');

export interface FixtureCase {
  readonly shape: string;
  /** What the user passes to convert, relative to the fixture root. */
  readonly target: string;
  readonly options: ConvertOptions;
}

export const cases: readonly FixtureCase[] = [
  { shape: 'empty-function', target: 'src/EmptyFunction', options: {} },
  { shape: 'sam-multi', target: 'src/HelloWorld', options: {} },
  { shape: 'serverless-json', target: '.', options: { architecture: 'arm64' } },
  {
    shape: 'custom-runtime',
    target: '.',
    options: { jsonTypes: 'List<OrderLine>', reflectionTypes: 'OrderIntake.Models.OrderLine' },
  },
  { shape: 'solution-props', target: '.', options: {} },
  // The built-in client: one handler without a context, no implicit usings or nullable, camelCase serializer.
  { shape: 'minimal-client', target: '.', options: { client: 'minimal' } },
  // The built-in client: two handlers (one with the client's context, one ValueTask), Amazon.Lambda.Core still used.
  { shape: 'minimal-multi', target: 'src/Inventory', options: { client: 'minimal' } },
  // Central package management: versions go to Directory.Packages.props.
  { shape: 'central-packages', target: 'src/Billing', options: {} },
  // AWS's dotnet new blueprints (net8.0, Core 2.8.1): an SQS and an S3 event handler with their test projects.
  { shape: 'simple-sqs', target: 'src/SimpleSQSFunction', options: {} },
  { shape: 'simple-s3', target: 'src/SimpleS3Function', options: {} },
  // Two handlers of one class in serverless.template (AWS::Lambda::Function): one executable, _HANDLER picks.
  { shape: 'step-functions', target: 'src/StepFunctionsHelloWorld', options: {} },
  // Top-level statements starting RuntimeSupport 1.x with a lambda and new DefaultLambdaJsonSerializer().
  { shape: 'top-level-statements', target: 'src/TopLevelStatementsFunction', options: {} },
  // The SQS blueprint reading each body with JsonSerializer.Deserialize<T> and logging JsonSerializer.Serialize(x).
  { shape: 'reflection-serializer', target: 'src/OrderQueue', options: {} },
];

export function tempDir(prefix = 'aot-convert-'): string {
  return freshDir(prefix);
}

/** A fresh temp project made of `files` ({ relative path: text }). */
export function project(files: Record<string, string>): string {
  const dir = tempDir();
  writeTree(dir, files);
  return dir;
}

/** A fresh copy of a fixture's input/ folder. */
export function copyFixture(shape: string): string {
  const dir = tempDir(`aot-convert-${shape}-`);
  cpSync(join(fixturesRoot, shape, 'input'), dir, { recursive: true });
  return dir;
}

/** Every file below `root` with its bytes (as latin1, so the comparison is byte for byte), .git left out. */
export function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      if (entry === '.git') continue;
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(root, path).split('\\').join('/'), readFileSync(path, 'latin1'));
    }
  };
  walk(root);
  return out;
}

/** Runs `aot-lambda convert` with its output captured. */
export async function runCli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runConvertCli(argv, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/**
 * Runs convert (with --force) on `argv` and asserts a refusal: exit 1, one error message matching `pattern`, and
 * nothing written under `dir`; returns the message. `emptyStdout: false` leaves stdout unchecked.
 */
export async function refused(
  argv: string[],
  dir: string,
  pattern: RegExp,
  { emptyStdout = true }: { emptyStdout?: boolean } = {},
): Promise<string> {
  const before = snapshot(dir);
  const { code, stdout, stderr } = await runCli([...argv, '--force']);
  assert.equal(code, 1, `expected a refusal, got exit ${code}: ${stdout}${stderr}`);
  if (emptyStdout) assert.equal(stdout, '');
  assert.match(stderr, /^aot-lambda convert: error: /);
  assert.match(stderr, pattern);
  assert.deepEqual(snapshot(dir), before, 'nothing written');
  return stderr;
}
