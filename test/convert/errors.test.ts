import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { copyFixture, project, refused, runCli, tempDir } from './helpers.js';

/**
 * Refusals: each one exits 1 with one message naming the problem and the fix, and writes nothing.
 */

const csproj = (props: string, extra = ''): string =>
  `<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n${props}\n  </PropertyGroup>\n${extra}</Project>\n`;
const lambdaPackages =
  '  <ItemGroup>\n    <PackageReference Include="Amazon.Lambda.Core" Version="2.5.0" />\n  </ItemGroup>\n';
const handlerCs = `using Amazon.Lambda.Core;
namespace Demo;
public class Function
{
    public string FunctionHandler(string input, ILambdaContext context) => input;
    public string Other(string input) => input;
    internal void Hidden() { }
}
`;

describe('convert: refusals', () => {
  it('no project in the folder', async () => {
    const dir = project({ 'README.md': '# nothing here\n' });
    await refused([dir], dir, /No \.csproj found in .*Pass the folder or \.csproj of a Lambda project/);
  });

  it('a path that does not exist', async () => {
    const dir = tempDir();
    await refused([join(dir, 'missing')], dir, /No such file or folder/);
  });

  it('several Lambda projects below the folder: lists them and asks for one', async () => {
    const dir = project({
      'a/A.csproj': csproj('    <TargetFramework>net8.0</TargetFramework>', lambdaPackages),
      'b/B.csproj': csproj('    <TargetFramework>net8.0</TargetFramework>', lambdaPackages),
    });
    await refused(
      [dir],
      dir,
      /several Lambda projects:\n.*A\.csproj\n.*B\.csproj\nPass the \.csproj to convert/,
    );
  });

  it('malformed XML: names the file and the line', async () => {
    const dir = project({
      'Demo.csproj':
        '<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n</Project>\n',
      'Function.cs': handlerCs,
    });
    await refused([dir], dir, /Demo\.csproj is not well-formed XML \(line \d+.*Fix the file/);
  });

  it('TargetFrameworks multi-targeting', async () => {
    const dir = project({
      'Demo.csproj': csproj('    <TargetFrameworks>net8.0;net10.0</TargetFrameworks>', lambdaPackages),
      'Function.cs': handlerCs,
    });
    await refused(
      [dir],
      dir,
      /sets TargetFrameworks \(net8\.0;net10\.0\).*<TargetFramework>net8\.0<\/TargetFramework>/s,
    );
  });

  it('multi-targeting inherited from Directory.Build.props names that file', async () => {
    const dir = project({
      'Directory.Build.props':
        '<Project>\n  <PropertyGroup>\n    <TargetFrameworks>net8.0;net9.0</TargetFrameworks>\n  </PropertyGroup>\n</Project>\n',
      'src/Demo/Demo.csproj': csproj('    <Nullable>enable</Nullable>', lambdaPackages),
      'src/Demo/Function.cs': handlerCs,
    });
    await refused([join(dir, 'src/Demo')], dir, /Directory\.Build\.props sets TargetFrameworks/);
  });

  it('a framework NativeAOT Lambda cannot use', async () => {
    const dir = project({
      'Demo.csproj': csproj('    <TargetFramework>net6.0</TargetFramework>', lambdaPackages),
      'Function.cs': handlerCs,
    });
    await refused([dir], dir, /targets net6\.0.*Change TargetFramework to net10\.0/s);
  });

  it('ASP.NET Core hosting (Sdk.Web / AspNetCoreServer)', async () => {
    const dir = project({
      'Api.csproj':
        '<Project Sdk="Microsoft.NET.Sdk.Web">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n  </PropertyGroup>\n' +
        '  <ItemGroup>\n    <PackageReference Include="Amazon.Lambda.AspNetCoreServer" Version="9.0.0" />\n  </ItemGroup>\n</Project>\n',
    });
    await refused([dir], dir, /Sdk="Microsoft\.NET\.Sdk\.Web".*AspNetCoreServer/s);
  });

  it('a non-SDK-style project', async () => {
    const dir = project({
      'Old.csproj':
        '<?xml version="1.0"?>\n<Project ToolsVersion="15.0" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">\n</Project>\n',
    });
    await refused([dir], dir, /not an SDK-style project/);
  });

  it('handler class not found: lists the candidate methods', async () => {
    const dir = project({
      'Demo.csproj': csproj('    <TargetFramework>net8.0</TargetFramework>', lambdaPackages),
      'Function.cs': handlerCs,
    });
    const message = await refused(
      ['--handler', 'Demo::Demo.Missing::Run', dir],
      dir,
      /no class Demo\.Missing/,
    );
    assert.match(message, /Demo::Demo\.Function::FunctionHandler\s+\(Function\.cs:5\)/);
    assert.match(message, /Demo::Demo\.Function::Other/);
    assert.doesNotMatch(message, /Hidden/);
  });

  it('handler method not found (the historic converter reported success here)', async () => {
    const dir = project({
      'Demo.csproj': csproj('    <TargetFramework>net8.0</TargetFramework>', lambdaPackages),
      'Function.cs': handlerCs,
      'aws-lambda-tools-defaults.json': '{ "function-handler": "Demo::Demo.Function::Handle" }\n',
    });
    await refused([dir], dir, /Demo\.Function has no method Handle\. Methods that could be handlers:/);
  });

  it('a handler not in Lambda form (Namespace.Class.Method)', async () => {
    const dir = project({
      'Demo.csproj': csproj('    <TargetFramework>net8.0</TargetFramework>', lambdaPackages),
      'Function.cs': handlerCs,
    });
    await refused(
      ['--handler', 'Demo.Function.FunctionHandler', dir],
      dir,
      /Assembly::Namespace\.Type::Method/,
    );
  });

  it('ambiguous overloads: lists them', async () => {
    const dir = project({
      'Demo.csproj': csproj('    <TargetFramework>net8.0</TargetFramework>', lambdaPackages),
      'Function.cs':
        'using Amazon.Lambda.Core;\nnamespace Demo;\npublic class Function\n{\n' +
        '    public string Run(string input, ILambdaContext context) => input;\n' +
        '    public int Run(int input, ILambdaContext context) => input;\n}\n',
    });
    const message = await refused(
      ['--handler', 'Demo::Demo.Function::Run', dir],
      dir,
      /is ambiguous: 2 overloads/,
    );
    assert.match(
      message,
      /Run\(string input, ILambdaContext context\).*\n.*Run\(int input, ILambdaContext context\)/,
    );
  });

  it('no handler named anywhere', async () => {
    const dir = project({
      'Demo.csproj': csproj('    <TargetFramework>net8.0</TargetFramework>', lambdaPackages),
      'Function.cs': handlerCs,
    });
    await refused([dir], dir, /No handler found.*--handler.*Demo::Demo\.Function::FunctionHandler/s);
  });

  it('a Main that does not start the Lambda runtime client', async () => {
    const dir = project({
      'Demo.csproj': csproj('    <TargetFramework>net8.0</TargetFramework>', lambdaPackages),
      'Function.cs': handlerCs,
      'Local.cs':
        'namespace Demo;\npublic static class Local\n{\n    public static void Main() => System.Console.WriteLine(new Function().Other("x"));\n}\n',
      'aws-lambda-tools-defaults.json': '{ "function-handler": "Demo::Demo.Function::FunctionHandler" }\n',
    });
    await refused([dir], dir, /Local\.cs:4 has a Main that does not start the Lambda runtime client/);
  });

  it('--runtime provided.al2 gets the catalogue refusal', async () => {
    const dir = copyFixture('empty-function');
    await refused(
      [join(dir, 'src/EmptyFunction'), '--runtime', 'provided.al2'],
      dir,
      /Amazon Linux 2 reached end of life.*provided\.al2023/s,
    );
  });

  it('several handlers on a managed runtime', async () => {
    const dir = copyFixture('sam-multi');
    await refused(
      [join(dir, 'src/HelloWorld'), '--runtime', 'dotnet10'],
      dir,
      /one executable cannot serve them.*provided\.al2023/s,
    );
  });

  it('an unknown architecture', async () => {
    const dir = copyFixture('empty-function');
    await refused(
      [join(dir, 'src/EmptyFunction'), '--architecture', 'arm'],
      dir,
      /Unknown --architecture 'arm'/,
    );
  });
});

describe('convert: usage', () => {
  it("--help lists the options from the settings table and convert's own", async () => {
    const { code, stdout } = await runCli(['--help']);
    assert.equal(code, 0);
    for (const flag of [
      '--runtime',
      '--architecture',
      '--client',
      '--json-types',
      '--reflection-types',
      '--handler',
      '--dry-run',
      '--force',
      '--yes',
    ]) {
      assert.ok(stdout.includes(flag), `${flag} in help`);
    }
  });

  it('an unknown option is a usage error (exit 2)', async () => {
    const { code, stderr } = await runCli(['--frobnicate']);
    assert.equal(code, 2);
    assert.match(stderr, /frobnicate/);
  });
});
