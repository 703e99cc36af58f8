import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { completeSettings } from '../../src/settings.js';
import { readStoredSettings, settingsStoreKey, storedSettingsText } from '../../src/stored-settings.js';
import { tempDir } from '../helpers/fs.js';

const settings = completeSettings({ name: 'Orders' });

describe('.yo-rc.json', () => {
  it('a named pipe in its place is not opened (a read would hang): no stored settings', () => {
    const dir = tempDir();
    execFileSync('mkfifo', [join(dir, '.yo-rc.json')]);
    assert.equal(readStoredSettings(dir), undefined);
    assert.equal(
      storedSettingsText(dir, settings),
      `${JSON.stringify({ [settingsStoreKey]: settings }, null, 2)}\n`,
    );
  });

  it('equal settings keep the file as written (Yeoman wrote no final newline): a re-run finds it identical', () => {
    const dir = tempDir();
    const text = JSON.stringify({ [settingsStoreKey]: settings }, null, 2);
    writeFileSync(join(dir, '.yo-rc.json'), text);
    assert.equal(storedSettingsText(dir, settings), text);
  });

  it("changed settings replace this generator's key and keep other generators' keys", () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, '.yo-rc.json'),
      JSON.stringify({ other: { a: 1 }, [settingsStoreKey]: settings }),
    );
    const changed = { ...settings, architecture: 'arm64' };
    assert.deepEqual(JSON.parse(storedSettingsText(dir, changed)), {
      other: { a: 1 },
      [settingsStoreKey]: changed,
    });
  });
});
