import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { settingsTable } from '../../src/settings.js';
import { binArgs } from '../bin/run-bin.js';

const aotLambda = (...args: string[]) =>
  spawnSync(process.execPath, [...binArgs, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

describe('aot-lambda help', () => {
  for (const args of [['--help'], ['new', '--help']]) {
    it(`\`aot-lambda ${args.join(' ')}\` lists every setting with its values and default`, () => {
      const result = aotLambda(...args);
      assert.equal(result.status, 0, result.stderr);
      for (const setting of settingsTable.filter((s) => !s.argument)) {
        const block = result.stdout.slice(result.stdout.indexOf(`--${setting.flag} <value>`));
        assert.ok(block.length < result.stdout.length, `--${setting.flag} is listed`);
        const [entry] = block.split(/\n {2}-/);
        for (const choice of setting.choices ?? [])
          assert.ok(entry?.includes(choice.value), `${setting.flag}: ${choice.value}`);
        const fallback = setting.default === '' ? 'none' : (setting.default ?? 'required');
        assert.match(entry ?? '', new RegExp(`default: ${fallback.replace(/\./g, '\\.')};`));
      }
      for (const flag of ['--yes', '--force', '--skip-install', '--dry-run', '--preset <file>'])
        assert.ok(result.stdout.includes(flag), flag);
    });
  }

  it('lists the subcommands, and refuses an unknown one with the list', () => {
    const help = aotLambda('--help');
    for (const command of ['new', 'convert', 'invoke', 'watch', 'build', 'doctor'])
      assert.match(help.stdout, new RegExp(`^  ${command} `, 'm'));
    const unknown = aotLambda('deploy');
    assert.equal(unknown.status, 2);
    assert.equal(
      unknown.stderr.trim(),
      "aot-lambda: unknown command 'deploy'. Commands: new, convert, invoke, watch, build, doctor.",
    );
  });

  it('`aot-lambda build --help` names the architectures, --zip and the exit statuses', () => {
    const result = aotLambda('build', '--help');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^Usage: aot-lambda build \[project-or-folder\]/);
    assert.match(result.stdout, /--architecture x86_64\|arm64/);
    assert.match(result.stdout, /--zip/);
    assert.match(result.stdout, /Exit status: 0 /);
  });

  it('prints the package version', () => {
    const result = aotLambda('--version');
    assert.equal(result.status, 0);
    assert.match(result.stdout.trim(), /^\d+\.\d+\.\d+$/);
  });
});
