/**
 * `aot-lambda build` as a library: find the project, check the toolchain for the target, publish NativeAOT
 * into a staging folder with progress, zip, run doctor, and only then replace artifacts/publish (and the
 * zip): a failed build or one doctor rejects never costs the last good executable.
 */
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { hostArchitecture } from '../catalog/architectures.js';
import { runDoctor, type DoctorReport } from '../doctor/index.js';
import { requireTool } from '../tools.js';
import { buildErrors } from '../watch/rebuild.js';
import type { Diagnostic, Phase } from './progress.js';
import { findBuildProject, BuildUsageError, type BuildProject } from './project.js';
import { runPublish } from './publish.js';
import { checkToolchain, toolchainFor, type Toolchain } from './toolchain.js';
import { writeLambdaZip } from './zip.js';

export interface BuildOptions {
  /** A project folder or csproj; default the current folder. */
  readonly target?: string;
  readonly architecture?: string;
  readonly zip?: boolean;
  readonly heartbeatMs?: number;
}

export interface BuildEvents {
  onStart?(project: BuildProject, toolchain: Toolchain): void;
  onPhase?(phase: Phase, elapsedSeconds: number): void;
  onHeartbeat?(phase: Phase | undefined, elapsedSeconds: number): void;
  onDiagnostic?(diagnostic: Diagnostic): void;
}

export type BuildOutcome =
  | { readonly kind: 'publish-failed'; readonly project: BuildProject; readonly errors: string[] }
  | {
      readonly kind: 'built' | 'doctor-failed';
      readonly project: BuildProject;
      /** Where the executable (and zip) are: artifacts/publish when built, the rejected folder otherwise. */
      readonly executable: string;
      readonly zip?: string;
      readonly doctor: DoctorReport;
      readonly publishSeconds: number;
      readonly executableBytes: number;
      readonly zipBytes?: number;
    };

/** Folder names under artifacts/. */
const publishFolder = 'publish';
const rejectedFolder = 'publish.rejected';

export async function build(options: BuildOptions, events: BuildEvents = {}): Promise<BuildOutcome> {
  const project = findBuildProject(options.target ?? '.', options.architecture);
  const host = hostArchitecture();
  if (!host) {
    throw new BuildUsageError(
      `this machine's architecture (${process.arch}) is neither x86_64 nor arm64: build in Docker (scripts/build.sh)`,
    );
  }
  const toolchain = toolchainFor(host, project.architecture, project.targetFramework);
  const dotnet = requireTool('dotnet', 'publish the function');
  checkToolchain(toolchain);
  events.onStart?.(project, toolchain);

  const artifacts = join(project.root, 'artifacts');
  mkdirSync(artifacts, { recursive: true });
  const staging = join(artifacts, `.publish-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  const stopCleanly = () => rmSync(staging, { recursive: true, force: true });
  process.once('exit', stopCleanly);
  try {
    const published = await runPublish(
      { dotnet, csproj: project.csproj, cwd: project.root, outDir: staging, toolchain },
      {
        onPhase: (phase, seconds) => events.onPhase?.(phase, seconds),
        onHeartbeat: (phase, seconds) => events.onHeartbeat?.(phase, seconds),
        onDiagnostic: (diagnostic) => events.onDiagnostic?.(diagnostic),
        heartbeatMs: options.heartbeatMs,
      },
    );
    const stagedExecutable = join(staging, project.assemblyName);
    if (!published.ok || !existsSync(stagedExecutable)) {
      const errors = published.diagnostics.filter((d) => d.severity === 'error').map((d) => d.text);
      return {
        kind: 'publish-failed',
        project,
        errors:
          errors.length > 0
            ? errors
            : published.ok
              ? [`${project.assemblyName} was not produced`]
              : buildErrors(published.output),
      };
    }
    chmodSync(stagedExecutable, 0o755);
    const zipName = `${project.functionName}.zip`;
    const stagedZip = options.zip ? join(staging, zipName) : undefined;
    const zipBytes = stagedZip ? await writeLambdaZip(stagedExecutable, stagedZip) : undefined;
    const doctor = await runDoctor(stagedZip ?? stagedExecutable, {
      architecture: project.architecture.id,
      runtime: project.runtime.id,
    });

    const destination = join(artifacts, doctor.ok ? publishFolder : rejectedFolder);
    rmSync(destination, { recursive: true, force: true });
    let zip: string | undefined;
    if (stagedZip) {
      // The zip lives beside the publish folder (artifacts/<Function>.zip), as scripts/package.sh writes it.
      zip = doctor.ok ? join(artifacts, zipName) : join(destination, zipName);
      if (doctor.ok) renameSync(stagedZip, zip);
    }
    renameSync(staging, destination);
    const executable = join(destination, project.assemblyName);
    return {
      kind: doctor.ok ? 'built' : 'doctor-failed',
      project,
      executable,
      zip,
      doctor: { ...doctor, target: zip ?? executable },
      publishSeconds: published.seconds,
      executableBytes: statSync(executable).size,
      zipBytes,
    };
  } finally {
    process.off('exit', stopCleanly);
    rmSync(staging, { recursive: true, force: true });
  }
}
