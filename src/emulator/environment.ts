import { DEFAULT_REGION, FUNCTION_VERSION } from './constants.js';
import { newLogStreamName } from './ids.js';

export interface RuntimeEnvironmentInput {
  runtimeApi: string;
  functionName: string;
  handler: string;
  memoryMb: number;
  taskRoot: string;
  /** User-given variables (CLI --env); they win over everything but the two the emulator must own. */
  extra?: Readonly<Record<string, string>>;
  inherited?: NodeJS.ProcessEnv;
}

/**
 * The environment Lambda gives `bootstrap`, on top of the inherited one (as RIE does).
 * _LAMBDA_TELEMETRY_LOG_FD is never passed: the .NET client would write its logs to that descriptor.
 */
export function runtimeEnvironment(input: RuntimeEnvironmentInput): NodeJS.ProcessEnv {
  const inherited = input.inherited ?? process.env;
  const region = inherited.AWS_REGION ?? inherited.AWS_DEFAULT_REGION ?? DEFAULT_REGION;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    _HANDLER: input.handler,
    LAMBDA_TASK_ROOT: input.taskRoot,
    LAMBDA_RUNTIME_DIR: inherited.LAMBDA_RUNTIME_DIR ?? input.taskRoot,
    AWS_LAMBDA_FUNCTION_NAME: input.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(input.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: FUNCTION_VERSION,
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${input.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: newLogStreamName(FUNCTION_VERSION),
    AWS_REGION: region,
    AWS_DEFAULT_REGION: inherited.AWS_DEFAULT_REGION ?? region,
    TZ: ':UTC',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    ...input.extra,
    AWS_LAMBDA_RUNTIME_API: input.runtimeApi,
  };
  delete env._LAMBDA_TELEMETRY_LOG_FD;
  return env;
}
