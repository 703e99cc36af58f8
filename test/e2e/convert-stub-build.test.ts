import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { cases, fixturesRoot, tempDir } from '../convert/helpers.js';

/**
 * The C# convert writes compiles. The real Amazon.Lambda.* packages may not be restorable (see build.test.ts), so
 * every converted fixture is compiled against compile-only stand-ins of the API it uses
 * (test/fixtures/convert/_stubs, signatures as in aws/aws-lambda-dotnet). This proves the entry points, delegate
 * types, usings and JSON contexts compile — with PublishAot's trim/AOT analyzers on and, in one fixture,
 * TreatWarningsAsErrors — not that the real packages behave.
 */
/**
 * The packages the stubs stand in for. A fixture using another (the SQS and S3 event types of the blueprint-shaped
 * fixtures) is compiled against the real packages by convert-blueprints.test.ts instead.
 */
const stubbed =
  /^(Amazon\.Lambda\.(Core|RuntimeSupport|Serialization\.SystemTextJson|APIGatewayEvents|TestUtilities)|AWSSDK\..+)$/;
const unstubbedPackages = (csproj: string): string[] =>
  [
    ...readFileSync(csproj, 'utf8').matchAll(
      /<PackageReference Include="(Amazon\.Lambda\.[^"]+|AWSSDK\.[^"]+)"/g,
    ),
  ]
    .map((m) => m[1] as string)
    .filter((id) => !stubbed.test(id));

function dotnetAvailable(): boolean {
  const r = spawnSync('dotnet', ['--version'], { encoding: 'utf8' });
  return !r.error && r.status === 0;
}

/** Swaps Amazon.Lambda.* / AWSSDK.* package references for a reference to the stub project (test copy only). */
function useStubs(csprojPath: string, stubProject: string): void {
  const text = readFileSync(csprojPath, 'utf8');
  const withoutPackages = text.replace(
    /^[ \t]*<PackageReference Include="(Amazon\.Lambda|AWSSDK)\.[^"]+"[^>]*\/>\r?\n/gm,
    '',
  );
  const reference = `  <ItemGroup>\n    <ProjectReference Include="${relative(join(csprojPath, '..'), stubProject)}" />\n  </ItemGroup>\n`;
  writeFileSync(csprojPath, withoutPackages.replace(/<\/Project>\s*$/, `${reference}</Project>\n`));
}

describe('convert: converted C# compiles (against API stubs)', () => {
  it('every fixture builds with dotnet build', { timeout: 900_000 }, (t) => {
    if (!dotnetAvailable()) {
      t.skip('the .NET SDK is not installed: dotnet build could not run');
      return;
    }
    const root = tempDir('aot-convert-stubs-');
    const stubProject = join(root, '_stubs/Amazon.Lambda.Stubs/Amazon.Lambda.Stubs.csproj');
    cpSync(join(fixturesRoot, '_stubs'), join(root, '_stubs'), { recursive: true });
    const projects: string[] = [];
    for (const c of cases) {
      cpSync(join(fixturesRoot, c.shape, 'expected'), join(root, c.shape), { recursive: true });
      const projectDir = join(root, c.shape, c.shape === 'solution-props' ? 'src/Orders.Api' : c.target);
      const csproj = spawnSync('sh', ['-c', 'ls *.csproj'], {
        cwd: projectDir,
        encoding: 'utf8',
      }).stdout.trim();
      const path = join(projectDir, csproj);
      const unstubbed = unstubbedPackages(path);
      if (unstubbed.length > 0) {
        t.diagnostic(
          `${c.shape}: built with the real packages by convert-blueprints (${unstubbed.join(', ')})`,
        );
        continue;
      }
      useStubs(path, stubProject);
      projects.push(relative(root, path));
    }
    const solution = `<Solution>\n${projects.map((p) => `  <Project Path="${p}" />`).join('\n')}\n</Solution>\n`;
    writeFileSync(join(root, 'all.slnx'), solution);
    const build = spawnSync('dotnet', ['build', '-nologo', '-v:q', join(root, 'all.slnx')], {
      encoding: 'utf8',
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
    });
    const output = `${build.stdout}${build.stderr}`;
    const restore = /error NU1\d{3}: .*/.exec(output);
    if (build.status !== 0 && restore) {
      t.skip(`a package could not be restored, so the build could not run: ${restore[0]}`);
      return;
    }
    assert.equal(
      build.status,
      0,
      output
        .split('\n')
        .filter((l) => /error|warn/i.test(l))
        .join('\n') || output,
    );
    assert.doesNotMatch(output, /warning (IL|CS)\d+/, 'no trim/AOT or compiler warnings');
    for (const project of projects) {
      const built = spawnSync('find', [join(root, project, '../bin'), '-name', 'bootstrap.dll'], {
        encoding: 'utf8',
      }).stdout;
      assert.match(built, /bootstrap\.dll/, `${project} produced bootstrap.dll`);
    }
  });
});
