import assert from 'node:assert/strict';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { packageRoot } from '../../src/paths.js';
import { renderProject } from '../../src/render/render-project.js';
import { completeSettings } from '../../src/settings.js';
import { buildSpec } from '../../src/spec.js';
import { node24Binary, node24Ready, npmFlags, registryProblem, run } from './npm.js';

/**
 * The package as users get it: `npm pack` (which runs the build through `prepack`), the tarball's contents,
 * then the tarball installed from the registry into an empty folder and used through `npx aot-lambda` and
 * through `yo aot-lambda` (yo 7.0.1). Slow-ish (npm install): skipped, saying why, without the registry.
 */
interface PackedFile {
  path: string;
  mode: number;
}

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });

/** The files a `new <name>` run writes, and their text, relative to the project folder. */
function expectedProject(name: string): Map<string, string> {
  return new Map(renderProject(buildSpec(completeSettings({ name }))).map((f) => [f.path, f.contents]));
}

function assertProject(root: string, name: string): void {
  const expected = expectedProject(name);
  const written = walk(root).map((p) => relative(root, p));
  assert.deepEqual(written.sort(), [...expected.keys(), '.yo-rc.json'].sort());
  for (const [path, text] of expected) assert.equal(readFileSync(join(root, path), 'utf8'), text, path);
  const stored = JSON.parse(readFileSync(join(root, '.yo-rc.json'), 'utf8'))['generator-aot-lambda'];
  assert.equal(stored.name, name);
}

const problem = registryProblem();

describe(
  'packaging: npm pack, install from the tarball, run through npx and yo',
  { skip: problem ?? false },
  () => {
    const work = mkdtempSync(join(tmpdir(), 'aot-lambda-pack-'));
    // yo run as root continues as uid 1000 (below): it must be able to reach the installed package.
    chmodSync(work, 0o755);
    let tarball = '';
    let files: PackedFile[] = [];
    const app = join(work, 'app');

    before(async () => {
      const packed = await run('npm', ['pack', '--pack-destination', work, '--json', ...npmFlags], {
        cwd: packageRoot,
      });
      assert.equal(packed.code, 0, `npm pack failed (its prepack step builds dist/):\n${packed.stderr}`);
      const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as {
        filename: string;
        files: PackedFile[];
      }[];
      assert.ok(info);
      tarball = join(work, info.filename);
      files = info.files;
    });
    after(() => rmSync(work, { recursive: true, force: true }));

    it('the tarball holds the bin, both generators and every template (dotfiles stored without the dot)', () => {
      const paths = new Set(files.map((f) => f.path));
      const required = [
        'package.json',
        'README.md',
        'LICENSE',
        'dist/src/cli/main.js',
        'dist/generators/app/index.js',
      ];
      if (existsSync(join(packageRoot, 'generators/convert/index.ts')))
        required.push('dist/generators/convert/index.js');
      for (const path of required) assert.ok(paths.has(path), `${path} is packed`);
      const templates = walk(join(packageRoot, 'templates')).map((p) => relative(packageRoot, p));
      assert.ok(templates.length > 20);
      for (const path of templates) assert.ok(paths.has(path), `${path} is packed`);
      for (const dotfile of ['gitignore', 'editorconfig', 'dockerignore'])
        assert.ok(paths.has(`templates/project/${dotfile}`));
      const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as {
        bin: Record<string, string>;
      };
      assert.equal(pkg.bin['aot-lambda'], 'dist/src/cli/main.js');
      assert.match(
        readFileSync(join(packageRoot, 'dist/src/cli/main.js'), 'utf8'),
        /^#!\/usr\/bin\/env node\n/,
      );
    });

    it('the tarball leaves out tests, fixtures, TypeScript sources, maps and stale build output', () => {
      const unwanted = files.filter(
        (f) =>
          /^(test|src|generators|bench|scripts|\.ci|\.tmp|node_modules)\//.test(f.path) ||
          /(\.test\.|\/fixtures\/|\.map$|\.tgz$)/.test(f.path) ||
          (/\.ts$/.test(f.path) && !f.path.endsWith('.d.ts')),
      );
      assert.deepEqual(
        unwanted.map((f) => f.path),
        [],
      );
      // A compiled file whose source was deleted would still ship from an old dist/: each .js has its .ts.
      const stale = files
        .map((f) => f.path)
        .filter((p) => p.startsWith('dist/') && p.endsWith('.js'))
        .filter((p) => !existsSync(join(packageRoot, p.slice('dist/'.length).replace(/\.js$/, '.ts'))));
      assert.deepEqual(stale, []);
    });

    it('installed into an empty folder, `npx aot-lambda new Demo --yes --skip-install` writes the project', async () => {
      mkdirSync(app, { recursive: true });
      writeFileSync(join(app, 'package.json'), '{ "name": "consumer", "private": true }\n');
      const install = await run('npm', ['install', ...npmFlags, tarball], { cwd: app, timeoutMs: 600_000 });
      assert.equal(install.code, 0, install.stderr);
      const version = await run('npx', ['--no-install', 'aot-lambda', '--version'], { cwd: app });
      assert.equal(version.stdout.trim(), '0.1.0', version.stderr);
      const created = await run(
        'npx',
        ['--no-install', 'aot-lambda', 'new', 'Demo', '--yes', '--skip-install'],
        { cwd: app },
      );
      assert.equal(created.code, 0, created.stderr);
      assertProject(join(app, 'Demo'), 'Demo');
      assert.equal(statSync(join(app, 'Demo/scripts/build.sh')).mode & 0o777, 0o755);
    });

    it('the installed bin also runs on Node 24', async (t) => {
      if (!node24Ready()) return t.skip('no Node 24 in .tmp/node24 yet (node-matrix.test.ts installs it)');
      const bin = join(app, 'node_modules/generator-aot-lambda/dist/src/cli/main.js');
      const created = await run(node24Binary, [bin, 'new', 'Demo24', '--yes', '--skip-install'], {
        cwd: app,
      });
      assert.equal(created.code, 0, created.stderr);
      assertProject(join(app, 'Demo24'), 'Demo24');
    });

    it('`yo aot-lambda Demo --yes --skip-install` through yo 7.0.1 installed next to it', async () => {
      const install = await run('npm', ['install', ...npmFlags, 'yo@7.0.1'], {
        cwd: app,
        timeoutMs: 600_000,
      });
      assert.equal(install.code, 0, install.stderr);
      const yo = join(app, 'node_modules/yo/lib/cli.js');
      const home = join(app, 'home');
      const target = join(app, 'by-yo');
      mkdirSync(home);
      mkdirSync(target);
      const env = { ...process.env, HOME: home, NO_UPDATE_NOTIFIER: '1' };
      const root = process.getuid?.() === 0;
      if (root) {
        // yo run as root switches itself to SUDO_UID or, without sudo, uid 1000 (root-check): the folders it
        // writes (the target and HOME, for its global config) must belong to that user. README: "Running with yo".
        for (const dir of [home, target]) chownSync(dir, 1000, 1000);
        const refused = await run(
          process.execPath,
          [yo, 'aot-lambda', 'Refused', '--yes', '--skip-install'],
          {
            cwd: app,
            env: { ...env, HOME: '/root' },
          },
        );
        assert.notEqual(refused.code, 0, 'as root with root-owned folders, yo cannot write');
        assert.match(refused.stdout + refused.stderr, /EACCES/);
        assert.ok(!existsSync(join(app, 'Refused')));
      }
      const result = await run(process.execPath, [yo, 'aot-lambda', 'Demo', '--yes', '--skip-install'], {
        cwd: target,
        env,
      });
      assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
      assertProject(join(target, 'Demo'), 'Demo');
      if (root)
        assert.equal(statSync(join(target, 'Demo/Demo.sln')).uid, 1000, 'written by the user yo switched to');
    });
  },
);
