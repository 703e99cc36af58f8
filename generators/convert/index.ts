import { resolve } from 'node:path';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { convert, runOptions, sharedSettings, type ConvertOutcome } from '../../src/convert/index.js';
import { settingByKey } from '../../src/settings.js';

type ConvertGeneratorOptions = BaseOptions & Record<string, unknown>;

/**
 * `yo aot-lambda:convert [path]`: converts an existing managed Lambda project to NativeAOT in place. Thin: the
 * library plans, guards and writes (all files or none, outside mem-fs so that guarantee holds); this class only
 * maps options and reports. It never prompts.
 */
export default class ConvertGenerator extends Generator<Record<string, unknown>, ConvertGeneratorOptions> {
  outcome?: ConvertOutcome;

  constructor(args: string[], options: ConvertGeneratorOptions) {
    super(args, options);
    this.argument('path', {
      type: String,
      required: false,
      description: 'Project folder or .csproj (default: .)',
    });
    for (const key of sharedSettings) {
      const setting = settingByKey(key);
      this.option(setting.flag, { type: String, description: setting.description });
    }
    this.option('handler', { type: String, description: 'Handler as Assembly::Namespace.Type::Method' });
    this.option('dry-run', { type: Boolean, description: 'Print the unified diff; write nothing' });
    this.option('yes', { type: Boolean, alias: 'y', description: 'Non-interactive (convert never prompts)' });
  }

  private _option(name: string): unknown {
    const options = this.options as Record<string, unknown>;
    return options[name] ?? options[name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())];
  }

  private _text(name: string): string | undefined {
    const value = this._option(name);
    return typeof value === 'string' ? value : undefined;
  }

  async writing(): Promise<void> {
    const base = this.env.cwd ?? process.cwd();
    const target = resolve(base, this._text('path') ?? '.');
    this.outcome = await convert(
      target,
      runOptions(
        (name) => this._text(name),
        (name) => this._option(name) === true,
      ),
    );
    if (this.outcome.status === 'dry-run') this.log(this.outcome.diff);
    this.log(this.outcome.report.trimEnd());
  }
}
