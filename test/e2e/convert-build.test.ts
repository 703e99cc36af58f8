import assert from 'node:assert/strict';
import { cpSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it, type TestContext } from 'node:test';
import { convert } from '../../src/convert/index.js';
import { startRuntimeApi, type Emulator } from '../../src/emulator/index.js';
import { fixturesRoot } from '../convert/helpers.js';
import { writeNugetConfig } from '../helpers/nuget.js';
import { dotnet, missingTools, tail, unavailablePackages, workDir } from './dotnet.js';

/**
 * Converted projects on the real .NET SDK.
 *
 * - empty-function (Amazon.Lambda.RuntimeSupport) builds, where its packages can be restored: Amazon.Lambda.* is not
 *   served by every NuGet source (this machine's mirror has none), and that restore failure is a skip, never a pass.
 * - minimal-client, converted with --client minimal, references no Amazon.Lambda package afterwards: it builds
 *   without warnings, publishes NativeAOT (one publish) with no trim/AOT warning, and the executable answers
 *   through the local Runtime API emulator with the JSON contract of the serializer it replaced.
 */
const warnings = (output: string): string[] => [...new Set(output.match(/warning (?:IL|CS)\d{4}.*/g) ?? [])];

describe('convert: the converted project builds', () => {
  it('empty-function (converted) builds with dotnet build', { timeout: 600_000 }, async (t) => {
    const missing = missingTools(['dotnet']);
    if (missing) {
      t.skip(missing);
      return;
    }
    const dir = workDir('convert-build');
    cpSync(join(fixturesRoot, 'empty-function', 'expected'), dir, { recursive: true });
    // ../shared/nuget-older serves the old Core the fixture pinned, so an unraised pin fails (NU1605) as for users.
    const noSources = writeNugetConfig(dir, { older: true });
    if (noSources) {
      t.skip(noSources);
      return;
    }
    // The test project references the function: both restore (Core raised in each) and its test passes. It is
    // the user's net8.0 test project, which convert leaves alone: on a machine with only .NET 10 it runs by
    // rolling forward, as its owner would run it there.
    const test = await dotnet(
      ['test', '-nologo', join(dir, 'test/EmptyFunction.Tests/EmptyFunction.Tests.csproj')],
      dir,
      { DOTNET_ROLL_FORWARD: 'Major' },
    );
    const unavailable = unavailablePackages(test.output);
    if (test.status !== 0 && unavailable.length > 0) {
      t.skip(
        `${unavailable.join(', ')} cannot be restored from the configured NuGet source(s), so the build could not run`,
      );
      return;
    }
    assert.equal(test.status, 0, tail(test.output));
    assert.doesNotMatch(test.output, /NU1605/);
    assert.match(test.output, /Passed!|passed/i);
  });
});

describe(
  'convert --client minimal: the converted project builds, publishes NativeAOT and answers',
  { concurrency: false },
  () => {
    const machineSkip = missingTools();
    const dir = machineSkip ? '' : workDir('convert-minimal');
    const rid = process.arch === 'arm64' ? 'linux-arm64' : 'linux-x64';
    const executable = join(dir, 'out', 'bootstrap');
    let skipReason = machineSkip;
    let published = false;
    let emulator: Emulator | undefined;
    after(async () => emulator?.close());
    const skipIfNeeded = (t: TestContext): boolean => {
      if (skipReason) t.skip(skipReason);
      return skipReason !== undefined;
    };

    it(
      'converts minimal-client: no Amazon.Lambda package left; dotnet build has no warning',
      { timeout: 600_000 },
      async (t) => {
        if (skipIfNeeded(t)) return;
        cpSync(join(fixturesRoot, 'minimal-client', 'input'), dir, { recursive: true });
        const outcome = await convert(dir, { client: 'minimal', force: true });
        assert.equal(outcome.status, 'converted');
        assert.doesNotMatch(readFileSync(join(dir, 'Shipping.csproj'), 'utf8'), /Amazon\.Lambda/);
        const build = await dotnet(['build', 'Shipping.csproj', '-nologo'], dir);
        const unavailable = unavailablePackages(build.output);
        if (build.status !== 0 && unavailable.length > 0) {
          skipReason = `skipped: NuGet sources do not serve ${unavailable.join(', ')}`;
          t.skip(skipReason);
          return;
        }
        assert.equal(build.status, 0, tail(build.output));
        assert.deepEqual(warnings(build.output), [], 'compiler and trim/AOT analyzer warnings');
        t.diagnostic(`dotnet build: ${build.seconds.toFixed(1)} s`);
      },
    );

    it(
      'publishes NativeAOT with no IL warning, to an ELF executable named bootstrap',
      { timeout: 900_000 },
      async (t) => {
        if (skipIfNeeded(t)) return;
        const publish = await dotnet(
          ['publish', 'Shipping.csproj', '-nologo', '-c', 'Release', '-r', rid, '-o', 'out'],
          dir,
        );
        assert.equal(publish.status, 0, tail(publish.output));
        assert.deepEqual(
          (publish.output.match(/warning IL\d{4}.*/g) ?? []).filter((w, n, all) => all.indexOf(w) === n),
          [],
          'trim/AOT warnings',
        );
        const bytes = readFileSync(executable);
        assert.deepEqual([...bytes.subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46], 'an ELF file');
        assert.equal(statSync(executable).mode & 0o111, 0o111, 'executable');
        published = true;
        t.diagnostic(
          `bootstrap: ${(bytes.length / 1024 / 1024).toFixed(2)} MB, published in ${publish.seconds.toFixed(1)} s`,
        );
      },
    );

    it('answers through the local Runtime API like the serializer it replaced, and reports a handler exception', async (t) => {
      if (skipIfNeeded(t)) return;
      if (!published) {
        t.skip('skipped: the publish step did not produce an executable');
        return;
      }
      emulator = await startRuntimeApi({ executable, output: 'capture', timeoutSeconds: 30, memoryMb: 512 });
      // Property names match case-insensitively (as with CamelCaseLambdaJsonSerializer); the result is camelCase
      // and its null Note is left out.
      const quote = await emulator.invoke(JSON.stringify({ Id: 'P-1', weightKg: 2.5, EXPRESS: true }));
      assert.equal(quote.outcome, 'success', quote.payload);
      assert.deepEqual(JSON.parse(quote.payload), { parcelId: 'P-1', price: 15, currency: 'EUR' });
      const failing = await emulator.invoke(JSON.stringify({ id: 'P-2', weightKg: 0 }));
      assert.equal(failing.outcome, 'function-error', failing.payload);
      assert.match((JSON.parse(failing.payload) as { errorType: string }).errorType, /ArgumentException/);
      const warm = await emulator.invoke(JSON.stringify({ id: 'P-3', weightKg: 1 }));
      assert.equal(warm.coldStart, false, 'the same process serves the next event');
      assert.deepEqual(JSON.parse(warm.payload), { parcelId: 'P-3', price: 5.7, currency: 'EUR' });
      t.diagnostic(
        `init ${quote.initDurationMs?.toFixed(1)} ms, cold start ${quote.coldStartMs?.toFixed(1)} ms`,
      );
    });
  },
);
