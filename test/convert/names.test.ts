import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { project, runCli } from './helpers.js';

/**
 * The project's AssemblyName stands in for `new`'s project name when the spec is built: a name that is a valid
 * assembly name but not a valid project name (a part starting with a digit, a C# keyword) must not refuse the
 * conversion; one that is a valid project name is kept.
 */
const csproj = (assemblyName: string): string =>
  '<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n' +
  `    <AssemblyName>${assemblyName}</AssemblyName>\n  </PropertyGroup>\n  <ItemGroup>\n` +
  '    <PackageReference Include="Amazon.Lambda.Core" Version="2.5.0" />\n  </ItemGroup>\n</Project>\n';
const handlerCs = `using Amazon.Lambda.Core;
namespace Demo;
public class Function
{
    public string FunctionHandler(string input, ILambdaContext context) => input;
}
`;

describe('convert: assembly names', () => {
  for (const name of ['Contoso.2024.Orders', 'Shop.class']) {
    it(`an AssemblyName that is no project name (${name}) converts`, async () => {
      const dir = project({ 'Demo.csproj': csproj(name), 'Function.cs': handlerCs });
      const result = await runCli([dir, '--handler', `${name}::Demo.Function::FunctionHandler`, '--force']);
      assert.equal(result.stderr, '');
      assert.equal(result.code, 0);
      assert.ok(existsSync(join(dir, 'Program.cs')), 'the entry point is added');
      assert.match(readFileSync(join(dir, 'Demo.csproj'), 'utf8'), /<PublishAot>true<\/PublishAot>/);
    });
  }

  it('a valid project name is the spec name: rd.xml types default to the assembly', async () => {
    const dir = project({ 'Demo.csproj': csproj('Contoso.Orders'), 'Function.cs': handlerCs });
    const result = await runCli([
      dir,
      '--handler',
      'Contoso.Orders::Demo.Function::FunctionHandler',
      '--runtime',
      'dotnet8',
      '--reflection-types',
      'Demo.Function',
      '--force',
    ]);
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    assert.match(readFileSync(join(dir, 'rd.xml'), 'utf8'), /<Assembly Name="Contoso\.Orders">/);
  });
});
