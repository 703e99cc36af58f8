import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isTemplatePath } from './catalog/template-manifest.js';
import { printable, settingsTable, type Setting, type SettingKey } from './settings.js';
import { settingsStoreKey } from './stored-settings.js';

/** A preset file that cannot be used: the message names the file, the problem and the fix. */
export class PresetError extends Error {}

/** Presets are small hand-written JSON files; anything larger is not one. */
const maxPresetBytes = 64 * 1024;

/**
 * Reads a starter kit's preset: a `.yo-rc.json`-shaped file (`{ "generator-aot-lambda": { ... } }`) or a flat
 * object. Keys are the settings' keys (`jsonTypes`) or flags (`json-types`); values are strings, and type lists
 * may also be arrays of strings. Only the shape is checked here: the values go through the settings table's
 * validation like flags do, so a bad value gets the same error from a preset as from the command line.
 */
export function readPreset(given: string, cwd: string): Partial<Record<SettingKey, string>> {
  const path = resolve(cwd, given);
  const where = `--preset ${printable(given)}`;
  const parsed = parseFile(path, where);
  const body =
    isObject(parsed) && isObject(parsed[settingsStoreKey])
      ? (parsed[settingsStoreKey] as Record<string, unknown>)
      : parsed;
  if (!isObject(body)) {
    throw new PresetError(
      `${where}: expected a JSON object of settings, such as {"template": "typed"}; found ${describeJson(body)}.`,
    );
  }
  const out: Partial<Record<SettingKey, string>> = {};
  for (const [key, value] of Object.entries(body)) {
    const setting = settingsTable.find((s) => s.key === key || s.flag === key);
    if (!setting) {
      throw new PresetError(
        `${where}: unknown setting '${printable(key)}'. Settings: ${settingsTable.map((s) => s.key).join(', ')}.`,
      );
    }
    out[setting.key] = presetValue(setting, value, where);
    // A kit's template folder is named relative to the preset, wherever the command runs.
    const template = out.template;
    if (setting.key === 'template' && template !== undefined && isTemplatePath(template)) {
      out.template = resolve(dirname(path), template);
    }
  }
  return out;
}

function parseFile(path: string, where: string): unknown {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new PresetError(`${where}: not a regular file. Pass the path of a JSON file.`);
    size = stat.size;
  } catch (error) {
    if (error instanceof PresetError) throw error;
    throw new PresetError(`${where}: the file cannot be read (${(error as NodeJS.ErrnoException).code}).`);
  }
  if (size > maxPresetBytes) {
    throw new PresetError(
      `${where}: ${size} bytes; a preset is a JSON file of at most ${maxPresetBytes} bytes.`,
    );
  }
  try {
    return JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, '')) as unknown;
  } catch (error) {
    throw new PresetError(`${where}: not valid JSON (${(error as Error).message}).`);
  }
}

/** Type lists may be written as JSON arrays; every other setting is one string. */
const listSettings: ReadonlySet<SettingKey> = new Set(['jsonTypes', 'reflectionTypes']);

function presetValue(setting: Setting, value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (listSettings.has(setting.key) && Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return value.join(',');
  }
  const expected = listSettings.has(setting.key) ? 'a string or an array of strings' : 'a string';
  throw new PresetError(
    `${where}: '${setting.key}' must be ${expected}, such as ${JSON.stringify(setting.example)}; found ${describeJson(value)}.`,
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${printable(JSON.stringify(value))}`;
}
