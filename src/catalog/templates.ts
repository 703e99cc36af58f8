import { aspNetCoreTestingVersions, nugetVersions, type PackageRef } from './packages.js';

/**
 * Function templates. Each one names its handler types (they always join the JSON context), its sample event
 * and the response that event must produce: the generator writes the event, and the generated project's
 * tests and this project's end-to-end tests assert that response — one source of truth for both.
 */
export interface FunctionTemplate {
  readonly id: string;
  readonly description: string;
  /** C# type names as they appear in the handler signature (for webapi: the events the hosting exchanges). */
  readonly inputType: string;
  readonly outputType: string;
  /** Model types the template itself declares (rendered from templates/function/<id>/Models.cs.ejs). */
  readonly modelTypes: readonly string[];
  /** Other types the template's code serializes (endpoint bodies): they join the JSON context after the handler's. */
  readonly jsonTypes?: readonly string[];
  /** Namespaces the handler types come from (imported by the source files and the JSON context). */
  readonly usings?: readonly string[];
  /** Source files rendered from templates/function/<id>/<file>.ejs into src/<Name>/ (Models.cs follows modelTypes). */
  readonly sources?: readonly string[];
  /**
   * The generated README's lines for the template's own files (`{name}` is the project name); absent: the
   * handler in Function.cs and tests that call it.
   */
  readonly readmeLayout?: readonly string[];
  /** Test files rendered from templates/function/<id>/<file>.ejs into test/<Name>.Tests/. */
  readonly testSources?: readonly string[];
  /** NuGet packages the function project adds to the client's, and the test project's, per target framework. */
  readonly packages?: readonly PackageRef[];
  readonly testPackages?: (tfm: string) => readonly PackageRef[];
  /** MSBuild SDK of the function project. */
  readonly sdk?: 'Microsoft.NET.Sdk' | 'Microsoft.NET.Sdk.Web';
  /** MSBuild TrimMode when the template needs one other than the client's. */
  readonly trimMode?: 'full';
  /** Clients this template cannot be generated with, each with the reason and the way out. */
  readonly refusedClients?: Readonly<Record<string, string>>;
  /** What changes with a client: AWS's event types with RuntimeSupport, the project's own models without it. */
  readonly byClient?: Readonly<Record<string, ClientVariant>>;
  /**
   * The API Gateway route the SAM template declares (an HttpApi event), the event source the ASP.NET Core
   * hosting listens for (`LambdaEventSource.<hosting>`), and the path the stack's ApiUrl output points at.
   */
  readonly api?: {
    readonly eventName: string;
    readonly path: string;
    readonly method: string;
    readonly hosting: 'HttpApi';
    readonly urlPath: string;
  };
  readonly sampleEvent: unknown;
  readonly expectedResponse: unknown;
  /** More sample events, written as events/<file>; each with what the function answers to it. */
  readonly moreEvents?: readonly SampleEvent[];
}

export interface SampleEvent {
  readonly file: string;
  readonly description: string;
  readonly event: unknown;
  /** The HTTP status of the answer, and what its JSON body holds (a subset, for problem details). */
  readonly status: number;
  readonly body: unknown;
}

export type ClientVariant = Partial<
  Pick<FunctionTemplate, 'inputType' | 'outputType' | 'modelTypes' | 'usings' | 'packages'>
>;

/** An API Gateway HTTP API (payload format 2.0) event as API Gateway sends it for a route. */
function httpApiEvent(options: {
  method: string;
  path: string;
  routeKey: string;
  query?: Record<string, string>;
  pathParameters?: Record<string, string>;
  body?: string;
}): Record<string, unknown> {
  const query = options.query ?? {};
  return {
    version: '2.0',
    routeKey: options.routeKey,
    rawPath: options.path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: {
      accept: 'application/json',
      'user-agent': 'curl/8.5.0',
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api-id',
      domainName: 'id.execute-api.us-east-1.amazonaws.com',
      http: {
        method: options.method,
        path: options.path,
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.1',
        userAgent: 'curl/8.5.0',
      },
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      routeKey: options.routeKey,
      stage: '$default',
      timeEpoch: 1767225600000,
    },
    ...(options.body !== undefined ? { body: options.body } : {}),
    isBase64Encoded: false,
  };
}

/** The ASP.NET Core app's catch-all route: every path and method reaches the app, which does its own routing. */
const proxyRoute = (method: string, path: string, body?: string) =>
  httpApiEvent({
    method,
    path,
    routeKey: 'ANY /{proxy+}',
    pathParameters: { proxy: path.slice(1) },
    ...(body !== undefined ? { body } : {}),
  });

const apiGatewayEvents: PackageRef = {
  id: 'Amazon.Lambda.APIGatewayEvents',
  version: nugetVersions['Amazon.Lambda.APIGatewayEvents'],
};

export const functionTemplates: readonly FunctionTemplate[] = [
  {
    id: 'hello',
    description: 'string in, upper-cased string out',
    inputType: 'string',
    outputType: 'string',
    modelTypes: [],
    sampleEvent: 'hello world',
    expectedResponse: 'HELLO WORLD',
  },
  {
    id: 'typed',
    description: 'request and response records',
    inputType: 'Request',
    outputType: 'Response',
    modelTypes: ['Request', 'Response'],
    sampleEvent: { name: 'Ada', times: 2 },
    expectedResponse: { message: 'Hello, Ada! Hello, Ada!', length: 3 },
  },
  {
    id: 'http-api',
    description: 'API Gateway HTTP API (payload format 2.0) request and response',
    inputType: 'HttpApiRequest',
    outputType: 'HttpApiResponse',
    modelTypes: ['HttpApiRequest', 'HttpApiRequestContext', 'HttpApiHttpDescription', 'HttpApiResponse'],
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
    sampleEvent: httpApiEvent({
      method: 'GET',
      path: '/hello',
      routeKey: 'GET /hello',
      query: { name: 'Ada' },
    }),
    expectedResponse: {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"message":"Hello, Ada!"}',
      isBase64Encoded: false,
    },
  },
  {
    id: 'webapi',
    description: 'ASP.NET Core minimal API hosted on Lambda (API Gateway HTTP API)',
    inputType: 'APIGatewayHttpApiV2ProxyRequest',
    outputType: 'APIGatewayHttpApiV2ProxyResponse',
    modelTypes: ['Greeting', 'GreetingRequest'],
    jsonTypes: ['Greeting', 'GreetingRequest', 'Greeting[]'],
    usings: ['Amazon.Lambda.APIGatewayEvents'],
    sources: ['Program.cs', 'Greeters.cs'],
    testSources: ['ApiTests.cs'],
    readmeLayout: [
      '`src/{name}/Program.cs`: the ASP.NET Core minimal API and its Lambda hosting (API Gateway HTTP API events).',
      '`src/{name}/Models.cs`: the endpoint types; `Greeters.cs`: classes found by name through reflection, kept in the native executable by `[DynamicDependency]`.',
      '`test/{name}.Tests/ApiTests.cs`: the API called in process (WebApplicationFactory), replaying every sample event.',
      '`events/*.json`: API Gateway HTTP API v2 sample events, one per endpoint, and an invalid request.',
    ],
    sdk: 'Microsoft.NET.Sdk.Web',
    // Full trimming: ASP.NET Core and the Amazon.Lambda libraries it uses here publish with no warning.
    trimMode: 'full',
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
    sampleEvent: proxyRoute('GET', '/hello/Ada'),
    expectedResponse: {
      statusCode: 200,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: '{"message":"Hello, Ada!"}',
      isBase64Encoded: false,
    },
    moreEvents: [
      {
        file: 'post-greetings.json',
        description: 'POST /greetings with a valid JSON body',
        event: proxyRoute('POST', '/greetings', '{"name":"Ada","times":2}'),
        status: 200,
        body: [{ message: 'Hello, Ada!' }, { message: 'Hello, Ada!' }],
      },
      {
        file: 'post-greetings-invalid.json',
        description: 'POST /greetings with invalid input: a 400 problem details answer',
        event: proxyRoute('POST', '/greetings', '{"name":"","times":99}'),
        status: 400,
        body: {
          title: 'One or more validation errors occurred.',
          status: 400,
          errors: {
            name: ['A name is required.'],
            times: ['times must be between 1 and 10.'],
          },
        },
      },
      {
        file: 'greet-formal.json',
        description: 'GET /greeters/formal/Ada: a greeter found by name through reflection',
        event: proxyRoute('GET', '/greeters/formal/Ada'),
        status: 200,
        body: { message: 'Good day, Ada.' },
      },
    ],
  },
];

export const defaultTemplate = 'hello';
