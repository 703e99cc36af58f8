/**
 * The development server's HTTP side, on 127.0.0.1 only:
 *  - Lambda's Invoke API, `POST /2015-03-31/functions/{name}/invocations`, so curl, AWS SDKs and
 *    `aws lambda invoke --endpoint-url` work. As the Lambda service answers (not RIE, whose 502s would make SDKs
 *    retry and run the function again): 200 with X-Amz-Function-Error for every function-side failure,
 *    413 RequestTooLargeException, 404 ResourceNotFoundException; `X-Amz-Invocation-Type: Event` is 202,
 *    `DryRun` 204; `X-Amz-Log-Type: Tail` returns the last 4 KB of the log, base64-encoded.
 *  - Optionally the HTTP front door: any other request becomes an API Gateway HTTP API v2 event.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_REGION, EMULATED_ACCOUNT_ID, MAX_PAYLOAD_BYTES } from '../emulator/constants.js';
import type { InvokeOptions, InvokeResponse, InvokeResult } from '../emulator/index.js';
import { gatewayError, httpApiEvent, httpApiResponse, type HttpResponseParts } from './http-api-event.js';

export interface DevServerOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly functionName: string;
  readonly frontDoor: boolean;
  invoke(payload: Buffer, options?: InvokeOptions): Promise<InvokeResult>;
  /** Problems worth a line on the console (a background invocation that failed, ...). */
  log?(line: string): void;
}

export interface DevServer {
  readonly port: number;
  readonly invokeUrl: string;
  readonly frontDoorUrl?: string;
  close(): Promise<void>;
}

const invokePath = /^\/2015-03-31\/functions\/([^/?]+)\/invocations\/?(\?.*)?$/;
const LOG_TAIL_BYTES = 4096;

class TooLarge extends Error {}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.resume();
        reject(new TooLarge());
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: Buffer | string,
) {
  response.writeHead(status, { 'content-length': Buffer.byteLength(body), ...headers });
  response.end(body);
}

function awsError(response: ServerResponse, status: number, type: string, message: string): void {
  send(
    response,
    status,
    { 'content-type': 'application/json', 'x-amzn-errortype': type },
    JSON.stringify({ Type: 'User', message }),
  );
}

/** The function name in an Invoke API path: a name, a partial or a full ARN, maybe with a qualifier. */
export function invokedName(pathSegment: string): string {
  const decoded = decodeURIComponent(pathSegment);
  const fromArn = /(?:^|:)function:([^:]+)/.exec(decoded);
  return fromArn ? (fromArn[1] as string) : (decoded.split(':')[0] as string);
}

/**
 * The runtime's answer as soon as it is posted, as Lambda's Invoke API returns it; the invocation goes on
 * (and its END/REPORT is printed) until the runtime asks for the next event.
 */
function answerOf(
  options: DevServerOptions,
  payload: Buffer,
  invokeOptions: InvokeOptions = {},
): Promise<InvokeResponse | InvokeResult> {
  let answered: (response: InvokeResponse) => void = () => undefined;
  const early = new Promise<InvokeResponse>((resolve) => (answered = resolve));
  const whole = options.invoke(payload, { ...invokeOptions, onResponse: (response) => answered(response) });
  // Whatever comes first (the whole result, when the runtime never answered). A rejection of `whole` after
  // the answer can only be the server stopping: nothing is waiting for it then.
  whole.catch(() => undefined);
  return Promise.race([early, whole]);
}

function logTail(result: InvokeResult): string {
  const text = Buffer.from([result.logs ?? '', ...result.lines].join('\n') + '\n');
  return text.subarray(Math.max(0, text.length - LOG_TAIL_BYTES)).toString('base64');
}

async function serveInvoke(
  options: DevServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
  name: string,
): Promise<void> {
  const arn = `arn:aws:lambda:${DEFAULT_REGION}:${EMULATED_ACCOUNT_ID}:function:${name}`;
  // RIE answers to `function`; the project's own name is what users and SDKs will use.
  if (name !== options.functionName && name !== 'function') {
    return awsError(response, 404, 'ResourceNotFoundException', `Function not found: ${arn}`);
  }
  if (request.method !== 'POST') return awsError(response, 405, 'MethodNotAllowed', 'use POST');
  const payload = await readBody(request, MAX_PAYLOAD_BYTES);
  const type = String(request.headers['x-amz-invocation-type'] ?? 'RequestResponse');
  const clientContext = request.headers['x-amz-client-context'];
  const invokeOptions: InvokeOptions =
    typeof clientContext === 'string'
      ? { clientContext: Buffer.from(clientContext, 'base64').toString() }
      : {};
  if (type === 'DryRun') return send(response, 204, {}, '');
  if (type === 'Event') {
    send(response, 202, {}, '');
    const result = await options.invoke(payload, invokeOptions);
    if (!result.ok) options.log?.(`asynchronous invocation ${result.requestId} failed: ${result.errorType}`);
    return;
  }
  if (type !== 'RequestResponse') {
    return awsError(response, 400, 'InvalidParameterValueException', `unknown X-Amz-Invocation-Type ${type}`);
  }
  // The log tail needs the whole invocation; otherwise answer as soon as the runtime does.
  const whole =
    request.headers['x-amz-log-type'] === 'Tail' ? await options.invoke(payload, invokeOptions) : undefined;
  const result = whole ?? (await answerOf(options, payload, invokeOptions));
  if (result.outcome === 'request-too-large') {
    return awsError(response, 413, 'RequestTooLargeException', result.payload);
  }
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-amz-executed-version': '$LATEST',
    'x-amzn-requestid': result.requestId,
  };
  if (!result.ok) headers['x-amz-function-error'] = 'Unhandled';
  if (whole) headers['x-amz-log-result'] = logTail(whole);
  send(response, 200, headers, result.payload);
}

async function serveFrontDoor(
  options: DevServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  let answer: HttpResponseParts;
  try {
    const body = await readBody(request, MAX_PAYLOAD_BYTES);
    const event = httpApiEvent({
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      rawHeaders: request.rawHeaders,
      body,
      sourceIp: request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
      httpVersion: request.httpVersion,
    });
    const result = await answerOf(options, Buffer.from(JSON.stringify(event)));
    answer = result.ok
      ? httpApiResponse(result.payload)
      : result.outcome === 'timeout'
        ? gatewayError(503, 'Service Unavailable')
        : gatewayError(500, 'Internal Server Error');
  } catch (error) {
    if (!(error instanceof TooLarge)) throw error;
    answer = {
      status: 413,
      headers: [['content-type', 'application/json']],
      body: Buffer.from('{"message":"Request Entity Too Large"}'),
    };
  }
  response.statusCode = answer.status;
  const grouped = new Map<string, string[]>();
  for (const [name, value] of answer.headers)
    grouped.set(name.toLowerCase(), [...(grouped.get(name.toLowerCase()) ?? []), value]);
  for (const [name, values] of grouped)
    response.setHeader(name, values.length === 1 ? (values[0] as string) : values);
  response.setHeader('content-length', answer.body.length);
  response.end(answer.body);
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const server: Server = createServer((request, response) => {
    const match = invokePath.exec(request.url ?? '');
    const work = match
      ? serveInvoke(options, request, response, invokedName(match[1] as string))
      : options.frontDoor
        ? serveFrontDoor(options, request, response)
        : Promise.resolve(
            awsError(
              response,
              404,
              'UnknownOperationException',
              `no such path; invoke the function with POST /2015-03-31/functions/${options.functionName}/invocations`,
            ),
          );
    work.catch((error: unknown) => {
      if (error instanceof TooLarge) {
        return awsError(
          response,
          413,
          'RequestTooLargeException',
          `Request must be smaller than ${MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation`,
        );
      }
      options.log?.(`request failed: ${(error as Error).message}`);
      if (!response.headersSent) awsError(response, 500, 'ServiceException', (error as Error).message);
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    port,
    invokeUrl: `${base}/2015-03-31/functions/${options.functionName}/invocations`,
    frontDoorUrl: options.frontDoor ? `${base}/` : undefined,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
