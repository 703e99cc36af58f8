import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkChoice, settingByKey, SettingError } from '../../src/settings.js';

describe('checkChoice', () => {
  const runtime = settingByKey('runtime');
  const message = (value: string): string => {
    try {
      checkChoice(runtime, value);
    } catch (error) {
      assert.ok(error instanceof SettingError);
      return error.message;
    }
    assert.fail(`--runtime ${value} was accepted`);
  };

  it('refuses a retired runtime with its reason, and an unknown one with the valid values', () => {
    assert.match(message('provided.al2'), /^--runtime provided\.al2 is refused: .*provided\.al2023/);
    assert.equal(
      message('nodejs22.x'),
      "Unknown --runtime 'nodejs22.x'. Valid values: provided.al2023, dotnet10, dotnet8.",
    );
  });

  it("does not take Object.prototype's members for refusals", () => {
    for (const value of ['constructor', 'toString', '__proto__', 'hasOwnProperty'])
      assert.match(message(value), new RegExp(`^Unknown --runtime '${value}'\\. Valid values: `));
  });
});
