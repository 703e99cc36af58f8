import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { bootstrapIn, NoTargetError, resolveTarget } from '../doctor/publish-folder.js';
import { emulationNotice, foreignLaunch, thisMachine } from '../emulator/foreign-architecture.js';
import { Emulator, type InvokeResult } from '../emulator/index.js';
import { cpuModes, type CpuMode } from '../emulator/cgroups.js';
import { checkMemoryMb, checkTimeoutSeconds, LimitError } from '../emulator/limits.js';
import { findExecutable } from '../tools.js';

/** Same values as the generated template.yaml, so a local run sees what the deployed function will. */
export const DEFAULT_TIMEOUT_SECONDS = 30;
export const DEFAULT_MEMORY_MB = 512;

function invokeHelp(): string {
  return `Usage: aot-lambda invoke <executable> [options]
       aot-lambda invoke --cmd "dotnet bin/bootstrap.dll" [options]

Starts a local Lambda Runtime API on 127.0.0.1, runs the bootstrap against it (directly, no shell), sends
the event and prints the response payload on stdout. The runtime's output and Lambda's START / END /
REPORT lines (real Init Duration, Duration, Max Memory Used) go to stderr.

Options:
  --event FILE|-|JSON  the event: a file, - for stdin, or inline JSON (default {})
  --timeout S          function timeout, 1-900 s, counted from the end of init (default ${DEFAULT_TIMEOUT_SECONDS})
  --memory MB          memory size, 128-10240 MB: AWS_LAMBDA_FUNCTION_MEMORY_SIZE, the REPORT's Memory Size
                       and the limit the runtime is held to (default ${DEFAULT_MEMORY_MB})
  --cpu lambda|host    lambda (default): the runtime gets Lambda's CPU share for its memory size
                       (1769 MB = 1 vCPU), so cold starts look as they will deployed; host: the whole
                       machine. Either way it is stopped at its memory size (Runtime.OutOfMemory)
  --env K=V            extra environment variable for the runtime (repeatable)
  --repeat N           invoke N times, the first cold, the rest on the warm runtime (default 1)
  --json               print one JSON object per invocation on stdout (payload, outcome, timings, memory)
  --cmd "CMD ARGS"     run this command instead, e.g. a JIT build; words split like a shell would,
                       quotes group, but no shell runs
  --name NAME          function name (default test_function)
  --handler NAME       _HANDLER (default the executable's file name)
  --quiet              do not show the runtime's own output
  -h, --help           show this help

Exit status: 0 when every invocation succeeded, 1 on a function error, crash, init error or timeout,
2 on a usage error (bad option, missing or non-executable file).`;
}

export class InvokeUsageError extends Error {}

interface InvokeArgs {
  executable?: string;
  cmd?: string[];
  event: Buffer;
  timeoutSeconds: number;
  memoryMb: number;
  cpu: CpuMode;
  env: Record<string, string>;
  repeat: number;
  json: boolean;
  quiet: boolean;
  name?: string;
  handler?: string;
}

/** Where the command writes; the process's own streams unless a caller (a test) brings its own. */
export interface CommandOutput {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export async function invokeCommand(
  argv: string[],
  io: CommandOutput = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const say = (text: string) => io.stdout.write(`${text}\n`);
  const warn = (text: string) => io.stderr.write(`${text}\n`);
  let args: InvokeArgs | 'help';
  try {
    args = await parseInvokeArgs(argv);
  } catch (error) {
    if (!(error instanceof InvokeUsageError) && !isParseArgsError(error)) throw error;
    warn(`aot-lambda invoke: ${(error as Error).message}`);
    warn('Run `aot-lambda invoke --help` for the options.');
    return 2;
  }
  if (args === 'help') {
    say(invokeHelp());
    return 0;
  }

  // An executable of the other architecture runs under qemu-user when it can; otherwise as today (Lambda's
  // Runtime.InvalidEntrypoint), with what to install.
  let cmd = args.cmd;
  if (args.executable !== undefined && cmd === undefined) {
    const launch = foreignLaunch(args.executable);
    if (launch.kind === 'emulated' || launch.kind === 'binfmt')
      warn(emulationNotice(launch, thisMachine.host?.id ?? process.arch));
    if (launch.kind === 'emulated') cmd = [...launch.prefix, args.executable];
    if (launch.kind === 'unavailable') warn(`aot-lambda invoke: ${launch.hint}.`);
  }

  const emulator = await Emulator.start({
    executable: cmd === args.cmd ? args.executable : undefined,
    cmd,
    functionName: args.name,
    handler: args.handler,
    memoryMb: args.memoryMb,
    timeoutSeconds: args.timeoutSeconds,
    cpu: args.cpu,
    memoryLimit: true,
    env: args.env,
    // stdout carries only payloads, so that `aot-lambda invoke ... | jq` works.
    output: args.quiet ? 'ignore' : 'stderr',
    log: warn,
  });
  // Ctrl-C must not leave the runtime's process group behind.
  const onSignal = (signal: NodeJS.Signals) => {
    void emulator.close().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const results: InvokeResult[] = [];
  try {
    for (let i = 0; i < args.repeat; i++) {
      const result = await emulator.invoke(args.event);
      results.push(result);
      say(args.json ? JSON.stringify(jsonResult(result)) : result.payload);
      if (result.outcome === 'init-error' && result.errorType === 'Runtime.InvalidEntrypoint') {
        warn('aot-lambda invoke: the executable could not be started; `aot-lambda doctor <file>` says why.');
        break;
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await emulator.close();
  }
  if (results.length > 1) warn(summary(results));
  return results.every((r) => r.ok) ? 0 : 1;
}

async function parseInvokeArgs(argv: string[]): Promise<InvokeArgs | 'help'> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      event: { type: 'string' },
      timeout: { type: 'string' },
      memory: { type: 'string' },
      cpu: { type: 'string' },
      env: { type: 'string', multiple: true },
      repeat: { type: 'string' },
      json: { type: 'boolean' },
      cmd: { type: 'string' },
      name: { type: 'string' },
      handler: { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length > 1)
    throw new InvokeUsageError(`one executable expected, got: ${positionals.join(' ')}`);
  const executable = positionals[0];
  const cmd = values.cmd === undefined ? undefined : splitCommand(values.cmd);
  if (cmd !== undefined && cmd.length === 0) throw new InvokeUsageError('--cmd is empty');
  if (executable === undefined && cmd === undefined) {
    throw new InvokeUsageError('give the bootstrap executable to run (or --cmd "...")');
  }
  if (cmd) checkCommand(cmd[0] as string);
  const file = cmd
    ? executable === undefined
      ? undefined
      : bootstrapIn(executable, statSync(executable))
    : checkExecutable(executable as string);

  return {
    executable: file,
    cmd,
    event: await readEvent(values.event),
    timeoutSeconds: timeoutOption(values.timeout),
    memoryMb: memoryOption(values.memory),
    cpu: cpuOption(values.cpu),
    env: parseEnv(values.env ?? []),
    repeat: positiveInteger('--repeat', values.repeat, 1),
    json: values.json ?? false,
    quiet: values.quiet ?? false,
    name: values.name,
    handler: values.handler,
  };
}

/** The file to run (a publish folder stands for the bootstrap in it), once it exists and is executable. */
function checkExecutable(path: string): string {
  let file: string;
  try {
    file = resolveTarget(path).path;
  } catch (error) {
    if (!(error instanceof NoTargetError)) throw error;
    throw new InvokeUsageError(
      error.reason === 'missing'
        ? `${error.message}. Publish first (dotnet publish -c Release), then point at the bootstrap.`
        : error.message,
    );
  }
  try {
    accessSync(file, constants.X_OK);
  } catch {
    throw new InvokeUsageError(
      `${file} is not executable: chmod 755 ${file} (Lambda needs it executable too)`,
    );
  }
  return file;
}

/** The first word of --cmd is looked up on PATH, as exec does; say so now rather than after a spawn error. */
function checkCommand(command: string): void {
  if (command.includes('/')) {
    checkExecutable(command);
    return;
  }
  if (findExecutable(command) === undefined) throw new InvokeUsageError(`--cmd: ${command} is not on PATH`);
}

async function readEvent(value: string | undefined): Promise<Buffer> {
  if (value === undefined) return Buffer.from('{}');
  if (value === '-') return readStdin();
  if (existsSync(value) && statSync(value).isFile()) return readFileSync(value);
  try {
    JSON.parse(value);
  } catch {
    throw new InvokeUsageError(`--event ${value}: neither a file nor valid JSON`);
  }
  return Buffer.from(value);
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function parseEnv(pairs: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new InvokeUsageError(`--env ${pair}: expected K=V`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return env;
}

/** --cpu lambda|host; lambda by default, so that a local cold start is one Lambda would show. */
export function cpuOption(value: string | undefined): CpuMode {
  if (value === undefined) return 'lambda';
  const mode = cpuModes.find((m) => m === value);
  if (!mode) throw new InvokeUsageError(`--cpu ${value}: expected ${cpuModes.join(' or ')}`);
  return mode;
}

/** --timeout S, within Lambda's 1-900 s. */
export function timeoutOption(value: string | undefined): number {
  return withinLimits('--timeout', value, DEFAULT_TIMEOUT_SECONDS, checkTimeoutSeconds);
}

/** --memory MB, within Lambda's 128-10240 MB. */
export function memoryOption(value: string | undefined): number {
  return withinLimits('--memory', value, DEFAULT_MEMORY_MB, checkMemoryMb);
}

function withinLimits(
  flag: string,
  value: string | undefined,
  fallback: number,
  check: (n: number, what: string, shown: string) => number,
): number {
  if (value === undefined) return fallback;
  try {
    // Number('') is 0 and Number(' 5 ') is 5: only plain decimal text counts as a number here.
    return check(/^\s*$/.test(value) ? NaN : Number(value), flag, value);
  } catch (error) {
    if (error instanceof LimitError) throw new InvokeUsageError(error.message);
    throw error;
  }
}

export function positiveNumber(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvokeUsageError(`${flag} ${value}: expected a positive number`);
  return n;
}

export function positiveInteger(flag: string, value: string | undefined, fallback: number): number {
  const n = positiveNumber(flag, value, fallback);
  if (!Number.isInteger(n)) throw new InvokeUsageError(`${flag} ${value}: expected a whole number`);
  return n;
}

/**
 * Splits a command line into argv the way a POSIX shell splits words (whitespace, single and double quotes,
 * backslash escapes), without expanding anything: the words are exec'd, never given to a shell.
 */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1] as string))
        word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new InvokeUsageError(`--cmd: unterminated ${quote} quote`);
  if (inWord) words.push(word);
  return words;
}

function jsonResult(r: InvokeResult): Record<string, unknown> {
  return {
    requestId: r.requestId,
    outcome: r.outcome,
    ok: r.ok,
    statusCode: r.statusCode,
    errorType: r.errorType,
    payload: r.payload,
    coldStart: r.coldStart,
    initDurationMs: r.initDurationMs,
    durationMs: r.durationMs,
    billedDurationMs: r.billedDurationMs,
    coldStartMs: r.coldStartMs,
    memorySizeMb: r.memorySizeMb,
    maxMemoryUsedMb: r.maxMemoryUsedMb,
    maxMemoryUsedBytes: r.maxMemoryUsedBytes,
    traceId: r.traceId,
    report: r.lines.find((line) => line.startsWith('REPORT ')),
  };
}

/** One line over a --repeat run: the cold start and the warm median, the numbers people compare. */
function summary(results: InvokeResult[]): string {
  const cold = results.filter((r) => r.coldStart);
  const warm = results.filter((r) => !r.coldStart && r.ok).map((r) => r.durationMs);
  warm.sort((a, b) => a - b);
  const median = warm.length > 0 ? (warm[Math.floor(warm.length / 2)] as number) : undefined;
  const failed = results.filter((r) => !r.ok).length;
  const parts = [`${results.length} invocations`, `${failed} failed`];
  if (cold[0]?.coldStartMs !== undefined) {
    parts.push(
      `cold start ${cold[0].coldStartMs.toFixed(2)} ms (init ${(cold[0].initDurationMs ?? 0).toFixed(2)} ms)`,
    );
  }
  if (median !== undefined) parts.push(`warm median ${median.toFixed(2)} ms`);
  parts.push(`max memory ${Math.max(...results.map((r) => r.maxMemoryUsedMb))} MB`);
  return parts.join(', ');
}

export function isParseArgsError(error: unknown): boolean {
  return (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ?? false;
}
