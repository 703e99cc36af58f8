/** Local AWS Lambda Runtime API emulator: a library first, used by `aot-lambda invoke`, the tests and the benchmark. */
export {
  Emulator,
  startRuntimeApi,
  type EmulatorOptions,
  type InvokeEvent,
  type InvokeOptions,
  type InvokeOutcome,
  type InvokeResponse,
  type InvokeResult,
} from './emulator.js';
export {
  RuntimeApiServer,
  type Invocation,
  type RuntimeApiListener,
  type RuntimeOutcome,
} from './runtime-api-server.js';
export type { OutputMode } from './runtime-process.js';
export {
  MAX_PAYLOAD_BYTES,
  DEFAULT_MEMORY_MB,
  DEFAULT_TIMEOUT_SECONDS,
  DEFAULT_FUNCTION_NAME,
} from './constants.js';
export { cpuModes, lambdaCpus, MEMORY_MB_PER_VCPU, type CpuMode } from './cgroups.js';
export { checkMemoryMb, checkTimeoutSeconds, LimitError, MEMORY_LIMITS, TIMEOUT_LIMITS } from './limits.js';
export { validateErrorType } from './errors.js';
export { reportLine, startLine, endLine, initReportLine, type ReportFields } from './report-lines.js';
export { processTree, readPeakRssBytes, ProcessTreeMemory } from './process-tree-memory.js';
