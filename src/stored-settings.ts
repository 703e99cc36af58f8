import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingsTable, type SettingKey } from './settings.js';
import { validateJsonTypes, validateName, validateReflectionTypes } from './spec.js';

/** Key of this generator's answers in `.yo-rc.json` (Yeoman's convention: the package name). */
export const settingsStoreKey = 'generator-aot-lambda';

/** Settings stored by an earlier run in `<dir>/.yo-rc.json`, or undefined when there are none. */
export function readStoredSettings(dir: string): Partial<Record<SettingKey, string>> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const stored = (parsed as Record<string, unknown> | null)?.[settingsStoreKey];
  if (typeof stored !== 'object' || stored === null) return undefined;
  const out: Partial<Record<SettingKey, string>> = {};
  for (const setting of settingsTable) {
    const value = (stored as Record<string, unknown>)[setting.key];
    if (typeof value === 'string') out[setting.key] = value;
  }
  return out;
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
