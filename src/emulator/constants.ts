/** Fixed values of the Lambda Runtime API contract (see /work/shared/reference/runtime-api.md). */

export const RUNTIME_API_VERSION = '2018-06-01';

/** RIE's interop.MaxPayloadSize: 6 MiB + 100 bytes, for events and responses alike. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024 + 100;

/** The account id RIE puts into every function ARN. */
export const EMULATED_ACCOUNT_ID = '012345678912';
export const DEFAULT_REGION = 'us-east-1';

/** RIE defaults when nothing else is configured. */
export const DEFAULT_FUNCTION_NAME = 'test_function';
export const DEFAULT_MEMORY_MB = 3008;
export const DEFAULT_TIMEOUT_SECONDS = 300;
export const FUNCTION_VERSION = '$LATEST';

/**
 * Request and response headers of the Runtime API, spelled as Lambda writes them; node:http presents the
 * ones it receives lower-cased, so they are looked up lower-cased.
 */
export const Header = {
  requestId: 'Lambda-Runtime-Aws-Request-Id',
  deadlineMs: 'Lambda-Runtime-Deadline-Ms',
  functionArn: 'Lambda-Runtime-Invoked-Function-Arn',
  traceId: 'Lambda-Runtime-Trace-Id',
  clientContext: 'Lambda-Runtime-Client-Context',
  cognitoIdentity: 'Lambda-Runtime-Cognito-Identity',
  tenantId: 'Lambda-Runtime-Aws-Tenant-Id',
  functionErrorType: 'Lambda-Runtime-Function-Error-Type',
  functionErrorBody: 'Lambda-Runtime-Function-Error-Body',
  responseMode: 'Lambda-Runtime-Function-Response-Mode',
} as const;
