import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { RuntimeApiServer, type Invocation, type RuntimeOutcome } from '../../src/emulator/index.js';

/** The server alone, with the test playing the runtime over fetch: exact status codes, bodies and headers. */
describe('RuntimeApiServer', () => {
  let server: RuntimeApiServer;
  let seen: { next: number; delivered: Invocation[]; outcomes: RuntimeOutcome[]; initErrors: string[] };

  beforeEach(async () => {
    seen = { next: 0, delivered: [], outcomes: [], initErrors: [] };
    server = new RuntimeApiServer({
      onNext: () => seen.next++,
      onDelivered: (invocation) => seen.delivered.push(invocation),
      onOutcome: (_invocation, outcome) => seen.outcomes.push(outcome),
      onInitError: (body, errorType) => seen.initErrors.push(`${errorType} ${body.toString()}`),
    });
    await server.listen();
  });
  afterEach(() => server.close());

  const url = (path: string) => `http://${server.address}/2018-06-01/runtime${path}`;
  const invocation: Invocation = {
    requestId: '8476a536-e9f4-11e8-9739-2dfe598c3fcd',
    event: Buffer.from('{"key":"value"}'),
    deadlineMs: 1_542_409_706_888,
    functionArn: 'arn:aws:lambda:us-east-1:012345678912:function:test_function',
    traceId: 'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=0',
    clientContext: '{"client":{"app_title":"t"}}',
  };

  it('binds to 127.0.0.1 and reports host:port without a scheme', () => {
    assert.equal(server.host, '127.0.0.1');
    assert.match(server.address, /^127\.0\.0\.1:\d+$/);
  });

  it('holds GET /next until an event arrives, then sends it with the contract headers', async () => {
    const pending = fetch(url('/invocation/next'));
    while (seen.next === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(seen.delivered.length, 0, 'no event yet: the request is still held');
    server.deliver(invocation);
    const res = await pending;
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '{"key":"value"}');
    assert.equal(res.headers.get('Lambda-Runtime-Aws-Request-Id'), invocation.requestId);
    assert.equal(res.headers.get('Lambda-Runtime-Deadline-Ms'), '1542409706888');
    assert.equal(res.headers.get('Lambda-Runtime-Invoked-Function-Arn'), invocation.functionArn);
    assert.equal(res.headers.get('Lambda-Runtime-Trace-Id'), invocation.traceId);
    assert.equal(res.headers.get('Lambda-Runtime-Client-Context'), invocation.clientContext);
    assert.equal(res.headers.get('Lambda-Runtime-Cognito-Identity'), null, 'absent when not given');
    assert.equal(seen.delivered[0], invocation);
  });

  it('answers a response with 202 {"status":"OK"}, and a second one with 403', async () => {
    server.deliver(invocation);
    await (await fetch(url('/invocation/next'))).text();
    const res = await fetch(url(`/invocation/${invocation.requestId}/response`), {
      method: 'POST',
      body: '"done"',
    });
    assert.equal(res.status, 202);
    assert.deepEqual(await res.json(), { status: 'OK' });
    assert.deepEqual(seen.outcomes, [{ kind: 'response', body: Buffer.from('"done"') }]);
    const again = await fetch(url(`/invocation/${invocation.requestId}/error`), {
      method: 'POST',
      body: '{}',
    });
    assert.equal(again.status, 403);
  });

  it('answers 403 to a response before any event was delivered', async () => {
    const res = await fetch(url(`/invocation/${invocation.requestId}/response`), {
      method: 'POST',
      body: '{}',
    });
    assert.equal(res.status, 403);
    assert.deepEqual(await res.json(), {
      errorMessage:
        'State transition from Started to InvocationResponse failed for runtime. Error: State transition is not allowed',
      errorType: 'InvalidStateTransition',
    });
  });

  it('takes one /init/error (202, type validated), then refuses a second (403)', async () => {
    const headers = { 'Lambda-Runtime-Function-Error-Type': 'Runtime.NoConfig' };
    const res = await fetch(url('/init/error'), { method: 'POST', body: '{"errorMessage":"x"}', headers });
    assert.equal(res.status, 202);
    assert.deepEqual(seen.initErrors, ['Runtime.NoConfig {"errorMessage":"x"}']);
    assert.equal((await fetch(url('/init/error'), { method: 'POST', body: '{}' })).status, 403);
  });

  it('starts over for a new runtime process after resetRuntime()', async () => {
    await fetch(url('/init/error'), { method: 'POST', body: '{}' });
    server.resetRuntime();
    assert.equal((await fetch(url('/init/error'), { method: 'POST', body: '{}' })).status, 202);
  });

  it('answers 404 with a Lambda error body for unknown paths', async () => {
    const res = await fetch(`http://${server.address}/2018-06-01/runtime/invocation/x/respond`, {
      method: 'POST',
    });
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { errorType: string }).errorType, 'NotFound');
    assert.equal((await fetch(`http://${server.address}/`)).status, 404);
  });
});
