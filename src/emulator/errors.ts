/** Error bodies and error-type rules shared by the API server and the invoke results. */

interface LambdaErrorBody {
  errorMessage: string;
  errorType: string;
}

export function errorBody(errorType: string, errorMessage: string): string {
  return JSON.stringify({ errorMessage, errorType } satisfies LambdaErrorBody);
}

/**
 * RIE's fatalerror.GetValidRuntimeOrFunctionErrorType: the header is kept when it *contains* a match (Go's
 * regexp.MatchString is unanchored); otherwise `Function.`-prefixed values become Function.Unknown and
 * everything else, including a missing header, Runtime.Unknown.
 */
export function validateErrorType(header: string | undefined): string {
  const value = header ?? '';
  if (/(Runtime|Function)\.[A-Z][a-zA-Z]+/.test(value)) return value;
  return value.startsWith('Function.') ? 'Function.Unknown' : 'Runtime.Unknown';
}

/** Go's os.ProcessState.String() wording, which RIE copies into Runtime.ExitError messages. */
const signalWords: Readonly<Record<string, string>> = {
  SIGHUP: 'hangup',
  SIGINT: 'interrupt',
  SIGQUIT: 'quit',
  SIGILL: 'illegal instruction',
  SIGTRAP: 'trace/breakpoint trap',
  SIGABRT: 'aborted',
  SIGBUS: 'bus error',
  SIGFPE: 'floating point exception',
  SIGKILL: 'killed',
  SIGUSR1: 'user defined signal 1',
  SIGSEGV: 'segmentation fault',
  SIGUSR2: 'user defined signal 2',
  SIGPIPE: 'broken pipe',
  SIGALRM: 'alarm clock',
  SIGTERM: 'terminated',
};

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `signal: ${signalWords[signal] ?? signal}`;
  return `exit status ${code ?? 0}`;
}

/** What the caller receives when the runtime process ends before answering. */
export function exitErrorMessage(
  requestId: string,
  code: number | null,
  signal: NodeJS.Signals | null,
): string {
  if (!signal && code === 0)
    return `RequestId: ${requestId} Error: Runtime exited without providing a reason`;
  return `RequestId: ${requestId} Error: Runtime exited with error: ${describeExit(code, signal)}`;
}

/** Lambda's wording when the executable cannot be started at all (fork/exec errors from Go). */
export function entrypointErrorMessage(requestId: string, path: string, code: string | undefined): string {
  const reason =
    code === 'ENOENT'
      ? 'no such file or directory'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'ENOEXEC'
          ? 'exec format error'
          : (code ?? 'unknown error');
  return `RequestId: ${requestId} Error: fork/exec ${path}: ${reason}`;
}
