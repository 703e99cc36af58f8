import { isDeepStrictEqual } from 'node:util';
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingsTable, type SettingKey } from './settings.js';
import { validateJsonTypes, validateName, validateReflectionTypes } from './spec.js';

/** Key of this generator's answers in `.yo-rc.json` (Yeoman's convention: the package name). */
export const settingsStoreKey = 'generator-aot-lambda';

/** Settings stored by an earlier run in `<dir>/.yo-rc.json`, or undefined when there are none. */
export function readStoredSettings(dir: string): Partial<Record<SettingKey, string>> | undefined {
  const parsed = readYoRc(dir);
  const stored = (parsed as Record<string, unknown> | null)?.[settingsStoreKey];
  if (typeof stored !== 'object' || stored === null) return undefined;
  const out: Partial<Record<SettingKey, string>> = {};
  for (const setting of settingsTable) {
    const value = (stored as Record<string, unknown>)[setting.key];
    if (typeof value === 'string') out[setting.key] = value;
  }
  return out;
}

/** Largest .yo-rc.json read: settings are a few hundred bytes; anything far bigger is not ours to parse. */
const maxYoRcBytes = 1024 * 1024;

/** The parsed `<dir>/.yo-rc.json`, or undefined when it is absent, not a regular file, too big or not JSON. */
function readYoRc(dir: string): unknown {
  const path = join(dir, '.yo-rc.json');
  try {
    // lstat first: reading a named pipe there would hang, and a device would never end.
    const stat = lstatSync(path);
    if (!stat.isFile() || stat.size > maxYoRcBytes) return undefined;
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The text of `<dir>/.yo-rc.json` storing `settings` under this generator's key, other generators' keys kept.
 * When the stored settings already equal them, the file's own text is returned, so a re-run finds it identical
 * whatever its formatting (Yeoman wrote it without a final newline).
 */
export function storedSettingsText(dir: string, settings: Readonly<Record<string, string>>): string {
  const parsed = readYoRc(dir);
  const existing = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : {};
  if (isDeepStrictEqual((existing as Record<string, unknown>)[settingsStoreKey], { ...settings })) {
    return readFileSync(join(dir, '.yo-rc.json'), 'utf8');
  }
  return `${JSON.stringify({ ...existing, [settingsStoreKey]: { ...settings } }, null, 2)}\n`;
}

/** Validation of free-text settings, shared by prompts and flags: a message naming the problem, or undefined. */
export function validateFreeText(key: SettingKey, value: string): string | undefined {
  try {
    if (key === 'name') validateName(value);
    else if (key === 'jsonTypes') validateJsonTypes(value);
    else if (key === 'reflectionTypes') validateReflectionTypes(value);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
