/**
 * A Runtime API that is not the product's emulator: a raw TCP server speaking just enough HTTP/1.1 to serve
 * scripted events, with every answer framed as the script says (Content-Length, chunked with extensions and
 * trailers, or until close; header names in any case; interim 100 answers; writes split at chosen points) and
 * connections closed as the script says. It exists to prove the built-in client's HTTP/1.1 against framings
 * the emulator never produces.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';

export type BodyFraming = 'length' | 'chunked' | 'close';
export type HeaderCase = 'canonical' | 'lower' | 'upper' | 'mixed';
/** After the answer: keep the connection, announce `Connection: close` and close, or close without a word. */
export type AfterAnswer = 'keep' | 'close-announced' | 'close-silent';

export interface Framing {
  readonly body: BodyFraming;
  /** Chunk sizes used in turn (chunked only). */
  readonly chunks: readonly number[];
  /** Sizes of the writes the answer is cut into, used in turn; the rest goes in one write. */
  readonly splits: readonly number[];
  readonly headerCase: HeaderCase;
  readonly interim: boolean;
  readonly chunkExtensions: boolean;
  readonly trailers: boolean;
  readonly after: AfterAnswer;
}

export interface Exchange {
  /** The event's body as sent. */
  readonly event: Buffer;
  readonly next: Framing;
  /** Status of the answer to the runtime's POST for this event (202, or a 4xx the runtime must survive). */
  readonly ackStatus: number;
  readonly ack: Framing;
}

export interface Posted {
  readonly path: string;
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

export const plainFraming: Framing = {
  body: 'length',
  chunks: [],
  splits: [],
  headerCase: 'canonical',
  interim: false,
  chunkExtensions: false,
  trailers: false,
  after: 'keep',
};

function cased(name: string, headerCase: HeaderCase): string {
  if (headerCase === 'lower') return name.toLowerCase();
  if (headerCase === 'upper') return name.toUpperCase();
  if (headerCase === 'mixed') {
    return [...name].map((c, i) => (i % 2 ? c.toLowerCase() : c.toUpperCase())).join('');
  }
  return name;
}

/** The bytes of one answer, framed as told. */
export function frameAnswer(
  status: number,
  headers: Readonly<Record<string, string>>,
  body: Buffer,
  framing: Framing,
): Buffer {
  const lines = [`HTTP/1.1 ${status} ${status === 200 ? 'OK' : status === 202 ? 'Accepted' : 'Status'}`];
  const all: Record<string, string> = { ...headers, 'Content-Type': 'application/json' };
  if (framing.body === 'length') all['Content-Length'] = String(body.length);
  if (framing.body === 'chunked') all['Transfer-Encoding'] = 'chunked';
  if (framing.after === 'close-announced' || framing.body === 'close') all.Connection = 'close';
  for (const [name, value] of Object.entries(all)) lines.push(`${cased(name, framing.headerCase)}: ${value}`);
  const interim = framing.interim ? 'HTTP/1.1 100 Continue\r\n\r\n' : '';
  const head = Buffer.from(`${interim}${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  if (framing.body !== 'chunked') return Buffer.concat([head, body]);
  const parts: Buffer[] = [head];
  let at = 0;
  for (let i = 0; at < body.length; i++) {
    const size = Math.max(
      1,
      Math.min(framing.chunks[i % Math.max(1, framing.chunks.length)] ?? body.length, body.length - at),
    );
    const extension = framing.chunkExtensions ? ';name="value"' : '';
    parts.push(
      Buffer.from(`${size.toString(16)}${extension}\r\n`),
      body.subarray(at, at + size),
      Buffer.from('\r\n'),
    );
    at += size;
  }
  parts.push(Buffer.from(framing.trailers ? '0\r\nX-Trailer: yes\r\n\r\n' : '0\r\n\r\n'));
  return Buffer.concat(parts);
}

async function writeSplit(socket: Socket, bytes: Buffer, splits: readonly number[]): Promise<void> {
  let at = 0;
  for (const size of splits) {
    if (at >= bytes.length) break;
    socket.write(bytes.subarray(at, at + size));
    at += size;
    // A macrotask between writes, so that the pieces leave as separate segments (short reads on the far side).
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  if (at < bytes.length) socket.write(bytes.subarray(at));
}

interface Request {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** Splits complete requests off the front of `data`; returns them and what is left. */
function parseRequests(data: Buffer): { requests: Request[]; rest: Buffer } {
  const requests: Request[] = [];
  for (;;) {
    const headEnd = data.indexOf('\r\n\r\n');
    if (headEnd < 0) break;
    const [requestLine = '', ...headerLines] = data.subarray(0, headEnd).toString('latin1').split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    if (data.length < headEnd + 4 + length) break;
    const [method = '', path = ''] = requestLine.split(' ');
    requests.push({ method, path, headers, body: data.subarray(headEnd + 4, headEnd + 4 + length) });
    data = data.subarray(headEnd + 4 + length);
  }
  return { requests, rest: data };
}

export interface FramingServer {
  readonly address: string;
  /** One entry per POST received, in order. */
  readonly posted: Posted[];
  /** Resolves when every scripted event has been answered by a POST (or when `count` POSTs arrived). */
  allPosted(count?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Serves `exchanges` in order, then leaves further GET /next requests waiting (as Lambda freezes the runtime).
 * `nextStatus` overrides the status of the /next answers (error-path tests).
 */
export async function startFramingServer(
  exchanges: readonly Exchange[],
  options: { nextStatus?: number; rawNextAnswer?: Buffer } = {},
): Promise<FramingServer> {
  const posted: Posted[] = [];
  const sockets = new Set<Socket>();
  let served = 0;
  let waiters: Array<{ count: number; resolve: () => void }> = [];
  const notify = (): void => {
    waiters = waiters.filter((w) => (posted.length >= w.count ? (w.resolve(), false) : true));
  };

  const answer = async (socket: Socket, request: Request): Promise<boolean> => {
    if (request.method === 'GET' && request.path.endsWith('/runtime/invocation/next')) {
      const exchange = exchanges[served];
      if (!exchange) return true; // frozen: never answered
      served += 1;
      if (options.rawNextAnswer) {
        socket.write(options.rawNextAnswer);
        return true;
      }
      const headers = {
        'Lambda-Runtime-Aws-Request-Id': `request-${served}`,
        'Lambda-Runtime-Deadline-Ms': String(Date.now() + 60_000),
        'Lambda-Runtime-Invoked-Function-Arn': 'arn:aws:lambda:us-east-1:123456789012:function:framing',
        'Lambda-Runtime-Trace-Id': `Root=1-00000000-${String(served).padStart(24, '0')}`,
      };
      const bytes = frameAnswer(options.nextStatus ?? 200, headers, exchange.event, exchange.next);
      await writeSplit(socket, bytes, exchange.next.splits);
      return finish(socket, exchange.next);
    }
    const id = /\/invocation\/request-(\d+)\//.exec(request.path);
    const exchange = id ? exchanges[Number(id[1]) - 1] : undefined;
    posted.push({ path: request.path, body: request.body, headers: request.headers });
    const status = exchange?.ackStatus ?? 202;
    const body = Buffer.from(
      status === 202 ? '{"status":"OK"}' : '{"errorMessage":"rejected","errorType":"Test"}',
    );
    const framing = exchange?.ack ?? plainFraming;
    await writeSplit(socket, frameAnswer(status, {}, body, framing), framing.splits);
    notify();
    return finish(socket, framing);
  };

  /** Applies the framing's connection ending; false when the connection is done. */
  const finish = (socket: Socket, framing: Framing): boolean => {
    if (framing.after === 'keep' && framing.body !== 'close') return true;
    socket.end();
    return false;
  };

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    let pending: Buffer = Buffer.alloc(0);
    let open = true;
    let queue = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      if (!open) return; // the server closed its side: what still arrives is not read, as on a closed socket
      const { requests, rest } = parseRequests(Buffer.concat([pending, chunk]));
      pending = rest;
      for (const request of requests) {
        queue = queue.then(async () => {
          if (open) open = await answer(socket, request);
        });
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    posted,
    allPosted: (count = exchanges.length) =>
      new Promise<void>((resolve) => {
        waiters.push({ count, resolve });
        notify();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
