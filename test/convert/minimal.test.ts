import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { convert } from '../../src/convert/index.js';
import { runtimeNamespace } from '../../src/convert/minimal-client.js';
import { packageUsage, replaceablePackages } from '../../src/convert/package-usage.js';
import { applyEdits } from '../../src/convert/splice.js';
import { renderTemplate } from '../../src/render/render-project.js';
import { buildSpec } from '../../src/spec.js';
import { completeSettings } from '../../src/settings.js';
import { copyFixture, fixturesRoot, project, refused, runCli, snapshot, tempDir } from './helpers.js';

/**
 * `convert --client minimal`: the built-in client's files come from the new-project templates, a converted project
 * stays converted (with or without --client), dry runs write nothing, and every handler the client cannot serve
 * is refused with the reason.
 */
const csproj = (extra = ''): string =>
  '<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n    <TargetFramework>net10.0</TargetFramework>\n' +
  '    <ImplicitUsings>enable</ImplicitUsings>\n    <Nullable>enable</Nullable>\n  </PropertyGroup>\n' +
  '  <ItemGroup>\n    <PackageReference Include="Amazon.Lambda.Core" Version="2.5.0" />\n  </ItemGroup>\n' +
  `${extra}</Project>\n`;

const handler = (signature: string, usings = 'using Demo.Runtime;'): string =>
  `${usings}\nnamespace Demo;\npublic class Function\n{\n    public ${signature} => throw new NotImplementedException();\n}\n`;

function demo(signature: string, usings?: string, extra: Record<string, string> = {}): string {
  return project({ 'Demo.csproj': csproj(), 'Function.cs': handler(signature, usings), ...extra });
}

const run = (dir: string): string[] => [dir, '--client', 'minimal', '--handler', 'Demo::Demo.Function::Run'];

describe('convert --client minimal: the built-in client', () => {
  it('writes Runtime/*.cs exactly as a new project renders them, in <RootNamespace>.Runtime', () => {
    const expected = join(fixturesRoot, 'minimal-multi/expected/src/Inventory/Runtime');
    const spec = {
      ...buildSpec(completeSettings({ name: 'Inventory', client: 'minimal' })),
      contextNamespace: 'Contoso.Inventory.Runtime',
    };
    const names = [
      'ILambdaContext',
      'LambdaContext',
      'LambdaError',
      'LambdaLogger',
      'LambdaRuntime',
      'Libc',
      'MinimalJsonEscaping',
      'RuntimeApiClient',
      'RuntimeApiSocket',
    ];
    assert.deepEqual(
      [...snapshot(expected).keys()],
      names.map((n) => `${n}.cs`),
    );
    for (const name of names) {
      assert.equal(
        readFileSync(join(expected, `${name}.cs`), 'utf8'),
        renderTemplate(`client/minimal/Runtime/${name}.cs.ejs`, spec),
        `${name}.cs`,
      );
    }
  });

  it('a project without implicit usings or nullable gets them written into the client files', () => {
    const text = readFileSync(join(fixturesRoot, 'minimal-client/expected/Runtime/LambdaRuntime.cs'), 'utf8');
    assert.match(text, /^#nullable enable\n\nusing System;\nusing System\.Buffers;\n/);
    assert.match(text, /using System\.Threading\.Tasks;\n\nnamespace Shipping\.Runtime;/);
  });

  it('a converted project is left alone by a second run without --client (the client is detected)', async () => {
    for (const [shape, target] of [
      ['minimal-client', '.'],
      ['minimal-multi', 'src/Inventory'],
    ] as const) {
      const dir = tempDir();
      cpSync(join(fixturesRoot, shape, 'expected'), dir, { recursive: true });
      const outcome = await convert(join(dir, target), { force: true });
      assert.equal(
        outcome.status,
        'unchanged',
        `${shape}: ${outcome.plan.changes.map((c) => c.path).join(', ')}`,
      );
    }
  });

  it('--dry-run prints the new client files and the removed references, and writes nothing', async () => {
    const dir = copyFixture('minimal-client');
    const before = snapshot(dir);
    const { code, stdout } = await runCli([dir, '--client', 'minimal', '--dry-run']);
    assert.equal(code, 0);
    assert.deepEqual(snapshot(dir), before, 'nothing written');
    assert.match(stdout, /^--- \/dev\/null\n\+\+\+ b\/Runtime\/LambdaRuntime\.cs$/m);
    assert.match(stdout, /^--- \/dev\/null\n\+\+\+ b\/Program\.cs$/m);
    assert.match(stdout, /^\+ +LambdaRuntime\.RunAsync<Parcel, Quote>\($/m);
    assert.match(stdout, /^- +<PackageReference Include="Amazon\.Lambda\.Core" Version="2\.5\.0" \/>$/m);
    assert.match(stdout, /^-\[assembly: LambdaSerializer\(typeof\(CamelCaseLambdaJsonSerializer\)\)\]$/m);
    assert.match(stdout, /^\+ +BuildMethod: dotnet7$/m);
    assert.match(
      stdout,
      /note: removed the references to Amazon\.Lambda\.Serialization\.SystemTextJson, Amazon\.Lambda\.Core/,
    );
  });

  it('maps the handler shapes the client takes: exact, without context, ValueTask, static', async () => {
    const cases: [string, RegExp][] = [
      ['Task<string> Run(string input, ILambdaContext context)', /static \(\) => new Function\(\)\.Run,/],
      ['string Run(string input)', /return \(input, context\) => function\.Run\(input\);/],
      [
        'ValueTask<string> Run(string input, ILambdaContext context)',
        /return async \(input, context\) => await function\.Run\(input, context\);/,
      ],
      ['static string Run(string input, ILambdaContext context)', /static \(\) => Function\.Run,/],
    ];
    for (const [signature, pattern] of cases) {
      const dir = demo(signature);
      const { code, stderr } = await runCli([...run(dir), '--force']);
      assert.equal(code, 0, stderr);
      const program = readFileSync(join(dir, 'Program.cs'), 'utf8');
      assert.match(program, pattern, signature);
      assert.match(program, /LambdaRuntime\.RunAsync<string, string>\(/);
      assert.match(program, /^using Demo\.Runtime;$/m);
    }
  });

  it('accepts the client context written qualified beside Amazon.Lambda.Core, which stays while used', async () => {
    const dir = demo(
      'string Run(string input, Demo.Runtime.ILambdaContext context)',
      'using Amazon.Lambda.Core;\n\n[assembly: LambdaSerializer(typeof(object))]\n',
      {
        'Log.cs':
          'using Amazon.Lambda.Core;\nnamespace Demo;\nstatic class Log\n{\n    public static void Write(string m) => LambdaLogger.Log(m);\n}\n',
      },
    );
    const { code, stderr } = await runCli([...run(dir), '--force']);
    assert.equal(code, 0, stderr);
    assert.match(readFileSync(join(dir, 'Demo.csproj'), 'utf8'), /Include="Amazon\.Lambda\.Core"/);
    assert.match(readFileSync(join(dir, 'Log.cs'), 'utf8'), /^using Amazon\.Lambda\.Core;$/m);
    assert.doesNotMatch(readFileSync(join(dir, 'Function.cs'), 'utf8'), /LambdaSerializer/);
  });
});

describe('convert --client minimal: refusals', () => {
  it("a handler taking Amazon.Lambda.Core's ILambdaContext: explains, offers runtime-support or the one-line move", async () => {
    const dir = copyFixture('empty-function');
    const message = await refused(
      [join(dir, 'src/EmptyFunction'), '--client', 'minimal'],
      dir,
      /takes Amazon\.Lambda\.Core's ILambdaContext, which only Amazon\.Lambda\.RuntimeSupport provides/,
      { emptyStdout: false },
    );
    assert.match(message, /--client runtime-support/);
    assert.match(message, /replace 'using Amazon\.Lambda\.Core;' with 'using EmptyFunction\.Runtime;'/);
    assert.match(message, /TestLambdaContext/);
  });

  it('Stream input or output', async () => {
    let dir = demo('string Run(Stream input)');
    await refused(run(dir), dir, /reads a Stream\. The built-in client.*--client runtime-support/s, {
      emptyStdout: false,
    });
    dir = demo('Stream Run(string input)');
    await refused(run(dir), dir, /returns a Stream/, { emptyStdout: false });
  });

  it('no event, or no result', async () => {
    let dir = demo('string Run(ILambdaContext context)');
    await refused(run(dir), dir, /takes no event.*LambdaRuntime\.RunAsync<TInput, TOutput>/s, {
      emptyStdout: false,
    });
    dir = demo('Task Run(string input, ILambdaContext context)');
    await refused(run(dir), dir, /returns no result \(Task\)/, { emptyStdout: false });
    dir = project({
      'Demo.csproj': csproj(),
      'Function.cs': 'namespace Demo;\npublic class Function\n{\n    public void Run(string input) { }\n}\n',
    });
    await refused(run(dir), dir, /returns no result \(void\)/, { emptyStdout: false });
  });

  it('a project with its own Main (it is not rewritten)', async () => {
    const dir = copyFixture('custom-runtime');
    await refused(
      [dir, '--client', 'minimal'],
      dir,
      /already has a Main.*does not rewrite an existing Main/s,
      { emptyStdout: false },
    );
  });

  it('switching a converted project back to runtime-support', async () => {
    const dir = tempDir();
    cpSync(join(fixturesRoot, 'minimal-client/expected'), dir, { recursive: true });
    await refused([dir, '--client', 'runtime-support'], dir, /does not switch a project between clients/, {
      emptyStdout: false,
    });
  });

  it('a type that clashes with the client namespace, and a foreign Runtime/ file', async () => {
    let dir = demo('string Run(string input)', '', {
      'Clock.cs': 'namespace Demo;\npublic static class Runtime { }\n',
    });
    await refused(run(dir), dir, /Clock\.cs declares Demo\.Runtime, which clashes.*<RootNamespace>/s, {
      emptyStdout: false,
    });
    dir = demo('string Run(string input)', '', {
      'Runtime/LambdaLogger.cs': 'namespace Elsewhere;\npublic class Mine { }\n',
    });
    await refused(run(dir), dir, /already has Runtime\/LambdaLogger\.cs.*Move it/s, { emptyStdout: false });
  });
});

describe('convert --client minimal: helpers', () => {
  it('runtime namespace: RootNamespace, else the project name, made a valid C# namespace', () => {
    assert.equal(runtimeNamespace('Contoso.Inventory', 'Inventory'), 'Contoso.Inventory.Runtime');
    assert.equal(runtimeNamespace(undefined, 'my-func'), 'my_func.Runtime');
    assert.equal(runtimeNamespace(undefined, '2fa.Service'), '_2fa.Service.Runtime');
    assert.equal(runtimeNamespace('$(MSBuildProjectName)', 'Orders'), 'Orders.Runtime');
    assert.equal(runtimeNamespace('Shop.class', 'X'), 'Shop.@class.Runtime');
  });

  it('package usage: a using stays where its types are named, goes where nothing needs it', async () => {
    const files = [
      { path: 'A.cs', text: 'using Amazon.Lambda.Core;\n\nnamespace A;\nclass A { }\n' },
      {
        path: 'B.cs',
        text: '// Amazon.Lambda.Core is mentioned in a comment only\nusing Amazon.Lambda.Core;\nclass B { ILambdaLogger? l; }\n',
      },
      { path: 'C.cs', text: 'using X.Runtime;\nclass C { ILambdaContext? c; }\n' },
    ];
    const usage = await packageUsage(files, replaceablePackages, []);
    assert.deepEqual(usage.unused, [
      'Amazon.Lambda.RuntimeSupport',
      'Amazon.Lambda.Serialization.SystemTextJson',
    ]);
    assert.equal(
      applyEdits(files[0]?.text as string, usage.edits.get('A.cs') ?? []),
      'namespace A;\nclass A { }\n',
    );
    assert.equal(usage.edits.has('B.cs'), false);

    const none = await packageUsage(
      [files[0] as { path: string; text: string }, files[2] as { path: string; text: string }],
      replaceablePackages,
      [],
    );
    assert.ok(
      none.unused.includes('Amazon.Lambda.Core'),
      'a simple ILambdaContext from another namespace is not a use',
    );
    const global = await packageUsage([files[0] as { path: string; text: string }], replaceablePackages, [
      'Amazon.Lambda.Core',
    ]);
    assert.ok(!global.unused.includes('Amazon.Lambda.Core'), '<Using Include> keeps the package');
  });
});
