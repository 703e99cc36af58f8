/**
 * The project `aot-lambda build` publishes, and the function settings that shape the build: the architecture
 * and runtime stored by the generator (.yo-rc.json), else what the csproj says (RuntimeIdentifier), else
 * Lambda's defaults. The function project itself is found as the development server finds it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { architectures, defaultArchitecture, type Architecture } from '../catalog/architectures.js';
import { defaultRuntime, runtimes, type LambdaRuntime } from '../catalog/runtimes.js';
import { functionNameOf } from '../spec.js';
import { readStoredSettings } from '../stored-settings.js';
import { csprojProperty, findFunctionProject, type FunctionProject } from '../watch/function-project.js';

export interface BuildProject extends FunctionProject {
  readonly architecture: Architecture;
  readonly runtime: LambdaRuntime;
  /** Where the architecture came from, said in the build's first line. */
  readonly architectureSource: string;
  readonly targetFramework?: string;
  /** The zip's name without .zip: the generated project's function name, else the project name. */
  readonly functionName: string;
  /** The architecture the project itself names, when --architecture chose another one. */
  readonly overridden?: string;
}

export class BuildUsageError extends Error {
  override name = 'BuildUsageError';
}

const architectureIds = architectures.map((a) => a.id).join(' or ');

export function findBuildProject(target: string, architectureOption?: string): BuildProject {
  const project = findFunctionProject(target);
  const stored = readStoredSettings(project.root);
  const rid = csprojProperty(project.csproj, 'RuntimeIdentifier');
  let architecture: Architecture | undefined;
  let architectureSource: string;
  let overridden: string | undefined;
  if (architectureOption !== undefined) {
    architecture = architectures.find((a) => a.id === architectureOption);
    if (!architecture) {
      throw new BuildUsageError(`--architecture ${architectureOption}: use ${architectureIds}`);
    }
    architectureSource = '--architecture';
    const own = stored?.architecture ?? architectures.find((a) => a.rid === rid)?.id;
    if (own !== undefined && own !== architecture.id) overridden = own;
  } else if (stored?.architecture !== undefined) {
    architecture = architectures.find((a) => a.id === stored.architecture);
    if (!architecture) {
      throw new BuildUsageError(
        `.yo-rc.json names the architecture '${stored.architecture}'; set it to ${architectureIds}, or pass --architecture`,
      );
    }
    architectureSource = '.yo-rc.json';
  } else if (rid !== undefined && architectures.some((a) => a.rid === rid)) {
    architecture = architectures.find((a) => a.rid === rid) as Architecture;
    architectureSource = `the csproj's RuntimeIdentifier ${rid}`;
  } else {
    architecture = architectures.find((a) => a.id === defaultArchitecture) as Architecture;
    architectureSource = "Lambda's default";
  }
  const runtime =
    runtimes.find((r) => r.id === (stored?.runtime ?? toolsDefaultsRuntime(project.csproj))) ??
    (runtimes.find((r) => r.id === defaultRuntime) as LambdaRuntime);
  return {
    ...project,
    architecture,
    architectureSource,
    runtime,
    targetFramework: csprojProperty(project.csproj, 'TargetFramework'),
    functionName: functionNameOf(project.name),
    overridden,
  };
}

/** `function-runtime` of aws-lambda-tools-defaults.json beside the csproj (Amazon.Lambda.Tools' settings). */
function toolsDefaultsRuntime(csproj: string): string | undefined {
  try {
    const json = JSON.parse(
      readFileSync(join(dirname(csproj), 'aws-lambda-tools-defaults.json'), 'utf8'),
    ) as {
      'function-runtime'?: unknown;
    };
    return typeof json['function-runtime'] === 'string' ? json['function-runtime'] : undefined;
  } catch {
    return undefined;
  }
}
