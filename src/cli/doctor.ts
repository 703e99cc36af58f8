import { parseArgs } from 'node:util';
import { architectures } from '../catalog/architectures.js';
import { runtimes, targetGlibc } from '../catalog/runtimes.js';
import { DoctorInputError, formatDoctorReport, runDoctor } from '../doctor/index.js';
import type { CommandOutput } from './invoke.js';

function doctorHelp(): string {
  return `Usage: aot-lambda doctor <executable|zip|publish-folder> [options]

Checks that a built bootstrap (or the zip you will deploy) can start on Lambda: ELF class and architecture,
the dynamic loader, glibc versions needed vs Amazon Linux 2023's ${targetGlibc}, shared libraries, ICU, the exec bit,
the name and place in the zip, and the size limits. One PASS / WARN / FAIL line per check, with the fix.

Options:
  --architecture ${architectures.map((a) => a.id).join('|')}   the function's architecture (default: the project's, else x86_64,
                                which only warns on a mismatch)
  --runtime ${runtimes.map((r) => r.id).join('|')}   the function's runtime (default: the project's, else provided.al2023)
  --json               print the report as JSON
  -h, --help           show this help

Inside a generated or converted project, the architecture and runtime come from its .yo-rc.json, or from its
csproj's RuntimeIdentifier and aws-lambda-tools-defaults.json; the report names the file.

Exit status: 0 when nothing fails (warnings allowed), 1 when a check fails, 2 on a usage error.`;
}

export async function doctorCommand(
  argv: string[],
  io: CommandOutput = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const say = (text: string) => io.stdout.write(`${text}\n`);
  const warn = (text: string) => io.stderr.write(`${text}\n`);
  let values: { architecture?: string; runtime?: string; json?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        architecture: { type: 'string' },
        runtime: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    warn(`aot-lambda doctor: ${(error as Error).message}`);
    return 2;
  }
  if (values.help) {
    say(doctorHelp());
    return 0;
  }
  if (positionals.length !== 1) {
    warn('aot-lambda doctor: give one executable, zip or publish folder to check (see --help)');
    return 2;
  }
  try {
    const report = await runDoctor(positionals[0] as string, {
      architecture: values.architecture,
      runtime: values.runtime,
    });
    say(values.json ? JSON.stringify(report, null, 2) : formatDoctorReport(report));
    return report.ok ? 0 : 1;
  } catch (error) {
    if (!(error instanceof DoctorInputError)) throw error;
    warn(`aot-lambda doctor: ${error.message}`);
    return 2;
  }
}
