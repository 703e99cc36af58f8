import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { convert } from '../../src/convert/index.js';
import { project } from './helpers.js';

/**
 * Reflection JsonSerializer calls in the handler's code (issue 16): NativeAOT warns IL2026/IL3050 on them and they
 * throw at run time, so convert passes the source-generated context's metadata where it knows the type, and says
 * where it does not. The e2e (convert-blueprints, reflection-serializer) publishes and runs the result.
 */
const csproj =
  '<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n    <ImplicitUsings>enable</ImplicitUsings>\n  </PropertyGroup>\n' +
  '  <ItemGroup>\n    <PackageReference Include="Amazon.Lambda.Core" Version="3.2.0" />\n    <PackageReference Include="Amazon.Lambda.Serialization.SystemTextJson" Version="3.0.0" />\n  </ItemGroup>\n</Project>\n';
const tools = JSON.stringify({
  'function-runtime': 'dotnet8',
  'function-handler': 'Demo::Demo.Function::Handle',
});

function demo(functionCs: string, more: Record<string, string> = {}): string {
  return project({
    'Demo.csproj': csproj,
    'Function.cs': functionCs,
    'aws-lambda-tools-defaults.json': tools,
    'Models.cs':
      'namespace Demo.Models;\npublic record Order(string Id);\npublic record Total(string Id, decimal Sum);\n',
    ...more,
  });
}

const handler = (serializer: string, body: string): string =>
  `using Amazon.Lambda.Core;\nusing Demo.Models;\n[assembly: LambdaSerializer(typeof(${serializer}))]\nnamespace Demo;\n` +
  `public class Function\n{\n    public string Handle(string input, ILambdaContext context)\n    {\n${body}\n    }\n}\n`;

describe('convert: reflection JsonSerializer calls', () => {
  it('qualified calls in another namespace name the context with global::, and their types join it', async () => {
    const dir = demo(
      handler(
        'Amazon.Lambda.Serialization.SystemTextJson.DefaultLambdaJsonSerializer',
        '        return Helpers.Echo.Run(input);',
      ),
      {
        'Helpers.cs':
          'using Demo.Models;\nnamespace Demo.Helpers;\npublic static class Echo\n{\n    public static string Run(string text)\n    {\n' +
          '        Order order = System.Text.Json.JsonSerializer.Deserialize<Demo.Models.Order>(text)!;\n' +
          '        var total = new Total(order.Id, 1m);\n' +
          '        return System.Text.Json.JsonSerializer.Serialize(total);\n    }\n}\n',
      },
    );
    const outcome = await convert(dir, { force: true });
    assert.match(
      outcome.report,
      /note: Helpers\.cs:7, Helpers\.cs:9: JsonSerializer calls now pass LambdaFunctionJsonSerializerContext/,
    );
    const helpers = readFileSync(join(dir, 'Helpers.cs'), 'utf8');
    assert.match(
      helpers,
      /Deserialize<Demo\.Models\.Order>\(text, global::Demo\.LambdaFunctionJsonSerializerContext\.Default\.Order\)!;/,
    );
    assert.match(
      helpers,
      /Serialize\(total, global::Demo\.LambdaFunctionJsonSerializerContext\.Default\.Total\);/,
    );
    const context = readFileSync(join(dir, 'LambdaJsonContext.cs'), 'utf8');
    assert.match(context, /\[JsonSerializable\(typeof\(Demo\.Models\.Order\)\)\]/);
    assert.match(context, /\[JsonSerializable\(typeof\(Total\)\)\]/);
    // Total is written as the call site wrote it: the context file gains that file's usings to resolve it.
    assert.match(context, /^using Demo\.Models;$/m);
  });

  it('calls with options or a type info already, calls of an unknown type, and other JsonSerializer classes are left alone', async () => {
    const body = [
      '        var options = new System.Text.Json.JsonSerializerOptions();',
      '        var a = JsonSerializer.Deserialize<Order>(input, options);',
      '        var b = JsonSerializer.Serialize(Make());',
      '        return Newtonsoft.Json.JsonSerializer.Serialize(a) + b;',
    ].join('\n');
    const dir = demo(
      handler('Amazon.Lambda.Serialization.SystemTextJson.DefaultLambdaJsonSerializer', body)
        .replace('using Amazon.Lambda.Core;', 'using System.Text.Json;\nusing Amazon.Lambda.Core;')
        .replace(
          '    public string Handle',
          '    static Order Make() => new("x");\n    public string Handle',
        ),
    );
    const before = readFileSync(join(dir, 'Function.cs'), 'utf8');
    const outcome = await convert(dir, { force: true });
    assert.match(
      outcome.report,
      /note: Function\.cs:\d+: JsonSerializer\.Serialize uses reflection, which NativeAOT does not allow, and convert cannot tell its type/,
    );
    const after = readFileSync(join(dir, 'Function.cs'), 'utf8');
    const bodyOf = (text: string): string => text.slice(text.indexOf('static Order Make'));
    assert.equal(bodyOf(after), bodyOf(before), 'the calls are untouched');
    assert.doesNotMatch(readFileSync(join(dir, 'LambdaJsonContext.cs'), 'utf8'), /Order/);
  });

  it('JsonSerializer imported by a global using elsewhere in the project counts as System.Text.Json', async () => {
    const dir = demo(
      handler(
        'Amazon.Lambda.Serialization.SystemTextJson.DefaultLambdaJsonSerializer',
        '        return JsonSerializer.Deserialize<Order>(input)!.Id;',
      ),
      { 'GlobalUsings.cs': 'global using System.Text.Json;\n' },
    );
    await convert(dir, { force: true });
    assert.match(
      readFileSync(join(dir, 'Function.cs'), 'utf8'),
      /Deserialize<Order>\(input, LambdaFunctionJsonSerializerContext\.Default\.Order\)!\.Id;/,
    );
  });

  it('a camelCase context would change what the calls write: they stay, with a note saying why', async () => {
    const dir = demo(
      handler(
        'Amazon.Lambda.Serialization.SystemTextJson.CamelCaseLambdaJsonSerializer',
        '        return System.Text.Json.JsonSerializer.Serialize<Order>(new Order(input));',
      ),
    );
    const outcome = await convert(dir, { force: true });
    assert.match(
      outcome.report,
      /Function\.cs:9: JsonSerializer calls use reflection.*the JSON context has other options/,
    );
    assert.match(readFileSync(join(dir, 'Function.cs'), 'utf8'), /Serialize<Order>\(new Order\(input\)\);/);
  });

  it('with an existing Main, the calls get the context that Main already passes', async () => {
    const main =
      'using System.Text.Json;\nusing System.Text.Json.Serialization;\nusing Amazon.Lambda.Core;\nusing Amazon.Lambda.RuntimeSupport;\n' +
      'using Amazon.Lambda.Serialization.SystemTextJson;\nusing Demo.Models;\nnamespace Demo;\n' +
      'public static class Program\n{\n    public static async Task Main()\n    {\n' +
      '        Func<string, ILambdaContext, string> handler = (input, context) => JsonSerializer.Serialize(new Order(input), AppJson.Default.Order) + JsonSerializer.Deserialize<Total>(input)!.Id;\n' +
      '        await LambdaBootstrapBuilder.Create(handler, new SourceGeneratorLambdaJsonSerializer<AppJson>()).Build().RunAsync();\n    }\n}\n' +
      '[JsonSerializable(typeof(string))]\n[JsonSerializable(typeof(Order))]\npublic partial class AppJson : JsonSerializerContext\n{\n}\n';
    const dir = demo(main);
    await convert(dir, { force: true });
    const after = readFileSync(join(dir, 'Function.cs'), 'utf8');
    assert.match(after, /JsonSerializer\.Deserialize<Total>\(input, AppJson\.Default\.Total\)!\.Id;/);
    assert.match(
      after,
      /\[JsonSerializable\(typeof\(Order\)\)\]\n\[JsonSerializable\(typeof\(Total\)\)\]\npublic partial class AppJson/,
    );
  });
});
