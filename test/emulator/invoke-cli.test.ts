import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { invokeCommand, splitCommand } from '../../src/cli/invoke.js';
import { scriptedRuntime } from './helpers.js';

const invokeModule = fileURLToPath(new URL('../../src/cli/invoke.ts', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `aot-lambda invoke ...` in its own process, through the exported command (main.ts only dispatches to it). */
function invokeProcess(args: string[], stdin: string): Promise<Run> {
  const program = `const { invokeCommand } = await import(${JSON.stringify(invokeModule)});
process.exitCode = await invokeCommand(process.argv.slice(1));`;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', program, '--', ...args],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** The same command in this process, its output collected (a tsx start-up per case would cost a second). */
async function invoke(args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await invokeCommand(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

describe('aot-lambda invoke', () => {
  let scratch: string;
  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'invoke-cli-'));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('prints the payload on stdout and START/END/REPORT on stderr; exit 0', async () => {
    const eventFile = join(scratch, 'event.json');
    writeFileSync(eventFile, '{"action":"env"}');
    const run = await invoke([
      scriptedRuntime,
      '--event',
      eventFile,
      '--env',
      'GREETING=hi there',
      '--env',
      'EMPTY=',
      '--memory',
      '256',
      '--name',
      'orders',
      '--quiet',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.split('\n').length, 2, 'one payload line');
    const payload = JSON.parse(run.stdout) as { env: Record<string, string> };
    assert.equal(payload.env.GREETING, 'hi there');
    assert.equal(payload.env.EMPTY, '');
    assert.equal(payload.env.AWS_LAMBDA_FUNCTION_NAME, 'orders');
    assert.match(run.stderr, /^START RequestId: \S+ Version: \$LATEST$/m);
    assert.match(run.stderr, /^END RequestId: \S+$/m);
    assert.match(
      run.stderr,
      /^REPORT RequestId: \S+\tInit Duration: [\d.]+ ms\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB$/m,
    );
  });

  it('--json --repeat prints one result per line: cold first, then warm', async () => {
    const run = await invoke([
      scriptedRuntime,
      '--event',
      '{"hello":1}',
      '--repeat',
      '3',
      '--json',
      '--quiet',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const results = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      results.map((r) => [r.outcome, r.coldStart, r.statusCode]),
      [
        ['success', true, 200],
        ['success', false, 200],
        ['success', false, 200],
      ],
    );
    const first = results[0] as Record<string, unknown>;
    assert.equal((JSON.parse(first.payload as string) as { event: { hello: number } }).event.hello, 1);
    for (const key of [
      'initDurationMs',
      'durationMs',
      'billedDurationMs',
      'coldStartMs',
      'maxMemoryUsedMb',
    ]) {
      assert.equal(typeof first[key], 'number', key);
    }
    assert.equal(first.memorySizeMb, 512, 'the generated template.yaml value');
    assert.match(first.report as string, /^REPORT RequestId: /);
    assert.match(
      run.stderr,
      /^3 invocations, 0 failed, cold start [\d.]+ ms \(init [\d.]+ ms\), warm median [\d.]+ ms, max memory \d+ MB$/m,
    );
  });

  it('works as its own process: event from stdin (--event -), payload on stdout, exit status', async () => {
    const run = await invokeProcess([scriptedRuntime, '--event', '-', '--quiet'], '{"from":"stdin"}');
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { event: { from: string } }).event.from, 'stdin');
    assert.match(run.stderr, /^REPORT RequestId: /m);
    const failed = await invokeProcess(
      [scriptedRuntime, '--event', '-', '--quiet'],
      '{"action":"crash","code":7}',
    );
    assert.equal(failed.code, 1);
    assert.match(failed.stdout, /Runtime exited with error: exit status 7/);
  });

  it("waits for the runtime's next request before END and REPORT: logs after the response are shown", async () => {
    const run = await invokeProcess(
      [scriptedRuntime, '--event', '{"action":"after-response","ms":200,"text":"late"}'],
      '',
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { answered: true });
    const lines = run.stderr.split('\n');
    const at = (prefix: string) => lines.findIndex((line) => line.startsWith(prefix));
    assert.ok(at('done after late') > at('after response late'), run.stderr);
    assert.ok(at('after response late') > at('START '), run.stderr);
    assert.ok(at('END ') > at('done after late'), run.stderr);
    const duration = Number(/\tDuration: ([\d.]+) ms/.exec(run.stderr)?.[1]);
    assert.ok(duration >= 200, `Duration ${duration} ms includes the 200 ms after the response`);
  });

  it('exits 1 on a function error and on a timeout, printing what the caller gets', async () => {
    const error = await invoke([
      scriptedRuntime,
      '--event',
      '{"action":"error","type":"Function.Nope"}',
      '--quiet',
    ]);
    assert.equal(error.code, 1);
    assert.equal(
      error.stdout.trim(),
      '{"errorMessage":"it failed","errorType":"FixtureError","stackTrace":["at handler"]}',
    );

    const timeout = await invoke([
      scriptedRuntime,
      '--event',
      '{"action":"sleep","ms":5000}',
      '--timeout',
      '1',
      '--quiet',
    ]);
    assert.equal(timeout.code, 1);
    assert.equal(timeout.stdout.trim(), 'Task timed out after 1.00 seconds');
    assert.match(timeout.stderr, /\tStatus: timeout$/m);
  });

  it('runs --cmd words without a shell, quotes grouping words', async () => {
    const run = await invoke([
      '--cmd',
      `${process.execPath} '${scriptedRuntime}' "two words" $HOME`,
      '--event',
      '{"action":"env"}',
      '--quiet',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const { argv } = JSON.parse(run.stdout) as { argv: string[] };
    assert.deepEqual(argv.slice(1), [scriptedRuntime, 'two words', '$HOME']);
  });

  it('explains a missing or non-executable file, and bad options, with exit 2', async () => {
    const missing = await invoke([join(scratch, 'bootstrap')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /bootstrap: no such file/);

    const notExecutable = join(scratch, 'not-executable');
    copyFileSync(scriptedRuntime, notExecutable);
    chmodSync(notExecutable, 0o644);
    const denied = await invoke([notExecutable]);
    assert.equal(denied.code, 2);
    assert.match(denied.stderr, /is not executable: chmod 755 /);

    const badOption = await invoke([scriptedRuntime, '--timeout', 'soon']);
    assert.equal(badOption.code, 2);
    assert.match(badOption.stderr, /--timeout soon: expected a whole number of seconds from 1 to 900/);

    const badEvent = await invoke([scriptedRuntime, '--event', 'missing.json']);
    assert.equal(badEvent.code, 2);
    assert.match(badEvent.stderr, /neither a file nor valid JSON/);

    const help = await invoke(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: aot-lambda invoke <executable> \[options\]/);
  });
});

describe('splitCommand', () => {
  it('splits words like a shell, without expanding anything', () => {
    assert.deepEqual(splitCommand('dotnet bin/bootstrap.dll'), ['dotnet', 'bin/bootstrap.dll']);
    assert.deepEqual(splitCommand(`  a  'b c'  "d \\"e\\"" f\\ g '' $X `), [
      'a',
      'b c',
      'd "e"',
      'f g',
      '',
      '$X',
    ]);
    assert.deepEqual(splitCommand(`it's"quoted"`.replace("'", "\\'")), ["it's" + 'quoted']);
    assert.throws(() => splitCommand('"open'), /unterminated/);
  });
});
