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

/** Request and response headers of the Runtime API, lower-cased as node:http presents them. */
export const Header = {
  requestId: 'lambda-runtime-aws-request-id',
  deadlineMs: 'lambda-runtime-deadline-ms',
  functionArn: 'lambda-runtime-invoked-function-arn',
  traceId: 'lambda-runtime-trace-id',
  clientContext: 'lambda-runtime-client-context',
  cognitoIdentity: 'lambda-runtime-cognito-identity',
  tenantId: 'lambda-runtime-aws-tenant-id',
  functionErrorType: 'lambda-runtime-function-error-type',
  functionErrorBody: 'lambda-runtime-function-error-body',
  responseMode: 'lambda-runtime-function-response-mode',
} as const;
