/**
 * Doctor inside a project (issue 15, item 4): a bootstrap or zip under a generated or converted project is
 * checked against the project's architecture and runtime, not Lambda's defaults, and the report says which
 * file they came from. Options still win.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { doctorCommand } from '../../src/cli/doctor.js';
import { DoctorInputError, runDoctor, type CheckResult, type DoctorReport } from '../../src/doctor/index.js';
import { settingsFrom } from '../../src/doctor/project-settings.js';
import { generate, type Generated } from '../helpers/generate.js';

let dir: string;
let x64: Buffer;
let arm64: Buffer;
let project: Generated;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'doctor-project-'));
  writeFileSync(join(dir, 'hello.c'), 'int main(void) { return 0; }\n');
  execFileSync('cc', ['-O0', '-o', join(dir, 'hello'), join(dir, 'hello.c')], { stdio: 'pipe' });
  x64 = readFileSync(join(dir, 'hello'));
  arm64 = Buffer.from(x64);
  arm64.writeUInt16LE(183, 18); // e_machine: AArch64, all the architecture check reads
  project = await generate({ name: 'Orders', architecture: 'arm64', yes: true });
});
after(() => rmSync(dir, { recursive: true, force: true }));

function place(root: string, path: string, bytes: Buffer): string {
  const file = join(root, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, bytes);
  chmodSync(file, 0o755);
  return file;
}

function check(report: DoctorReport, id: string): CheckResult {
  const found = report.checks.find((c) => c.id === id);
  assert.ok(found, `no ${id} check`);
  return found;
}

describe('doctor takes the architecture and runtime from the enclosing project', () => {
  it("an arm64 bootstrap in a generated arm64 project's publish folder passes: the csproj says linux-arm64", async () => {
    const bootstrap = place(
      project.root,
      'src/Orders/bin/Release/net10.0/linux-arm64/publish/bootstrap',
      arm64,
    );
    const report = await runDoctor(bootstrap);
    assert.equal(report.architecture, 'arm64');
    assert.equal(report.runtime, 'provided.al2023');
    assert.equal(report.settingsSource, join(project.root, 'src/Orders/Orders.csproj'));
    assert.equal(check(report, 'architecture').verdict, 'PASS');
    assert.ok(!report.checks.some((c) => /\(the default\)/.test(c.reason)), 'no warning about the default');
  });

  it("at the project's root (artifacts/), the .yo-rc.json speaks; an x86-64 build there fails, not warns", async () => {
    const bootstrap = place(project.root, 'artifacts/publish/bootstrap', x64);
    const report = await runDoctor(bootstrap);
    assert.equal(report.settingsSource, join(project.root, '.yo-rc.json'));
    const architecture = check(report, 'architecture');
    assert.equal(architecture.verdict, 'FAIL');
    assert.match(architecture.reason, /built for x86-64 .* but the function is arm64/);
    assert.equal(
      check(await runDoctor(bootstrap, { architecture: 'x86_64' }), 'architecture').verdict,
      'PASS',
    );
    // The runtime still comes from the project; with both given, nothing does.
    const given = await runDoctor(bootstrap, { architecture: 'x86_64', runtime: 'provided.al2023' });
    assert.equal(given.settingsSource, undefined);
  });

  it('the report names the file the settings came from', async () => {
    let stdout = '';
    await doctorCommand([join(project.root, 'artifacts/publish/bootstrap')], {
      stdout: { write: (s: string) => ((stdout += s), true) } as NodeJS.WritableStream,
      stderr: { write: () => true } as unknown as NodeJS.WritableStream,
    });
    assert.match(
      stdout.split('\n')[0] ?? '',
      new RegExp(
        `checked for provided\\.al2023 on arm64 \\(as set in ${join(project.root, '.yo-rc.json').replace(/[.]/g, '\\.')}\\)$`,
      ),
    );
  });

  it('a converted project: RuntimeIdentifier from the csproj, runtime from aws-lambda-tools-defaults.json', async () => {
    const root = join(dir, 'Converted');
    mkdirSync(join(root, 'src'), { recursive: true });
    writeFileSync(
      join(root, 'src/Converted.csproj'),
      '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><RuntimeIdentifier>linux-arm64</RuntimeIdentifier></PropertyGroup></Project>\n',
    );
    writeFileSync(
      join(root, 'src/aws-lambda-tools-defaults.json'),
      JSON.stringify({ 'function-runtime': 'dotnet10' }),
    );
    const exe = place(root, 'src/bin/Release/net10.0/linux-arm64/publish/Converted', arm64);
    assert.deepEqual(settingsFrom(exe), {
      architecture: 'arm64',
      runtime: 'dotnet10',
      source: join(root, 'src/Converted.csproj'),
    });
    const report = await runDoctor(exe);
    assert.equal(report.runtime, 'dotnet10');
    assert.equal(check(report, 'architecture').verdict, 'PASS');
    assert.equal(check(report, 'name').verdict, 'WARN', 'a managed runtime runs the handler by name');
  });

  it('a bad value in the project is refused naming the file; outside any project the defaults stay', async () => {
    const root = join(dir, 'Broken');
    mkdirSync(root, { recursive: true });
    writeFileSync(
      join(root, '.yo-rc.json'),
      JSON.stringify({ 'generator-aot-lambda': { architecture: 'sparc' } }),
    );
    const bootstrap = place(root, 'bootstrap', x64);
    await assert.rejects(runDoctor(bootstrap), (error: Error) => {
      assert.ok(error instanceof DoctorInputError);
      assert.match(
        error.message,
        new RegExp(`^${join(root, '.yo-rc.json').replace(/[.]/g, '\\.')}: .*'sparc'`),
      );
      return true;
    });
    const loose = place(dir, 'loose/bootstrap', x64);
    const report = await runDoctor(loose);
    assert.equal(report.settingsSource, undefined);
    assert.equal(report.architecture, 'x86_64');
  });
});
