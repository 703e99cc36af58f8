import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { architectures } from '../catalog/architectures.js';
import { build, type BuildOutcome } from '../build/build.js';
import { BuildUsageError } from '../build/project.js';
import { ToolchainError } from '../build/toolchain.js';
import { formatDoctorReport } from '../doctor/index.js';
import { MissingToolError } from '../tools.js';
import { ProjectNotFoundError } from '../watch/function-project.js';
import { isParseArgsError, type CommandOutput } from './invoke.js';

export function buildHelp(): string {
  return `Usage: aot-lambda build [project-or-folder] [options]

Publishes the function NativeAOT for Lambda from this Linux machine, for either architecture, without Docker:
a native build when the machine's architecture is the function's, else a cross-compile (clang, lld and
Debian's cross C library; a missing piece is named with the packages that provide it). Writes
artifacts/publish/<executable> and, with --zip, artifacts/<function>.zip (the executable alone at its root,
mode 0755), then runs \`aot-lambda doctor\` on the result. artifacts/publish is replaced only by a build that
succeeded and that doctor passed; the last good one stays otherwise.

The project is the folder given (default: the current one): a generated project (its .yo-rc.json), or the one
.csproj there or under src/, or a .csproj named directly.

Options:
  --architecture ${architectures.map((a) => a.id).join('|')}   the target (default: the project's .yo-rc.json, else its csproj's
                          RuntimeIdentifier, else x86_64)
  --zip                   also write the deployable zip
  -h, --help              show this help

Exit status: 0 when built and doctor found no FAIL, 1 when the publish failed or doctor failed it, 2 on a
usage error or a missing tool.`;
}

export async function buildCommand(
  argv: string[],
  io: CommandOutput = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const say = (text: string) => io.stdout.write(`${text}\n`);
  const warn = (text: string) => io.stderr.write(`${text}\n`);
  let values: { architecture?: string; zip?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        architecture: { type: 'string' },
        zip: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    if (!isParseArgsError(error)) throw error;
    warn(`aot-lambda build: ${(error as Error).message}`);
    warn('Run `aot-lambda build --help` for the options.');
    return 2;
  }
  if (values.help) {
    say(buildHelp());
    return 0;
  }
  if (positionals.length > 1) {
    warn(`aot-lambda build: one project expected, got: ${positionals.join(' ')}`);
    return 2;
  }

  // Ctrl-C: exit through process.exit so that the staging folder is removed ('exit' handlers run).
  const onSignal = () => process.exit(130);
  process.once('SIGINT', onSignal);
  let outcome: BuildOutcome;
  try {
    outcome = await build(
      { target: positionals[0], architecture: values.architecture, zip: values.zip },
      {
        onStart: (project, toolchain) => {
          if (project.overridden)
            warn(
              `aot-lambda build: warning: the project is set up for ${project.overridden}; ` +
                `deploy this build with Architectures: ${project.architecture.id}.`,
            );
          say(
            `Building ${relative(process.cwd(), project.csproj) || project.csproj} for ${project.architecture.id} ` +
              `(${project.architecture.rid}, from ${project.architectureSource}) on this ${toolchain.host.id} machine: ` +
              (toolchain.cross ? 'cross-compiling' : 'native build'),
          );
        },
        onPhase: (phase, seconds) => say(`  [${seconds.toFixed(0).padStart(3)} s] ${phase.label}`),
        onHeartbeat: (phase, seconds) =>
          say(
            `  [${seconds.toFixed(0).padStart(3)} s]   ...still ${phase ? lowerFirst(phase.label) : 'starting'}`,
          ),
        onDiagnostic: (d) => warn(`  ${d.severity}: ${d.text}`),
      },
    );
  } catch (error) {
    const known =
      error instanceof BuildUsageError ||
      error instanceof ProjectNotFoundError ||
      error instanceof ToolchainError ||
      error instanceof MissingToolError;
    if (!known) throw error;
    warn(`aot-lambda build: ${(error as Error).message}`);
    return 2;
  } finally {
    process.off('SIGINT', onSignal);
  }
  return report(outcome, say, warn);
}

function report(outcome: BuildOutcome, say: (t: string) => void, warn: (t: string) => void): number {
  const here = (path: string) => relative(process.cwd(), path) || path;
  if (outcome.kind === 'publish-failed') {
    warn('aot-lambda build: the publish failed:');
    for (const line of outcome.errors) warn(`  ${line}`);
    warn('artifacts/publish was left as it was.');
    return 1;
  }
  say(formatDoctorReport({ ...outcome.doctor, target: here(outcome.doctor.target) }));
  if (outcome.kind === 'doctor-failed') {
    warn(
      `aot-lambda build: doctor failed the build; it is in ${here(outcome.executable)}, and artifacts/publish was left as it was.`,
    );
    return 1;
  }
  const sizes = [`${here(outcome.executable)} (${megabytes(outcome.executableBytes)})`];
  if (outcome.zip && outcome.zipBytes !== undefined)
    sizes.push(`${here(outcome.zip)} (${megabytes(outcome.zipBytes)})`);
  say(
    `Built ${sizes.join(' and ')} for ${outcome.project.architecture.id} in ${outcome.publishSeconds.toFixed(0)} s.`,
  );
  say(`Next: aot-lambda invoke ${here(outcome.executable)}`);
  return 0;
}

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
