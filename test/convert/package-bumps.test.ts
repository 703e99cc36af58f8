import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { nugetDependencies, nugetVersions } from '../../src/catalog/packages.js';
import { convert } from '../../src/convert/index.js';
import { copyFixture, project } from './helpers.js';

/**
 * Pins that the added packages need raised (issue 16.1): RuntimeSupport 2.1.2 requires Amazon.Lambda.Core 3.2.0,
 * so a Core 2.x pin in the function project, a test project referencing it, or Directory.Packages.props would fail
 * restore with NU1605. Each goes up to exactly the required version, and the summary and dry-run diff say so.
 */
const core = 'Amazon.Lambda.Core';
const required = nugetDependencies['Amazon.Lambda.RuntimeSupport']?.find((d) => d.id === core)
  ?.version as string;

const functionCs =
  'using Amazon.Lambda.Core;\n[assembly: LambdaSerializer(typeof(Amazon.Lambda.Serialization.SystemTextJson.DefaultLambdaJsonSerializer))]\n' +
  'namespace Demo;\npublic class Function\n{\n    public string FunctionHandler(string input, ILambdaContext context) => input;\n}\n';
const tools = JSON.stringify({
  'function-runtime': 'dotnet8',
  'function-handler': 'Demo::Demo.Function::FunctionHandler',
});
const csproj = (refs: string, extra = ''): string =>
  `<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n    <ImplicitUsings>enable</ImplicitUsings>\n${extra}  </PropertyGroup>\n  <ItemGroup>\n${refs}  </ItemGroup>\n</Project>\n`;
const ref = (id: string, version?: string, attr = 'Version'): string =>
  `    <PackageReference Include="${id}"${version ? ` ${attr}="${version}"` : ''} />\n`;

describe('convert: package pins the added packages need raised', () => {
  it('the catalogue knows what the packages convert adds require', () => {
    assert.equal(required, '3.2.0');
    assert.equal(nugetVersions['Amazon.Lambda.RuntimeSupport'], '2.1.2');
  });

  it('raises Core in the function project and in the test project two folders away, listed in the summary and the dry-run diff', async () => {
    // As AWS's blueprint test project: Core 2.8.1, TestUtilities 3.0.1, xunit.v3, a Windows-style reference.
    const testProjectText = csproj(
      ref(core, '2.8.1') + ref('Amazon.Lambda.TestUtilities', '3.0.1') + ref('xunit.v3', '3.2.0'),
    ).replace(
      '</Project>',
      '  <ItemGroup>\n    <ProjectReference Include="..\\..\\src\\Demo\\Demo.csproj" />\n  </ItemGroup>\n</Project>',
    );
    const dir = project({
      'Demo.sln': '',
      'src/Demo/Demo.csproj': csproj(
        ref(core, '2.8.1') + ref('Amazon.Lambda.Serialization.SystemTextJson', '2.4.4'),
      ),
      'src/Demo/Function.cs': functionCs,
      'src/Demo/aws-lambda-tools-defaults.json': tools,
      'test/Demo.Tests/Demo.Tests.csproj': testProjectText,
      // Referencing the test project only: it inherits the raise through Demo.Tests, and pins Core itself.
      'test/Demo.Integration/Demo.Integration.csproj': csproj(ref(core, '2.5.0')).replace(
        '</Project>',
        '  <ItemGroup>\n    <ProjectReference Include="..\\Demo.Tests\\Demo.Tests.csproj" />\n  </ItemGroup>\n</Project>',
      ),
      // Unrelated: references nothing of ours, keeps its pin.
      'tools/Other/Other.csproj': csproj(ref(core, '2.5.0')),
    });
    const testProject = join(dir, 'test/Demo.Tests/Demo.Tests.csproj');

    const dry = await convert(join(dir, 'src/Demo'), { dryRun: true });
    assert.equal(dry.status, 'dry-run');
    assert.deepEqual(
      dry.plan.bumps.map((b) => [b.id, b.from, b.to, b.path.slice(dir.length + 1)]),
      [
        [core, '2.8.1', '3.2.0', 'src/Demo/Demo.csproj'],
        [core, '2.5.0', '3.2.0', 'test/Demo.Integration/Demo.Integration.csproj'],
        [core, '2.8.1', '3.2.0', 'test/Demo.Tests/Demo.Tests.csproj'],
      ],
    );
    assert.match(
      dry.report,
      /raise Amazon\.Lambda\.Core 2\.8\.1 -> 3\.2\.0 in .*test\/Demo\.Tests\/Demo\.Tests\.csproj \(Amazon\.Lambda\.RuntimeSupport 2\.1\.2 needs it/,
    );
    if (dry.status !== 'dry-run') return;
    assert.match(
      dry.diff,
      /--- a\/test\/Demo\.Tests\/Demo\.Tests\.csproj\n\+\+\+ b\/test\/Demo\.Tests\/Demo\.Tests\.csproj/,
    );
    assert.match(
      dry.diff,
      /- {4}<PackageReference Include="Amazon\.Lambda\.Core" Version="2\.8\.1" \/>\n\+ {4}<PackageReference Include="Amazon\.Lambda\.Core" Version="3\.2\.0" \/>/,
    );
    assert.doesNotMatch(dry.diff, /Other\.csproj/);

    const done = await convert(join(dir, 'src/Demo'), { force: true });
    assert.equal(done.status, 'converted');
    const after = readFileSync(testProject, 'utf8');
    assert.equal(
      after,
      testProjectText.replace('Version="2.8.1"', 'Version="3.2.0"'),
      'only the pin changes',
    );
    assert.match(readFileSync(join(dir, 'tools/Other/Other.csproj'), 'utf8'), /Version="2\.5\.0"/);
    assert.match(
      readFileSync(join(dir, 'src/Demo/Demo.csproj'), 'utf8'),
      /Amazon\.Lambda\.Serialization\.SystemTextJson" Version="2\.4\.4"/,
      'no requirement raises the serializer',
    );
    const again = await convert(join(dir, 'src/Demo'), { force: true });
    assert.equal(again.status, 'unchanged');
  });

  it('a pin already high enough, or none at all (Core only transitively), is left alone', async () => {
    const dir = project({
      'Demo.csproj': csproj(ref(core, '3.3.0') + ref('Amazon.Lambda.Serialization.SystemTextJson', '2.4.4')),
      'Function.cs': functionCs,
      'aws-lambda-tools-defaults.json': tools,
      'Demo.Tests/Demo.Tests.csproj': csproj(ref('Amazon.Lambda.TestUtilities', '3.0.1')).replace(
        '</Project>',
        '  <ItemGroup>\n    <ProjectReference Include="../Demo.csproj" />\n  </ItemGroup>\n</Project>',
      ),
    });
    const outcome = await convert(join(dir, 'Demo.csproj'), { dryRun: true });
    assert.deepEqual(outcome.plan.bumps, []);
    assert.doesNotMatch(outcome.report, /raise/);
  });

  it('central package management: the PackageVersion (once for all projects), or a VersionOverride where one decides', async () => {
    const props =
      '<Project>\n  <PropertyGroup>\n    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>\n  </PropertyGroup>\n' +
      `  <ItemGroup>\n    <PackageVersion Include="${core}" Version="2.5.0" />\n    <PackageVersion Include="Amazon.Lambda.Serialization.SystemTextJson" Version="2.4.4" />\n  </ItemGroup>\n</Project>\n`;
    const dir = project({
      'Directory.Packages.props': props,
      'Demo.sln': '',
      'src/Demo/Demo.csproj': csproj(ref(core) + ref('Amazon.Lambda.Serialization.SystemTextJson')),
      'src/Demo/Function.cs': functionCs,
      'src/Demo/aws-lambda-tools-defaults.json': tools,
      'test/A/A.csproj': csproj(ref(core)).replace(
        '</Project>',
        '  <ItemGroup>\n    <ProjectReference Include="../../src/Demo/Demo.csproj" />\n  </ItemGroup>\n</Project>',
      ),
      'test/B/B.csproj': csproj(ref(core, '2.6.0', 'VersionOverride')).replace(
        '</Project>',
        '  <ItemGroup>\n    <ProjectReference Include="../../src/Demo/Demo.csproj" />\n  </ItemGroup>\n</Project>',
      ),
    });
    const outcome = await convert(join(dir, 'src/Demo'), { force: true });
    assert.deepEqual(
      outcome.plan.bumps.map((b) => [b.from, b.path.slice(dir.length + 1)]),
      [
        ['2.5.0', 'Directory.Packages.props'],
        ['2.6.0', 'test/B/B.csproj'],
      ],
    );
    const propsAfter = readFileSync(join(dir, 'Directory.Packages.props'), 'utf8');
    assert.match(propsAfter, /<PackageVersion Include="Amazon\.Lambda\.Core" Version="3\.2\.0" \/>/);
    assert.match(
      propsAfter,
      /<PackageVersion Include="Amazon\.Lambda\.RuntimeSupport" Version="2\.1\.2" \/>/,
    );
    assert.match(readFileSync(join(dir, 'test/B/B.csproj'), 'utf8'), /VersionOverride="3\.2\.0"/);
  });

  it("an older RuntimeSupport pin (the top-level-statements blueprint's 1.x) goes up to the catalogue's, and Core with it", async () => {
    const dir = copyFixture('top-level-statements');
    const projectPath = join(dir, 'src/TopLevelStatementsFunction/TopLevelStatementsFunction.csproj');
    const outcome = await convert(projectPath, { force: true });
    assert.match(
      outcome.report,
      /note: raised Amazon\.Lambda\.RuntimeSupport 1\.14\.1 -> 2\.1\.2: the version convert wires and checks/,
    );
    // The raised client's needs are raised too: Core 2.8.1 would fail restore with NU1605 against it.
    assert.deepEqual(
      outcome.plan.bumps.map((b) => [b.id, b.from, b.to, b.because]),
      [[core, '2.8.1', '3.2.0', 'Amazon.Lambda.RuntimeSupport 2.1.2']],
    );
    const after = readFileSync(projectPath, 'utf8');
    assert.match(after, /"Amazon\.Lambda\.RuntimeSupport" Version="2\.1\.2"/);
    assert.match(after, /"Amazon\.Lambda\.Core" Version="3\.2\.0"/);
    assert.equal((after.match(/Amazon\.Lambda\.RuntimeSupport/g) ?? []).length, 1, 'raised, not added twice');
  });

  it('a RuntimeSupport pin at or above the catalogue version is left alone', async () => {
    const dir = copyFixture('top-level-statements');
    const projectPath = join(dir, 'src/TopLevelStatementsFunction/TopLevelStatementsFunction.csproj');
    const text = readFileSync(projectPath, 'utf8')
      .replace('Version="1.14.1"', 'Version="2.2.0"')
      .replace('Version="2.8.1"', 'Version="3.2.0"');
    writeFileSync(projectPath, text);
    const outcome = await convert(projectPath, { dryRun: true });
    assert.doesNotMatch(outcome.report, /raised Amazon\.Lambda\.RuntimeSupport|raise Amazon/);
    assert.deepEqual(outcome.plan.bumps, []);
  });

  it('the built-in client adds no package, so nothing is raised', async () => {
    const dir = copyFixture('minimal-multi');
    const outcome = await convert(join(dir, 'src/Inventory'), { client: 'minimal', dryRun: true });
    assert.deepEqual(outcome.plan.bumps, []);
  });

  it('without a .sln or .git, looks for referencing projects only beside src/, never in the folders above', async () => {
    // Work/Outside.csproj references the function from above the project's root: another repository's project,
    // which convert must neither read nor edit (with no marker, the search would otherwise reach four levels up).
    const root = project({
      'Outside/Outside.csproj': csproj(ref(core, '2.5.0')).replace(
        '</Project>',
        '  <ItemGroup>\n    <ProjectReference Include="../Repo/src/Demo/Demo.csproj" />\n  </ItemGroup>\n</Project>',
      ),
      'Repo/src/Demo/Demo.csproj': csproj(ref(core, '2.8.1')),
      'Repo/src/Demo/Function.cs': functionCs,
      'Repo/src/Demo/aws-lambda-tools-defaults.json': tools,
      'Repo/test/Demo.Tests/Demo.Tests.csproj': csproj(ref(core, '2.8.1')).replace(
        '</Project>',
        '  <ItemGroup>\n    <ProjectReference Include="../../src/Demo/Demo.csproj" />\n  </ItemGroup>\n</Project>',
      ),
    });
    const outside = join(root, 'Outside/Outside.csproj');
    const before = readFileSync(outside, 'utf8');
    const outcome = await convert(join(root, 'Repo/src/Demo'), { force: true });
    assert.equal(outcome.status, 'converted');
    assert.deepEqual(outcome.plan.bumps.map((b) => b.path.slice(root.length + 1)).sort(), [
      'Repo/src/Demo/Demo.csproj',
      'Repo/test/Demo.Tests/Demo.Tests.csproj',
    ]);
    assert.equal(readFileSync(outside, 'utf8'), before, 'the project outside the repository is untouched');
  });
});
