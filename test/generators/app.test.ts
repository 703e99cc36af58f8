import assert from 'node:assert/strict';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { frameworks } from '../../src/catalog/frameworks.js';
import { aspNetCoreTestingVersions, nugetVersions } from '../../src/catalog/packages.js';
import { functionTemplates } from '../../src/catalog/templates.js';
import { completeSettings, settingsTable } from '../../src/settings.js';
import { buildSpec, type ReflectionStub } from '../../src/spec.js';
import { generate, tempDir, type Generated } from '../helpers/generate.js';
import { parseCfnYaml, parseXml } from '../helpers/parse.js';

type Props = Record<string, unknown>;

/** The csproj's properties, from every PropertyGroup. */
function csprojProperties(g: Generated, name: string): Props {
  const doc = parseXml(g.read(`src/${name}/${name}.csproj`)) as {
    Project: { PropertyGroup: Props | Props[] };
  };
  const groups = ([] as Props[]).concat(doc.Project.PropertyGroup);
  return Object.assign({}, ...groups);
}

function packageReferences(g: Generated, name: string): Record<string, string> {
  const doc = parseXml(g.read(`src/${name}/${name}.csproj`)) as { Project: { ItemGroup?: Props | Props[] } };
  const refs: Record<string, string> = {};
  for (const group of ([] as Props[]).concat(doc.Project.ItemGroup ?? [])) {
    for (const ref of ([] as Props[]).concat((group.PackageReference as Props | Props[] | undefined) ?? [])) {
      refs[ref['@Include'] as string] = ref['@Version'] as string;
    }
  }
  return refs;
}

function samFunction(g: Generated): Props {
  const template = parseCfnYaml(g.read('template.yaml')) as {
    Resources: Record<string, { Type: string; Properties: Props }>;
  };
  return (template.Resources.Function as { Properties: Props }).Properties;
}

/** Every generated file of a structured format parses. */
function assertAllParse(g: Generated): void {
  for (const [path, text] of g.files) {
    if (/\.(csproj|xml|props|targets)$/.test(path)) parseXml(text);
    else if (/\.json$/.test(path) || path === '.yo-rc.json') JSON.parse(text);
    else if (/\.ya?ml$/.test(path)) parseCfnYaml(text);
  }
}

describe('aot-lambda:app through options (non-interactive)', () => {
  it('writes the complete default project and asks nothing', async () => {
    const g = await generate({ name: 'Orders', yes: true });
    assert.equal(g.result.askedQuestions.length, 0);
    assert.deepEqual(
      [...g.files.keys()],
      [
        '.dockerignore',
        '.editorconfig',
        '.github/workflows/ci.yml',
        '.gitignore',
        '.yo-rc.json',
        'Dockerfile',
        'Orders.sln',
        'README.md',
        'events/event.json',
        'scripts/build.sh',
        'scripts/deploy.sh',
        'scripts/package.sh',
        'src/Orders/Function.cs',
        'src/Orders/LambdaJsonContext.cs',
        'src/Orders/Orders.csproj',
        'src/Orders/aws-lambda-tools-defaults.json',
        'template.yaml',
        'test/Orders.Tests/FunctionTests.cs',
        'test/Orders.Tests/Orders.Tests.csproj',
      ],
    );
    assertAllParse(g);
    const props = csprojProperties(g, 'Orders');
    assert.equal(props.OutputType, 'Exe');
    assert.equal(props.PublishAot, 'true');
    assert.equal(props.StripSymbols, 'true');
    assert.equal(props.InvariantGlobalization, 'true');
    assert.equal(props.TargetFramework, 'net10.0');
    assert.equal(props.RuntimeIdentifier, 'linux-x64');
    assert.equal(props.AssemblyName, 'bootstrap');
    const stored = JSON.parse(g.read('.yo-rc.json'))['generator-aot-lambda'];
    assert.deepEqual(Object.keys(stored).sort(), settingsTable.map((s) => s.key).sort());
    assert.equal(stored.name, 'Orders');
    for (const script of ['build', 'package', 'deploy']) {
      assert.match(g.read(`scripts/${script}.sh`), /^#!\/usr\/bin\/env bash\n(#.*\n)*set -euo pipefail$/m);
      assert.equal(g.mode(`scripts/${script}.sh`), 0o755);
    }
    assert.match(g.read('Orders.sln'), /"Orders", "src[\\/]Orders[\\/]Orders\.csproj"/);
    assert.match(g.read('Orders.sln'), /"Orders\.Tests", "test[\\/]Orders\.Tests[\\/]Orders\.Tests\.csproj"/);
    assert.match(g.read('.gitignore'), /^bin\/$/m);
    assert.match(g.read('.editorconfig'), /root = true/);
    assert.match(g.read('README.md'), /dotnet test Orders\.sln/);
  });

  it('framework: TargetFramework, build image and CI SDK follow it', async () => {
    for (const [tfm, version] of [
      ['net8.0', '8.0'],
      ['net9.0', '9.0'],
      ['net10.0', '10.0'],
    ] as const) {
      const g = await generate({ name: 'Fw', yes: true, framework: tfm });
      assert.equal(csprojProperties(g, 'Fw').TargetFramework, tfm);
      assert.match(
        g.read('Dockerfile'),
        new RegExp(`public\\.ecr\\.aws/sam/build-dotnet${version.split('.')[0]}:latest-x86_64 AS build`),
      );
      assert.match(g.read('.github/workflows/ci.yml'), new RegExp(`dotnet-version: "${version}\\.x"`));
      const tests = parseXml(g.read('test/Fw.Tests/Fw.Tests.csproj')) as {
        Project: { PropertyGroup: Props | Props[] };
      };
      assert.equal(
        Object.assign({}, ...([] as Props[]).concat(tests.Project.PropertyGroup)).TargetFramework,
        tfm,
      );
    }
  });

  it('architecture: RID, Docker platform and tag, SAM Architectures, deploy --architectures', async () => {
    const g = await generate({ name: 'Arm', yes: true, architecture: 'arm64' });
    assert.equal(csprojProperties(g, 'Arm').RuntimeIdentifier, 'linux-arm64');
    assert.match(
      g.read('Dockerfile'),
      /FROM --platform=linux\/arm64 public\.ecr\.aws\/sam\/build-dotnet10:latest-arm64 AS build/,
    );
    assert.match(g.read('Dockerfile'), /-r linux-arm64/);
    assert.deepEqual(samFunction(g).Architectures, ['arm64']);
    assert.match(g.read('scripts/deploy.sh'), /^architecture='arm64'$/m);
    assert.match(g.read('scripts/deploy.sh'), /--architectures "\$architecture"/);
    assert.match(g.read('.github/workflows/ci.yml'), /runs-on: ubuntu-24\.04-arm/);
  });

  it('runtime provided.al2023: executable bootstrap, handler bootstrap', async () => {
    const g = await generate({ name: 'Custom', yes: true, runtime: 'provided.al2023' });
    assert.equal(csprojProperties(g, 'Custom').AssemblyName, 'bootstrap');
    assert.equal(samFunction(g).Handler, 'bootstrap');
    assert.equal(samFunction(g).Runtime, 'provided.al2023');
    const defaults = JSON.parse(g.read('src/Custom/aws-lambda-tools-defaults.json'));
    assert.equal(defaults['function-runtime'], 'provided.al2023');
    assert.equal(defaults['function-handler'], 'bootstrap');
    // As in AWS's own NativeAOT templates, self-contained; no .dbg beside the executable, so Amazon.Lambda.Tools
    // zips the executable alone, as scripts/package.sh does.
    assert.equal(
      defaults['msbuild-parameters'],
      '--self-contained true /p:CopyOutputSymbolsToPublishDirectory=false',
    );
    assert.equal(defaults['function-name'], 'Custom');
    assert.equal(defaults['package-type'], 'Zip');
    // The build image scripts/build.sh's Dockerfile uses.
    assert.equal(defaults['container-image-for-build'], 'public.ecr.aws/sam/build-dotnet10:latest-x86_64');
    assert.match(
      g.read('Dockerfile'),
      /^FROM --platform=linux\/amd64 public\.ecr\.aws\/sam\/build-dotnet10:latest-x86_64 AS build$/m,
    );
    assert.equal(csprojProperties(g, 'Custom').AWSProjectType, 'Lambda');
    const readme = g.read('README.md');
    const section = readme.slice(readme.indexOf('### Or with Amazon.Lambda.Tools'));
    assert.match(section, /^cd src\/Custom$/m);
    assert.match(section, /^dotnet lambda package --output-package \.\.\/\.\.\/artifacts\/Custom\.zip /m);
    assert.match(section, /^dotnet lambda deploy-function --function-role /m);
    assert.match(section, /--self-contained true \/p:CopyOutputSymbolsToPublishDirectory=false/);
  });

  it('Amazon.Lambda.Tools with image packaging: builds the root Dockerfile, tags the local image', async () => {
    const g = await generate({ name: 'Tools.Img', yes: true, packaging: 'image', architecture: 'arm64' });
    const defaults = JSON.parse(g.read('src/Tools.Img/aws-lambda-tools-defaults.json'));
    assert.deepEqual(
      [
        defaults['package-type'],
        defaults.dockerfile,
        defaults['docker-build-working-dir'],
        defaults['image-tag'],
      ],
      ['Image', '../../Dockerfile', '../..', 'tools-img:latest'],
    );
    assert.equal(defaults['function-name'], 'Tools-Img');
    assert.equal(defaults['container-image-for-build'], 'public.ecr.aws/sam/build-dotnet10:latest-arm64');
    assert.doesNotMatch(g.read('README.md'), /^dotnet lambda package/m);
    assert.match(g.read('README.md'), /^dotnet lambda deploy-function .*builds \.\.\/\.\.\/Dockerfile/m);
  });

  for (const runtime of ['dotnet10', 'dotnet8']) {
    it(`runtime ${runtime}: handler is the assembly name, self-contained publish`, async () => {
      const g = await generate({ name: 'Managed', yes: true, runtime });
      const props = csprojProperties(g, 'Managed');
      assert.equal(props.AssemblyName ?? 'Managed', 'Managed');
      assert.equal(samFunction(g).Handler, 'Managed');
      assert.equal(samFunction(g).Runtime, runtime);
      const defaults = JSON.parse(g.read('src/Managed/aws-lambda-tools-defaults.json'));
      assert.equal(defaults['function-runtime'], runtime);
      assert.equal(defaults['function-handler'], 'Managed');
      assert.match(defaults['msbuild-parameters'], /--self-contained true/);
      assert.match(g.read('scripts/deploy.sh'), new RegExp(`--runtime '${runtime}' --handler 'Managed'`));
    });
  }

  it('client runtime-support: RuntimeSupport + source-generated serializer, versions from the catalogue', async () => {
    const g = await generate({ name: 'Rs', yes: true, client: 'runtime-support' });
    const refs = packageReferences(g, 'Rs');
    assert.equal(refs['Amazon.Lambda.RuntimeSupport'], nugetVersions['Amazon.Lambda.RuntimeSupport']);
    assert.equal(
      refs['Amazon.Lambda.Serialization.SystemTextJson'],
      nugetVersions['Amazon.Lambda.Serialization.SystemTextJson'],
    );
    assert.match(g.read('src/Rs/Function.cs'), /LambdaBootstrapBuilder\s*\.Create<string, string>\(/);
    assert.match(g.read('src/Rs/Function.cs'), /SourceGeneratorLambdaJsonSerializer<LambdaJsonContext>/);
    assert.ok(![...g.files.keys()].some((p) => p.includes('/Runtime/')));
  });

  it('client minimal: the built-in client, no Amazon.Lambda package', async () => {
    const g = await generate({ name: 'Mini', yes: true, client: 'minimal' });
    assert.deepEqual(
      Object.keys(packageReferences(g, 'Mini')).filter((p) => p.startsWith('Amazon.')),
      [],
    );
    const runtimeFiles = [...g.files.keys()].filter((p) => p.startsWith('src/Mini/Runtime/'));
    assert.ok(runtimeFiles.length >= 2, `runtime files: ${runtimeFiles.join(', ')}`);
    const client = runtimeFiles.map((p) => g.read(p)).join('\n');
    // HTTP/1.1 over a socket: HttpClient's TLS stack would double the executable (bench/results).
    assert.doesNotMatch(client, /new HttpClient|SocketsHttpHandler|using System\.Net\.Http/);
    for (const needle of [
      'Libc.Connect',
      '/runtime/invocation/next',
      '/response',
      '/error',
      '/runtime/init/error',
      'Lambda-Runtime-Function-Error-Type',
      'Lambda-Runtime-Deadline-Ms',
      '_X_AMZN_TRACE_ID',
    ]) {
      assert.ok(client.includes(needle), `the minimal client mentions ${needle}`);
    }
    assert.match(g.read('src/Mini/Function.cs'), /using Mini\.Runtime;/);
    assert.doesNotMatch(g.read('src/Mini/Function.cs'), /Amazon\.Lambda/);
  });

  for (const template of functionTemplates.filter((t) => !t.refusedClients?.minimal)) {
    it(`template ${template.id}: handler types and the sample event`, async () => {
      const g = await generate({ name: 'Tpl', yes: true, template: template.id, client: 'minimal' });
      assert.deepEqual(JSON.parse(g.read('events/event.json')), template.sampleEvent);
      const fn = g.read('src/Tpl/Function.cs');
      assert.match(
        fn,
        new RegExp(
          `public (async )?(Task<)?${template.outputType}>? FunctionHandler\\(${template.inputType}\\?? \\w+, ILambdaContext context\\)`,
        ),
      );
      const context = g.read('src/Tpl/LambdaJsonContext.cs');
      for (const type of new Set([template.inputType, template.outputType])) {
        assert.match(context, new RegExp(`\\[JsonSerializable\\(typeof\\(${type}\\)\\)\\]`));
      }
      for (const model of template.modelTypes)
        assert.match(g.read('src/Tpl/Models.cs'), new RegExp(`(record|class) ${model}\\b`));
      if (template.id === 'http-api') {
        assert.deepEqual((samFunction(g).Events as Props).Hello, {
          Type: 'HttpApi',
          Properties: { Path: '/hello', Method: 'GET' },
        });
      }
    });
  }

  it('http-api with RuntimeSupport: AWS event types (Amazon.Lambda.APIGatewayEvents), no own models; same sample event', async () => {
    const g = await generate({ name: 'Http', yes: true, template: 'http-api' });
    const fn = g.read('src/Http/Function.cs');
    assert.match(fn, /^using Amazon\.Lambda\.APIGatewayEvents;$/m);
    assert.match(
      fn,
      /public APIGatewayHttpApiV2ProxyResponse FunctionHandler\(APIGatewayHttpApiV2ProxyRequest\? request, ILambdaContext context\)/,
    );
    assert.match(fn, /\.Create<APIGatewayHttpApiV2ProxyRequest, APIGatewayHttpApiV2ProxyResponse>\(/);
    assert.equal(g.files.has('src/Http/Models.cs'), false);
    assert.doesNotMatch(fn + g.read('test/Http.Tests/FunctionTests.cs'), /\bHttpApi(Request|Response)\b/);
    const context = g.read('src/Http/LambdaJsonContext.cs');
    assert.match(context, /^using Amazon\.Lambda\.APIGatewayEvents;$/m);
    assert.match(context, /\[JsonSerializable\(typeof\(APIGatewayHttpApiV2ProxyRequest\)\)\]/);
    assert.equal(packageReferences(g, 'Http')['Amazon.Lambda.APIGatewayEvents'], '3.0.0');
    const template = functionTemplates.find((t) => t.id === 'http-api');
    assert.deepEqual(JSON.parse(g.read('events/event.json')), template?.sampleEvent);
  });

  it('webapi: an ASP.NET Core minimal API on the Lambda hosting, with its endpoints, events, SAM route and tests', async () => {
    const g = await generate({ name: 'Shop', yes: true, template: 'webapi' });
    assertAllParse(g);
    const files = [...g.files.keys()];
    assert.deepEqual(
      files.filter((f) => /^(src|test|events)\//.test(f)),
      [
        'events/event.json',
        'events/greet-formal.json',
        'events/post-greetings-invalid.json',
        'events/post-greetings.json',
        'src/Shop/Greeters.cs',
        'src/Shop/LambdaJsonContext.cs',
        'src/Shop/Models.cs',
        'src/Shop/Program.cs',
        'src/Shop/Shop.csproj',
        'src/Shop/aws-lambda-tools-defaults.json',
        'test/Shop.Tests/ApiTests.cs',
        'test/Shop.Tests/Shop.Tests.csproj',
      ],
    );
    const doc = parseXml(g.read('src/Shop/Shop.csproj')) as { Project: Props };
    assert.equal(doc.Project['@Sdk'], 'Microsoft.NET.Sdk.Web');
    const props = csprojProperties(g, 'Shop');
    assert.equal(props.PublishAot, 'true');
    assert.equal(props.TrimMode, undefined, "NativeAOT's default full trimming");
    assert.equal(props.AssemblyName, 'bootstrap');
    assert.equal(packageReferences(g, 'Shop')['Amazon.Lambda.AspNetCoreServer.Hosting'], '2.1.0');
    const program = g.read('src/Shop/Program.cs');
    assert.match(program, /WebApplication\.CreateSlimBuilder\(args\)/);
    // The hosting listens for the same event source the SAM template declares.
    assert.match(
      program,
      /AddAWSLambdaHosting\(\s*LambdaEventSource\.HttpApi,\s*new SourceGeneratorLambdaJsonSerializer<LambdaJsonContext>\(\)\)/,
    );
    assert.deepEqual((samFunction(g).Events as Props).Api, {
      Type: 'HttpApi',
      Properties: { Path: '/{proxy+}', Method: 'ANY' },
    });
    for (const route of [
      'MapGet("/hello/{name}"',
      'MapPost("/greetings"',
      'MapGet("/greeters/{style}/{name}"',
    ])
      assert.ok(program.includes(route), route);
    const context = g.read('src/Shop/LambdaJsonContext.cs');
    const types = [...context.matchAll(/^\[JsonSerializable\(typeof\((.+?)\)\)\]$/gm)].map((m) => m[1]);
    assert.deepEqual(types, [
      'APIGatewayHttpApiV2ProxyRequest',
      'APIGatewayHttpApiV2ProxyResponse',
      'Greeting',
      'GreetingRequest',
      'Greeting[]',
    ]);
    // The reflection is kept by DynamicDependency for each greeter the code finds by name.
    const greeters = g.read('src/Shop/Greeters.cs');
    for (const type of ['FriendlyGreeter', 'FormalGreeter'])
      assert.match(
        greeters,
        new RegExp(
          `\\[DynamicDependency\\(DynamicallyAccessedMemberTypes\\.PublicParameterlessConstructor, typeof\\(${type}\\)\\)\\]`,
        ),
      );
    const tests = parseXml(g.read('test/Shop.Tests/Shop.Tests.csproj')) as {
      Project: { ItemGroup: Props[] };
    };
    const testRefs = tests.Project.ItemGroup.flatMap((i) =>
      ([] as Props[]).concat((i.PackageReference as Props[]) ?? []),
    );
    assert.ok(
      testRefs.some(
        (r) => r['@Include'] === 'Microsoft.AspNetCore.Mvc.Testing' && r['@Version'] === '10.0.15',
      ),
    );
    assert.match(g.read('README.md'), /^- `src\/Shop\/Program\.cs`: the ASP\.NET Core minimal API/m);
    assert.doesNotMatch(g.read('README.md'), /Function\.cs/);
    const template = functionTemplates.find((t) => t.id === 'webapi');
    const apiTests = g.read('test/Shop.Tests/ApiTests.cs');
    for (const more of template?.moreEvents ?? []) {
      assert.deepEqual(JSON.parse(g.read(`events/${more.file}`)), more.event);
      assert.ok(apiTests.includes(`{ "${more.file}", ${more.status}, `), `ApiTests replays ${more.file}`);
    }
  });

  it('webapi: the ASP.NET Core test package follows the framework', async () => {
    for (const [tfm, version] of [
      ['net8.0', '8.0.34'],
      ['net9.0', '9.0.23'],
    ] as const) {
      const g = await generate({ name: 'Fw', yes: true, template: 'webapi', framework: tfm });
      assert.match(
        g.read('test/Fw.Tests/Fw.Tests.csproj'),
        new RegExp(
          `<PackageReference Include="Microsoft\\.AspNetCore\\.Mvc\\.Testing" Version="${version.replace(/\./g, '\\.')}" />`,
        ),
      );
    }
    // Every framework has one, from its own ASP.NET Core line (a 10.x package does not restore on net8.0).
    for (const framework of frameworks)
      assert.ok(
        aspNetCoreTestingVersions[framework.tfm]?.startsWith(`${framework.version.split('.')[0]}.`),
        framework.tfm,
      );
  });

  it('json-types: one attribute per distinct type, Task<T> unwrapped, handler types included, stubs for new names', async () => {
    const g = await generate({
      name: 'Json',
      yes: true,
      template: 'typed',
      'json-types': 'Order, Task<Order>, List<Order>, Dictionary<string, List<int[]>>, Response, int?',
    });
    const context = g.read('src/Json/LambdaJsonContext.cs');
    const types = [...context.matchAll(/^\[JsonSerializable\(typeof\((.+?)\)\)\]$/gm)].map((m) => m[1]);
    assert.deepEqual(types, [
      'Request',
      'Response',
      'Order',
      'List<Order>',
      'Dictionary<string, List<int[]>>',
      'int?',
    ]);
    assert.match(g.read('src/Json/JsonTypes.cs'), /record Order\b/);
    assert.doesNotMatch(g.read('src/Json/JsonTypes.cs'), /record (List|Dictionary|Response)\b/);
  });

  it('reflection-types: rd.xml with one entry per type, referenced from the csproj; none given -> no rd.xml', async () => {
    const g = await generate({
      name: 'Refl',
      yes: true,
      'reflection-types': 'Refl.Plugins.Audit, Other.Lib!Other.Lib.Thing, Refl.Plugins.Audit',
    });
    const rd = parseXml(g.read('src/Refl/rd.xml')) as {
      Directives: { Application: { Assembly: Props | Props[] } };
    };
    const assemblies = ([] as Props[]).concat(rd.Directives.Application.Assembly);
    const entries = assemblies.flatMap((a) =>
      ([] as Props[])
        .concat(a.Type as Props | Props[])
        .map((t) => `${a['@Name'] as string}!${t['@Name'] as string}:${t['@Dynamic'] as string}`),
    );
    assert.deepEqual(entries.sort(), [
      'Other.Lib!Other.Lib.Thing:Required All',
      'bootstrap!Refl.Plugins.Audit:Required All',
    ]);
    assert.ok(
      assemblies.every((a) => a.Type !== undefined),
      'never a whole assembly',
    );
    assert.match(g.read('src/Refl/Refl.csproj'), /<RdXmlFile Include="rd\.xml" \/>/);
    // The own-assembly type does not exist yet: a placeholder class, so the first publish finds it. The other
    // assembly's type is the user's to reference, and a warning says so.
    const stubs = g.read('src/Refl/ReflectionTypes.cs');
    assert.match(stubs, /^namespace Refl\.Plugins;\n\npublic sealed class Audit\n\{\n\}\n$/m);
    assert.doesNotMatch(stubs, /Thing/);
    assert.match(g.read('README.md'), /^- `src\/Refl\/ReflectionTypes\.cs`: placeholder classes/m);
    const spec = buildSpec(
      completeSettings({ name: 'Refl', reflectionTypes: 'Refl.Plugins.Audit, Other.Lib!Other.Lib.Thing' }),
    );
    assert.deepEqual(
      spec.warnings.filter((w) => w.includes('Other.Lib')).map((w) => w.slice(0, 101)),
      [
        "--reflection-types: the project does not reference the assembly 'Other.Lib' (of Other.Lib.Thing); add",
      ],
    );
    const none = await generate({ name: 'NoRefl', yes: true });
    assert.ok(!none.files.has('src/NoRefl/rd.xml'));
    assert.doesNotMatch(none.read('src/NoRefl/NoRefl.csproj'), /RdXmlFile/);
  });

  it('reflection-types stubs: nested and generic own types, keywords escaped, generated types left alone, framework assemblies not warned about', () => {
    const spec = buildSpec(
      completeSettings({
        name: 'Refl',
        template: 'typed',
        runtime: 'dotnet10',
        reflectionTypes:
          'Refl.Request, Refl.Function+Helper, Refl.Plugins.Outer+Inner, Refl.Plugins.Gen`2, Refl.event.Handler, Top, ' +
          'Refl!Refl.Plugins.Outer+Other, System.Private.CoreLib!System.Uri, Amazon.Lambda.Core!Amazon.Lambda.Core.ILambdaContext',
      }),
    );
    const show = (t: ReflectionStub): string =>
      `${t.name}${t.typeParameters.length ? `<${t.typeParameters.join(',')}>` : ''}${t.nested.length ? `{${t.nested.map(show).join(' ')}}` : ''}`;
    assert.deepEqual(
      spec.reflectionStubs.map((ns) => `${ns.namespace}: ${ns.types.map(show).join(' ')}`),
      ['Refl.Plugins: Outer{Inner Other} Gen<T1,T2>', 'Refl.@event: Handler', ': Top'],
    );
    assert.deepEqual(
      spec.warnings.map((w) => w.slice(0, 88)),
      ['--reflection-types: Refl.Function+Helper is nested in Refl.Function, which the generator'],
    );
  });

  it('packaging zip: package.sh zips the executable at the root with mode 0755; SAM CodeUri points at it', async () => {
    const g = await generate({ name: 'Zipped', yes: true, packaging: 'zip' });
    assert.match(g.read('scripts/package.sh'), /chmod 0755 "\$exe"/);
    assert.match(g.read('scripts/package.sh'), /zip -j -X -q "\$zip_file" "\$exe"/);
    assert.equal(samFunction(g).CodeUri, 'artifacts/Zipped.zip');
    assert.doesNotMatch(g.read('Dockerfile'), /public\.ecr\.aws\/lambda\//);
  });

  it('packaging image: the final stage is the Lambda base image for the runtime', async () => {
    const custom = await generate({ name: 'Img', yes: true, packaging: 'image' });
    const last = (text: string): string => (text.match(/^FROM .*$/gm) ?? []).at(-1) ?? '';
    assert.equal(
      last(custom.read('Dockerfile')),
      'FROM --platform=linux/amd64 public.ecr.aws/lambda/provided:al2023-x86_64',
    );
    assert.match(custom.read('Dockerfile'), /\$\{LAMBDA_RUNTIME_DIR\}\/bootstrap/);
    assert.equal(samFunction(custom).PackageType, 'Image');
    const managed = await generate({
      name: 'Img2',
      yes: true,
      packaging: 'image',
      runtime: 'dotnet10',
      architecture: 'arm64',
    });
    assert.equal(
      last(managed.read('Dockerfile')),
      'FROM --platform=linux/arm64 public.ecr.aws/lambda/dotnet:10-arm64',
    );
    assert.match(managed.read('Dockerfile'), /CMD \["Img2"\]/);
  });

  it('template.yaml: a least-privilege role that may only write its own log group', async () => {
    const g = await generate({ name: 'Sam', yes: true });
    const template = parseCfnYaml(g.read('template.yaml')) as {
      Resources: Record<string, { Type: string; Properties: Props }>;
    };
    const role = template.Resources.FunctionRole as { Type: string; Properties: Props };
    assert.equal(role.Type, 'AWS::IAM::Role');
    assert.equal(role.Properties.ManagedPolicyArns, undefined);
    const statements = (role.Properties.Policies as { PolicyDocument: { Statement: Props[] } }[]).flatMap(
      (p) => p.PolicyDocument.Statement,
    );
    assert.deepEqual(statements, [
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': 'FunctionLogGroup.Arn' },
      },
    ]);
    assert.deepEqual(samFunction(g).Role, { 'Fn::GetAtt': 'FunctionRole.Arn' });
  });
});

describe('aot-lambda:app through answers (interactive)', () => {
  it('asks every setting not given and uses the answers', async () => {
    const g = await generate(
      {},
      {
        name: 'Asked',
        framework: 'net8.0',
        architecture: 'arm64',
        runtime: 'dotnet10',
        client: 'minimal',
        template: 'typed',
        jsonTypes: 'Order',
        reflectionTypes: '',
        packaging: 'image',
      },
    );
    assert.deepEqual(
      g.result.askedQuestions.map((q) => q.name).sort(),
      settingsTable.map((s) => s.key).sort(),
    );
    const props = csprojProperties(g, 'Asked');
    assert.equal(props.TargetFramework, 'net8.0');
    assert.equal(props.RuntimeIdentifier, 'linux-arm64');
    assert.equal(samFunction(g).PackageType, 'Image');
    assert.match(g.read('src/Asked/LambdaJsonContext.cs'), /typeof\(Order\)/);
  });

  it('asks only what options did not give', async () => {
    const g = await generate(
      { name: 'Partly', framework: 'net9.0', template: 'hello' },
      {
        architecture: 'x86_64',
        runtime: 'provided.al2023',
        client: 'minimal',
        jsonTypes: '',
        reflectionTypes: '',
        packaging: 'zip',
      },
    );
    assert.deepEqual(g.result.askedQuestions.map((q) => q.name).sort(), [
      'architecture',
      'client',
      'jsonTypes',
      'packaging',
      'reflectionTypes',
      'runtime',
    ]);
    assert.equal(csprojProperties(g, 'Partly').TargetFramework, 'net9.0');
  });

  it('re-run inside a generated folder reads .yo-rc.json and asks nothing already answered', async () => {
    const first = await generate({ name: 'Again', yes: true, architecture: 'arm64', client: 'minimal' });
    // yeoman-test removes a run's folder when the next run starts: keep a copy of the project to re-run in.
    const copy = join(tempDir(), 'Again');
    cpSync(first.root, copy, { recursive: true });
    const again = await generate({}, {}, copy);
    assert.deepEqual(again.result.askedQuestions, []);
    assert.equal(csprojProperties(again, 'Again').RuntimeIdentifier, 'linux-arm64');
    assert.deepEqual([...again.files.keys()], [...first.files.keys()]);
  });

  it('re-run with a changed setting asks before replacing an edited file the change affects, and obeys', async () => {
    const first = await generate({ name: 'Ask', yes: true });
    const pristine = join(tempDir(), 'Ask'); // yeoman-test removes the first run's folder when the next starts
    cpSync(first.root, pristine, { recursive: true });
    for (const overwrite of [false, true]) {
      const copy = join(tempDir(), 'Ask');
      cpSync(pristine, copy, { recursive: true });
      const edited = `${first.read('template.yaml')}# mine\n`;
      writeFileSync(join(copy, 'template.yaml'), edited);
      // yeoman-test passes --force unless told otherwise.
      const again = await generate({ architecture: 'arm64', force: false }, { overwrite }, copy);
      assert.deepEqual(
        again.result.askedQuestions.map((q) => q.name),
        ['overwrite'],
      );
      assert.match(again.read('Dockerfile'), /--platform=linux\/arm64/, 'unedited files follow the setting');
      if (overwrite) assert.deepEqual(samFunction(again).Architectures, ['arm64']);
      else assert.equal(again.read('template.yaml'), edited);
    }
  });
});

describe('aot-lambda:app refusals', () => {
  const cases: [Record<string, string | boolean>, RegExp][] = [
    [{ yes: true }, /Missing project name: pass it as the first argument/],
    [{ name: 'class', yes: true }, /'class' is a C# keyword/],
    [{ name: '1abc', yes: true }, /not a valid project name/],
    [{ name: 'a b', yes: true }, /not a valid project name/],
    [
      { name: 'Ok', yes: true, runtime: 'provided.al2' },
      /Amazon Linux 2 reached end of life.*provided\.al2023/,
    ],
    [
      { name: 'Ok', yes: true, framework: 'net7.0' },
      /Unknown --framework 'net7\.0'\. Valid values: net10\.0, net9\.0, net8\.0\./,
    ],
    [{ name: 'Ok', yes: true, 'json-types': 'List<' }, /--json-types: 'List<' is not a C# type name/],
    [{ name: 'Ok', yes: true, 'reflection-types': 'A!B C' }, /not a type name as rd\.xml expects it/],
  ];
  for (const [options, message] of cases) {
    it(`refuses ${JSON.stringify(options)}`, async () => {
      await assert.rejects(generate(options), message);
    });
  }
});
