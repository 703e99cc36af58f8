/**
 * The proof that generated projects are real: each variant is scaffolded by the bin, built and tested with
 * the .NET SDK; the chosen ones are published NativeAOT and their executables answer through the local
 * Runtime API emulator. Between them the variants use every setting value at least once.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { architectures } from '../../src/catalog/architectures.js';
import { clients, defaultClient } from '../../src/catalog/clients.js';
import { functionTemplates } from '../../src/catalog/templates.js';
import { startRuntimeApi, type Emulator } from '../../src/emulator/index.js';
import { binArgs } from '../bin/run-bin.js';
import { writeNugetConfig } from '../helpers/nuget.js';
import { dotnet, missingTools, run, tail, unavailablePackages, workDir } from './dotnet.js';
import { pluginsSource, probeSource } from './probe.js';

interface Variant {
  readonly id: string;
  readonly options: Record<string, string>;
  /** Publish NativeAOT and invoke the executable. */
  readonly publish: boolean;
  /** The event that makes the handler fail, and the exception type the error must name. */
  readonly failingEvent?: { event: unknown; errorType: RegExp };
  readonly reflectionProbe?: boolean;
  readonly format?: boolean;
}

const name = 'E2e';
/**
 * Six variants cover every value of every setting, and the pairs that interact: each client with each
 * template and with both hosting kinds (the custom runtime's bootstrap, the managed runtime's executable),
 * each framework with the default client, net8.0 tests on a machine with only .NET 10. Four of them are
 * published NativeAOT (the costly step): the default client on both hosting kinds and on every template,
 * and the built-in client once.
 */
const variants: Variant[] = [
  {
    // Every setting at its default: what `aot-lambda new E2e --yes` gives a new user.
    id: 'hello / runtime-support / net10.0 / provided.al2023 / x86_64 / zip (all defaults)',
    options: { template: 'hello' },
    publish: true,
    // A JSON object where the handler takes a string: the serializer's failure is the handler's error.
    failingEvent: { event: { not: 'a string' }, errorType: /JsonException|JsonSerializerException/ },
    format: true,
  },
  {
    id: 'typed / runtime-support / net8.0 / dotnet10 / json-types + reflection-types',
    options: {
      template: 'typed',
      client: 'runtime-support',
      framework: 'net8.0',
      runtime: 'dotnet10',
      'json-types': 'Order, Task<Order>, List<Order>, Dictionary<string, int[]>',
      'reflection-types': `${name}.Plugins.Listed`,
    },
    publish: true,
    failingEvent: { event: { name: 'Ada', times: 99 }, errorType: /ArgumentException/ },
    reflectionProbe: true,
  },
  {
    id: 'http-api / runtime-support / net9.0 / provided.al2023 / image',
    options: {
      template: 'http-api',
      client: 'runtime-support',
      framework: 'net9.0',
      runtime: 'provided.al2023',
      packaging: 'image',
    },
    publish: true,
    failingEvent: { event: [1, 2, 3], errorType: /JsonException|JsonSerializerException/ },
  },
  {
    id: 'hello / minimal / net10.0 / provided.al2023 / zip',
    options: {
      template: 'hello',
      client: 'minimal',
      framework: 'net10.0',
      runtime: 'provided.al2023',
      packaging: 'zip',
    },
    publish: true,
    failingEvent: { event: { not: 'a string' }, errorType: /JsonException/ },
    format: true,
  },
  {
    // Built and tested only (the built-in client's native run is the variant above).
    id: 'typed / minimal / net9.0 / dotnet10 / json-types + reflection-types / image',
    options: {
      template: 'typed',
      client: 'minimal',
      framework: 'net9.0',
      runtime: 'dotnet10',
      packaging: 'image',
      'json-types': 'Order, List<Order>',
      'reflection-types': `${name}.Plugins.Listed`,
    },
    publish: false,
    // The placeholder classes of ReflectionTypes.cs and JsonTypes.cs are formatted as dotnet format expects too.
    format: true,
  },
  {
    // Built and tested only: an arm64 executable cannot run on this x86_64 machine. (net10.0: the NuGet
    // mirror here serves the linux-arm64 packs of .NET 10 but not the 9.0 patch this SDK asks for.)
    id: 'http-api / minimal / net10.0 / dotnet8 / arm64',
    options: {
      template: 'http-api',
      client: 'minimal',
      framework: 'net10.0',
      runtime: 'dotnet8',
      architecture: 'arm64',
    },
    publish: false,
  },
];

/** Events go as JSON text: the emulator sends strings as raw bytes, like a caller's payload. */
const asJson = (value: unknown): string => JSON.stringify(value);

const machineSkip = missingTools();

for (const variant of variants) {
  describe(`generated project: ${variant.id}`, { concurrency: false }, () => {
    const parent = machineSkip ? '' : workDir(variant.options.template ?? 'x');
    const root = join(parent, name);
    const template = functionTemplates.find((t) => t.id === variant.options.template);
    const client = clients.find((c) => c.id === (variant.options.client ?? defaultClient));
    const runtimeKind = variant.options.runtime?.startsWith('dotnet') ? 'managed' : 'custom';
    const executableName = runtimeKind === 'custom' ? 'bootstrap' : name;
    const executable = join(root, 'out', executableName);
    /** Set when a step could not run; later steps skip with the same reason. */
    let skipReason = machineSkip;
    // The Amazon.Lambda packages come from a nuget.config in the parent folder: the project stays as generated.
    if (!skipReason && (client?.packages.length ?? 0) > 0) skipReason = writeNugetConfig(parent);
    let published = false;

    const skipIfNeeded = (t: TestContext): boolean => {
      if (skipReason) t.skip(skipReason);
      return skipReason !== undefined;
    };

    before(async () => {
      if (skipReason) return;
      const args = Object.entries(variant.options).flatMap(([k, v]) => [`--${k}`, v]);
      const scaffold = await run(
        process.execPath,
        [...binArgs, 'new', name, '--yes', '--skip-install', ...args],
        parent,
      );
      assert.equal(scaffold.status, 0, scaffold.output);
    });

    it('restores, builds and passes its own tests (dotnet test)', async (t) => {
      if (skipIfNeeded(t)) return;
      const restore = await dotnet(['restore', `${name}.sln`], root);
      const unavailable = unavailablePackages(restore.output);
      if (restore.status !== 0 && unavailable.length > 0) {
        skipReason = `skipped: NuGet sources do not serve ${unavailable.join(', ')}; set AOT_LAMBDA_NUGET_SOURCE to a NuGet source (URL or folder) that serves them to run this variant`;
        t.skip(skipReason);
        return;
      }
      assert.equal(restore.status, 0, tail(restore.output));
      const test = await dotnet(['test', `${name}.sln`, '--no-restore', '-v', 'q', '--nologo'], root);
      assert.equal(test.status, 0, tail(test.output));
      const passed = /Passed:\s+(\d+)/.exec(test.output);
      assert.ok(passed && Number(passed[1]) >= 2, `tests ran and passed:\n${tail(test.output, 10)}`);
      assert.doesNotMatch(test.output, /Failed:\s+[1-9]/);
      t.diagnostic(`dotnet test: ${passed?.[1]} passed in ${test.seconds.toFixed(1)} s`);
    });

    if (variant.format) {
      it('is formatted as dotnet format expects', async (t) => {
        if (skipIfNeeded(t)) return;
        const format = await dotnet(['format', `${name}.sln`, '--verify-no-changes', '--no-restore'], root);
        assert.equal(format.status, 0, tail(format.output));
      });
    }

    if (!variant.publish) return;

    it('publishes NativeAOT with no trim or AOT warning, to a native executable with the expected name', async (t) => {
      if (skipIfNeeded(t)) return;
      writeFileSync(join(root, 'src', name, 'E2eProbe.cs'), probeSource(name));
      writeFileSync(join(root, 'src', name, 'E2ePlugins.cs'), pluginsSource(name));
      // The publish Amazon.Lambda.Tools runs (`dotnet lambda package`), from aws-lambda-tools-defaults.json: its zip is
      // the publish folder, so that folder must hold the executable alone, as scripts/package.sh's zip does.
      const tools = JSON.parse(
        readFileSync(join(root, 'src', name, 'aws-lambda-tools-defaults.json'), 'utf8'),
      ) as Record<string, string>;
      const arch = architectures.find((a) => a.id === (variant.options.architecture ?? 'x86_64'));
      const publish = await dotnet(
        [
          'publish',
          join('src', name, `${name}.csproj`),
          ...['-c', tools.configuration ?? '', '--framework', tools.framework ?? ''],
          ...['/p:GenerateRuntimeConfigurationFiles=true', '--runtime', arch?.rid ?? ''],
          ...(tools['msbuild-parameters'] ?? '').split(' '),
          ...['-o', 'out'],
        ],
        root,
      );
      assert.equal(publish.status, 0, tail(publish.output));
      assert.deepEqual(
        readdirSync(join(root, 'out')),
        [executableName],
        'the publish folder holds the executable alone',
      );
      const warnings = publish.output.match(/warning IL\d{4}.*/g) ?? [];
      assert.deepEqual(warnings, [], 'trim/AOT warnings');
      const bytes = readFileSync(executable);
      assert.deepEqual([...bytes.subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46], 'an ELF file');
      assert.equal(bytes.readUInt16LE(18), arch?.elfMachine, 'ELF machine');
      assert.equal(statSync(executable).mode & 0o111, 0o111, 'executable');
      t.diagnostic(
        `${executableName}: ${(bytes.length / 1024 / 1024).toFixed(2)} MB, published in ${publish.seconds.toFixed(1)} s`,
      );
      published = true;
    });

    describe('through the local Runtime API', () => {
      let emulator: Emulator | undefined;
      const skipUnpublished = (t: TestContext): boolean => {
        if (skipIfNeeded(t)) return true;
        if (!published) t.skip('skipped: the publish step did not produce an executable');
        return !published;
      };
      after(async () => emulator?.close());

      it('answers the sample event with the template response, then stays warm', async (t) => {
        if (skipUnpublished(t)) return;
        emulator = await startRuntimeApi({
          executable,
          output: 'capture',
          timeoutSeconds: 30,
          memoryMb: 512,
        });
        const cold = await emulator.invoke(asJson(template?.sampleEvent));
        assert.equal(cold.outcome, 'success', cold.payload);
        assert.deepEqual(JSON.parse(cold.payload), template?.expectedResponse);
        assert.ok(cold.coldStart && (cold.initDurationMs ?? 0) > 0);
        const warm = await emulator.invoke(asJson(template?.sampleEvent));
        assert.equal(warm.coldStart, false);
        assert.equal(warm.pid, cold.pid);
        assert.deepEqual(JSON.parse(warm.payload), template?.expectedResponse);
        t.diagnostic(
          `init ${cold.initDurationMs?.toFixed(1)} ms, cold start ${cold.coldStartMs?.toFixed(1)} ms, warm ${warm.durationMs.toFixed(2)} ms, max memory ${cold.maxMemoryUsedMb} MB`,
        );
      });

      if (variant.failingEvent) {
        const failing = variant.failingEvent;
        it('returns a handler exception as an error payload naming its type, and serves the next event', async (t) => {
          if (skipUnpublished(t)) return;
          emulator ??= await startRuntimeApi({ executable, output: 'capture', timeoutSeconds: 30 });
          const result = await emulator.invoke(asJson(failing.event));
          assert.equal(result.outcome, 'function-error', result.payload);
          const body = JSON.parse(result.payload) as {
            errorType: string;
            errorMessage: string;
            stackTrace?: unknown;
          };
          assert.match(body.errorType, failing.errorType);
          assert.equal(typeof body.errorMessage, 'string');
          assert.ok(Array.isArray(body.stackTrace));
          const next = await emulator.invoke(asJson(template?.sampleEvent));
          assert.equal(next.outcome, 'success', next.payload);
          assert.equal(next.coldStart, false, 'the same process serves the next event');
        });
      }

      it('reports an exception in the init phase as an init error', async (t) => {
        if (skipUnpublished(t)) return;
        const failing = await startRuntimeApi({
          executable,
          output: 'capture',
          timeoutSeconds: 30,
          env: { E2E_FAIL_INIT: '1' },
        });
        try {
          const result = await failing.invoke(asJson(template?.sampleEvent));
          assert.equal(result.outcome, 'init-error', result.payload);
          assert.equal(result.statusCode, 502);
          assert.match(result.payload, /InvalidOperationException|TypeInitializationException/);
          assert.match(result.payload, /E2E_FAIL_INIT/);
        } finally {
          await failing.close();
        }
      });

      if (variant.reflectionProbe) {
        it('keeps the generated placeholder of a --reflection-types type for reflection, and not an unlisted type', async (t) => {
          if (skipUnpublished(t)) return;
          // The listed type exists only because the generator wrote it: the project published as generated.
          assert.match(
            readFileSync(join(root, 'src', name, 'ReflectionTypes.cs'), 'utf8'),
            /^namespace E2e\.Plugins;\n\npublic sealed class Listed\n/m,
          );
          const assembly = executableName;
          const probe = await run(executable, [], root, {
            E2E_REFLECT: [
              `${name}.Plugins.Listed, ${assembly}`,
              `${name}.Plugins.Unlisted, ${assembly}`,
            ].join(';'),
          });
          assert.equal(probe.status, 0, probe.output);
          assert.match(probe.output, new RegExp(`${name}\\.Plugins\\.Listed, ${assembly} => created`));
          assert.match(probe.output, new RegExp(`${name}\\.Plugins\\.Unlisted, ${assembly} => missing`));
        });
      }
    });
  });
}
