/** Lambda's platform log lines, byte for byte (tab-separated REPORT fields, two decimals for durations). */

export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

export interface ReportFields {
  requestId: string;
  initDurationMs?: number;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  /** Lambda appends `Status: timeout` or `Status: error\tError Type: ...` when the invocation failed in the platform. */
  status?: 'timeout' | 'error';
  errorType?: string;
}

/** Field order as in the contract (RIE's): Init Duration right after the request id, on cold starts only. */
export function reportLine(f: ReportFields): string {
  const fields = [`REPORT RequestId: ${f.requestId}`];
  if (f.initDurationMs !== undefined) fields.push(`Init Duration: ${ms(f.initDurationMs)} ms`);
  fields.push(
    `Duration: ${ms(f.durationMs)} ms`,
    `Billed Duration: ${f.billedDurationMs} ms`,
    `Memory Size: ${f.memorySizeMb} MB`,
    `Max Memory Used: ${f.maxMemoryUsedMb} MB`,
  );
  if (f.status) fields.push(`Status: ${f.status}`);
  if (f.status === 'error' && f.errorType) fields.push(`Error Type: ${f.errorType}`);
  return fields.join('\t');
}

/** Lambda's line when the init phase ends other than by asking for an event (`Status: timeout`, `error`). */
export function initReportLine(initDurationMs: number, status: 'timeout' | 'error'): string {
  return `INIT_REPORT Init Duration: ${ms(initDurationMs)} ms\tPhase: init\tStatus: ${status}`;
}

/** The line Lambda writes to the function's log when the timeout fires. */
export function timeoutLine(requestId: string, timeoutSeconds: number, at: Date = new Date()): string {
  return `${at.toISOString()} ${requestId} ${timeoutMessage(timeoutSeconds)}`;
}

export function timeoutMessage(timeoutSeconds: number): string {
  return `Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
}

function ms(value: number): string {
  return value.toFixed(2);
}
