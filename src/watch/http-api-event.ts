/**
 * The HTTP front door's two mappings, as API Gateway HTTP APIs (payload format 2.0) and Lambda function URLs
 * make them: a real HTTP request becomes the event, and the function's answer becomes the HTTP response.
 * Pure functions: the server (http-server.ts) does the I/O.
 */
import { randomUUID } from 'node:crypto';
import { EMULATED_ACCOUNT_ID } from '../emulator/constants.js';

export interface HttpRequestParts {
  readonly method: string;
  /** Path and query as received (`/hello?name=Ada`), still percent-encoded. */
  readonly url: string;
  /** node:http's rawHeaders: name, value, name, value... */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly httpVersion: string;
}

/** Bodies API Gateway passes as text; everything else arrives base64-encoded. */
const textContent =
  /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|graphql)\b|[^;]*\+(json|xml)\b)/i;

/** A joined, lower-cased header map: repeated headers joined with commas, as API Gateway does. */
function joinedHeaders(rawHeaders: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const value = rawHeaders[i + 1] as string;
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return headers;
}

function queryParameters(rawQuery: string): Record<string, string> | undefined {
  if (rawQuery === '') return undefined;
  const parameters: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQuery)) {
    parameters[key] = key in parameters ? `${parameters[key]},${value}` : value;
  }
  return parameters;
}

/** `03/Dec/2026:08:15:30 +0000`, API Gateway's requestContext.time. */
function requestTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(
    date.getUTCHours(),
  )}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

/** The fields of an API Gateway HTTP API (payload format 2.0) event that the front door fills. */
export interface HttpApiEvent {
  version: '2.0';
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: string;
    stage: string;
    time: string;
    timeEpoch: number;
  };
  body?: string;
  isBase64Encoded: boolean;
}

/** The API Gateway HTTP API v2 event for a request (route `$default`, stage `$default`). */
export function httpApiEvent(request: HttpRequestParts, now = new Date()): HttpApiEvent {
  const question = request.url.indexOf('?');
  const rawPath = question < 0 ? request.url : request.url.slice(0, question);
  const rawQueryString = question < 0 ? '' : request.url.slice(question + 1);
  const headers = joinedHeaders(request.rawHeaders);
  // Cookies travel in their own field, not among the headers.
  const cookies = headers.cookie?.split(/;\s*/).filter((c) => c !== '');
  delete headers.cookie;
  const host = headers.host ?? '127.0.0.1';
  const contentType = headers['content-type'] ?? '';
  const isText = request.body.length === 0 || textContent.test(contentType);
  const query = queryParameters(rawQueryString);
  const event: HttpApiEvent = {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    ...(cookies && cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: EMULATED_ACCOUNT_ID,
      apiId: 'local',
      domainName: host,
      domainPrefix: host.split('.')[0] as string,
      http: {
        method: request.method,
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: requestTime(now),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: !isText,
  };
  if (request.body.length > 0) event.body = request.body.toString(isText ? 'utf8' : 'base64');
  return event;
}

export interface HttpResponseParts {
  readonly status: number;
  /** Header pairs; Set-Cookie may repeat. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
}

const jsonHeaders: ReadonlyArray<readonly [string, string]> = [['content-type', 'application/json']];

/** What API Gateway answers when the function failed or answered something it cannot map. */
export const gatewayError = (status: 500 | 502 | 503, message: string): HttpResponseParts => ({
  status,
  headers: jsonHeaders,
  body: Buffer.from(JSON.stringify({ message })),
});

/**
 * The HTTP response for a function's answer, by payload format 2.0's rules: an object with `statusCode` gives
 * the status, headers, cookies and (maybe base64) body; any other valid JSON is a 200 application/json body.
 */
export function httpApiResponse(payload: string): HttpResponseParts {
  let answer: unknown;
  try {
    answer = JSON.parse(payload);
  } catch {
    return gatewayError(500, 'Internal Server Error');
  }
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer) || !('statusCode' in answer)) {
    return { status: 200, headers: jsonHeaders, body: Buffer.from(payload) };
  }
  const shaped = answer as {
    statusCode: unknown;
    headers?: Record<string, unknown>;
    cookies?: unknown[];
    body?: unknown;
    isBase64Encoded?: unknown;
  };
  const status = Number(shaped.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    return gatewayError(500, 'Internal Server Error');
  }
  const headers: Array<readonly [string, string]> = Object.entries(shaped.headers ?? {}).map(
    ([name, value]) => [name, String(value)] as const,
  );
  for (const cookie of shaped.cookies ?? []) headers.push(['set-cookie', String(cookie)]);
  const text =
    typeof shaped.body === 'string'
      ? shaped.body
      : shaped.body === undefined
        ? ''
        : JSON.stringify(shaped.body);
  const body = shaped.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text);
  return { status, headers, body };
}
