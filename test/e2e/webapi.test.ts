/**
 * `--template webapi` for real: the generated ASP.NET Core minimal API restores (Amazon.Lambda.* from
 * ../shared/nuget through a test-only nuget.config), passes its own in-process tests, publishes NativeAOT with
 * no trim or AOT warning (one publish), and its executable answers API Gateway HTTP API v2 events through the
 * Runtime API emulator: the sample events with the answers the catalogue gives, and the greeter found by
 * reflection, kept by DynamicDependency while an unlisted one is trimmed away. Then `aot-lambda watch` serves
 * the same app through its HTTP front door.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { functionTemplates } from '../../src/catalog/templates.js';
import { startRuntimeApi, type Emulator } from '../../src/emulator/index.js';
import { binArgs } from '../bin/run-bin.js';
import { writeNugetConfig } from '../helpers/nuget.js';
import { dotnet, missingTools, run, tail, workDir } from './dotnet.js';

const name = 'WebE2e';
const template = functionTemplates.find((t) => t.id === 'webapi');
if (!template) throw new Error('no webapi template in the catalogue');

/** A greeter no DynamicDependency lists: the JIT build finds it by name, the trimmed native build must not. */
const unlistedGreeter = `namespace ${name};

public sealed class PirateGreeter : IGreeter
{
    public string Greet(string name) => $"Ahoy, {name}!";
}
`;

/** An API Gateway HTTP API v2 answer, with its body parsed. */
function answer(payload: string): { statusCode: number; headers: Record<string, string>; body: unknown } {
  const parsed = JSON.parse(payload) as {
    statusCode: number;
    headers?: Record<string, string>;
    body?: string;
  };
  const headers = Object.fromEntries(
    Object.entries(parsed.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  return { statusCode: parsed.statusCode, headers, body: parsed.body ? JSON.parse(parsed.body) : undefined };
}

/** Every property of `expected` is in `actual` with an equal value (problem details carry a traceId too). */
function assertContains(actual: unknown, expected: unknown, where: string): void {
  if (typeof expected === 'object' && expected !== null && !Array.isArray(expected)) {
    assert.ok(typeof actual === 'object' && actual !== null, `${where}: ${JSON.stringify(actual)}`);
    for (const [key, value] of Object.entries(expected))
      assertContains((actual as Record<string, unknown>)[key], value, `${where}.${key}`);
  } else assert.deepEqual(actual, expected, where);
}

describe(
  'webapi: build, test, NativeAOT publish, API Gateway v2 events, watch',
  { concurrency: false },
  () => {
    const parent = workDir('webapi');
    const root = join(parent, name);
    const executable = join(root, 'out', 'bootstrap');
    /** Set when a step cannot run (no dotnet, no Amazon.Lambda packages); later steps skip with it. */
    let skipReason = missingTools();
    let published = false;
    let emulator: Emulator | undefined;
    const skipIfNeeded = (t: TestContext): boolean => {
      if (skipReason) t.skip(skipReason);
      return skipReason !== undefined;
    };

    before(async () => {
      if (skipReason) return;
      const scaffold = await run(
        process.execPath,
        [...binArgs, 'new', name, '--yes', '--skip-install', '--template', 'webapi'],
        parent,
      );
      assert.equal(scaffold.status, 0, scaffold.output);
      skipReason = writeNugetConfig(root);
    });
    after(async () => emulator?.close());

    it('restores and passes its own in-process tests (WebApplicationFactory)', async (t) => {
      if (skipIfNeeded(t)) return;
      const test = await dotnet(['test', `${name}.sln`, '-v', 'q', '--nologo'], root);
      assert.equal(test.status, 0, tail(test.output));
      const passed = /Passed:\s+(\d+)/.exec(test.output);
      assert.ok(passed && Number(passed[1]) >= 10, `tests ran and passed:\n${tail(test.output, 10)}`);
      t.diagnostic(`dotnet test: ${passed?.[1]} passed in ${test.seconds.toFixed(1)} s`);
    });

    it('is formatted as dotnet format expects', async (t) => {
      if (skipIfNeeded(t)) return;
      const format = await dotnet(['format', `${name}.sln`, '--verify-no-changes', '--no-restore'], root);
      assert.equal(format.status, 0, tail(format.output));
    });

    it('publishes NativeAOT with no trim or AOT warning', async (t) => {
      if (skipIfNeeded(t)) return;
      writeFileSync(join(root, 'src', name, 'PirateGreeter.cs'), unlistedGreeter);
      const publish = await dotnet(
        ['publish', join('src', name, `${name}.csproj`), '-c', 'Release', '-o', 'out'],
        root,
      );
      assert.equal(publish.status, 0, tail(publish.output));
      assert.deepEqual(publish.output.match(/warning IL\d{4}.*/g) ?? [], [], 'trim/AOT warnings');
      const bytes = readFileSync(executable);
      assert.deepEqual([...bytes.subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46], 'an ELF file');
      assert.equal(statSync(executable).mode & 0o111, 0o111, 'executable');
      t.diagnostic(
        `bootstrap: ${(bytes.length / 1024 / 1024).toFixed(2)} MB, published in ${publish.seconds.toFixed(1)} s`,
      );
      published = true;
    });

    describe('the native executable through the local Runtime API', () => {
      const start = async (t: TestContext): Promise<Emulator | undefined> => {
        if (skipIfNeeded(t)) return undefined;
        if (!published) {
          t.skip('skipped: the publish step did not produce an executable');
          return undefined;
        }
        emulator ??= await startRuntimeApi({
          executable,
          output: 'capture',
          timeoutSeconds: 30,
          memoryMb: 512,
        });
        return emulator;
      };

      it('answers GET /hello/Ada (events/event.json) with the catalogue response, cold then warm', async (t) => {
        const api = await start(t);
        if (!api) return;
        const cold = await api.invoke(JSON.stringify(template.sampleEvent));
        assert.equal(cold.outcome, 'success', cold.payload);
        assert.deepEqual(JSON.parse(cold.payload), template.expectedResponse);
        const warm = await api.invoke(JSON.stringify(template.sampleEvent));
        assert.equal(warm.coldStart, false);
        assert.deepEqual(JSON.parse(warm.payload), template.expectedResponse);
        t.diagnostic(
          `init ${cold.initDurationMs?.toFixed(1)} ms, cold start ${cold.coldStartMs?.toFixed(1)} ms, warm ${warm.durationMs.toFixed(2)} ms, max memory ${cold.maxMemoryUsedMb} MB`,
        );
      });

      for (const sample of template.moreEvents ?? []) {
        it(`answers ${sample.description} (events/${sample.file})`, async (t) => {
          const api = await start(t);
          if (!api) return;
          const result = await api.invoke(readFileSync(join(root, 'events', sample.file), 'utf8'));
          assert.equal(result.outcome, 'success', result.payload);
          const got = answer(result.payload);
          assert.equal(got.statusCode, sample.status, result.payload);
          assertContains(got.body, sample.body, sample.file);
          if (sample.status === 400)
            assert.match(got.headers['content-type'] ?? '', /^application\/problem\+json/);
        });
      }

      it('trims a greeter no DynamicDependency keeps: GET /greeters/pirate/Ada is 404 in the native build', async (t) => {
        const api = await start(t);
        if (!api) return;
        const event = JSON.parse(readFileSync(join(root, 'events', 'greet-formal.json'), 'utf8')) as {
          rawPath: string;
          requestContext: { http: { path: string } };
        };
        event.rawPath = '/greeters/pirate/Ada';
        event.requestContext.http.path = event.rawPath;
        const result = await api.invoke(JSON.stringify(event));
        assert.equal(result.outcome, 'success', result.payload);
        assert.equal(answer(result.payload).statusCode, 404, result.payload);
      });
    });

    describe('aot-lambda watch', () => {
      let child: ChildProcess | undefined;
      after(() => child?.kill('SIGKILL'));

      it('serves the API through its HTTP front door (JIT build) and stops cleanly', async (t) => {
        if (skipIfNeeded(t)) return;
        let output = '';
        child = spawn(process.execPath, [...binArgs, 'watch', '--port', '0'], {
          cwd: root,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
        child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
        const exited = new Promise((resolve) => child?.on('exit', resolve));
        const deadline = Date.now() + 300_000;
        let url: string | undefined;
        while (!url) {
          url = /HTTP +(http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1];
          if (Date.now() > deadline) assert.fail(`watch did not serve:\n${output.slice(-2000)}`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        const hello = await fetch(`${url}hello/Ada`);
        assert.equal(hello.status, 200);
        assert.deepEqual(await hello.json(), { message: 'Hello, Ada!' });
        const invalid = await fetch(`${url}greetings`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"name":"","times":99}',
        });
        assert.equal(invalid.status, 400);
        assert.match(invalid.headers.get('content-type') ?? '', /^application\/problem\+json/);
        child.kill('SIGINT');
        assert.equal(await exited, 0, output.slice(-2000));
      });
    });
  },
);

describe('http-api on RuntimeSupport: AWS event types', { concurrency: false }, () => {
  const parent = workDir('http-api-events');
  const root = join(parent, 'HttpEvents');
  let skipReason = missingTools(['dotnet']);

  before(async () => {
    if (skipReason) return;
    const scaffold = await run(
      process.execPath,
      [...binArgs, 'new', 'HttpEvents', '--yes', '--skip-install', '--template', 'http-api'],
      parent,
    );
    assert.equal(scaffold.status, 0, scaffold.output);
    skipReason = writeNugetConfig(root);
  });

  // Built and tested only: the RuntimeSupport publishes are the default-client suite's (one NativeAOT publish here).
  it('builds with APIGatewayHttpApiV2ProxyRequest/Response and passes its own tests', async (t) => {
    if (skipReason) return t.skip(skipReason);
    assert.match(
      readFileSync(join(root, 'src', 'HttpEvents', 'Function.cs'), 'utf8'),
      /APIGatewayHttpApiV2ProxyRequest/,
    );
    const test = await dotnet(['test', 'HttpEvents.sln', '-v', 'q', '--nologo'], root);
    assert.equal(test.status, 0, tail(test.output));
    const passed = /Passed:\s+(\d+)/.exec(test.output);
    assert.ok(passed && Number(passed[1]) >= 4, `tests ran and passed:\n${tail(test.output, 10)}`);
  });
});
