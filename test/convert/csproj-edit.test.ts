import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addItems, propertyEdits, readProjectFile } from '../../src/convert/csproj.js';
import { applyEdits } from '../../src/convert/splice.js';

/** Document-aware splices of project files: only the touched elements change. */
function edit(source: string, goals: Parameters<typeof propertyEdits>[1]): string {
  return applyEdits(source, propertyEdits(readProjectFile(source, 'Test.csproj'), goals));
}

describe('csproj splices', () => {
  it('updates a value in place, adds the missing ones after the last property, keeps comments and order', () => {
    const before =
      '<Project Sdk="Microsoft.NET.Sdk">\n  <!-- keep me -->\n  <PropertyGroup>\n    <OutputType>Library</OutputType> <!-- trailing -->\n' +
      '    <TargetFramework>net8.0</TargetFramework>\n  </PropertyGroup>\n</Project>\n';
    const after = edit(before, [
      { name: 'OutputType', value: 'Exe' },
      { name: 'PublishAot', value: 'true' },
    ]);
    assert.equal(
      after,
      '<Project Sdk="Microsoft.NET.Sdk">\n  <!-- keep me -->\n  <PropertyGroup>\n    <OutputType>Exe</OutputType> <!-- trailing -->\n' +
        '    <TargetFramework>net8.0</TargetFramework>\n    <PublishAot>true</PublishAot>\n  </PropertyGroup>\n</Project>\n',
    );
  });

  it('compares booleans case-insensitively: True stays True', () => {
    const before =
      '<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n    <PublishAot>True</PublishAot>\n  </PropertyGroup>\n</Project>\n';
    assert.equal(edit(before, [{ name: 'PublishAot', value: 'true' }]), before);
  });

  it('removes conditional overrides that would undo the value, and a group left empty', () => {
    const before =
      '<Project Sdk="Microsoft.NET.Sdk">\n\t<PropertyGroup>\n\t\t<TargetFramework>net8.0</TargetFramework>\n\t</PropertyGroup>\n' +
      "\t<PropertyGroup Condition=\"'$(Configuration)' == 'Release'\">\n\t\t<OutputType>Library</OutputType>\n\t</PropertyGroup>\n" +
      "\t<PropertyGroup Condition=\"'$(Configuration)' == 'Debug'\">\n\t\t<OutputType>Exe</OutputType>\n\t\t<Optimize>false</Optimize>\n\t</PropertyGroup>\n</Project>\n";
    const after = edit(before, [{ name: 'OutputType', value: 'Exe' }]);
    assert.equal(
      after,
      '<Project Sdk="Microsoft.NET.Sdk">\n\t<PropertyGroup>\n\t\t<TargetFramework>net8.0</TargetFramework>\n\t\t<OutputType>Exe</OutputType>\n\t</PropertyGroup>\n' +
        "\t<PropertyGroup Condition=\"'$(Configuration)' == 'Debug'\">\n\t\t<OutputType>Exe</OutputType>\n\t\t<Optimize>false</Optimize>\n\t</PropertyGroup>\n</Project>\n",
    );
  });

  it('keeps CRLF line ends', () => {
    const before =
      '<Project Sdk="Microsoft.NET.Sdk">\r\n  <PropertyGroup>\r\n    <TargetFramework>net8.0</TargetFramework>\r\n  </PropertyGroup>\r\n</Project>\r\n';
    const after = edit(before, [{ name: 'StripSymbols', value: 'true' }]);
    assert.equal(after.replace(/\r\n/g, ''), after.replace(/\r\n/g, '').replace(/\n/g, ''));
    assert.match(after, /<\/TargetFramework>\r\n {4}<StripSymbols>true<\/StripSymbols>\r\n/);
  });

  it('opens a PropertyGroup when the project has only conditional ones', () => {
    const before =
      '<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup Condition="true">\n    <TargetFramework>net8.0</TargetFramework>\n  </PropertyGroup>\n</Project>\n';
    const after = edit(before, [{ name: 'PublishAot', value: 'true' }]);
    assert.match(
      after,
      /^<Project Sdk="Microsoft.NET.Sdk">\n {2}<PropertyGroup>\n {4}<PublishAot>true<\/PublishAot>\n {2}<\/PropertyGroup>\n {2}<PropertyGroup Condition/,
    );
  });

  it('removes a property and the comment line describing it', () => {
    const before =
      '<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n    <A>1</A>\n    <!-- ready to run -->\n    <PublishReadyToRun>true</PublishReadyToRun>\n  </PropertyGroup>\n</Project>\n';
    assert.equal(
      edit(before, [{ name: 'PublishReadyToRun', remove: true }]),
      '<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n    <A>1</A>\n  </PropertyGroup>\n</Project>\n',
    );
  });

  it('entities in values are written escaped and read decoded', () => {
    const before =
      '<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n    <Defines>A&amp;B</Defines>\n  </PropertyGroup>\n</Project>\n';
    assert.equal(readProjectFile(before, 'x').property('Defines'), 'A&B');
    assert.match(edit(before, [{ name: 'Defines', value: 'C<D' }]), /<Defines>C&lt;D<\/Defines>/);
  });

  it('adds items to the group that already holds that kind', () => {
    const source =
      '<Project Sdk="Microsoft.NET.Sdk">\n  <ItemGroup>\n    <Compile Remove="x.cs" />\n  </ItemGroup>\n  <ItemGroup>\n    <PackageReference Include="A" Version="1" />\n  </ItemGroup>\n</Project>\n';
    const after = applyEdits(
      source,
      addItems(readProjectFile(source, 'x'), 'PackageReference', [
        '<PackageReference Include="B" Version="2" />',
      ]),
    );
    assert.match(
      after,
      /<PackageReference Include="A" Version="1" \/>\n {4}<PackageReference Include="B" Version="2" \/>\n {2}<\/ItemGroup>\n<\/Project>/,
    );
  });
});
