import { readdirSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { sh } from '../../src/render/escape.js';
import { renderProject } from '../../src/render/render-project.js';
import {
  applyWrites,
  checkTarget,
  DestinationError,
  planWrites,
  type PlannedWrite,
  type ProjectFile,
} from '../../src/render/write-project.js';
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
import { buildSpec, checkJsonTypesCompile, validateJsonTypes, type ProjectSpec } from '../../src/spec.js';
import { readStoredSettings, storedSettingsText, validateFreeText } from '../../src/stored-settings.js';
import { requireTool, streamTool } from '../../src/tools.js';

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
  private outcome?: Outcome;
  /** Settings stored in the project folder, when the generator runs inside one. */
  private stored?: Given;

  constructor(args: string[], options: AppOptions) {
    super(args, options);
    // The project is restored with dotnet, not npm: no package-manager step (nor its "No change to package.json").
    this.setFeatures({ customInstallTask: true });
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
      this.stored = { ...stored };
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
    checkJsonTypesCompile(spec);
    this.spec = spec;
    if (!this.inPlace) {
      this.target = resolve(this._cwd(), spec.name);
      // A file, a dangling symlink or a pipe where the folder goes is refused here, before the emptiness check.
      const existing = checkTarget(this.target, spec.name);
      if (existing !== undefined && readdirSync(this.target).length > 0 && this.options.force !== true) {
        throw new SettingError(
          settingByKey('name'),
          `The folder '${spec.name}' already exists and is not empty: choose another name, remove it, or pass --force to overwrite.`,
        );
      }
    }
    if (this._runsDotnet())
      requireTool('dotnet', 'restore the generated project (pass --skip-install to skip that step)');
    for (const warning of spec.warnings) this.log.writeln(`warning: ${warning}`);
  }

  private _runsDotnet(): boolean {
    return this._option('skip-install') !== true && !this._dryRun();
  }

  private _dryRun(): boolean {
    return this._option('dry-run') === true;
  }

  /** How the project folder is named in messages: as the user would type it from where they ran the command. */
  private _shown(): string {
    return relative(this._cwd(), this.target) || '.';
  }

  async writing(): Promise<void> {
    const spec = this.spec as ProjectSpec;
    const files = this._files(spec);
    // Checks every destination (symlinks, permissions, file kinds) before anything is written.
    const plan = planWrites(this.target, files, this._shown(), this._baseline());
    const force = this.options.force === true;
    const dryRun = this._dryRun();
    const actions = new Map(plan.files.map((f) => [f.path, action(f, force)]));
    const conflicts = plan.files.filter((f) => actions.get(f.path) === 'conflict');
    if (conflicts.length > 0 && !dryRun) {
      const list = conflicts.map((f) => `${f.path} (${f.differs})`).join(', ');
      if (this._nonInteractive()) {
        throw new DestinationError(
          `These files were changed since they were generated and would be replaced: ${list}. Pass --force to ` +
            'overwrite them, or run interactively to decide.',
        );
      }
      const { overwrite } = await this.prompt<{ overwrite: boolean }>([
        {
          type: 'confirm',
          name: 'overwrite',
          message: `These files were changed since they were generated and would be replaced: ${list}. Overwrite them?`,
          default: false,
        },
      ]);
      for (const f of conflicts) actions.set(f.path, overwrite ? 'overwrite' : 'keep');
    }
    const shown = this._shown();
    const display = (path: string): string => (shown === '.' ? path : `${shown}/${path}`);
    for (const file of plan.files) {
      const act = actions.get(file.path) as Action;
      const status = dryRun && writes(act) ? `would ${act}` : act;
      const why = act === 'keep' ? ' (edited since generated; this run would not change it)' : '';
      this.log.writeln(`${status.padStart(dryRun ? 15 : 9)} ${display(file.path)}${why}`);
    }
    const chosen = { ...plan, files: plan.files.filter((f) => writes(actions.get(f.path) as Action)) };
    if (!dryRun) applyWrites(chosen, shown);
    const count = (wanted: Action): number => [...actions.values()].filter((a) => a === wanted).length;
    this.outcome = {
      created: count('create'),
      updated: count('update') + count('overwrite'),
      identical: count('identical'),
      kept: count('keep'),
      conflicts: count('conflict'),
    };
  }

  /** Every file of the project: the rendered plan and the stored settings. */
  private _files(spec: ProjectSpec): ProjectFile[] {
    return [
      ...renderProject(spec),
      { path: '.yo-rc.json', contents: storedSettingsText(this.target, spec.settings), mode: 0o644 },
    ];
  }

  /**
   * In a generated project, what its stored settings render to: a file on disk that still equals it was not
   * edited, so a changed setting may rewrite it; one that differs is the user's and is not replaced silently.
   */
  private _baseline(): Map<string, ProjectFile> {
    if (this.stored === undefined) return new Map();
    try {
      const previous = buildSpec(completeSettings(this.stored));
      return new Map(this._files(previous).map((f) => [f.path, f]));
    } catch {
      return new Map(); // stored settings this version refuses: no baseline, every difference is a conflict
    }
  }

  async install(): Promise<void> {
    if (!this._runsDotnet()) return;
    const spec = this.spec as ProjectSpec;
    // A first restore downloads packages for a while: dotnet's own lines show that it is moving.
    this.log.writeln(`Restoring packages: dotnet restore ${spec.artifacts.solution}`);
    const started = Date.now();
    const result = await streamTool('dotnet', ['restore', spec.artifacts.solution], {
      cwd: this.target,
      purpose: 'restore the project',
      onLine: (line) => {
        if (line.trim() !== '') this.log.writeln(`  ${line.trim()}`);
      },
    });
    if (result.status !== 0) {
      const missing = /NU1101|NU1102|Unable to find package/.test(result.stdout)
        ? ' (a package is not available from your NuGet sources)'
        : '';
      this.log.writeln(
        `warning: dotnet restore failed${missing}; the project files are written. Run \`dotnet restore\` in ${this._shown()} to see why.`,
      );
    } else this.log.writeln(`Restored in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  }

  end(): void {
    const spec = this.spec as ProjectSpec;
    const outcome = this.outcome as Outcome;
    const settings = `${spec.framework.tfm}, ${spec.runtime.id}, ${spec.architecture.id}, client ${spec.client.id}`;
    const counts = [
      `${outcome.created} new`,
      `${outcome.updated} rewritten`,
      `${outcome.identical} identical`,
      ...(outcome.kept > 0 ? [`${outcome.kept} kept as edited`] : []),
      ...(outcome.conflicts > 0 ? [`${outcome.conflicts} edited that would need --force`] : []),
    ].join(', ');
    const changed = outcome.created + outcome.updated;
    const headline = this._dryRun()
      ? `Dry run for ${spec.name} (${settings}): would write ${changed} files (${counts}); nothing was written.`
      : changed === 0
        ? `${spec.name} is up to date (${settings}): all ${outcome.identical} files identical.`
        : `${this.inPlace ? 'Updated' : 'Created'} ${spec.name} (${settings}): ${counts}.`;
    // Relative to where the user is when it is below it (`cd Orders`), else absolute; nothing when already there.
    const below = relative(process.cwd(), this.target);
    const shown = below.startsWith('..') || isAbsolute(below) ? this.target : below;
    const arch = spec.architecture;
    this.log.writeln(
      [
        headline,
        ...(this._dryRun()
          ? []
          : [
              'Next:',
              ...(shown === '' ? [] : [`  cd ${shellWord(shown)}`]),
              `  dotnet test ${shellWord(spec.artifacts.solution)}`,
              `  scripts/build.sh --local      # ${arch.rid} executable with the local SDK; scripts/build.sh builds in Docker (${arch.dockerPlatform})`,
              `  aot-lambda invoke ${spec.artifacts.executable} --event events/event.json`,
              `  aot-lambda doctor ${spec.artifacts.executable} --architecture ${arch.id} --runtime ${spec.runtime.id}`,
            ]),
      ].join('\n'),
    );
  }
}

interface Outcome {
  readonly created: number;
  readonly updated: number;
  readonly identical: number;
  readonly kept: number;
  /** Dry run only: edited files the run would change (a real run asks, or needs --force). */
  readonly conflicts: number;
}

/**
 * What happens to one file: `update` rewrites a file nobody edited since it was generated, `keep` leaves an
 * edited file this run would not change, `conflict` is an edited file the run would change (asked, or --force).
 */
type Action = 'create' | 'identical' | 'update' | 'keep' | 'overwrite' | 'conflict';

function action(file: PlannedWrite, force: boolean): Action {
  if (file.status !== 'overwrite') return file.status;
  if (!file.edited) return 'update';
  if (force) return 'overwrite';
  return file.affected ? 'conflict' : 'keep';
}

const writes = (a: Action): boolean => a === 'create' || a === 'update' || a === 'overwrite';

/** A path as one shell word: quoted only when it needs to be. */
function shellWord(text: string): string {
  return /^[\w./@%+=:,-]+$/.test(text) ? text : sh(text);
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
