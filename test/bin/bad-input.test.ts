import assert from 'node:assert/strict';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { renderProject } from '../../src/render/render-project.js';
import { completeSettings, settingByKey, type SettingKey } from '../../src/settings.js';
import { buildSpec } from '../../src/spec.js';
import { nodeOnlyPath, runBin, snapshot, userFolder, type BinResult } from './run-bin.js';

/**
 * The bad-input catalogue, through the bin as a child process with stdin closed: each case exits non-zero
 * with exactly one line on stderr naming the problem and the fix, prints nothing else, and leaves the
 * working folder byte for byte as it was (nothing written, nothing of the user's changed).
 */
// Each run loads Yeoman through tsx (seconds of CPU): one at a time per core.
const concurrency = Math.max(1, availableParallelism());

const valid = (key: SettingKey): string => (settingByKey(key).choices ?? []).map((c) => c.value).join(', ');
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Refusal {
  readonly label: string;
  readonly args: readonly string[];
  /** Each must match the one stderr line. */
  readonly says: readonly RegExp[];
  /** Files in the working folder before the run (besides the usual user files). */
  readonly existing?: Record<string, string>;
  readonly env?: NodeJS.ProcessEnv;
}

const invalidName =
  /is not a valid project name: start with an ASCII letter .*e\.g\. Orders or Contoso\.Orders\./;
const unknownChoice = (key: SettingKey, value: string): RegExp => {
  const setting = settingByKey(key);
  // A setting that also takes values beyond its list (--template: a folder or npm package) says why it is none.
  return setting.beyondChoices
    ? new RegExp(
        `^aot-lambda: error: Unknown --${setting.flag} '${escape(value)}': .+ Valid values: ${escape(valid(key))}, or ${escape(setting.beyondChoices.describe)}\\.$`,
      )
    : new RegExp(
        `^aot-lambda: error: Unknown --${setting.flag} '${escape(value)}'\\. Valid values: ${escape(valid(key))}\\.$`,
      );
};
const al2 = [/Amazon Linux 2 reached end of life/, /Use --runtime provided\.al2023/];

const refusals: Refusal[] = [
  {
    label: 'a C# keyword as name',
    args: ['class', '--yes'],
    says: [/'class' is a C# keyword/, /try e\.g\. ClassFunction/],
  },
  {
    label: 'webapi with the built-in client',
    args: ['Shop', '--yes', '--template', 'webapi', '--client', 'minimal'],
    says: [
      /--template webapi does not work with --client minimal/,
      /Amazon\.Lambda\.AspNetCoreServer\.Hosting/,
      /Use --client runtime-support/,
    ],
  },
  { label: 'a name starting with a digit', args: ['1abc', '--yes'], says: [/'1abc'/, invalidName] },
  { label: 'a name with a space', args: ['a b', '--yes'], says: [/'a b'/, invalidName] },
  {
    label: 'path traversal',
    args: ['../x', '--yes'],
    says: [/'\.\.\/x'/, invalidName, /no spaces, slashes or '\.\.'/],
  },
  { label: 'an absolute path', args: ['/tmp/x', '--yes'], says: [/'\/tmp\/x'/, invalidName] },
  { label: 'a non-ASCII name', args: ['Café', '--yes'], says: [/'Café'/, invalidName] },
  {
    label: 'a 300-character name',
    args: ['A'.repeat(300), '--yes'],
    says: [/300 characters long; use at most 64\./],
  },
  {
    label: 'no name with --yes',
    args: ['--yes'],
    says: [/Missing project name: pass it as the first argument, e\.g\. `aot-lambda new Orders`/],
  },
  {
    label: 'no name, stdin closed, no --yes (non-interactive: never prompts)',
    args: ['--skip-install'],
    says: [/Missing project name: pass it as the first argument/],
  },
  ...['List<', ';', 'typeof(x)', 'Task'].map((types): Refusal => ({
    label: `--json-types ${JSON.stringify(types)}`,
    args: ['Ok', '--yes', '--json-types', types],
    says: [
      /--json-types: .* is not a C# type name|--json-types: .* carries no value/,
      /Give C# type names separated by commas, e\.g\. Order,List<Order>\./,
    ],
  })),
  ...['A!B C', '!Orders.Thing', 'Lib!Ns.Type;rm -rf /'].map((types): Refusal => ({
    label: `--reflection-types ${JSON.stringify(types)}`,
    args: ['Ok', '--yes', '--reflection-types', types],
    says: [
      /^aot-lambda: error: --reflection-types: /,
      /is not (a type name as rd\.xml expects it|an assembly name)/,
      /Use (\[Assembly!\]|Assembly!)Namespace\.Type\./,
    ],
  })),
  ...(
    [
      ['framework', 'net7.0'],
      ['architecture', 'aarch64'],
      ['runtime', 'java21'],
      ['client', 'full'],
      ['template', 'crud'],
      ['packaging', 'tar'],
    ] as const
  ).map(([key, value]): Refusal => ({
    label: `unknown --${key} ${value}`,
    args: ['Ok', '--yes', `--${settingByKey(key).flag}`, value],
    says: [unknownChoice(key, value)],
  })),
  {
    label: '--runtime al2',
    args: ['Ok', '--yes', '--runtime', 'al2'],
    says: [/--runtime al2 is refused/, ...al2],
  },
  {
    label: '--runtime provided.al2',
    args: ['Ok', '--yes', '--runtime', 'provided.al2'],
    says: [/--runtime provided\.al2 is refused/, ...al2],
  },
  {
    label: 'an unknown flag',
    args: ['Ok', '--yes', '--frob'],
    says: [/Unknown option '--frob'\./, /Run `aot-lambda new --help` for the options\./],
  },
  {
    label: 'a flag without its value',
    args: ['Ok', '--yes', '--framework'],
    says: [/Option '--framework <value>' argument missing\./, /aot-lambda new --help/],
  },
  {
    label: 'an existing non-empty target folder without --force',
    args: ['Demo', '--yes', '--skip-install'],
    existing: { 'Demo/keep.txt': 'mine\n' },
    says: [/The folder 'Demo' already exists and is not empty/, /pass --force to overwrite/],
  },
  {
    label: 'no dotnet on PATH for the restore step',
    args: ['Dn', '--yes'],
    env: { ...process.env, PATH: nodeOnlyPath() },
    says: [/'dotnet' was not found on PATH/, /pass --skip-install/, /install the \.NET SDK/],
  },
];

function assertOneError(result: BinResult, says: readonly RegExp[]): void {
  const detail = `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`;
  assert.equal(result.signal, null, `ended by a signal (a prompt waiting on closed stdin?): ${detail}`);
  assert.notEqual(result.code, 0, detail);
  assert.equal(result.stdout, '', detail);
  const lines = result.stderr.split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.length, 1, `exactly one message: ${detail}`);
  const [line] = lines as [string];
  assert.match(line, /^aot-lambda: error: \S/);
  assert.doesNotMatch(line, /\bat .*\.(ts|js):\d+/, 'no stack trace');
  for (const pattern of says) assert.match(line, pattern);
}

describe('aot-lambda new: the bad-input catalogue (child process, stdin closed)', { concurrency }, () => {
  for (const refusal of refusals) {
    it(`refuses ${refusal.label}`, async () => {
      const cwd = userFolder(refusal.existing);
      const before = snapshot(cwd);
      const result = await runBin(['new', ...refusal.args], {
        cwd,
        ...(refusal.env ? { env: refusal.env } : {}),
      });
      assertOneError(result, refusal.says);
      assert.deepEqual(snapshot(cwd), before, 'the working folder is unchanged');
    });
  }
});

describe('aot-lambda new: runs that succeed without a terminal', { concurrency }, () => {
  it('--yes with stdin closed writes exactly the rendered project and leaves the user files alone', async () => {
    const cwd = userFolder();
    const before = snapshot(cwd);
    const result = await runBin(['new', 'Demo', '--yes', '--skip-install'], { cwd });
    assert.equal(result.code, 0, result.stderr);
    const after = snapshot(cwd);
    for (const [path, bytes] of before) assert.equal(after.get(path), bytes, path);
    const expected = renderProject(buildSpec(completeSettings({ name: 'Demo' })));
    for (const file of expected) {
      assert.equal(readFileSync(join(cwd, 'Demo', file.path), 'utf8'), file.contents, file.path);
      assert.equal(after.get(join('Demo', file.path))?.split(' ')[0], file.mode.toString(8), file.path);
    }
    const written = [...after.keys()].filter((p) => !before.has(p) && !p.endsWith('/')).sort();
    assert.deepEqual(written, [...expected.map((f) => join('Demo', f.path)), 'Demo/.yo-rc.json'].sort());
  });

  it('without --yes and with stdin closed it never prompts: defaults fill every setting not given', async () => {
    const cwd = userFolder();
    const result = await runBin(['new', 'Auto', '--skip-install', '--architecture', 'arm64'], {
      cwd,
      timeoutMs: 60_000,
    });
    assert.equal(result.signal, null, 'did not wait on a prompt');
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stdout + result.stderr, /\?\s|User force closed/);
    const stored = JSON.parse(readFileSync(join(cwd, 'Auto/.yo-rc.json'), 'utf8'))['generator-aot-lambda'];
    assert.deepEqual(stored, completeSettings({ name: 'Auto', architecture: 'arm64' }));
  });

  it("'Foo-Bar' is accepted with a warning: the namespace is Foo_Bar", async () => {
    const cwd = userFolder();
    const result = await runBin(['new', 'Foo-Bar', '--yes', '--skip-install'], { cwd });
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout + result.stderr,
      /warning: 'Foo-Bar' contains '-': the C# namespace is Foo_Bar\./,
    );
    assert.match(readFileSync(join(cwd, 'Foo-Bar/src/Foo-Bar/Function.cs'), 'utf8'), /^namespace Foo_Bar;$/m);
    assert.match(
      readFileSync(join(cwd, 'Foo-Bar/src/Foo-Bar/Foo-Bar.csproj'), 'utf8'),
      /<RootNamespace>Foo_Bar<\/RootNamespace>/,
    );
    assert.ok(existsSync(join(cwd, 'Foo-Bar/Foo-Bar.sln')));
  });

  it('--force writes into an existing non-empty folder and keeps files it does not generate', async () => {
    const cwd = userFolder({ 'Demo/keep.txt': 'mine\n', 'Demo/README.md': 'old readme\n' });
    const result = await runBin(['new', 'Demo', '--yes', '--skip-install', '--force'], { cwd });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(readFileSync(join(cwd, 'Demo/keep.txt'), 'utf8'), 'mine\n');
    assert.match(readFileSync(join(cwd, 'Demo/README.md'), 'utf8'), /^# Demo/m);
    assert.ok(existsSync(join(cwd, 'Demo/src/Demo/Demo.csproj')));
  });
});

/**
 * convert's part of the catalogue (issues 16.4, 17.3, 17.4, 17.11): a managed project in `proj/`, spoilt one way
 * each; the refusal is one line naming the file and the fix, and the folder (bytes and modes) is unchanged.
 */
interface ConvertRefusal {
  readonly label: string;
  /** Spoils the copy of the empty-function fixture in `proj/` (cwd is the user folder). */
  readonly spoil: (proj: string) => void;
  readonly target?: string;
  readonly says: readonly RegExp[];
}

const fixtureProject = join(import.meta.dirname, '../fixtures/convert/empty-function/input');
const fnDir = (proj: string): string => join(proj, 'src/EmptyFunction');

const convertRefusals: ConvertRefusal[] = [
  {
    label: 'an empty csproj',
    spoil: (proj) => writeFileSync(join(fnDir(proj), 'EmptyFunction.csproj'), ''),
    says: [/EmptyFunction\.csproj is empty\./, /restore it from version control/],
  },
  {
    label: 'a folder named X.csproj as the target',
    spoil: (proj) => mkdirSync(join(proj, 'X.csproj')),
    target: 'proj/X.csproj',
    says: [
      /X\.csproj is a folder, not a project file/,
      /Pass the folder or \.csproj file of a Lambda project/,
    ],
  },
  {
    label: 'a folder holding only a folder named X.csproj',
    spoil: (proj) => mkdirSync(join(proj, 'only/X.csproj'), { recursive: true }),
    target: 'proj/only',
    says: [/X\.csproj is a folder, not a project file/],
  },
  {
    label: 'a Function.cs of random bytes',
    spoil: (proj) =>
      writeFileSync(
        join(fnDir(proj), 'Function.cs'),
        Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 7919 + 13) % 256)),
      ),
    says: [/Function\.cs is not a text file/, /restore it from version control/],
  },
  {
    label: 'a Latin-1 Function.cs',
    spoil: (proj) => {
      const path = join(fnDir(proj), 'Function.cs');
      writeFileSync(path, Buffer.from(`// © Café\n${readFileSync(path, 'utf8')}`, 'latin1'));
    },
    says: [/Function\.cs is not UTF-8 text \(byte 0xa9 at line 1, byte 4/, /re-save it as UTF-8/],
  },
  {
    label: 'a csproj with mode 444',
    spoil: (proj) => chmodSync(join(fnDir(proj), 'EmptyFunction.csproj'), 0o444),
    says: [/EmptyFunction\.csproj \(mode 444\) is read-only/, /chmod u\+w/],
  },
  {
    label: 'a Function.cs that is a symlink to a file outside the project',
    spoil: (proj) => {
      const path = join(fnDir(proj), 'Function.cs');
      writeFileSync(join(proj, '../outside.cs'), readFileSync(path));
      rmSync(path);
      symlinkSync(join(proj, '../outside.cs'), path);
    },
    says: [/Function\.cs is a symbolic link/, /Make it a plain file/],
  },
  {
    label: 'an unreadable journal of an interrupted conversion',
    spoil: (proj) => writeFileSync(join(fnDir(proj), '.aot-lambda-convert.journal.json'), '{"half'),
    says: [
      /\.aot-lambda-convert\.journal\.json is an unreadable journal/,
      /Restore the project from version control/,
    ],
  },
];

describe('aot-lambda convert: the bad-input catalogue (child process, stdin closed)', { concurrency }, () => {
  for (const refusal of convertRefusals) {
    it(`refuses ${refusal.label}`, async () => {
      const cwd = userFolder();
      const proj = join(cwd, 'proj');
      cpSync(fixtureProject, proj, { recursive: true });
      refusal.spoil(proj);
      const before = snapshotLinks(cwd);
      const result = await runBin(['convert', refusal.target ?? 'proj/src/EmptyFunction', '--force'], {
        cwd,
      });
      const detail = `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`;
      assert.equal(result.code, 1, detail);
      assert.equal(result.stdout, '', detail);
      const lines = result.stderr.split('\n').filter((l) => l.trim() !== '');
      assert.equal(lines.length, 1, `exactly one message: ${detail}`);
      assert.match(lines[0] as string, /^aot-lambda convert: error: \S/);
      assert.doesNotMatch(lines[0] as string, /\bat .*\.(ts|js):\d+|undefined|EISDIR|ENOENT/, 'no raw error');
      for (const pattern of refusal.says) assert.match(lines[0] as string, pattern);
      assert.deepEqual(snapshotLinks(cwd), before, 'the working folder is unchanged');
    });
  }
});

/** run-bin's snapshot, with symbolic links recorded as links (and not followed). */
function snapshotLinks(dir: string): Map<string, string> {
  const links = new Map<string, string>();
  const walk = (at: string): void => {
    for (const entry of readdirSync(at)) {
      const path = join(at, entry);
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) links.set(relative(dir, path), `-> ${readlinkSync(path)}`);
      else if (stat.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return new Map([...snapshot(dir), ...links]);
}
