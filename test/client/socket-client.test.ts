/**
 * The built-in client's HTTP/1.1 (templates/client/minimal/Runtime/RuntimeApiClient.cs.ejs), run for real: a
 * generated minimal-client hello, built once (JIT: framing does not depend on the compiler), against
 *  - a framing fuzzer (test/client/framing-server.ts, not the emulator): Content-Length, chunked, until-close
 *    bodies, header names in any case, interim answers, writes cut anywhere, connections kept or closed with
 *    or without a word, 4xx answers to posts;
 *  - 6 MB events both ways, error statuses and a broken status line;
 *  - the product's emulator.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { startRuntimeApi } from '../../src/emulator/index.js';
import { binArgs } from '../bin/run-bin.js';
import { dotnet, missingTools, run, tail, workDir } from '../e2e/dotnet.js';
import {
  plainFraming,
  startFramingServer,
  type Exchange,
  type Framing,
  type Posted,
} from './framing-server.js';

const name = 'Framing';
const architecture = process.arch === 'arm64' ? 'arm64' : 'x86_64';
const rid = process.arch === 'arm64' ? 'linux-arm64' : 'linux-x64';

interface Served {
  readonly posted: Posted[];
  readonly output: string;
  /** The exit code, or null when the runtime was still waiting for events (the normal end). */
  readonly exitCode: number | null;
}

/** Runs the built runtime against a framing server until every event is answered or the runtime exits. */
async function serve(
  executable: string,
  exchanges: readonly Exchange[],
  options: Parameters<typeof startFramingServer>[1] & {
    host?: string;
    env?: Readonly<Record<string, string>>;
  } = {},
): Promise<Served> {
  const server = await startFramingServer(exchanges, options);
  // The API as a host name (resolved by getaddrinfo) instead of the address literal Lambda gives.
  const api = options.host ? server.address.replace('127.0.0.1', options.host) : server.address;
  const child = spawn(executable, [], {
    env: {
      ...process.env,
      AWS_LAMBDA_RUNTIME_API: api,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  child.stderr.on('data', (c: Buffer) => chunks.push(c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  let timer: NodeJS.Timeout | undefined;
  const exitCode = await Promise.race([
    server.allPosted().then(() => null),
    exited,
    new Promise<number>((resolve) => (timer = setTimeout(() => resolve(-2), 30_000))),
  ]);
  clearTimeout(timer);
  child.kill('SIGKILL');
  await exited;
  await server.close();
  return { posted: server.posted, output: Buffer.concat(chunks).toString('utf8'), exitCode };
}

const framing: fc.Arbitrary<Framing> = fc.record({
  body: fc.constantFrom('length', 'chunked', 'close'),
  chunks: fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 4 }),
  splits: fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 6 }),
  headerCase: fc.constantFrom('canonical', 'lower', 'upper', 'mixed'),
  interim: fc.boolean(),
  chunkExtensions: fc.boolean(),
  trailers: fc.boolean(),
  after: fc.constantFrom('keep', 'close-announced', 'close-silent'),
});

// Characters whose upper case is the same in JavaScript and in .NET's invariant culture.
const alphabet = Array.from('abcxyzABCXYZ019 .,:;!?-_"\\/{}[]<>&\'é€日😀\n\t');
const text = fc.array(fc.constantFrom(...alphabet), { maxLength: 300 }).map((chars) => chars.join(''));

const exchange = (event: string, next: Framing, ackStatus = 202, ack: Framing = plainFraming): Exchange => ({
  event: Buffer.from(JSON.stringify(event)),
  next,
  ackStatus,
  ack,
});

/** JSON's escape of a control character: the short forms where JSON has one, else \u00XX. */
function escapeControl(code: number): string {
  const short: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
  return short[code] ?? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

describe(
  'built-in client: HTTP/1.1 against a framing fuzzer and the emulator',
  { concurrency: false },
  () => {
    const skip = missingTools(['dotnet']);
    const parent = skip ? '' : workDir('framing');
    const root = join(parent, name);
    const executable = join(root, 'src', name, 'bin', 'Release', 'net10.0', rid, 'bootstrap');

    before(async () => {
      if (skip) return;
      const scaffold = await run(
        process.execPath,
        [
          ...binArgs,
          'new',
          name,
          '--yes',
          '--skip-install',
          '--client',
          'minimal',
          '--architecture',
          architecture,
        ],
        parent,
      );
      assert.equal(scaffold.status, 0, scaffold.output);
      // One more answer for the memory-limit cases: the GC's heap limit, as the runtime left it.
      const source = join(root, 'src', name, 'Function.cs');
      const upper = 'return input?.ToUpperInvariant() ?? string.Empty;';
      const original = readFileSync(source, 'utf8');
      assert.ok(original.includes(upper), 'the hello handler changed: update this test');
      writeFileSync(
        source,
        original.replace(
          upper,
          'return input == "gc-limit" ? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) : input?.ToUpperInvariant() ?? string.Empty;',
        ),
      );
      const build = await dotnet(['build', join('src', name), '-c', 'Release', '-v', 'q', '--nologo'], root);
      assert.equal(build.status, 0, tail(build.output));
    });

    it('answers every event whatever the framing, the splits and the connection endings', async (t) => {
      if (skip) return t.skip(skip);
      let cases = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(text, framing, fc.constantFrom(202, 202, 202, 400, 413), framing), {
            minLength: 1,
            maxLength: 6,
          }),
          async (script) => {
            cases += 1;
            const exchanges = script.map(([event, next, status, ack]) => exchange(event, next, status, ack));
            const served = await serve(executable, exchanges);
            assert.equal(
              served.exitCode,
              null,
              `the runtime exited (${served.exitCode}):\n${tail(served.output)}`,
            );
            assert.equal(served.posted.length, script.length);
            script.forEach(([event], i) => {
              const post = served.posted[i] as Posted;
              assert.match(post.path, new RegExp(`/runtime/invocation/request-${i + 1}/response$`));
              assert.equal(JSON.parse(post.body.toString('utf8')), event.toUpperCase());
            });
          },
        ),
        { numRuns: Number(process.env.AOT_LAMBDA_PROPERTY_RUNS ?? 25) },
      );
      t.diagnostic(`${cases} scripted sessions answered correctly`);
    });

    it('carries 6 MB events and responses, framed by length or in chunks, read in short pieces', async (t) => {
      if (skip) return t.skip(skip);
      const big = 'abc'.repeat(2_000_000);
      const chunked: Framing = {
        ...plainFraming,
        body: 'chunked',
        chunks: [65_536, 1, 1_000_003],
        splits: [7, 70_000],
      };
      const served = await serve(executable, [
        exchange(big, { ...plainFraming, splits: [1, 2, 3, 500_000] }),
        exchange(big, chunked),
      ]);
      assert.equal(served.exitCode, null, tail(served.output));
      for (const post of served.posted)
        assert.equal(JSON.parse(post.body.toString('utf8')), big.toUpperCase());
      assert.equal(served.posted.length, 2);
    });

    it('escapes only what JSON requires in responses', async (t) => {
      if (skip) return t.skip(skip);
      // Control characters, quote and backslash escaped; HTML-sensitive characters, non-ASCII and emoji as they are
      // (Runtime/MinimalJsonEscaping.cs).
      const controls = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)).join('');
      const cases: [event: string, expected: string][] = [
        [
          `a"b\\c${controls}`,
          `"A\\"B\\\\C${Array.from({ length: 0x20 }, (_, i) => escapeControl(i)).join('')}"`,
        ],
        ["<p>&'+`é€日😀</p>", '"<P>&\'+`É€日😀</P>"'],
      ];
      const served = await serve(
        executable,
        cases.map(([event]) => exchange(event, plainFraming)),
      );
      assert.equal(served.exitCode, null, tail(served.output));
      cases.forEach(([, expected], i) => assert.equal(served.posted[i]?.body.toString('utf8'), expected));
    });

    it('resolves a host name with getaddrinfo (localhost)', async (t) => {
      if (skip) return t.skip(skip);
      const served = await serve(executable, [exchange('by name', plainFraming)], { host: 'localhost' });
      assert.equal(served.exitCode, null, tail(served.output));
      assert.equal(served.posted[0]?.body.toString('utf8'), '"BY NAME"');
    });

    it('exits with code 1 and names the host when it does not resolve', async (t) => {
      if (skip) return t.skip(skip);
      const served = await serve(executable, [exchange('x', plainFraming)], { host: 'runtime-api.invalid' });
      assert.equal(served.exitCode, 1);
      assert.match(
        served.output,
        /GET \/runtime\/invocation\/next failed: cannot resolve 'runtime-api\.invalid': /,
      );
    });

    it("caps the GC heap at the function's memory, keeps a lower limit, and can be told not to", async (t) => {
      if (skip) return t.skip(skip);
      const limit = async (env: Record<string, string>): Promise<number> => {
        const served = await serve(executable, [exchange('gc-limit', plainFraming)], { env });
        assert.equal(served.exitCode, null, tail(served.output));
        return Number(JSON.parse(served.posted[0]?.body.toString('utf8') ?? '""'));
      };
      const mib = 1024 * 1024;
      // What the GC sees on its own (the machine's memory, or a container's limit if lower).
      const own = await limit({ AWS_LAMBDA_DOTNET_DISABLE_MEMORY_LIMIT_CHECK: 'true' });
      assert.ok(own > 0);
      // Not capped: a cap would be exactly the function's 512 MiB.
      assert.notEqual(own, 512 * mib, 'the disabled check still capped the heap');
      assert.equal(await limit({}), Math.min(own, 512 * mib));
      // DOTNET_ GC settings are hexadecimal: 8000000 is 128 MiB, lower than the function's 512.
      assert.equal(await limit({ DOTNET_GCHeapHardLimit: '8000000' }), Math.min(own, 128 * mib));
    });

    it('exits with code 1 and says why when GET /next answers 500', async (t) => {
      if (skip) return t.skip(skip);
      const served = await serve(executable, [exchange('x', plainFraming)], { nextStatus: 500 });
      assert.equal(served.exitCode, 1);
      assert.match(served.output, /GET \/runtime\/invocation\/next answered 500/);
    });

    it('exits with code 1 and names the fault when the answer is not HTTP/1.x', async (t) => {
      if (skip) return t.skip(skip);
      const served = await serve(executable, [exchange('x', plainFraming)], {
        rawNextAnswer: Buffer.from('SPDY/3 200 OK\r\nContent-Length: 0\r\n\r\n'),
      });
      assert.equal(served.exitCode, 1);
      assert.match(served.output, /not an HTTP\/1\.x status line: 'SPDY\/3 200 OK'/);
    });

    it('exits with code 1 when a Content-Length cannot be used', async (t) => {
      if (skip) return t.skip(skip);
      const served = await serve(executable, [exchange('x', plainFraming)], {
        rawNextAnswer: Buffer.from(
          'HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: r\r\nContent-Length: 99999999999\r\n\r\n',
        ),
      });
      assert.equal(served.exitCode, 1);
      assert.match(served.output, /unusable Content-Length '99999999999'/);
    });

    describe('through the product emulator', () => {
      let emulator: Awaited<ReturnType<typeof startRuntimeApi>> | undefined;
      after(async () => emulator?.close());

      it('answers a small and a near-6 MB event', async (t) => {
        if (skip) return t.skip(skip);
        emulator = await startRuntimeApi({ executable, output: 'capture', timeoutSeconds: 30 });
        const small = await emulator.invoke(JSON.stringify('hello world'));
        assert.equal(small.outcome, 'success', small.payload);
        assert.equal(small.payload, '"HELLO WORLD"');
        const big = 'x'.repeat(6_000_000);
        const large = await emulator.invoke(JSON.stringify(big));
        assert.equal(large.outcome, 'success', large.payload.slice(0, 300));
        assert.equal(large.payload.length, big.length + 2);
        assert.equal(JSON.parse(large.payload), big.toUpperCase());
      });
    });
  },
);
