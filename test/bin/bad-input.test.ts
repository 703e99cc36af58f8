import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { renderProject } from '../../src/render/render-project.js';
import { completeSettings, settingByKey, type SettingKey } from '../../src/settings.js';
import { buildSpec } from '../../src/spec.js';
import { findExecutable } from '../../src/tools.js';
import { tempDir } from '../helpers/fs.js';
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
  /** Prepares what files cannot express (symlinks, pipes); returns a check run after the refusal. */
  readonly setup?: (cwd: string) => (() => void) | void;
  readonly env?: NodeJS.ProcessEnv;
}

/** A file outside the working folder, and a check that a run left it as it was. */
function outsideFile(): { path: string; unchanged: () => void } {
  const path = join(tempDir('aot-lambda-outside-'), 'precious.txt');
  writeFileSync(path, 'not yours\n');
  return { path, unchanged: () => assert.equal(readFileSync(path, 'utf8'), 'not yours\n', path) };
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
    label: '--force where README.md is a symlink to a file outside the project (issue 17.1)',
    args: ['Orders', '--yes', '--skip-install', '--force'],
    existing: { 'Orders/keep.txt': 'mine\n' },
    setup: (cwd) => {
      const outside = outsideFile();
      symlinkSync(outside.path, join(cwd, 'Orders/README.md'));
      return outside.unchanged;
    },
    says: [
      /'Orders\/README\.md' is a symbolic link to '.*precious\.txt', outside the project folder/,
      /Remove the link/,
    ],
  },
  {
    label: '--force where a folder of the project is a symlink leading outside it',
    args: ['Orders', '--yes', '--skip-install', '--force'],
    existing: { 'Orders/keep.txt': 'mine\n' },
    setup: (cwd) => {
      const outside = tempDir('aot-lambda-outside-');
      symlinkSync(outside, join(cwd, 'Orders/src'));
      return () => assert.deepEqual(readdirSync(outside), [], 'nothing written outside');
    },
    says: [/'Orders\/src' is a symbolic link to '.*', outside the project folder/],
  },
  {
    label: '--force where a file sits where the project needs a folder',
    args: ['Orders', '--yes', '--skip-install', '--force'],
    existing: { 'Orders/scripts': 'a file\n' },
    says: [/'Orders\/scripts' is a file, but the project needs a folder there: move it away/],
  },
  {
    label: '--force where a named pipe sits where a file goes (never opened: no hang)',
    args: ['Orders', '--yes', '--skip-install', '--force'],
    existing: { 'Orders/keep.txt': 'mine\n' },
    setup: (cwd) => {
      execFileSync('mkfifo', [join(cwd, 'Orders/README.md')]);
    },
    says: [/'Orders\/README\.md' is a named pipe, but the project writes a file there/],
  },
  {
    label: 'a target that is a regular file (issue 17.11)',
    args: ['Orders', '--yes', '--skip-install'],
    existing: { Orders: 'a file\n' },
    says: [/'Orders' is a file, not a folder: choose another name for the project or move it away\./],
  },
  {
    label: 'a target that is a dangling symlink (issue 17.11)',
    args: ['Orders', '--yes', '--skip-install'],
    setup: (cwd) => symlinkSync('gone', join(cwd, 'Orders')),
    says: [
      /'Orders' is a symbolic link to 'gone', which does not exist: remove the link or choose another name\./,
    ],
  },
  ...['con', 'nul', 'COM1', 'aux.Foo', 'Lpt9.Orders'].map((name): Refusal => ({
    label: `the Windows device name ${name} (issue 17.13)`,
    args: [name, '--yes', '--skip-install'],
    says: [
      new RegExp(
        `'${escape(name)}': '${escape(name.split('.')[0] as string)}' is a device name Windows reserves`,
      ),
      /could not be checked out on Windows; try e\.g\. \w+Function\./,
    ],
  })),
  ...(
    [
      [
        'Foo<T>',
        /'Foo<T>': Foo<> is neither a generic \.NET type the generator knows .* nor defined by the project/,
      ],
      [
        'Ns.Outer.Inner',
        /'Ns\.Outer\.Inner': the namespace Ns\.Outer is not in the generated project \(its namespace is Ok\)/,
      ],
      ['List<T>', /'List<T>': 'T' reads as a type parameter, .* e\.g\. List<Order>/],
      [
        'Dictionary<string>',
        /'Dictionary<string>': Dictionary takes 2 type arguments, not 1: e\.g\. Dictionary<string, Order>/,
      ],
    ] as const
  ).map(([types, says]): Refusal => ({
    label: `--json-types ${JSON.stringify(types)}, which would not compile (issue 17.10)`,
    args: ['Ok', '--yes', '--skip-install', '--json-types', types],
    says: [says],
  })),
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
      const check = refusal.setup?.(cwd);
      const before = snapshot(cwd);
      const result = await runBin(['new', ...refusal.args], {
        cwd,
        ...(refusal.env ? { env: refusal.env } : {}),
      });
      assertOneError(result, refusal.says);
      assert.deepEqual(snapshot(cwd), before, 'the working folder is unchanged');
      check?.();
    });
  }
});

describe('aot-lambda new: runs that succeed without a terminal', { concurrency }, () => {
  it('--yes with stdin closed writes exactly the rendered project and leaves the user files alone', async () => {
    const cwd = userFolder();
    const before = snapshot(cwd);
    const result = await runBin(['new', 'Demo', '--yes', '--skip-install'], { cwd });
    assert.equal(result.code, 0, result.stderr);
    // Yeoman's noise is gone (issue 15.4): no npm step, no 'force' on a fresh .yo-rc.json, no 'info' prefixes.
    assert.doesNotMatch(result.stderr, /package\.json|force|\binfo\b|conflict/);
    assert.match(result.stderr, /^ +create Demo\/\.yo-rc\.json$/m);
    assert.match(
      result.stderr,
      /^Created Demo \(net10\.0, provided\.al2023, x86_64, client runtime-support\): 19 new/m,
    );
    assert.match(result.stderr, /^Next:\n {2}cd Demo\n/m);
    assert.match(result.stderr, /^ {2}scripts\/build\.sh --local +# linux-x64 executable/m);
    assert.match(
      result.stderr,
      /^ {2}aot-lambda doctor artifacts\/publish\/bootstrap --architecture x86_64 --runtime provided\.al2023$/m,
    );
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
      /^warning: 'Foo-Bar' contains '-': the C# namespace is Foo_Bar\.$/m,
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

describe(
  'aot-lambda new: --dry-run and re-runs inside a generated project (issue 15.1, 17.12)',
  { concurrency },
  () => {
    const x86 = renderProject(buildSpec(completeSettings({ name: 'Orders' })));
    const arm = renderProject(buildSpec(completeSettings({ name: 'Orders', architecture: 'arm64' })));
    /** The status word printed before each project file, by path relative to the project. */
    const statuses = (stderr: string, prefix: string): Map<string, string> =>
      new Map(
        [...stderr.matchAll(/^ *(would \w+|identical|create|update|keep|overwrite|conflict) (\S+)/gm)]
          .filter((m) => (m[2] as string).startsWith(prefix))
          .map((m) => [(m[2] as string).slice(prefix.length), m[1] as string]),
      );
    const inodes = (root: string): Map<string, number> =>
      new Map([...x86.map((f) => f.path), '.yo-rc.json'].map((p) => [p, statSync(join(root, p)).ino]));

    it('--dry-run says what it would create, writes nothing and does not claim it created anything', async () => {
      const cwd = userFolder();
      const before = snapshot(cwd);
      const result = await runBin(['new', 'Orders', '--yes', '--skip-install', '--dry-run'], { cwd });
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(snapshot(cwd), before, 'nothing written');
      const said = statuses(result.stderr, 'Orders/');
      assert.deepEqual([...said.keys()].sort(), [...x86.map((f) => f.path), '.yo-rc.json'].sort());
      for (const [path, status] of said) assert.equal(status, 'would create', path);
      assert.doesNotMatch(result.stdout + result.stderr, /^\s*create |Created|Next:/m);
      assert.match(result.stderr, /^Dry run for Orders .*: would write 19 files .*; nothing was written\.$/m);
    });

    it('unchanged settings: every file identical, nothing rewritten, exit 0, with or without --yes', async () => {
      const cwd = userFolder();
      assert.equal((await runBin(['new', 'Orders', '--yes', '--skip-install'], { cwd })).code, 0);
      const root = join(cwd, 'Orders');
      const before = { files: snapshot(root), inodes: inodes(root) };
      for (const args of [['--yes'], []]) {
        const result = await runBin(['new', ...args, '--skip-install'], { cwd: root });
        assert.equal(result.code, 0, result.stderr);
        assert.doesNotMatch(result.stderr, /conflict|force closed|MaxListeners|cd \./);
        const said = statuses(result.stderr, '');
        assert.deepEqual([...said.keys()].sort(), [...before.inodes.keys()].sort());
        for (const [path, status] of said) assert.equal(status, 'identical', path);
        assert.match(result.stderr, /^Orders is up to date .*: all 19 files identical\.$/m);
        assert.deepEqual(snapshot(root), before.files);
        assert.deepEqual(inodes(root), before.inodes, 'no file replaced');
      }
    });

    it('Ctrl-C, SIGTERM or SIGHUP between two renames: the writes finish, then the process ends by the signal', async () => {
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
        const cwd = userFolder();
        assert.equal((await runBin(['new', 'Orders', '--yes', '--skip-install'], { cwd })).code, 0);
        const root = join(cwd, 'Orders');
        // Rename 2 of the re-run: one changed file is already in place, the next still to move.
        const result = await runBin(['new', '--yes', '--skip-install', '--architecture', 'arm64'], {
          cwd: root,
          env: { ...process.env, AOT_LAMBDA_TEST_INTERRUPT_WRITE: `2:${signal}` },
        });
        assert.equal(result.signal, signal, `${signal}: ${result.code} ${result.stderr}`);
        for (const file of arm)
          assert.equal(readFileSync(join(root, file.path), 'utf8'), file.contents, `${signal}: ${file.path}`);
        const left = readdirSync(root).filter((e) => e.startsWith('.aot-lambda-staging-'));
        assert.deepEqual(left, [], `${signal}: no staging folder left`);
      }
    });

    it('a changed setting rewrites exactly the files it affects and keeps an edited file it does not', async () => {
      const cwd = userFolder();
      assert.equal((await runBin(['new', 'Orders', '--yes', '--skip-install'], { cwd })).code, 0);
      const root = join(cwd, 'Orders');
      const edited = `${readFileSync(join(root, 'src/Orders/Function.cs'), 'utf8')}// my change\n`;
      writeFileSync(join(root, 'src/Orders/Function.cs'), edited);
      const before = inodes(root);
      const result = await runBin(['new', '--yes', '--skip-install', '--architecture', 'arm64'], {
        cwd: root,
      });
      assert.equal(result.code, 0, result.stderr);
      const affected = arm
        .filter((f) => x86.find((o) => o.path === f.path)?.contents !== f.contents)
        .map((f) => f.path);
      assert.ok(
        affected.includes('template.yaml') && !affected.includes('src/Orders/Function.cs'),
        String(affected),
      );
      const said = statuses(result.stderr, '');
      const by = (status: string): string[] =>
        [...said]
          .filter(([, s]) => s === status)
          .map(([p]) => p)
          .sort();
      assert.deepEqual(by('update'), [...affected, '.yo-rc.json'].sort());
      assert.deepEqual(by('keep'), ['src/Orders/Function.cs']);
      assert.equal(readFileSync(join(root, 'src/Orders/Function.cs'), 'utf8'), edited);
      const after = inodes(root);
      for (const file of arm) {
        if (file.path === 'src/Orders/Function.cs') continue;
        assert.equal(readFileSync(join(root, file.path), 'utf8'), file.contents, file.path);
        assert.equal(
          after.get(file.path) !== before.get(file.path),
          affected.includes(file.path),
          `${file.path} rewritten?`,
        );
      }
      assert.match(
        result.stderr,
        new RegExp(
          `^Updated Orders .*arm64.*: 0 new, ${affected.length + 1} rewritten, ${x86.length - affected.length - 1} identical, 1 kept as edited\\.$`,
          'm',
        ),
      );
    });

    it('a changed setting that would replace an edited file refuses without --force and changes nothing', async () => {
      const cwd = userFolder();
      assert.equal((await runBin(['new', 'Orders', '--yes', '--skip-install'], { cwd })).code, 0);
      const root = join(cwd, 'Orders');
      writeFileSync(
        join(root, 'template.yaml'),
        `${readFileSync(join(root, 'template.yaml'), 'utf8')}# mine\n`,
      );
      const before = snapshot(root);
      const result = await runBin(['new', '--yes', '--skip-install', '--architecture', 'arm64'], {
        cwd: root,
      });
      assertOneError(result, [
        /changed since they were generated and would be replaced: template\.yaml \(content\)/,
        /--force/,
      ]);
      assert.deepEqual(snapshot(root), before);
    });

    /** Runs `new Orders --yes --force` as a user the permissions apply to: nobody when this is root. */
    const asUnprivileged = (cwd: string, owned: readonly string[]): Promise<BinResult> | undefined => {
      const args = ['new', 'Orders', '--yes', '--skip-install', '--force'];
      if (process.getuid?.() !== 0) return runBin(args, { cwd });
      if (!findExecutable('runuser')) return undefined;
      const nobody = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }));
      chmodSync(cwd, 0o755);
      for (const p of ['', ...owned]) chownSync(join(cwd, p), nobody, nobody);
      return runBin(args, { cwd, wrapper: ['runuser', '-u', 'nobody', '--'] });
    };

    it('a folder the user cannot write: refused before any file is written (issue 17.2)', async (t) => {
      const cwd = userFolder({ 'Orders/keep.txt': 'mine\n' });
      mkdirSync(join(cwd, 'Orders/src'));
      // As nobody, Orders/src stays root's; unprivileged already, it is made read-only.
      if (process.getuid?.() !== 0) chmodSync(join(cwd, 'Orders/src'), 0o555);
      const run = asUnprivileged(cwd, ['Orders', 'Orders/keep.txt']);
      if (!run) return t.skip('running as root without runuser: permissions cannot be denied');
      const before = snapshot(cwd);
      assertOneError(await run, [
        /Cannot write in 'Orders\/src': permission denied\. Make it writable .*nothing was written\./,
      ]);
      assert.deepEqual(snapshot(cwd), before, 'not one file written');
    });

    it('a read-only file that would change is not replaced, even with --force', async (t) => {
      const cwd = userFolder({ 'Orders/README.md': 'my own readme\n' });
      chmodSync(join(cwd, 'Orders/README.md'), 0o444);
      const run = asUnprivileged(cwd, ['Orders', 'Orders/README.md']);
      if (!run) return t.skip('running as root without runuser: permissions cannot be denied');
      const before = snapshot(cwd);
      assertOneError(await run, [
        /'Orders\/README\.md' is read-only and differs from what would be generated: the generator does not replace it\. Make it writable \(chmod u\+w\)/,
      ]);
      assert.deepEqual(snapshot(cwd), before, 'not one file written');
    });
  },
);

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
