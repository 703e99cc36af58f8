import { parseArgs } from 'node:util';
import { settingByKey, type SettingKey } from '../settings.js';
import { convert, ConvertError, runOptions, sharedSettings } from '../convert/index.js';

/** `aot-lambda convert [path]`: the CLI face of src/convert. Exit 0 converted/unchanged/dry run, 1 refused, 2 usage. */

/** Where convert's default differs from new's: it starts from what the project already has. */
const convertDefaults: Partial<Record<SettingKey, string>> = {
  runtime: ' (default provided.al2023; an already-native project keeps its runtime)',
  architecture: " (default: the project's current architecture, else x86_64)",
  client:
    ' (default runtime-support; a project already on the built-in client keeps it. minimal needs a handler of a typed ' +
    'event returning a typed result, taking no context or the built-in one)',
};

const ownOptions = [
  {
    flag: 'handler',
    value: 'Asm::Ns.Type::Method',
    description: "the handler, when the project's files do not name it",
  },
  { flag: 'dry-run', description: 'print the unified diff of every change; write nothing' },
  { flag: 'force', description: 'convert even if git reports uncommitted changes in the project' },
  { flag: 'yes', description: 'non-interactive (convert never prompts; accepted for symmetry with new)' },
  { flag: 'help', description: 'show this help' },
] as const;

export function convertHelp(): string {
  const rows: [string, string][] = [
    ...sharedSettings.map((key): [string, string] => {
      const s = settingByKey(key);
      const values = s.choices ? s.choices.map((c) => c.value).join('|') : s.example;
      const dflt = convertDefaults[key] ?? (s.default ? ` (default ${s.default})` : '');
      return [`--${s.flag} ${values}`, `${s.description}${dflt}`];
    }),
    ...ownOptions.map((o): [string, string] => [
      `--${o.flag}${'value' in o ? ` ${o.value}` : ''}`,
      o.description,
    ]),
  ];
  const width = Math.max(...rows.map(([a]) => a.length));
  return [
    'Usage: aot-lambda convert [path] [options]',
    '',
    'Converts a managed C# Lambda project (folder or .csproj, default .) to NativeAOT in place: project file,',
    'entry point, source-generated JSON context, aws-lambda-tools-defaults.json and SAM/CloudFormation templates.',
    'Only what must change is changed; a second run reports the project as already converted.',
    '',
    'Options:',
    ...rows.map(([a, b]) => `  ${a.padEnd(width)}  ${b}`),
    '',
  ].join('\n');
}

/** Where the command writes; tests pass their own (the test runner owns process.stdout). */
export interface ConvertIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: ConvertIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

export async function convertCommand(argv: string[]): Promise<number> {
  return runConvertCli(argv, processIo);
}

export async function runConvertCli(argv: string[], io: ConvertIo): Promise<number> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = Object.fromEntries([
    ...sharedSettings.map((key) => [settingByKey(key).flag, { type: 'string' as const }]),
    ['handler', { type: 'string' as const }],
    ['dry-run', { type: 'boolean' as const }],
    ['force', { type: 'boolean' as const }],
    ['yes', { type: 'boolean' as const, short: 'y' }],
    ['help', { type: 'boolean' as const, short: 'h' }],
  ]);
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    io.err(`aot-lambda convert: ${(error as Error).message}\n\n${convertHelp()}\n`);
    return 2;
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const positionals = parsed.positionals;
  if (values.help) {
    io.out(`${convertHelp()}\n`);
    return 0;
  }
  if (positionals.length > 1) {
    io.err(`aot-lambda convert: one path expected, got ${positionals.length}: ${positionals.join(' ')}\n`);
    return 2;
  }
  const text = (flag: string): string | undefined => values[flag] as string | undefined;
  try {
    const outcome = await convert(
      positionals[0] ?? '.',
      runOptions(text, (flag) => values[flag] === true),
    );
    if (outcome.status === 'dry-run') io.out(outcome.diff);
    io.out(outcome.report);
    return 0;
  } catch (error) {
    if (error instanceof ConvertError) {
      io.err(`aot-lambda convert: error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
