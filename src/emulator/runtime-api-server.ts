import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Header, MAX_PAYLOAD_BYTES, RUNTIME_API_VERSION } from './constants.js';
import { errorBody, validateErrorType } from './errors.js';

/** One event on its way to the runtime, with everything the `/next` headers carry. */
export interface Invocation {
  readonly requestId: string;
  readonly event: Buffer;
  /** Absolute deadline, Unix epoch milliseconds. */
  readonly deadlineMs: number;
  readonly functionArn: string;
  readonly traceId: string;
  readonly clientContext?: string;
  readonly cognitoIdentity?: string;
  readonly tenantId?: string;
}

/** How the runtime finished an invocation. */
export type RuntimeOutcome =
  | { kind: 'response'; body: Buffer }
  | { kind: 'error'; body: Buffer; errorType: string }
  | { kind: 'response-too-large'; body: Buffer; errorType: 'Function.ResponseSizeTooLarge' };

export interface RuntimeApiListener {
  /**
   * A GET /next arrived, before any event is handed over: the first one of a runtime process (`initDone`)
   * marks the end of its init, every later one the end of the invocation before it.
   */
  onNext(initDone: boolean): void;
  /** The event is being written to the runtime: the invocation's Duration starts here. */
  onDelivered(invocation: Invocation): void;
  onOutcome(invocation: Invocation, outcome: RuntimeOutcome): void;
  onInitError(body: Buffer, errorType: string): void;
  /** An /init/error request arrived: the runtime is about to exit, last chance to look at it. */
  onInitErrorArriving?(): void;
}

/**
 * The runtime's states, named as RIE names them (core/statejson). Transitions not listed answer 403
 * InvalidStateTransition, as RIE does: Started -> Ready | InitError; Ready -> Running (event delivered);
 * Running -> InvocationResponse | InvocationErrorResponse -> ResponseSent -> Ready.
 */
type RuntimeState =
  | 'Started'
  | 'InitError'
  | 'Ready'
  | 'Running'
  | 'InvocationResponse'
  | 'InvocationErrorResponse'
  | 'RuntimeResponseSentState';

const prefix = `/${RUNTIME_API_VERSION}/runtime`;
let warming: Promise<void> | undefined;
const invocationPath = new RegExp(`^${prefix}/invocation/([^/]+)/(response|error)$`);

/**
 * The Runtime API half of the emulator: an HTTP server on 127.0.0.1 that serves one runtime process at a
 * time. It knows nothing about processes or timing; the emulator drives it through deliver()/resetRuntime().
 */
export class RuntimeApiServer {
  private readonly server: Server;
  private state: RuntimeState = 'Started';
  private waitingNext: ServerResponse | undefined;
  private queued: Invocation | undefined;
  private current: Invocation | undefined;
  /** Bumped by resetRuntime(), so that a request of a dead process finishing late is ignored. */
  private generation = 0;

  constructor(private readonly listener: RuntimeApiListener) {
    this.server = createServer((req, res) => this.route(req, res));
    // The runtime's GET /next waits as long as it takes: no server-side time limits on it.
    this.server.requestTimeout = 0;
    this.server.headersTimeout = 60_000;
    this.server.keepAliveTimeout = 60_000;
  }

  /**
   * Runs one whole invocation (GET /next, the event, a response, the next GET /next) through a throwaway
   * server over a raw socket, once per process. The first request through node:http compiles the parser and
   * these handlers; without this, the first cold start of `aot-lambda invoke` would time that as the
   * runtime's Init Duration and Duration.
   */
  static warmUp(): Promise<void> {
    warming ??= (async () => {
      const invocation: Invocation = {
        requestId: 'warm-up',
        event: Buffer.from('{}'),
        deadlineMs: 0,
        functionArn: 'warm-up',
        traceId: 'warm-up',
      };
      let answered: () => void = () => undefined;
      const done = new Promise<void>((resolve) => (answered = resolve));
      let nexts = 0;
      const server: RuntimeApiServer = new RuntimeApiServer({
        onNext: () => {
          if (++nexts === 2) answered();
        },
        onDelivered: () => undefined,
        onOutcome: () => undefined,
        onInitError: () => undefined,
      });
      await server.listen(0);
      const socket = connect(server.port, '127.0.0.1');
      socket.on('error', () => answered());
      let received = '';
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('latin1');
        if (received.endsWith('\r\n\r\n{}')) {
          received = '';
          const body = '{"warm":true}';
          socket.write(
            `POST ${prefix}/invocation/warm-up/response HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
              `Content-Length: ${body.length}\r\n\r\n${body}`,
          );
        } else if (received.endsWith('"OK"}')) {
          received = '';
          socket.write(`GET ${prefix}/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n`);
        }
      });
      socket.write(`GET ${prefix}/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n`);
      server.deliver(invocation);
      let timer: NodeJS.Timeout | undefined;
      // A warm-up that does not finish (an odd network setup) must not hold anything up.
      await Promise.race([done, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
      clearTimeout(timer);
      socket.destroy();
      await server.close();
    })();
    return warming;
  }

  /** Binds to loopback only; port 0 picks a free one. */
  listen(port = 0): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get host(): string {
    return (this.server.address() as AddressInfo).address;
  }

  /** The value of AWS_LAMBDA_RUNTIME_API: `host:port`, no scheme. */
  get address(): string {
    return `${this.host}:${this.port}`;
  }

  /** Open TCP connections (for leak checks). */
  connectionCount(): Promise<number> {
    return new Promise((resolve, reject) =>
      this.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
    );
  }

  /** Hands an event to the runtime now if it is waiting in GET /next, or as soon as it asks. */
  deliver(invocation: Invocation): void {
    if (this.queued || this.current) throw new Error('the runtime is already busy with an invocation');
    this.queued = invocation;
    this.flush();
  }

  /**
   * The runtime process is gone (exited or killed): forget its state and drop its connections, so that the
   * next process starts from `Started` and nothing it left half-sent can be taken for the new one's requests.
   */
  resetRuntime(): void {
    this.generation++;
    this.state = 'Started';
    this.waitingNext = undefined;
    this.queued = undefined;
    this.current = undefined;
    this.server.closeAllConnections();
  }

  close(): Promise<void> {
    this.resetRuntime();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private flush(): void {
    const res = this.waitingNext;
    const invocation = this.queued;
    if (!res || !invocation) return;
    this.waitingNext = undefined;
    this.queued = undefined;
    this.current = invocation;
    this.state = 'Running';
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json',
      // As Lambda sends it: one write, no chunked framing for the runtime to undo.
      'Content-Length': invocation.event.length,
      [Header.requestId]: invocation.requestId,
      [Header.deadlineMs]: String(invocation.deadlineMs),
      [Header.functionArn]: invocation.functionArn,
      [Header.traceId]: invocation.traceId,
    };
    if (invocation.clientContext !== undefined) headers[Header.clientContext] = invocation.clientContext;
    if (invocation.cognitoIdentity !== undefined)
      headers[Header.cognitoIdentity] = invocation.cognitoIdentity;
    if (invocation.tenantId !== undefined) headers[Header.tenantId] = invocation.tenantId;
    // Announce first: START must be written before the runtime can log anything about this event.
    this.listener.onDelivered(invocation);
    res.writeHead(200, headers);
    res.end(invocation.event);
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path === `${prefix}/invocation/next`) {
      if (req.method !== 'GET') return methodNotAllowed(res, 'GET');
      return this.next(req, res);
    }
    if (path === `${prefix}/init/error`) {
      if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
      return void this.initError(req, res);
    }
    const match = invocationPath.exec(path);
    if (match) {
      if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
      const requestId = decodeURIComponent(match[1] as string);
      return void (match[2] === 'response'
        ? this.response(req, res, requestId)
        : this.error(req, res, requestId));
    }
    send(res, 404, errorBody('NotFound', `No such Runtime API path: ${req.method ?? ''} ${path}`));
  }

  private next(req: IncomingMessage, res: ServerResponse): void {
    const open = this.waitingNext && !this.waitingNext.destroyed;
    if (open || !['Started', 'RuntimeResponseSentState', 'Ready'].includes(this.state)) {
      return forbidden(res, this.state, 'Ready');
    }
    const initDone = this.state === 'Started';
    this.state = 'Ready';
    this.listener.onNext(initDone);
    this.waitingNext = res;
    // A runtime that gives up waiting (or dies) must not be handed the next event.
    res.once('close', () => {
      if (this.waitingNext === res) this.waitingNext = undefined;
    });
    req.resume();
    this.flush();
  }

  private async response(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    if (this.state !== 'Running') return forbidden(res, this.state, 'InvocationResponse');
    const invocation = this.current;
    if (!invocation || invocation.requestId !== requestId) return invalidRequestId(res);
    this.state = 'InvocationResponse';

    const mode = header(req, Header.responseMode);
    if (mode !== undefined && mode !== 'streaming') {
      this.responseSent();
      send(res, 400, errorBody('InvalidFunctionResponseMode', 'Invalid function response mode'));
      const body = Buffer.from(
        errorBody('Runtime.InvalidResponseModeHeader', 'Invalid function response mode'),
      );
      return this.listener.onOutcome(invocation, {
        kind: 'error',
        body,
        errorType: 'Runtime.InvalidResponseModeHeader',
      });
    }

    const { body, size, tooLarge, aborted } = await readBody(req);
    if (this.current !== invocation) return; // the runtime was reset while the body was arriving
    if (aborted) return void (this.state = 'Running'); // half a response is no response: it may retry
    this.responseSent();
    if (tooLarge) {
      payloadTooLarge(res);
      const message = `Response payload size (${size} bytes) exceeded maximum allowed payload size (${MAX_PAYLOAD_BYTES} bytes).`;
      return this.listener.onOutcome(invocation, {
        kind: 'response-too-large',
        body: Buffer.from(errorBody('Function.ResponseSizeTooLarge', message)),
        errorType: 'Function.ResponseSizeTooLarge',
      });
    }
    accepted(res);
    // Streaming responses report a mid-stream failure in trailers; the body so far is then discarded.
    const trailerType = mode === 'streaming' ? trailer(req, Header.functionErrorType) : undefined;
    if (trailerType !== undefined) {
      const encoded = trailer(req, Header.functionErrorBody);
      const errorPayload = encoded ? Buffer.from(encoded, 'base64') : Buffer.alloc(0);
      return this.listener.onOutcome(invocation, {
        kind: 'error',
        body: errorPayload,
        errorType: validateErrorType(trailerType),
      });
    }
    this.listener.onOutcome(invocation, { kind: 'response', body });
  }

  private async error(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    if (this.state !== 'Running') return forbidden(res, this.state, 'InvocationErrorResponse');
    const invocation = this.current;
    if (!invocation || invocation.requestId !== requestId) return invalidRequestId(res);
    this.state = 'InvocationErrorResponse';
    const errorType = validateErrorType(header(req, Header.functionErrorType));
    const { body, tooLarge, aborted } = await readBody(req);
    if (this.current !== invocation) return;
    if (aborted) return void (this.state = 'Running');
    this.responseSent();
    if (tooLarge) payloadTooLarge(res);
    else accepted(res);
    // The body goes to the caller unchanged (a truncated one if it was too large to keep).
    this.listener.onOutcome(invocation, { kind: 'error', body, errorType });
  }

  private async initError(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.state !== 'Started') return forbidden(res, this.state, 'InitError');
    this.state = 'InitError';
    this.listener.onInitErrorArriving?.();
    const generation = this.generation;
    const errorType = validateErrorType(header(req, Header.functionErrorType));
    const { body, aborted } = await readBody(req);
    if (generation !== this.generation) return;
    if (aborted) return void (this.state = 'Started');
    accepted(res);
    this.listener.onInitError(body, errorType);
  }

  private responseSent(): void {
    this.state = 'RuntimeResponseSentState';
    this.current = undefined;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function trailer(req: IncomingMessage, name: string): string | undefined {
  return req.trailers[name.toLowerCase()];
}

interface Body {
  body: Buffer;
  size: number;
  tooLarge: boolean;
  /** The connection closed before the whole body arrived (the runtime died or gave up). */
  aborted: boolean;
}

/** Reads at most MAX_PAYLOAD_BYTES, then keeps counting (and discarding) to report the real size. */
function readBody(req: IncomingMessage): Promise<Body> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_PAYLOAD_BYTES) chunks.push(chunk);
    });
    const done = (aborted: boolean) =>
      resolve({ body: Buffer.concat(chunks), size, tooLarge: size > MAX_PAYLOAD_BYTES, aborted });
    req.once('end', () => done(false));
    req.once('close', () => done(!req.complete));
  });
}

function send(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function forbidden(res: ServerResponse, from: RuntimeState, to: string): void {
  send(
    res,
    403,
    errorBody(
      'InvalidStateTransition',
      `State transition from ${from} to ${to} failed for runtime. Error: State transition is not allowed`,
    ),
  );
}

/** The runtime's answer was taken (RIE's 202 body). */
function accepted(res: ServerResponse): void {
  send(res, 202, JSON.stringify({ status: 'OK' }));
}

function payloadTooLarge(res: ServerResponse): void {
  send(
    res,
    413,
    errorBody('RequestEntityTooLarge', `Exceeded maximum allowed payload size (${MAX_PAYLOAD_BYTES} bytes).`),
  );
}

function invalidRequestId(res: ServerResponse): void {
  send(res, 400, errorBody('InvalidRequestID', 'Invalid request ID'));
}

function methodNotAllowed(res: ServerResponse, allowed: string): void {
  res.setHeader('Allow', allowed);
  send(res, 405, errorBody('MethodNotAllowed', `Use ${allowed}`));
}
