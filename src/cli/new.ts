import { parseArgs, type ParseArgsConfig } from 'node:util';
import { settingsTable } from '../settings.js';

const yeomanFlags = {
  yes: { type: 'boolean', short: 'y', description: 'Use defaults for every setting not given; never prompt' },
  preset: {
    type: 'string',
    description: "Read settings from a starter kit's JSON file (flags given here win over it)",
  },
  force: { type: 'boolean', description: 'Overwrite existing files (and write into a non-empty folder)' },
  'skip-install': { type: 'boolean', description: 'Do not run `dotnet restore` after writing' },
  'dry-run': { type: 'boolean', description: 'Show what would be written; write nothing' },
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
} as const;

export function newHelp(): string {
  const rows = settingsTable
    .filter((s) => !s.argument)
    .map((s) => {
      const values = s.choices ? `\n      values: ${s.choices.map((c) => c.value).join(', ')}` : '';
      const fallback = s.default === undefined ? 'required' : s.default === '' ? 'none' : s.default;
      return `  --${s.flag} <value>\n      ${s.description}${values}\n      default: ${fallback}; example: --${s.flag} ${JSON.stringify(s.example)}`;
    });
  const extra = Object.entries(yeomanFlags).map(
    ([flag, def]) =>
      `  ${'short' in def ? `-${def.short}, ` : ''}--${flag}${def.type === 'string' ? ' <file>' : ''}\n      ${def.description}`,
  );
  return [
    'Usage: aot-lambda new <name> [options]     (same as: yo aot-lambda <name> [options])',
    '',
    'Scaffolds a C# AWS Lambda function compiled with NativeAOT into the folder <name>.',
    'Runs without prompts when --yes is given or stdin is not a terminal: defaults fill what is not given.',
    '',
    '  <name>  project name: folder, .sln/.csproj and C# namespace [required]',
    ...rows,
    ...extra,
  ].join('\n');
}

/** `aot-lambda new`: runs the same Yeoman generator as `yo aot-lambda`, without yo installed. */
export async function newCommand(argv: string[]): Promise<number> {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const s of settingsTable) if (!s.argument) options[s.flag] = { type: 'string' };
  for (const [flag, def] of Object.entries(yeomanFlags)) {
    options[flag] = 'short' in def ? { type: def.type, short: def.short } : { type: def.type };
  }
  const { values, positionals } = parseNewArgs(argv, options);
  if (values.help) {
    console.log(newHelp());
    return 0;
  }
  if (positionals.length > 1) {
    throw new UsageError(`new takes one name, got ${positionals.length}: ${positionals.join(' ')}`);
  }
  // Yeoman loads here, not at the top: the bin's other commands and --help do not pay for it.
  const [{ createEnv }, { default: AppGenerator }] = await Promise.all([
    import('yeoman-environment'),
    import('../../generators/app/index.js'),
  ]);
  const env = createEnv({ cwd: process.cwd() });
  // Yeoman logs "An error occured while running <task>" before rethrowing; the bin prints the error itself,
  // so the user sees one message that names the problem instead of two.
  const log = env.adapter.log as unknown as { error: (message: unknown, ...rest: unknown[]) => unknown };
  const logError = log.error.bind(log);
  log.error = (message, ...rest) =>
    typeof message === 'string' && message.startsWith('An error occured while running')
      ? log
      : logError(message, ...rest);
  env.register(AppGenerator as never, { namespace: 'aot-lambda:app', resolved: import.meta.url });
  await env.run(['aot-lambda:app', ...positionals], {
    ...values,
    skipInstall: values['skip-install'] === true,
    dryRun: values['dry-run'] === true,
    force: values.force === true,
  } as never);
  return 0;
}

export class UsageError extends Error {}

/**
 * parseArgs with its errors turned into one line that also says where the options are listed: node's own
 * text for an unknown option goes on about positionals after `--`, which is not the fix here.
 */
function parseNewArgs(argv: string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    if (!(error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw error;
    const first = (error as Error).message.split(/(?<=\.) /)[0]?.replace(/\.?$/, '.') ?? '';
    throw new UsageError(`${first} Run \`aot-lambda new --help\` for the options.`);
  }
}
