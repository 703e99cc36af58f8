import { parseArgs } from 'node:util';
import type { CpuMode } from '../emulator/cgroups.js';
import { Emulator } from '../emulator/index.js';
import { findExecutable } from '../tools.js';
import { startDevServer, type DevServer } from '../watch/dev-server.js';
import {
  findFunctionProject,
  ProjectNotFoundError,
  type FunctionProject,
} from '../watch/function-project.js';
import { Builder, type BuildMode } from '../watch/rebuild.js';
import { RuntimePool } from '../watch/runtime-pool.js';
import { watchSources } from '../watch/source-watcher.js';
import {
  DEFAULT_MEMORY_MB,
  DEFAULT_TIMEOUT_SECONDS,
  InvokeUsageError,
  isParseArgsError,
  parseEnv,
  cpuOption,
  memoryOption,
  positiveInteger,
  timeoutOption,
  type CommandOutput,
} from './invoke.js';

/** Templates whose function takes API Gateway HTTP API events: they get the HTTP front door. */
const httpTemplates = new Set(['http-api', 'webapi']);
const DEFAULT_PORT = 9000;
const DEFAULT_CONCURRENCY = 4;

export function watchHelp(): string {
  return `Usage: aot-lambda watch [project] [options]

A local development server for a function project (default: the current folder), on 127.0.0.1 only:
  - Lambda's Invoke API: POST /2015-03-31/functions/<name>/invocations (curl, AWS SDKs,
    aws lambda invoke --endpoint-url http://127.0.0.1:${DEFAULT_PORT} --function-name <name> out.json)
  - for http-api and webapi functions (or with --http), an HTTP front door: any other request becomes an
    API Gateway HTTP API v2 event, and the function's answer the HTTP response
It builds the function, keeps a runtime warm between requests, starts one runtime per concurrent request up to
--concurrency, prints START/END/REPORT for each, and rebuilds and restarts when a source file changes.

Options:
  --port N           port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one)
  --native           rebuild NativeAOT (dotnet publish; slower) instead of a fast JIT build
  --http             serve the HTTP front door whatever the template
  --memory MB        memory size, 128-10240 MB (default ${DEFAULT_MEMORY_MB})
  --timeout S        function timeout, 1-900 s (default ${DEFAULT_TIMEOUT_SECONDS})
  --cpu lambda|host  lambda (default): each runtime gets Lambda's CPU share for its memory size (1769 MB
                     = 1 vCPU); host: the whole machine. Runtimes are stopped at their memory size
  --concurrency N    runtimes at most, one per concurrent request (default ${DEFAULT_CONCURRENCY})
  --env K=V          extra environment variable for the runtime (repeatable)
  --no-rebuild       build once, do not watch the sources
  --quiet            do not show the runtime's own output
  -h, --help         show this help

Ctrl-C stops the server, the runtimes and any build in progress.`;
}

interface WatchArgs {
  project: FunctionProject;
  port: number;
  mode: BuildMode;
  frontDoor: boolean;
  memoryMb: number;
  timeoutSeconds: number;
  cpu: CpuMode;
  concurrency: number;
  env: Record<string, string>;
  rebuild: boolean;
  quiet: boolean;
}

function parseWatchArgs(argv: string[]): WatchArgs | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      port: { type: 'string' },
      native: { type: 'boolean' },
      http: { type: 'boolean' },
      memory: { type: 'string' },
      timeout: { type: 'string' },
      cpu: { type: 'string' },
      concurrency: { type: 'string' },
      env: { type: 'string', multiple: true },
      'no-rebuild': { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length > 1)
    throw new InvokeUsageError(`one project expected, got: ${positionals.join(' ')}`);
  let project: FunctionProject;
  try {
    project = findFunctionProject(positionals[0] ?? '.');
  } catch (error) {
    if (error instanceof ProjectNotFoundError) throw new InvokeUsageError(error.message);
    throw error;
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvokeUsageError(`--port ${values.port}: expected a port number (0-65535)`);
  }
  return {
    project,
    port,
    mode: values.native ? 'native' : 'jit',
    frontDoor: values.http === true || httpTemplates.has(project.template ?? ''),
    memoryMb: memoryOption(values.memory),
    timeoutSeconds: timeoutOption(values.timeout),
    cpu: cpuOption(values.cpu),
    concurrency: positiveInteger('--concurrency', values.concurrency, DEFAULT_CONCURRENCY),
    env: parseEnv(values.env ?? []),
    rebuild: values['no-rebuild'] !== true,
    quiet: values.quiet ?? false,
  };
}

export async function watchCommand(
  argv: string[],
  io: CommandOutput = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const say = (text: string) => io.stdout.write(`${text}\n`);
  const warn = (text: string) => io.stderr.write(`${text}\n`);
  let args: WatchArgs | 'help';
  try {
    args = parseWatchArgs(argv);
  } catch (error) {
    if (!(error instanceof InvokeUsageError) && !isParseArgsError(error)) throw error;
    warn(`aot-lambda watch: ${(error as Error).message}`);
    warn('Run `aot-lambda watch --help` for the options.');
    return 2;
  }
  if (args === 'help') {
    say(watchHelp());
    return 0;
  }
  if (!findExecutable('dotnet')) {
    warn(
      'aot-lambda watch: dotnet is not on PATH: install the .NET SDK 10 (https://dot.net) to build the function.',
    );
    return 2;
  }
  const { project } = args;
  const builder = new Builder(project, args.mode);
  const label = args.mode === 'jit' ? 'JIT build' : 'NativeAOT publish';

  let executable: string | undefined;
  const build = async (): Promise<boolean> => {
    say(`Building ${project.name} (${label})...`);
    const result = await builder.build();
    if (!result.ok) {
      warn(`Build failed after ${result.seconds.toFixed(1)} s:`);
      for (const line of result.errors) warn(`  ${line}`);
      if (executable) warn('Still serving the previous build.');
      return false;
    }
    executable = result.executable;
    say(`Built in ${result.seconds.toFixed(1)} s.`);
    return true;
  };
  if (!(await build())) return 1;

  const pool = new RuntimePool(
    () =>
      Emulator.start({
        executable,
        functionName: project.name,
        memoryMb: args.memoryMb,
        timeoutSeconds: args.timeoutSeconds,
        cpu: args.cpu,
        memoryLimit: true,
        env: args.env,
        output: 'capture',
        onOutput: args.quiet ? undefined : (chunk) => io.stderr.write(chunk.toString('utf8')),
        log: warn,
      }),
    args.concurrency,
  );
  let server: DevServer;
  try {
    server = await startDevServer({
      port: args.port,
      functionName: project.name,
      frontDoor: args.frontDoor,
      invoke: (payload, options) => pool.invoke(payload, options),
      log: warn,
    });
  } catch (error) {
    await pool.close();
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      warn(
        `aot-lambda watch: port ${args.port} is in use: choose another with --port N (0 picks a free one).`,
      );
      return 2;
    }
    throw error;
  }
  say(`Invoke API  ${server.invokeUrl}`);
  if (server.frontDoorUrl) say(`HTTP        ${server.frontDoorUrl}  (API Gateway HTTP API v2 events)`);

  // Changes during a build are built right after it, once.
  let building: Promise<void> | undefined;
  let again = false;
  const rebuild = (files: string[]): void => {
    if (building) {
      again = true;
      return;
    }
    say(`Changed: ${files.slice(0, 3).join(', ')}${files.length > 3 ? ` and ${files.length - 3} more` : ''}`);
    building = build()
      .then((ok) => {
        if (ok) pool.retireAll();
      })
      .finally(() => {
        building = undefined;
        if (again) {
          again = false;
          rebuild(['(changes made during the build)']);
        }
      });
  };
  const stopWatching = args.rebuild ? watchSources(project.root, rebuild) : () => undefined;
  say(args.rebuild ? `Watching ${project.root} for changes; Ctrl-C to stop.` : 'Ctrl-C to stop.');

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  stopWatching();
  builder.stop();
  await server.close();
  await pool.close();
  say('Stopped.');
  return 0;
}
