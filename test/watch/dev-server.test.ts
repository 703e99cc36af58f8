/**
 * The development server's HTTP side over the scripted runtime (no .NET needed): Lambda's Invoke API as
 * clients see it (fetch and the AWS CLI), the HTTP front door with a real HTTP client, and the pool that
 * scales runtimes with concurrent requests and retires them after a rebuild.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { Emulator } from '../../src/emulator/index.js';
import { findExecutable } from '../../src/tools.js';
import { startDevServer, type DevServer } from '../../src/watch/dev-server.js';
import type { HttpApiEvent } from '../../src/watch/http-api-event.js';
import { RuntimePool } from '../../src/watch/runtime-pool.js';
import { scriptedRuntime } from '../emulator/helpers.js';
import { run } from '../e2e/dotnet.js';
import { tempDir } from '../helpers/fs.js';

const name = 'Orders';
let pool: RuntimePool;
let server: DevServer;
let base: string;
const logs: string[] = [];

before(async () => {
  pool = new RuntimePool(
    () =>
      Emulator.start({
        executable: scriptedRuntime,
        functionName: name,
        output: 'capture',
        timeoutSeconds: 10,
      }),
    2,
  );
  server = await startDevServer({
    port: 0,
    functionName: name,
    frontDoor: true,
    invoke: (payload, options) => pool.invoke(payload, options),
    log: (line) => logs.push(line),
  });
  base = `http://127.0.0.1:${server.port}`;
});
after(async () => {
  await server.close();
  await pool.close();
});

const invoke = (event: unknown, headers: Record<string, string> = {}, fn = name) =>
  fetch(`${base}/2015-03-31/functions/${encodeURIComponent(fn)}/invocations`, {
    method: 'POST',
    headers,
    body: JSON.stringify(event),
  });

describe('watch: Invoke API', () => {
  it('binds 127.0.0.1 only and names the invoke URL', () => {
    assert.equal(server.invokeUrl, `${base}/2015-03-31/functions/${name}/invocations`);
  });

  it('answers a RequestResponse invocation with the payload, by name, ARN or RIE’s `function`', async () => {
    for (const fn of [name, `arn:aws:lambda:us-east-1:012345678912:function:${name}:$LATEST`, 'function']) {
      const response = await invoke({ action: 'echo', n: 1 }, {}, fn);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('x-amz-executed-version'), '$LATEST');
      assert.equal(response.headers.get('x-amz-function-error'), null);
      const body = (await response.json()) as { event: { n: number } };
      assert.equal(body.event.n, 1);
    }
  });

  it('answers as soon as the runtime posts its response, as Lambda does, while the invocation goes on', async () => {
    const began = performance.now();
    const response = await invoke({ action: 'after-response', ms: 800, text: 'w' });
    const answeredAfter = performance.now() - began;
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { answered: true });
    assert.ok(
      answeredAfter < 700,
      `answered after ${answeredAfter.toFixed(0)} ms, not after the 800 ms of work`,
    );
    // Let that runtime finish its post-response work before the next test counts runtimes.
    await new Promise((resolve) => setTimeout(resolve, 900));
  });

  it('marks a function error with X-Amz-Function-Error and returns the error document', async () => {
    const response = await invoke({ action: 'error' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-amz-function-error'), 'Unhandled');
    assert.equal(((await response.json()) as { errorMessage: string }).errorMessage, 'it failed');
  });

  it('returns the log tail with X-Amz-Log-Type: Tail', async () => {
    const response = await invoke({ action: 'log', text: 'tail-me' }, { 'X-Amz-Log-Type': 'Tail' });
    const tail = Buffer.from(response.headers.get('x-amz-log-result') ?? '', 'base64').toString();
    assert.match(tail, /stdout says tail-me/);
    assert.match(tail, /^REPORT RequestId: .*Duration: /m);
  });

  it('answers Event with 202 and DryRun with 204', async () => {
    assert.equal((await invoke({}, { 'X-Amz-Invocation-Type': 'Event' })).status, 202);
    assert.equal((await invoke({}, { 'X-Amz-Invocation-Type': 'DryRun' })).status, 204);
  });

  it('answers an unknown function with 404 ResourceNotFoundException', async () => {
    const response = await invoke({}, {}, 'Other');
    assert.equal(response.status, 404);
    assert.equal(response.headers.get('x-amzn-errortype'), 'ResourceNotFoundException');
    assert.match(
      ((await response.json()) as { message: string }).message,
      /Function not found: .*:function:Other/,
    );
  });

  it('refuses a payload over 6 MB with 413 RequestTooLargeException', async () => {
    const response = await fetch(`${base}/2015-03-31/functions/${name}/invocations`, {
      method: 'POST',
      body: Buffer.alloc(7 * 1024 * 1024, 0x20),
    });
    assert.equal(response.status, 413);
    assert.equal(response.headers.get('x-amzn-errortype'), 'RequestTooLargeException');
  });

  it('works with `aws lambda invoke --endpoint-url`', async (t) => {
    if (!findExecutable('aws')) return t.skip('skipped: the AWS CLI (aws) is not on PATH');
    const dir = tempDir('aot-lambda-watch-cli-');
    const out = join(dir, 'out.json');
    // No profile, no signature: the local endpoint needs no credentials (awscli v1 sends the payload as is).
    const cli = await run(
      'aws',
      ['lambda', 'invoke', '--endpoint-url', base, '--no-sign-request', '--region', 'us-east-1'].concat([
        '--function-name',
        name,
        '--payload',
        '{"action":"echo","from":"cli"}',
        out,
      ]),
      dir,
      { AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
    );
    assert.equal(cli.status, 0, cli.output);
    assert.equal((JSON.parse(cli.output) as { StatusCode: number }).StatusCode, 200);
    assert.equal((JSON.parse(readFileSync(out, 'utf8')) as { event: { from: string } }).event.from, 'cli');
  });
});

describe('watch: HTTP front door', () => {
  it('turns a real request into an HTTP API v2 event', async () => {
    const response = await fetch(`${base}/orders/42?expand=items&expand=total`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'session=abc; theme=dark' },
      body: '{"qty":2}',
    });
    assert.equal(response.status, 200);
    const { event } = (await response.json()) as { event: HttpApiEvent };
    assert.equal(event.version, '2.0');
    assert.equal(event.rawPath, '/orders/42');
    assert.deepEqual(event.queryStringParameters, { expand: 'items,total' });
    assert.deepEqual(event.cookies, ['session=abc', 'theme=dark']);
    assert.equal(event.requestContext.http.method, 'POST');
    assert.equal(event.body, '{"qty":2}');
    assert.equal(event.isBase64Encoded, false);
  });

  it('maps the answer back: status, headers, cookies and a base64 body', async () => {
    const bytes = Buffer.from([0, 1, 2, 250]);
    const answer = {
      statusCode: 418,
      headers: { 'content-type': 'application/octet-stream', 'x-brewed': 'no' },
      cookies: ['a=1', 'b=2; HttpOnly'],
      body: bytes.toString('base64'),
      isBase64Encoded: true,
    };
    const response = await fetch(`${base}/teapot`, {
      headers: { 'x-fixture-response': JSON.stringify(answer) },
    });
    assert.equal(response.status, 418);
    assert.equal(response.headers.get('x-brewed'), 'no');
    assert.deepEqual(response.headers.getSetCookie(), ['a=1', 'b=2; HttpOnly']);
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), bytes);
  });
});

describe('watch: runtimes scale with concurrent requests and restart after a rebuild', () => {
  it('runs two requests at once on two runtimes (the limit) and queues a third until one is free', async () => {
    const ms = 1500;
    const received = (
      await Promise.all(
        [1, 2, 3].map(
          async () =>
            ((await (await invoke({ action: 'sleep', ms })).json()) as { receivedAt: number }).receivedAt,
        ),
      )
    ).sort((a, b) => a - b);
    const [first, second, third] = received as [number, number, number];
    assert.ok(second - first < ms, `the second request ran while the first slept: ${received.join(', ')}`);
    assert.ok(third >= first + ms, `the third request waited for a free runtime: ${received.join(', ')}`);
  });

  it('cold-starts a new runtime after retireAll (a rebuild)', async () => {
    // With a log tail the answer waits for the whole invocation, so the runtime is free again when it
    // comes; without, the answer comes at the response and a request right after may find it still busy.
    const pid = async () =>
      ((await (await invoke({ action: 'echo' }, { 'x-amz-log-type': 'Tail' })).json()) as { pid: number })
        .pid;
    const warm = await pid();
    assert.equal(await pid(), warm, 'kept warm between requests');
    pool.retireAll();
    assert.notEqual(await pid(), warm);
  });
});
