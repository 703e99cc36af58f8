import { architectures, defaultArchitecture } from './catalog/architectures.js';
import { clients, defaultClient } from './catalog/clients.js';
import { defaultFramework, frameworks } from './catalog/frameworks.js';
import { defaultPackaging, packagings } from './catalog/packaging.js';
import { defaultRuntime, retiredRuntimes, runtimes } from './catalog/runtimes.js';
import { defaultTemplate, functionTemplates, templateFor } from './catalog/templates.js';
import { unicodeEscape } from './render/escape.js';

/**
 * The one table of `new`'s settings. Each row is at once a CLI option, a prompt, a `.yo-rc.json` key and a
 * default; the generator, the bin's help and the tests all read it, so a setting is added here and nowhere else.
 */
export type SettingKey =
  | 'name'
  | 'framework'
  | 'architecture'
  | 'runtime'
  | 'client'
  | 'template'
  | 'jsonTypes'
  | 'reflectionTypes'
  | 'packaging';

export type Settings = Record<SettingKey, string>;

export interface Choice {
  readonly value: string;
  readonly description: string;
}

export interface Setting {
  readonly key: SettingKey;
  /** CLI flag without dashes (kebab-case). */
  readonly flag: string;
  readonly description: string;
  readonly message: string;
  /** Closed set of values; absent for free text. */
  readonly choices?: readonly Choice[];
  /** Values users still type that are refused outright, each with the reason (checked before `choices`). */
  readonly refused?: Readonly<Record<string, string>>;
  /**
   * Values beyond `choices` that are still accepted (a starter kit's template folder or npm package): throws
   * an Error whose message says what is wrong when the value is not one of them either.
   */
  readonly beyondChoices?: { readonly describe: string; readonly check: (value: string) => void };
  /** Absent: the value is required (a non-interactive run without it is an error). */
  readonly default?: string;
  /** Given as the positional argument rather than a flag. */
  readonly argument?: boolean;
  readonly example: string;
}

export const settingsTable: readonly Setting[] = [
  {
    key: 'name',
    flag: 'name',
    argument: true,
    description: 'Project name: folder, .sln/.csproj and C# namespace (letters, digits, _ - .)',
    message: 'Function project name',
    example: 'Orders',
  },
  {
    key: 'framework',
    flag: 'framework',
    description: 'Target framework',
    message: '.NET version',
    choices: frameworks.map((f) => ({
      value: f.tfm,
      description: `.NET ${f.version}, support ends ${f.supportEnds}`,
    })),
    default: defaultFramework,
    example: 'net10.0',
  },
  {
    key: 'architecture',
    flag: 'architecture',
    description: 'Lambda architecture (and .NET runtime identifier)',
    message: 'Architecture',
    choices: architectures.map((a) => ({ value: a.id, description: a.rid })),
    default: defaultArchitecture,
    example: 'arm64',
  },
  {
    key: 'runtime',
    flag: 'runtime',
    description: 'Lambda runtime hosting the native executable',
    message: 'Lambda runtime',
    choices: runtimes.map((r) => ({
      value: r.id,
      description:
        r.kind === 'custom'
          ? 'custom runtime, executable named bootstrap'
          : 'managed runtime runs the executable',
    })),
    refused: retiredRuntimes,
    default: defaultRuntime,
    example: 'provided.al2023',
  },
  {
    key: 'client',
    flag: 'client',
    description: 'Runtime API client',
    message: 'Runtime client',
    choices: clients.map((c) => ({ value: c.id, description: c.description })),
    default: defaultClient,
    example: 'minimal',
  },
  {
    key: 'template',
    flag: 'template',
    description: 'Function template',
    message: 'Function template',
    choices: functionTemplates.map((t) => ({ value: t.id, description: t.description })),
    beyondChoices: {
      describe: 'a template folder (./my-template) or an installed npm package with aot-lambda-template.json',
      check: (value) => void templateFor(value),
    },
    default: defaultTemplate,
    example: 'typed',
  },
  {
    key: 'jsonTypes',
    flag: 'json-types',
    description: 'Extra types for the System.Text.Json source-generation context, comma-separated',
    message: 'Extra JSON types (comma-separated C# type names, empty for none)',
    default: '',
    example: 'Order,List<Order>,Dictionary<string, int[]>',
  },
  {
    key: 'reflectionTypes',
    flag: 'reflection-types',
    description: 'Types kept for reflection in rd.xml, as [Assembly!]Namespace.Type, comma-separated',
    message: 'Types that need reflection (Assembly!Namespace.Type, empty for none)',
    default: '',
    example: 'Orders!Orders.Plugins.Audit',
  },
  {
    key: 'packaging',
    flag: 'packaging',
    description: 'Deployment package',
    message: 'Packaging',
    choices: packagings.map((p) => ({ value: p.id, description: p.description })),
    default: defaultPackaging,
    example: 'image',
  },
];

export function settingByKey(key: SettingKey): Setting {
  return settingsTable.find((s) => s.key === key) as Setting;
}

/** An invalid or missing setting: names the flag and the fix. */
export class SettingError extends Error {
  constructor(
    readonly setting: Setting,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Messages quote the user's text: control characters, line breaks and bidi controls in it are shown as
 * \u escapes, so the message stays one line on stderr and cannot drive the terminal.
 */
export function printable(message: string): string {
  return message.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) =>
    unicodeEscape(c.charCodeAt(0)),
  );
}

/** Checks a choice value against the table; free-text settings are checked when the spec is built. */
export function checkChoice(setting: Setting, value: string): void {
  if (!setting.choices) return;
  // Own keys only: `constructor` or `toString` must not find Object.prototype's members.
  const refusal =
    setting.refused && Object.hasOwn(setting.refused, value) ? setting.refused[value] : undefined;
  if (refusal !== undefined) {
    throw new SettingError(setting, printable(`--${setting.flag} ${value} is refused: ${refusal}`));
  }
  if (setting.choices.some((c) => c.value === value)) return;
  const valid = setting.choices.map((c) => c.value).join(', ');
  if (!setting.beyondChoices) {
    throw new SettingError(
      setting,
      printable(`Unknown --${setting.flag} '${value}'. Valid values: ${valid}.`),
    );
  }
  try {
    setting.beyondChoices.check(value);
  } catch (error) {
    throw new SettingError(
      setting,
      printable(`${(error as Error).message} Valid values: ${valid}, or ${setting.beyondChoices.describe}.`),
    );
  }
}

/**
 * Fills missing settings from defaults; a missing setting without a default is an error naming its flag.
 * `given` holds what options, `.yo-rc.json` or answers supplied.
 */
export function completeSettings(given: Partial<Record<SettingKey, string | undefined>>): Settings {
  const out = {} as Settings;
  for (const setting of settingsTable) {
    const value = given[setting.key] ?? setting.default;
    if (value === undefined) {
      const how = setting.argument
        ? `pass it as the first argument, e.g. \`aot-lambda new ${setting.example}\``
        : `pass --${setting.flag}`;
      throw new SettingError(setting, `Missing ${setting.description.split(':')[0]?.toLowerCase()}: ${how}.`);
    }
    checkChoice(setting, value);
    out[setting.key] = value;
  }
  return out;
}
