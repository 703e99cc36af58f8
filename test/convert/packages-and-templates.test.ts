import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readProjectFile } from '../../src/convert/csproj.js';
import { convert } from '../../src/convert/index.js';
import { centralPackages, packageEdits } from '../../src/convert/package-edits.js';
import { applyEdits } from '../../src/convert/splice.js';
import { copyFixture, tempDir } from './helpers.js';

/**
 * PackageReference edits (central package management, removals) and the SAM build metadata of provided.* functions.
 */
const props = (items: string): string =>
  '<Project>\n  <PropertyGroup>\n    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>\n  </PropertyGroup>\n' +
  `  <ItemGroup>\n${items}  </ItemGroup>\n</Project>\n`;

function centralSetup(projectText: string, propsText: string): { dir: string; projectDir: string } {
  const dir = tempDir();
  const projectDir = join(dir, 'src/Demo');
  mkdirSync(projectDir, { recursive: true });
  writeFileSync(join(dir, 'Directory.Packages.props'), propsText);
  writeFileSync(join(projectDir, 'Demo.csproj'), projectText);
  return { dir, projectDir };
}

const runtimeSupport = { id: 'Amazon.Lambda.RuntimeSupport', version: '2.1.2' };

describe('package references', () => {
  it('central package management: a version-less reference, and a PackageVersion only where none is pinned', () => {
    const projectText =
      '<Project Sdk="Microsoft.NET.Sdk">\n  <ItemGroup>\n    <PackageReference Include="Amazon.Lambda.Core" />\n  </ItemGroup>\n</Project>\n';
    const { projectDir } = centralSetup(
      projectText,
      props('    <PackageVersion Include="amazon.lambda.runtimesupport" Version="1.13.0" />\n'),
    );
    const project = readProjectFile(projectText, 'Demo.csproj');
    const central = centralPackages(projectDir, project, { get: () => undefined });
    assert.ok(central, 'central package management is on');
    const edits = packageEdits(project, [runtimeSupport], { usesSerializer: true, central, remove: [] });
    assert.match(
      applyEdits(projectText, edits.project),
      /<PackageReference Include="Amazon\.Lambda\.Core" \/>\n {4}<PackageReference Include="Amazon\.Lambda\.RuntimeSupport" \/>/,
    );
    assert.deepEqual(edits.central, [], 'already pinned (ids compare case-insensitively)');
  });

  it('central package management: an old serializer is raised where its version is decided (VersionOverride first)', () => {
    const projectText =
      '<Project Sdk="Microsoft.NET.Sdk">\n  <ItemGroup>\n' +
      '    <PackageReference Include="Amazon.Lambda.Serialization.SystemTextJson" VersionOverride="2.0.1" />\n' +
      '  </ItemGroup>\n</Project>\n';
    const propsText = props(
      '    <PackageVersion Include="Amazon.Lambda.Serialization.SystemTextJson" Version="2.1.0" />\n',
    );
    const { projectDir } = centralSetup(projectText, propsText);
    const project = readProjectFile(projectText, 'Demo.csproj');
    const central = centralPackages(projectDir, project, { get: () => undefined });
    const edits = packageEdits(project, [], { usesSerializer: true, central, remove: [] });
    assert.match(applyEdits(projectText, edits.project), /VersionOverride="3\.0\.0"/);
    assert.deepEqual(edits.central, [], 'the PackageVersion is not the one in force');
  });

  it('a project that opts out of central management keeps versions on its references', () => {
    const projectText =
      '<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>\n' +
      '  </PropertyGroup>\n</Project>\n';
    const { projectDir } = centralSetup(projectText, props(''));
    const project = readProjectFile(projectText, 'Demo.csproj');
    assert.equal(centralPackages(projectDir, project, { get: () => undefined }), undefined);
    const edits = packageEdits(project, [runtimeSupport], {
      usesSerializer: false,
      central: undefined,
      remove: [],
    });
    assert.match(
      applyEdits(projectText, edits.project),
      /<PackageReference Include="Amazon\.Lambda\.RuntimeSupport" Version="2\.1\.2" \/>/,
    );
  });

  it('removals take the reference lines, and a group left empty with its blank line', () => {
    const projectText =
      '<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n    <A>1</A>\n  </PropertyGroup>\n\n' +
      '  <ItemGroup>\n    <PackageReference Include="Amazon.Lambda.Core" Version="2.5.0" />\n  </ItemGroup>\n\n' +
      '  <ItemGroup>\n    <PackageReference Include="Amazon.Lambda.RuntimeSupport" Version="1.0.0" />\n' +
      '    <PackageReference Include="Other" Version="1.0.0" />\n  </ItemGroup>\n</Project>\n';
    const project = readProjectFile(projectText, 'Demo.csproj');
    const edits = packageEdits(project, [], {
      usesSerializer: false,
      central: undefined,
      remove: ['Amazon.Lambda.Core', 'Amazon.Lambda.RuntimeSupport'],
    });
    assert.equal(
      applyEdits(projectText, edits.project),
      '<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n    <A>1</A>\n  </PropertyGroup>\n\n' +
        '  <ItemGroup>\n    <PackageReference Include="Other" Version="1.0.0" />\n  </ItemGroup>\n</Project>\n',
    );
  });
});

describe('SAM build metadata of provided.* functions', () => {
  it('a BuildMethod already chosen is kept; none is added for a managed runtime', async () => {
    const dir = copyFixture('minimal-multi');
    const templatePath = join(dir, 'template.yaml');
    writeFileSync(
      templatePath,
      readFileSync(templatePath, 'utf8').replace('Owner: inventory-team', 'BuildMethod: makefile'),
    );
    await convert(join(dir, 'src/Inventory'), { force: true, client: 'minimal' });
    const template = readFileSync(templatePath, 'utf8');
    assert.match(template, /BuildMethod: makefile\n/);
    assert.equal(
      template.match(/BuildMethod: dotnet7/g)?.length,
      1,
      'only the function without one gets dotnet7',
    );

    const managed = copyFixture('minimal-client');
    await convert(managed, { force: true, client: 'minimal', runtime: 'dotnet10' });
    assert.doesNotMatch(readFileSync(join(managed, 'template.yaml'), 'utf8'), /Metadata|BuildMethod/);
  });

  it('CloudFormation JSON for Amazon.Lambda.Tools (serverless.template) gets no SAM build metadata', async () => {
    const dir = copyFixture('serverless-json');
    await convert(dir, { force: true });
    assert.doesNotMatch(readFileSync(join(dir, 'serverless.template'), 'utf8'), /BuildMethod/);
  });
});

describe('trimming', () => {
  // TrimMode=partial makes Amazon.Lambda.Serialization.SystemTextJson warn IL3053 at the NativeAOT publish: convert
  // leaves NativeAOT's full trimming alone (even beside the AWS SDK), and a TrimMode the user chose stays theirs.
  it('adds no TrimMode, and keeps the one a project already sets', async () => {
    const plain = copyFixture('serverless-json');
    await convert(plain, { force: true });
    const converted = readFileSync(join(plain, 'BlogApi.csproj'), 'utf8');
    assert.match(converted, /<PackageReference Include="AWSSDK\.DynamoDBv2"/);
    assert.match(converted, /<PublishAot>true<\/PublishAot>/);
    assert.doesNotMatch(converted, /TrimMode/);

    const chosen = copyFixture('serverless-json');
    const csproj = join(chosen, 'BlogApi.csproj');
    writeFileSync(
      csproj,
      readFileSync(csproj, 'utf8').replace(
        '<AWSProjectType>',
        '<TrimMode>partial</TrimMode>\n    <AWSProjectType>',
      ),
    );
    await convert(chosen, { force: true });
    assert.equal(readFileSync(csproj, 'utf8').match(/<TrimMode>partial<\/TrimMode>/g)?.length, 1);
  });
});
