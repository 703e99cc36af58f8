import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../src/emulator/index.js';
import { json, scriptedRuntime, startScripted } from './helpers.js';

interface Seen {
  env: Record<string, string | undefined>;
  cwd: string;
}
interface Echo {
  event: { receivedAt: number };
  headers: Record<string, string | undefined>;
}

describe('what the runtime sees: environment and /next headers', () => {
  let emulator: Emulator;
  let seen: Seen;
  const telemetryFd = process.env._LAMBDA_TELEMETRY_LOG_FD;

  before(async () => {
    // Set in the parent and by the user: it must still never reach the runtime.
    process.env._LAMBDA_TELEMETRY_LOG_FD = '3';
    emulator = await startScripted({
      functionName: 'orders',
      memoryMb: 256,
      timeoutSeconds: 7,
      env: {
        GREETING: 'hello world',
        _LAMBDA_TELEMETRY_LOG_FD: '4',
        AWS_LAMBDA_RUNTIME_API: 'example.com:1',
      },
    });
    seen = json<Seen>((await emulator.invoke({ action: 'env' })).payload);
  });
  after(async () => {
    if (telemetryFd === undefined) delete process.env._LAMBDA_TELEMETRY_LOG_FD;
    else process.env._LAMBDA_TELEMETRY_LOG_FD = telemetryFd;
    await emulator.close();
  });

  it('gets the Lambda variables', () => {
    const taskRoot = dirname(scriptedRuntime);
    const { env } = seen;
    assert.equal(env.AWS_LAMBDA_RUNTIME_API, emulator.runtimeApi, 'the emulator owns this one');
    assert.match(env.AWS_LAMBDA_RUNTIME_API ?? '', /^127\.0\.0\.1:\d+$/);
    assert.equal(env._HANDLER, 'scripted-runtime.mjs');
    assert.equal(env.LAMBDA_TASK_ROOT, taskRoot);
    assert.equal(env.LAMBDA_RUNTIME_DIR, process.env.LAMBDA_RUNTIME_DIR ?? taskRoot);
    assert.equal(seen.cwd, taskRoot, 'runs in the task root, as /var/task on Lambda');
    assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, 'orders');
    assert.equal(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, '256');
    assert.equal(env.AWS_LAMBDA_FUNCTION_VERSION, '$LATEST');
    assert.equal(env.AWS_LAMBDA_LOG_GROUP_NAME, '/aws/lambda/orders');
    assert.match(env.AWS_LAMBDA_LOG_STREAM_NAME ?? '', /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    assert.equal(env.AWS_REGION, region);
    assert.equal(env.AWS_DEFAULT_REGION, process.env.AWS_DEFAULT_REGION ?? region);
    assert.equal(env.TZ, ':UTC');
    assert.equal(env.AWS_LAMBDA_INITIALIZATION_TYPE, 'on-demand');
  });

  it('gets the user variables, inherits the rest, and never gets _LAMBDA_TELEMETRY_LOG_FD', () => {
    assert.equal(seen.env.GREETING, 'hello world');
    assert.equal(seen.env.PATH, process.env.PATH);
    assert.equal('_LAMBDA_TELEMETRY_LOG_FD' in seen.env, false);
  });

  it('gets a fresh UUID request id per invocation, the same one the caller is told', async () => {
    const a = await emulator.invoke({});
    const b = await emulator.invoke({});
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const result of [a, b]) {
      assert.match(result.requestId, uuid);
      assert.equal(json<Echo>(result.payload).headers['lambda-runtime-aws-request-id'], result.requestId);
    }
    assert.notEqual(a.requestId, b.requestId);
  });

  it('gets a deadline that is real epoch milliseconds, now + timeout', async () => {
    const result = await emulator.invoke({});
    const echo = json<Echo>(result.payload);
    const deadline = Number(echo.headers['lambda-runtime-deadline-ms']);
    assert.ok(Number.isInteger(deadline));
    // The timeout starts when the invocation does on a warm runtime (after init on a cold one).
    assert.ok(
      deadline >= Math.round(result.startedAtMs + 7000) && deadline <= result.endedAtMs + 7000,
      `deadline ${deadline - result.startedAtMs} ms after the start`,
    );
    const remaining = deadline - echo.event.receivedAt; // what .NET computes as RemainingTime
    assert.ok(remaining > 6000 && remaining <= 7000, `remaining ${remaining} ms`);
  });

  it('gets the function ARN', async () => {
    const echo = json<Echo>((await emulator.invoke({})).payload);
    assert.equal(
      echo.headers['lambda-runtime-invoked-function-arn'],
      'arn:aws:lambda:us-east-1:012345678912:function:orders',
    );
  });

  it('gets an X-Ray trace header in Lambda format, fresh per invocation, or the one given', async () => {
    const result = await emulator.invoke({});
    const header = json<Echo>(result.payload).headers['lambda-runtime-trace-id'] ?? '';
    const match = /^Root=1-([0-9a-f]{8})-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/.exec(header);
    assert.ok(match, header);
    assert.ok(Math.abs(parseInt(match[1] as string, 16) - Date.now() / 1000) < 60, 'Root carries the epoch');
    assert.equal(result.traceId, header);

    const given = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    const propagated = await emulator.invoke({}, { traceId: given });
    assert.equal(json<Echo>(propagated.payload).headers['lambda-runtime-trace-id'], given);
    assert.equal(propagated.traceId, given);
  });

  it('gets client context and Cognito identity only when given', async () => {
    const plain = json<Echo>((await emulator.invoke({})).payload).headers;
    assert.equal(plain['lambda-runtime-client-context'], undefined);
    assert.equal(plain['lambda-runtime-cognito-identity'], undefined);

    const clientContext = { client: { app_title: 'shop' }, custom: { k: 'v' }, env: { platform: 'ios' } };
    const cognito = { cognitoIdentityId: 'us-east-1:abc', cognitoIdentityPoolId: 'us-east-1:pool' };
    const result = await emulator.invoke(
      {},
      { clientContext, cognitoIdentity: cognito, tenantId: 'tenant-7' },
    );
    const headers = json<Echo>(result.payload).headers;
    assert.deepEqual(JSON.parse(headers['lambda-runtime-client-context'] ?? ''), clientContext);
    assert.deepEqual(JSON.parse(headers['lambda-runtime-cognito-identity'] ?? ''), cognito);
    assert.equal(headers['lambda-runtime-aws-tenant-id'], 'tenant-7');
  });

  it('listens on 127.0.0.1 only: other local addresses are refused', async () => {
    assert.match(emulator.runtimeApi, /^127\.0\.0\.1:/);
    // 127.0.0.2 is loopback too, but not the bound address; a non-loopback interface, when there is one.
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    for (const host of ['127.0.0.2', ...(external ? [external.address] : [])]) {
      assert.equal(await connectError(host, emulator.port), 'ECONNREFUSED', `reachable on ${host}`);
    }
    assert.equal(await connectError('127.0.0.1', emulator.port), undefined);
  });
});

function connectError(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
  });
}
