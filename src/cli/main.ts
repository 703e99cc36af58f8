#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../paths.js';
import { PresetError } from '../preset.js';
import { SettingError } from '../settings.js';
import { DestinationError } from '../render/write-project.js';
import { MissingToolError } from '../tools.js';
import { newCommand, newHelp, UsageError } from './new.js';

type Command = (argv: string[]) => Promise<number>;

/** Subcommands, loaded on demand so `invoke` does not pay for Yeoman's start-up. */
const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  new: {
    summary: 'scaffold a NativeAOT Lambda project (same as `yo aot-lambda`)',
    load: async () => newCommand,
  },
  convert: {
    summary: 'convert an existing managed Lambda project to NativeAOT, in place',
    load: async () => (await import('./convert.js')).convertCommand,
  },
  invoke: {
    summary: 'run a bootstrap against a local Lambda Runtime API; print START/END/REPORT',
    load: async () => (await import('./invoke.js')).invokeCommand,
  },
  watch: {
    summary: 'development server: Invoke API and HTTP front door on 127.0.0.1, rebuild on change',
    load: async () => (await import('./watch.js')).watchCommand,
  },
  build: {
    summary: 'NativeAOT publish for x86_64 or arm64 (native or cross-compiled), zip, doctor on the result',
    load: async () => (await import('./build.js')).buildCommand,
  },
  doctor: {
    summary: 'check that a built executable or zip will start on Lambda',
    load: async () => (await import('./doctor.js')).doctorCommand,
  },
};

function help(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    'Usage: aot-lambda <command> [options]',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    "Run `aot-lambda <command> --help` for a command's options.",
    '',
    newHelp(),
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    console.log(
      (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version,
    );
    return 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`aot-lambda: unknown command '${name}'. Commands: ${Object.keys(commands).join(', ')}.`);
    return 2;
  }
  return (await command.load())(rest);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const known =
    error instanceof SettingError ||
    error instanceof UsageError ||
    error instanceof MissingToolError ||
    error instanceof PresetError ||
    error instanceof DestinationError;
  console.error(`aot-lambda: error: ${(error as Error).message}`);
  if (!known && process.env.AOT_LAMBDA_DEBUG) console.error((error as Error).stack);
  process.exitCode = known ? 2 : 1;
}
