import { join } from 'node:path';
import { templatesRoot } from '../paths.js';
import { aspNetCoreTestingVersions, nugetVersions, type PackageRef } from './packages.js';
import { externalTemplateFolder, loadTemplateFolder, type FunctionTemplate } from './template-manifest.js';

export type { ClientVariant, FunctionTemplate, SampleEvent } from './template-manifest.js';

/**
 * The built-in function templates, in the order prompts and help list them. Each is a folder under
 * templates/function/ in the documented template layout (aot-lambda-template.json naming its handler types, its
 * sample events, the response each must produce and its files): the generator writes the events, and the
 * generated project's tests and this project's end-to-end tests assert those responses — one source of truth.
 * What only a built-in template can say (NuGet packages from this package's catalogue, the client variants,
 * the MSBuild SDK, the API route) is added here.
 */
const builtInTemplateIds = ['hello', 'typed', 'http-api', 'webapi'] as const;

const apiGatewayEvents: PackageRef = {
  id: 'Amazon.Lambda.APIGatewayEvents',
  version: nugetVersions['Amazon.Lambda.APIGatewayEvents'],
};

type BuiltInExtras = Omit<
  Partial<FunctionTemplate>,
  'id' | 'description' | 'sampleEvent' | 'expectedResponse' | 'moreEvents' | 'root'
>;

const builtInExtras: Readonly<Record<(typeof builtInTemplateIds)[number], BuiltInExtras>> = {
  hello: {},
  typed: {},
  'http-api': {
    byClient: {
      // As AWS's samples: with the AWS libraries present, their event types; the own models stay for the
      // zero-dependency client.
      'runtime-support': {
        inputType: 'APIGatewayHttpApiV2ProxyRequest',
        outputType: 'APIGatewayHttpApiV2ProxyResponse',
        modelTypes: [],
        usings: ['Amazon.Lambda.APIGatewayEvents'],
        packages: [apiGatewayEvents],
      },
    },
    api: { eventName: 'Hello', path: '/hello', method: 'GET', hosting: 'HttpApi', urlPath: '/hello' },
  },
  webapi: {
    jsonTypes: ['Greeting', 'GreetingRequest', 'Greeting[]'],
    usings: ['Amazon.Lambda.APIGatewayEvents'],
    readmeLayout: [
      '`src/{name}/Program.cs`: the ASP.NET Core minimal API and its Lambda hosting (API Gateway HTTP API events).',
      '`src/{name}/Models.cs`: the endpoint types; `Greeters.cs`: classes found by name through reflection, kept in the native executable by `[DynamicDependency]`.',
      '`test/{name}.Tests/ApiTests.cs`: the API called in process (WebApplicationFactory), replaying every sample event.',
      '`events/*.json`: API Gateway HTTP API v2 sample events, one per endpoint, and an invalid request.',
    ],
    sdk: 'Microsoft.NET.Sdk.Web',
    packages: [
      {
        id: 'Amazon.Lambda.AspNetCoreServer.Hosting',
        version: nugetVersions['Amazon.Lambda.AspNetCoreServer.Hosting'],
      },
      apiGatewayEvents,
    ],
    testPackages: (tfm) => [
      { id: 'Microsoft.AspNetCore.Mvc.Testing', version: aspNetCoreTestingVersions[tfm] ?? '' },
    ],
    refusedClients: {
      minimal:
        'an ASP.NET Core app reaches Lambda through Amazon.Lambda.AspNetCoreServer.Hosting, which runs on ' +
        'Amazon.Lambda.RuntimeSupport; the built-in client has no ASP.NET Core hosting. Use --client runtime-support ' +
        '(the default), or --template http-api for a zero-dependency HTTP function.',
    },
    api: { eventName: 'Api', path: '/{proxy+}', method: 'ANY', hosting: 'HttpApi', urlPath: '/hello/Ada' },
  },
};

function builtIn(id: (typeof builtInTemplateIds)[number]): FunctionTemplate {
  const template = loadTemplateFolder(join(templatesRoot, 'function', id));
  const extras = builtInExtras[id];
  // A client variant without model types has no Models.cs to render.
  const byClient =
    extras.byClient &&
    Object.fromEntries(
      Object.entries(extras.byClient).map(([client, variant]) => [
        client,
        variant.modelTypes?.length === 0
          ? { ...variant, files: template.files.filter((f) => f.to !== 'src/Models.cs') }
          : variant,
      ]),
    );
  return { ...template, ...extras, ...(byClient ? { byClient } : {}) };
}

export const functionTemplates: readonly FunctionTemplate[] = builtInTemplateIds.map(builtIn);

export const defaultTemplate = 'hello';

/**
 * The template a `--template` value names: a built-in id, or a starter kit's template folder or npm package
 * (looked up from `cwd`), read and checked against the layout. Throws TemplateLayoutError for a bad one.
 */
export function templateFor(value: string, cwd: string = process.cwd()): FunctionTemplate {
  return (
    functionTemplates.find((t) => t.id === value) ?? loadTemplateFolder(externalTemplateFolder(value, cwd))
  );
}
