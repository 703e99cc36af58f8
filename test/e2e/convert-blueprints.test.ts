import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it, type TestContext } from 'node:test';
import { convert, type ConvertOptions } from '../../src/convert/index.js';
import { startRuntimeApi, type Emulator } from '../../src/emulator/index.js';
import { fixturesRoot } from '../convert/helpers.js';
import { writeNugetConfig } from '../helpers/nuget.js';
import { dotnet, missingTools, tail, unavailablePackages, workDir, type Run } from './dotnet.js';

/**
 * Issue 16: convert on projects shaped like AWS's own `dotnet new lambda.*` blueprints (net8.0, Amazon.Lambda.Core
 * 2.8.1, the blueprints' tools-defaults and serverless.template). Each fixture is converted in a temp folder; its
 * projects restore and build with no compiler, trim/AOT or downgrade warning; its own test project passes; and the
 * NativeAOT executable answers through the product's Runtime API emulator exactly as the managed handler does
 * (the answers below are read off the handler code).
 *
 * NativeAOT publishes cost ~0.5-1 min of CI's two cores each: the default run publishes the two most telling
 * fixtures (step-functions: two handlers behind _HANDLER, records in and out; reflection-serializer: an SQS event,
 * a Task<T> handler and reflection JsonSerializer calls rewritten by convert), and every fixture with
 * AOT_LAMBDA_E2E_ALL=1.
 */
const all = process.env.AOT_LAMBDA_E2E_ALL === '1';
const rid = process.arch === 'arm64' ? 'linux-arm64' : 'linux-x64';

interface Invocation {
  /** _HANDLER, for projects whose one executable serves several functions. */
  readonly handler?: string;
  readonly event: unknown;
  /** The payload parsed as JSON, or '' for a handler that returns nothing. */
  readonly answer: unknown;
  /** The payload's exact text, where the JSON numbers' form matters. */
  readonly payload?: string;
  /** A line the handler logs for this event. */
  readonly logs?: RegExp;
}

interface Blueprint {
  readonly shape: string;
  /** The function project, relative to the fixture root: what the user passes to convert. */
  readonly project: string;
  readonly options?: ConvertOptions;
  /** The blueprint's xunit project, where it has one. */
  readonly tests?: string;
  readonly publishByDefault: boolean;
  readonly invocations: readonly Invocation[];
}

const s3Record = (key: string, size: number) => ({
  eventVersion: '2.1',
  eventSource: 'aws:s3',
  awsRegion: 'us-east-1',
  eventTime: '2026-12-04T04:00:00.000Z',
  eventName: 'ObjectCreated:Put',
  userIdentity: { principalId: 'EXAMPLE' },
  s3: {
    s3SchemaVersion: '1.0',
    configurationId: 'testConfigRule',
    bucket: {
      name: 'lambda-blueprint',
      ownerIdentity: { principalId: 'EXAMPLE' },
      arn: 'arn:aws:s3:::lambda-blueprint',
    },
    object: { key, size, eTag: '0123456789abcdef0123456789abcdef', sequencer: '0A1B2C3D4E5F678901' },
  },
});

const sqsMessage = (body: string) => ({
  messageId: '19dd0b57-b21e-4ac1-bd88-01bbb068cb78',
  receiptHandle: 'MessageReceiptHandle',
  body,
  attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1523232000000' },
  messageAttributes: {},
  md5OfBody: '7b270e59b47ff90a553787216d55d91d',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:MyQueue',
  awsRegion: 'us-east-1',
});

const stepHandler = (method: string): string =>
  `StepFunctionsHelloWorld::StepFunctionsHelloWorld.StepFunctionTasks::${method}`;

const blueprints: readonly Blueprint[] = [
  {
    shape: 'step-functions',
    project: 'src/StepFunctionsHelloWorld',
    tests: 'test/StepFunctionsHelloWorld.Tests/StepFunctionsHelloWorld.Tests.csproj',
    publishByDefault: true,
    invocations: [
      {
        handler: stepHandler('Greeting'),
        event: { Name: 'MLambda' },
        // DefaultLambdaJsonSerializer's contract: property names as declared, nulls left out.
        answer: { Name: 'MLambda', Message: 'Hello MLambda', WaitInSeconds: 5 },
      },
      {
        handler: stepHandler('Salutations'),
        event: { Name: 'MLambda', Message: 'Hello MLambda', WaitInSeconds: 5 },
        answer: { Message: 'Hello MLambda, Goodbye MLambda', NameLength: 7 },
        logs: /Hello MLambda, Goodbye MLambda/,
      },
    ],
  },
  {
    shape: 'simple-sqs',
    project: 'src/SimpleSQSFunction',
    tests: 'test/SimpleSQSFunction.Tests/SimpleSQSFunction.Tests.csproj',
    publishByDefault: false,
    invocations: [
      {
        event: { Records: [sqsMessage('first'), sqsMessage('second')] },
        // A Task handler: the runtime client posts an empty response.
        answer: '',
        logs: /Processed message first[\s\S]*Processed message second/,
      },
    ],
  },
  {
    shape: 'simple-s3',
    project: 'src/SimpleS3Function',
    tests: 'test/SimpleS3Function.Tests/SimpleS3Function.Tests.csproj',
    publishByDefault: false,
    invocations: [
      {
        event: { Records: [s3Record('docs/a.txt', 1024), s3Record('b.json', 7)] },
        answer: [
          'lambda-blueprint/docs/a.txt (1024 bytes, ObjectCreated:Put)',
          'lambda-blueprint/b.json (7 bytes, ObjectCreated:Put)',
        ],
        logs: /lambda-blueprint\/docs\/a\.txt \(1024 bytes/,
      },
    ],
  },
  {
    shape: 'top-level-statements',
    project: 'src/TopLevelStatementsFunction',
    publishByDefault: false,
    invocations: [{ event: 'hello world', answer: 'HELLO WORLD' }],
  },
  {
    // Reflection JSON in the handler: JsonSerializer.Deserialize<Order>(body) and JsonSerializer.Serialize(total),
    // which convert passes source-generated metadata. Published by default: it proves the rewrite end to end
    // (and covers an SQS event and a Task<T> handler as simple-sqs does).
    shape: 'reflection-serializer',
    project: 'src/OrderQueue',
    tests: 'test/OrderQueue.Tests/OrderQueue.Tests.csproj',
    publishByDefault: true,
    invocations: [
      {
        event: {
          Records: [
            sqsMessage('{"Id":"A-1","Lines":[{"Sku":"X","Quantity":2,"UnitPrice":1.25}]}'),
            sqsMessage('{"Id":"B-2","Lines":[{"Sku":"Y","Quantity":1,"UnitPrice":3}]}'),
          ],
        },
        // decimal keeps its scale: 2 x 1.25 is 2.50.
        payload: '{"Count":2,"Totals":[{"OrderId":"A-1","Total":2.50},{"OrderId":"B-2","Total":3}]}',
        answer: {
          Count: 2,
          Totals: [
            { OrderId: 'A-1', Total: 2.5 },
            { OrderId: 'B-2', Total: 3 },
          ],
        },
        logs: /\{"OrderId":"A-1","Total":2\.50\}[\s\S]*\{"OrderId":"B-2","Total":3\}/,
      },
    ],
  },
  {
    // The reflection serializer: a Main that builds its own `new DefaultLambdaJsonSerializer()` (records with
    // constructors, a decimal total).
    shape: 'custom-runtime',
    project: '.',
    publishByDefault: false,
    invocations: [
      {
        event: {
          Id: 'A-1',
          Lines: [
            { Sku: 'X', Quantity: 2, UnitPrice: 1.25 },
            { Sku: 'Y', Quantity: 1, UnitPrice: 3 },
          ],
        },
        answer: { OrderId: 'A-1', Total: 5.5 },
        logs: /Order A-1 with 2 lines/,
      },
    ],
  },
];

/**
 * Warnings that fail the build: compiler (CS), trim/AOT analysis (IL) and package downgrade (NU1605). NU1603
 * ("X 2.4.4 was not found, 3.0.0 was resolved instead") is tolerated for Amazon.Lambda.* only: this machine's
 * NuGet mirror serves no Amazon.Lambda package, and ../shared/nuget holds one version of each, so the blueprints'
 * exact pins (Serialization.SystemTextJson 2.4.4, TestUtilities 3.0.1) resolve to the next version here, where
 * users get the exact ones. Any other package missing its exact version still fails.
 */
function buildWarnings(output: string): string[] {
  const found = output.match(/warning (?:CS\d{4}|IL\d{4}|NU1605|NU1603)[^\r\n]*/g) ?? [];
  return [
    ...new Set(
      found
        .filter((w) => !/^warning NU1603: .* depends on Amazon\.Lambda\.[\w.]+ \(/.test(w))
        .map((w) => w.replace(/\s*\[[^\]]*\]$/, '')),
    ),
  ];
}

const ilWarnings = (output: string): string[] => [
  ...new Set((output.match(/warning IL\d{4}[^\r\n]*/g) ?? []).map((w) => w.replace(/\s*\[[^\]]*\]$/, ''))),
];

/** A restore that failed for packages no configured source serves is a skip, never a pass. */
function unservedReason(step: Run): string | undefined {
  const unavailable = unavailablePackages(step.output);
  return step.status !== 0 && unavailable.length > 0
    ? `skipped: NuGet sources do not serve ${unavailable.join(', ')}`
    : undefined;
}

const machineSkip = missingTools();

for (const blueprint of blueprints) {
  const publish = all || blueprint.publishByDefault;
  describe(`convert on AWS's ${blueprint.shape} blueprint`, { concurrency: false }, () => {
    const dir = machineSkip ? '' : workDir(`convert-${blueprint.shape}`);
    const projectDir = join(dir, blueprint.project);
    const executable = join(projectDir, 'out', 'bootstrap');
    let skipReason = machineSkip;
    let published = false;
    let emulator: Emulator | undefined;
    after(async () => emulator?.close());
    const skipIfNeeded = (t: TestContext): boolean => {
      if (skipReason) t.skip(skipReason);
      return skipReason !== undefined;
    };

    it('converts; the projects build with no CS, IL or NU1605 warning', { timeout: 600_000 }, async (t) => {
      if (skipIfNeeded(t)) return;
      cpSync(join(fixturesRoot, blueprint.shape, 'input'), dir, { recursive: true });
      // ../shared/nuget-older serves the Core 2.8.1 the blueprints pin, so a pin left low fails as for users.
      const noSources = writeNugetConfig(dir, { older: true });
      if (noSources) {
        skipReason = noSources;
        t.skip(noSources);
        return;
      }
      const outcome = await convert(projectDir, { ...blueprint.options, force: true });
      assert.equal(outcome.status, 'converted');
      const build = await dotnet(['build', '-nologo'], projectDir);
      skipReason = unservedReason(build);
      if (skipReason) {
        t.skip(skipReason);
        return;
      }
      assert.equal(build.status, 0, tail(build.output));
      assert.deepEqual(buildWarnings(build.output), [], 'build warnings');
      t.diagnostic(`dotnet build: ${build.seconds.toFixed(1)} s`);
    });

    it("the blueprint's own test project passes", { timeout: 600_000 }, async (t) => {
      if (skipIfNeeded(t)) return;
      if (!blueprint.tests) {
        t.skip('skipped: this blueprint has no test project');
        return;
      }
      // The user's net8.0 test project, which convert leaves alone: on a machine with only .NET 10 it runs by
      // rolling forward, as its owner would run it there.
      const test = await dotnet(['test', '-nologo', join(dir, blueprint.tests)], dir, {
        DOTNET_ROLL_FORWARD: 'Major',
      });
      assert.equal(test.status, 0, tail(test.output));
      assert.deepEqual(buildWarnings(test.output), [], 'build warnings of the test project');
      assert.match(test.output, /Passed!/);
      t.diagnostic(`dotnet test: ${test.seconds.toFixed(1)} s`);
    });

    it('publishes NativeAOT with no IL warning', { timeout: 900_000 }, async (t) => {
      if (skipIfNeeded(t)) return;
      if (!publish) {
        t.skip('skipped: NativeAOT publish of this fixture runs with AOT_LAMBDA_E2E_ALL=1 (CI time)');
        return;
      }
      const run = await dotnet(['publish', '-nologo', '-c', 'Release', '-r', rid, '-o', 'out'], projectDir);
      assert.equal(run.status, 0, tail(run.output));
      const warnings = ilWarnings(run.output);
      assert.deepEqual(warnings, [], 'trim/AOT warnings');
      assert.ok(existsSync(executable), `${executable} exists`);
      const bytes = readFileSync(executable);
      assert.deepEqual([...bytes.subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46], 'an ELF file');
      assert.equal(statSync(executable).mode & 0o111, 0o111, 'executable');
      published = true;
      t.diagnostic(
        `${blueprint.shape}: bootstrap ${(bytes.length / 1024 / 1024).toFixed(2)} MB, published in ${run.seconds.toFixed(1)} s, ${warnings.length} IL warnings`,
      );
    });

    it(
      'the executable answers through the local Runtime API as the managed handler does',
      { timeout: 120_000 },
      async (t) => {
        if (skipIfNeeded(t)) return;
        if (!published) {
          t.skip(
            publish
              ? 'skipped: the publish step did not produce an executable'
              : 'skipped: not published in this run',
          );
          return;
        }
        const byHandler = new Map<string | undefined, Invocation[]>();
        for (const i of blueprint.invocations)
          byHandler.set(i.handler, [...(byHandler.get(i.handler) ?? []), i]);
        for (const [handler, invocations] of byHandler) {
          // One process per Handler setting, as Lambda runs one per function.
          emulator = await startRuntimeApi({
            executable,
            output: 'capture',
            timeoutSeconds: 30,
            memoryMb: 512,
            ...(handler ? { handler } : {}),
          });
          for (const invocation of invocations) {
            const result = await emulator.invoke(JSON.stringify(invocation.event));
            assert.equal(result.outcome, 'success', `${result.payload}\n${result.logs ?? ''}`);
            const answer = result.payload === '' ? '' : (JSON.parse(result.payload) as unknown);
            assert.deepEqual(answer, invocation.answer);
            if (invocation.payload !== undefined) assert.equal(result.payload, invocation.payload);
            if (invocation.logs) assert.match(result.logs ?? '', invocation.logs);
            t.diagnostic(
              `${handler ?? 'bootstrap'}: ${result.payload || '(empty)'}; init ${result.initDurationMs?.toFixed(1) ?? '-'} ms`,
            );
          }
          await emulator.close();
          emulator = undefined;
        }
      },
    );
  });
}
