import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { frameworks, frameworkSupportWarning } from '../../src/catalog/frameworks.js';
import { convert, ConvertError } from '../../src/convert/index.js';
import { copyFixture, refused } from './helpers.js';

/** Issue 16.5: what a user of AWS's blueprints hit besides restore. */
function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
}

function committed(shape: string): string {
  const dir = copyFixture(shape);
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'before convert');
  return dir;
}

describe('convert: build output and the end-of-support note', () => {
  it('bin/ and obj/ of a project without a .gitignore do not count as uncommitted work; other untracked files still do', async () => {
    const dir = committed('empty-function');
    for (const project of ['src/EmptyFunction', 'test/EmptyFunction.Tests']) {
      mkdirSync(join(dir, project, 'bin/Debug/net8.0'), { recursive: true });
      mkdirSync(join(dir, project, 'obj'), { recursive: true });
      writeFileSync(join(dir, project, 'bin/Debug/net8.0/EmptyFunction.dll'), 'MZ');
      writeFileSync(join(dir, project, 'obj/project.assets.json'), '{}');
    }
    writeFileSync(join(dir, 'src/EmptyFunction/Scratch.cs'), 'namespace EmptyFunction;\n');
    await assert.rejects(
      convert(join(dir, 'src/EmptyFunction')),
      (e: unknown) =>
        e instanceof ConvertError &&
        /\(src\/EmptyFunction\/Scratch\.cs\)/.test(e.message.replace(/\\/g, '/')),
      'only the source file is named',
    );
    git(dir, 'add', 'src/EmptyFunction/Scratch.cs');
    git(dir, 'commit', '-qm', 'scratch');
    const outcome = await convert(join(dir, 'src/EmptyFunction'));
    assert.equal(outcome.status, 'converted');
  });

  it('the end-of-support note tells a convert user to change TargetFramework, not to pass --framework', async () => {
    const net8 = frameworks.find((f) => f.tfm === 'net8.0');
    assert.ok(net8);
    const late = new Date('2099-01-01');
    assert.match(frameworkSupportWarning(net8, late) ?? '', /Use --framework net10\.0/, "new's advice");
    const outcome = await convert(join(copyFixture('empty-function'), 'src/EmptyFunction'), { dryRun: true });
    assert.doesNotMatch(outcome.report, /--framework/);
    if (frameworkSupportWarning(net8) !== undefined) {
      assert.match(
        outcome.report,
        /note: net8\.0 reached end of support on 2026-11-10: .*Change the project's TargetFramework to net10\.0 \(LTS\) unless you must stay on it\./,
      );
    }
  });
});

describe('convert: Amazon.Lambda.Annotations projects', () => {
  it('AnnotationsFramework-style project: refused with its own NativeAOT route, the first [LambdaFunction], and no --handler advice', async () => {
    const dir = copyFixture('annotations');
    const message = await refused(
      [dir],
      dir,
      /uses Amazon\.Lambda\.Annotations \(\[LambdaFunction\] at Functions\.cs:23\)/,
    );
    assert.match(message, /GenerateMain = true/);
    assert.match(message, /<OutputType>Exe<\/OutputType>/);
    assert.match(message, /ANNOTATIONS_HANDLER/);
    assert.match(message, /Nothing was written\./);
    assert.doesNotMatch(message, /pass --handler|Startup::ConfigureServices|_Generated::/);
    // Following the old advice is refused the same way.
    await refused(
      [dir, '--handler', 'AnnotationsCalculator::AnnotationsCalculator.Functions::Add'],
      dir,
      /Annotations/,
    );
  });

  it('a [LambdaFunction] method without the package reference (e.g. from Directory.Build.props) is refused too', async () => {
    const dir = copyFixture('annotations');
    const csproj = join(dir, 'AnnotationsCalculator.csproj');
    writeFileSync(
      csproj,
      readFileSync(csproj, 'utf8').replace(
        /\s*<PackageReference Include="Amazon\.Lambda\.Annotations"[^>]*>/,
        '',
      ),
    );
    await refused([dir], dir, /\[LambdaFunction\] at Functions\.cs:23/);
  });
});
