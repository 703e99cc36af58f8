import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  applyWrites,
  checkTarget,
  DestinationError,
  planWrites,
  type ProjectFile,
} from '../../src/render/write-project.js';
import { snapshot } from '../bin/run-bin.js';
import { tempDir, writeTree } from '../helpers/fs.js';

const files: ProjectFile[] = [
  { path: 'README.md', contents: '# P\n', mode: 0o644 },
  { path: 'src/P/Function.cs', contents: 'class F {}\n', mode: 0o644 },
  { path: 'scripts/build.sh', contents: '#!/bin/sh\n', mode: 0o755 },
];

const statusOf = (root: string, list = files, baseline?: Map<string, ProjectFile>): Record<string, string> =>
  Object.fromEntries(planWrites(root, list, 'P', baseline).files.map((f) => [f.path, f.status]));

/** A project folder already holding the files as generated. */
function generated(): string {
  const root = join(tempDir(), 'P');
  applyWrites(planWrites(root, files, 'P'), 'P');
  return root;
}

describe('planWrites: every destination checked before anything is written', () => {
  it('a missing folder: everything created, in one rename, with the modes asked', () => {
    const parent = tempDir();
    const root = join(parent, 'P');
    applyWrites(planWrites(root, files, 'P'), 'P');
    for (const f of files) {
      assert.equal(readFileSync(join(root, f.path), 'utf8'), f.contents);
      assert.equal(statSync(join(root, f.path)).mode & 0o777, f.mode, f.path);
    }
    assert.deepEqual(readdirSync(parent), ['P'], 'no staging folder left beside it');
  });

  it('same bytes and exec bit are identical, whatever the other mode bits (100644 vs 644, umask 002)', () => {
    const root = generated();
    chmodSync(join(root, 'README.md'), 0o664);
    assert.deepEqual(statusOf(root), {
      'README.md': 'identical',
      'src/P/Function.cs': 'identical',
      'scripts/build.sh': 'identical',
    });
    chmodSync(join(root, 'scripts/build.sh'), 0o644);
    const plan = planWrites(root, files, 'P');
    assert.deepEqual(plan.files.find((f) => f.path === 'scripts/build.sh')?.differs, 'mode');
  });

  it('tells an edited file from one only the settings change, given what the last run wrote', () => {
    const root = generated();
    writeFileSync(join(root, 'README.md'), '# P, edited\n');
    const next = files.map((f) => (f.path === 'src/P/Function.cs' ? { ...f, contents: 'class G {}\n' } : f));
    const plan = planWrites(root, next, 'P', new Map(files.map((f) => [f.path, f])));
    const by = Object.fromEntries(plan.files.map((f) => [f.path, [f.status, f.edited, f.affected]]));
    assert.deepEqual(by['README.md'], ['overwrite', true, false]);
    assert.deepEqual(by['src/P/Function.cs'], ['overwrite', false, true]);
    assert.deepEqual(by['scripts/build.sh'], ['identical', undefined, undefined]);
  });

  const refusals: [string, (root: string, outside: string) => void, RegExp][] = [
    [
      'a file symlink leaving the project',
      (root, outside) => symlinkSync(join(outside, 'x'), join(root, 'README.md')),
      /^'P\/README\.md' is a symbolic link to '.*\/x', outside the project folder/,
    ],
    [
      'a folder symlink leaving the project',
      (root, outside) => symlinkSync(outside, join(root, 'src')),
      /^'P\/src' is a symbolic link to '.*', outside the project folder/,
    ],
    [
      'a relative symlink climbing out with ..',
      (root) => symlinkSync('../../..', join(root, 'scripts')),
      /^'P\/scripts' is a symbolic link to '.*', outside the project folder/,
    ],
    [
      'a dangling symlink',
      (root) => symlinkSync('nowhere', join(root, 'README.md')),
      /^'P\/README\.md' is a symbolic link to 'nowhere', which does not exist/,
    ],
    [
      'a file where a folder goes',
      (root) => writeFileSync(join(root, 'src'), ''),
      /^'P\/src' is a file, but the project needs a folder there/,
    ],
    [
      'a folder where a file goes',
      (root) => mkdirSync(join(root, 'README.md')),
      /^'P\/README\.md' is a folder, but the project writes a file there/,
    ],
    [
      'a named pipe where a file goes',
      (root) => execFileSync('mkfifo', [join(root, 'README.md')]),
      /^'P\/README\.md' is a named pipe, but the project writes a file there/,
    ],
    [
      'a read-only file that differs',
      (root) => {
        writeFileSync(join(root, 'README.md'), 'mine\n');
        chmodSync(join(root, 'README.md'), 0o444);
      },
      /^'P\/README\.md' is read-only and differs .* does not replace it\. Make it writable/,
    ],
  ];
  for (const [label, setup, message] of refusals) {
    it(`refuses ${label}, naming it`, (t) => {
      const root = join(tempDir(), 'P');
      const outside = tempDir('aot-lambda-outside-');
      writeTree(outside, { x: 'outside\n' });
      mkdirSync(root);
      setup(root, outside);
      if (label.startsWith('a read-only') && process.getuid?.() === 0) {
        // root passes access(W_OK) on any file: the check is exercised only as another user
        return t.skip('root can write a 0444 file; covered when run unprivileged');
      }
      const before = snapshot(root);
      assert.throws(
        () => planWrites(root, files, 'P'),
        (e: Error) => e instanceof DestinationError && message.test(e.message),
      );
      assert.deepEqual(snapshot(root), before);
      assert.equal(readFileSync(join(outside, 'x'), 'utf8'), 'outside\n');
    });
  }

  it('refuses a planned path that climbs out or is absolute', () => {
    const root = join(tempDir(), 'P');
    for (const path of ['../x', 'src/../../x', '/etc/x', 'src//x']) {
      assert.throws(
        () => planWrites(root, [{ path, contents: '', mode: 0o644 }], 'P'),
        /is not a path inside the project: the generator does not write it\./,
      );
    }
  });

  it('a symlink that stays inside the project is followed', () => {
    const root = join(tempDir(), 'P');
    mkdirSync(join(root, 'real'), { recursive: true });
    symlinkSync('real', join(root, 'src'));
    assert.equal(statusOf(root)['src/P/Function.cs'], 'create');
  });

  it('the target itself: a file, a dangling symlink, a pipe are refused; a symlink to a folder is used', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), '');
    symlinkSync('gone', join(dir, 'dangling'));
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    mkdirSync(join(dir, 'real'));
    symlinkSync('real', join(dir, 'link'));
    assert.throws(() => checkTarget(join(dir, 'file'), 'file'), /'file' is a file, not a folder/);
    assert.throws(
      () => checkTarget(join(dir, 'dangling'), 'dangling'),
      /'dangling' is a symbolic link to 'gone', which does not exist/,
    );
    assert.throws(() => checkTarget(join(dir, 'pipe'), 'pipe'), /'pipe' is a named pipe, not a folder/);
    assert.equal(checkTarget(join(dir, 'link'), 'link'), join(dir, 'real'));
    assert.equal(checkTarget(join(dir, 'none'), 'none'), undefined);
  });
});

describe('applyWrites: a failure half-way puts everything back', () => {
  it('files already moved are restored or removed, new folders removed, staging gone', () => {
    const root = generated();
    writeFileSync(join(root, 'README.md'), 'edited\n');
    const next: ProjectFile[] = [
      { path: 'README.md', contents: '# P, new\n', mode: 0o644 },
      { path: 'docs/guide/intro.md', contents: 'intro\n', mode: 0o644 },
      { path: 'events/event.json', contents: '{}\n', mode: 0o644 },
    ];
    const plan = planWrites(root, next, 'P');
    const before = snapshot(root);
    // Something appears after the check (another process): the third move fails with EISDIR.
    mkdirSync(join(root, 'events/event.json/busy'), { recursive: true });
    const expected = new Map([...snapshot(root)]);
    assert.notDeepEqual(expected, before);
    assert.throws(
      () => applyWrites(plan, 'P'),
      (e: Error) =>
        e instanceof DestinationError &&
        /^Writing 'P' failed: E\w+ rename .*; nothing was changed\./.test(e.message),
    );
    assert.deepEqual(snapshot(root), expected, 'README.md restored, docs/ removed, no staging folder');
    assert.equal(readFileSync(join(root, 'README.md'), 'utf8'), 'edited\n');
  });
});
