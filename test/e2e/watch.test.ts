/**
 * `aot-lambda watch` on a real generated project: built with the .NET SDK, requests through the HTTP front door
 * answered by the function, a source edit rebuilt and served, and Ctrl-C leaving no process behind.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { binArgs } from '../bin/run-bin.js';
import { missingTools, run, workDir } from './dotnet.js';

const name = 'Watched';

/** Processes whose command line mentions `needle` (the runtimes started from the build folders). */
function processesMentioning(needle: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('aot-lambda watch: build, serve, rebuild on change, stop', { concurrency: false }, () => {
  const skip = missingTools(['dotnet']);
  const parent = skip ? '' : workDir('watch');
  const root = join(parent, name);
  let child: ChildProcess | undefined;
  let output = '';
  let exited: Promise<number | null> | undefined;

  /** Resolves when the output (from `from` on) matches; fails after `seconds`. */
  const waitFor = async (pattern: RegExp, seconds: number, from = 0): Promise<RegExpExecArray> => {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
      const match = pattern.exec(output.slice(from));
      if (match) return match;
      if (Date.now() > deadline) throw new Error(`no ${pattern} after ${seconds} s:\n${output.slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  before(async () => {
    if (skip) return;
    const scaffold = await run(
      process.execPath,
      [...binArgs, 'new', name, '--yes', '--skip-install', '--client', 'minimal', '--template', 'http-api'],
      parent,
    );
    assert.equal(scaffold.status, 0, scaffold.output);
  });
  after(() => child?.kill('SIGKILL'));

  it('serves the function through the HTTP front door, rebuilds on an edit, and stops cleanly', async (t) => {
    if (skip) return t.skip(skip);
    child = spawn(process.execPath, [...binArgs, 'watch', '--port', '0', '--memory', '256'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    exited = new Promise((resolve) => child?.on('exit', (code) => resolve(code)));

    const url = (await waitFor(/HTTP +(http:\/\/127\.0\.0\.1:\d+\/)/, 240))[1] as string;
    const first = await fetch(`${url}hello?name=Ada`);
    assert.equal(first.status, 200);
    assert.deepEqual(await first.json(), { message: 'Hello, Ada!' });
    await waitFor(/REPORT RequestId: .*Init Duration: .*Memory Size: 256 MB/, 10);

    const source = join(root, 'src', name, 'Function.cs');
    const mark = output.length;
    writeFileSync(source, readFileSync(source, 'utf8').replace('$"Hello, {name}!"', '$"Hi, {name}!"'));
    await waitFor(/Changed: .*Function\.cs[\s\S]*Built in [\d.]+ s/, 240, mark);
    const second = await fetch(`${url}hello?name=Ada`);
    assert.deepEqual(await second.json(), { message: 'Hi, Ada!' });

    const invoke = await fetch(url.replace(/\/$/, `/2015-03-31/functions/${name}/invocations`), {
      method: 'POST',
      body: readFileSync(join(root, 'events', 'event.json')),
    });
    assert.equal(invoke.status, 200);
    assert.equal(((await invoke.json()) as { statusCode: number }).statusCode, 200);

    const builds = join(root, 'artifacts', 'watch');
    assert.ok(processesMentioning(builds).length > 0, 'a runtime is running from the build folder');
    child.kill('SIGINT');
    assert.equal(await exited, 0, output.slice(-2000));
    assert.match(output, /Stopped\./);
    assert.deepEqual(processesMentioning(builds), [], 'no runtime left behind');
  });
});
