/**
 * Function templates. Each one names its handler types (they always join the JSON context), its sample event
 * and the response that event must produce: the generator writes the event, and the generated project's
 * tests and this project's end-to-end tests assert that response — one source of truth for both.
 */
export interface FunctionTemplate {
  readonly id: string;
  readonly description: string;
  /** C# type names as they appear in the handler signature. */
  readonly inputType: string;
  readonly outputType: string;
  /** Model types the template itself declares (rendered from templates/function/<id>/). */
  readonly modelTypes: readonly string[];
  readonly sampleEvent: unknown;
  readonly expectedResponse: unknown;
}

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
    sampleEvent: {
      version: '2.0',
      routeKey: 'GET /hello',
      rawPath: '/hello',
      rawQueryString: 'name=Ada',
      headers: { accept: 'application/json', 'user-agent': 'curl/8.5.0' },
      queryStringParameters: { name: 'Ada' },
      requestContext: {
        accountId: '123456789012',
        apiId: 'api-id',
        domainName: 'id.execute-api.us-east-1.amazonaws.com',
        http: {
          method: 'GET',
          path: '/hello',
          protocol: 'HTTP/1.1',
          sourceIp: '192.0.2.1',
          userAgent: 'curl/8.5.0',
        },
        requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
        routeKey: 'GET /hello',
        stage: '$default',
        timeEpoch: 1767225600000,
      },
      isBase64Encoded: false,
    },
    expectedResponse: {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"message":"Hello, Ada!"}',
      isBase64Encoded: false,
    },
  },
];

export const defaultTemplate = 'hello';
