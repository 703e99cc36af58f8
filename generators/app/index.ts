import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { renderProject } from '../../src/render/render-project.js';
import {
  checkChoice,
  completeSettings,
  settingByKey,
  SettingError,
  settingsTable,
  type Setting,
  type SettingKey,
  type Settings,
} from '../../src/settings.js';
import { isTemplatePath } from '../../src/catalog/template-manifest.js';
import { readPreset } from '../../src/preset.js';
import { buildSpec, validateJsonTypes, type ProjectSpec } from '../../src/spec.js';
import { settingsStoreKey, readStoredSettings, validateFreeText } from '../../src/stored-settings.js';
import { requireTool, runTool } from '../../src/tools.js';

type Given = Partial<Record<SettingKey, string>>;
type AppOptions = BaseOptions & { yes?: boolean; interactive?: boolean; force?: boolean; preset?: string };

/**
 * `yo aot-lambda [name]` / `aot-lambda new [name]`. Thin: the settings table declares the options and prompts,
 * the spec decides, the file plan renders; this class only sequences them in Yeoman's run loop.
 */
// Yeoman runs every prototype method as a task unless its name starts with `_`: helpers below are `_`-named.
export default class AppGenerator extends Generator<Record<string, unknown>, AppOptions> {
  private readonly given: Given = {};
  private inPlace = false;
  private target = '';
  private spec?: ProjectSpec;

  constructor(args: string[], options: AppOptions) {
    super(args, options);
    this.argument('name', {
      type: String,
      required: false,
      description: describe(settingByKey('name')),
    });
    for (const setting of settingsTable) {
      if (!setting.argument) this.option(setting.flag, { type: String, description: describe(setting) });
    }
    this.option('yes', {
      type: Boolean,
      alias: 'y',
      description: 'Use defaults for every setting not given; never prompt',
    });
    this.option('preset', {
      type: String,
      description:
        "A starter kit's answers: a JSON file of settings (or .yo-rc.json-shaped); flags given win over it",
    });
    this.option('interactive', {
      type: Boolean,
      hide: true,
      description: 'Prompt even when stdin is not a terminal (answers come from the adapter, e.g. in tests)',
    });
  }

  private _nonInteractive(): boolean {
    return this.options.yes === true || (this.options.interactive !== true && !process.stdin.isTTY);
  }

  private _cwd(): string {
    return this.env.cwd ?? process.cwd();
  }

  private _option(name: string): unknown {
    const options = this.options as Record<string, unknown>;
    return options[name] ?? options[name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())];
  }

  initializing(): void {
    // Inside a generated project, its stored answers are reused and not asked again.
    const stored = readStoredSettings(this._cwd());
    if (stored?.name !== undefined) {
      this.inPlace = true;
      this.target = this._cwd();
      Object.assign(this.given, stored);
    }
    // Precedence: stored answers < the starter kit's preset < flags on this command line.
    const preset = this._option('preset');
    if (typeof preset === 'string') {
      const presetSettings = readPreset(preset, this._cwd());
      // Inside a project its name is settled; a kit's (or a copied .yo-rc.json's) name does not move it.
      if (this.inPlace) delete presetSettings.name;
      Object.assign(this.given, presetSettings);
    }
    for (const setting of settingsTable) {
      const value = this._option(setting.flag);
      if (value === undefined || value === null || value === true || value === false) continue;
      if (setting.key === 'name' && this.inPlace && String(value) !== stored?.name) {
        throw new SettingError(
          setting,
          `This folder holds the project '${stored?.name}'; run \`aot-lambda new ${String(value)}\` outside it.`,
        );
      }
      this.given[setting.key] = String(value);
    }
    // A starter kit's template folder is stored as an absolute path: a re-run inside the project finds it again.
    const template = this.given.template;
    if (template !== undefined && isTemplatePath(template))
      this.given.template = resolve(this._cwd(), template);
    // Fail on a bad value before asking anything else.
    for (const setting of settingsTable) {
      const value = this.given[setting.key];
      if (value === undefined) continue;
      checkChoice(setting, value);
      // --json-types directly: validateFreeText would only run the same check again, and its catch would turn an
      // error that is no SettingError (a RangeError on generics nested thousands deep) into one.
      if (setting.key === 'jsonTypes') {
        validateJsonTypes(value);
        continue;
      }
      const problem = validateFreeText(setting.key, value);
      if (problem) throw new SettingError(setting, problem);
    }
  }

  async prompting(): Promise<void> {
    if (this._nonInteractive()) return;
    const missing = settingsTable.filter((s) => this.given[s.key] === undefined);
    const answers: Record<string, unknown> = await this.prompt(
      missing.map((setting) =>
        setting.choices
          ? {
              type: 'select' as const,
              name: setting.key,
              message: setting.message,
              choices: setting.choices.map((c) => ({
                value: c.value,
                name: `${c.value} (${c.description})`,
              })),
              default: setting.default,
            }
          : {
              type: 'input' as const,
              name: setting.key,
              message: setting.message,
              default: setting.default,
              validate: (value: string) => validateFreeText(setting.key, value) ?? true,
            },
      ),
    );
    for (const setting of missing) {
      const answer = answers[setting.key];
      if (answer !== undefined) this.given[setting.key] = String(answer).trim();
    }
  }

  configuring(): void {
    const settings: Settings = completeSettings(this.given);
    const spec = buildSpec(settings);
    this.spec = spec;
    if (!this.inPlace) {
      this.target = resolve(this._cwd(), spec.name);
      if (existsSync(this.target) && readdirSync(this.target).length > 0 && this.options.force !== true) {
        throw new SettingError(
          settingByKey('name'),
          `The folder '${spec.name}' already exists and is not empty: choose another name, remove it, or pass --force to overwrite.`,
        );
      }
    }
    if (this._runsDotnet())
      requireTool('dotnet', 'restore the generated project (pass --skip-install to skip that step)');
    for (const warning of spec.warnings) this.log.info(`warning: ${warning}`);
  }

  private _runsDotnet(): boolean {
    return this._option('skip-install') !== true && this._option('dry-run') !== true;
  }

  writing(): void {
    const spec = this.spec as ProjectSpec;
    const files = renderProject(spec);
    const conflicts = files.filter((file) => {
      const path = join(this.target, file.path);
      return existsSync(path) && readFileSync(path, 'utf8') !== file.contents;
    });
    if (
      conflicts.length > 0 &&
      this._nonInteractive() &&
      this.options.force !== true &&
      this._option('dry-run') !== true
    ) {
      throw new Error(
        `These files differ from what would be generated: ${conflicts.map((f) => f.path).join(', ')}. ` +
          'Pass --force to overwrite them, or run interactively to decide file by file.',
      );
    }
    for (const file of files) {
      this.fs.write(join(this.target, file.path), file.contents, { stat: { mode: file.mode } as never });
    }
    this.createStorage(join(this.target, '.yo-rc.json'), settingsStoreKey).set({ ...spec.settings });
  }

  install(): void {
    if (!this._runsDotnet()) return;
    const spec = this.spec as ProjectSpec;
    const result = runTool('dotnet', ['restore', spec.artifacts.solution], {
      cwd: this.target,
      purpose: 'restore the project',
    });
    if (result.status !== 0) {
      const missing = /NU1101|NU1102|Unable to find package/.test(result.stdout)
        ? ' (a package is not available from your NuGet sources)'
        : '';
      this.log.info(
        `warning: dotnet restore failed${missing}; the project files are written. Run \`dotnet restore\` in ${this.target} to see why.\n` +
          lastLines(result.stdout + result.stderr, 8),
      );
    }
  }

  end(): void {
    const spec = this.spec as ProjectSpec;
    const where = this.inPlace ? '.' : spec.name;
    this.log.info(
      [
        `Created ${spec.name} (${spec.framework.tfm}, ${spec.runtime.id}, ${spec.architecture.id}, client ${spec.client.id}).`,
        'Next:',
        `  cd ${where}`,
        `  dotnet test ${spec.artifacts.solution}`,
        `  scripts/build.sh --local      # or scripts/build.sh to build on Amazon Linux 2023 in Docker`,
        `  aot-lambda invoke ${spec.artifacts.executable} --event events/event.json`,
      ].join('\n'),
    );
  }
}

function describe(setting: Setting): string {
  const values = setting.choices ? ` (${setting.choices.map((c) => c.value).join('|')})` : '';
  const fallback =
    setting.default === undefined
      ? ' [required]'
      : setting.default === ''
        ? ''
        : ` [default: ${setting.default}]`;
  return `${setting.description}${values}${fallback}`;
}

function lastLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join('\n');
}
