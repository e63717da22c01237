import { TaskErrorNames } from '@flow/contracts';

/**
 * Errors every task service throws. Lambda reports an error's `name` as the function error type, which is what
 * the state machine's `Retry`/`Catch` `ErrorEquals` match (`TaskErrorNames` in @flow/contracts).
 */

/** A dependency failed in a way that may succeed on retry (throttling, 5xx, timeouts, network). RETRYABLE. */
export class TransientDependencyError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = TaskErrorNames.TransientDependency;
  }
}

/** The task's payload did not match its contract: a wiring bug in the workflow, so retrying cannot help. */
export class InvalidTaskInputError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = TaskErrorNames.InvalidTaskInput;
  }
}

/** AWS error codes that mean "try again later". */
const TRANSIENT_AWS_ERROR_NAMES: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'TransactionInProgressException',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

/** Node.js network error codes that mean the request may not have reached the service. */
const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/** Powertools idempotency errors raised when its DynamoDB table could not be read or written. */
const TRANSIENT_IDEMPOTENCY_ERRORS: ReadonlySet<string> = new Set([
  'IdempotencyPersistenceLayerError',
  'IdempotencyInconsistentStateError',
]);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/**
 * Whether an error from the AWS SDK v3 (or the network under it) is worth retrying: a throttling or server-side
 * error code, an HTTP 5xx/429 status, the SDK's own `$retryable` mark, or a network error code.
 */
export const isTransientAwsError = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const details = error as Error & { $retryable?: unknown; $metadata?: unknown; code?: unknown };
  const status = isRecord(details.$metadata) ? details.$metadata['httpStatusCode'] : undefined;
  return (
    TRANSIENT_AWS_ERROR_NAMES.has(error.name) ||
    (typeof details.code === 'string' && TRANSIENT_NETWORK_CODES.has(details.code)) ||
    details.$retryable !== undefined ||
    (typeof status === 'number' && (status >= 500 || status === 429))
  );
};

/**
 * Maps an error thrown inside a task to the error the state machine should see: transient AWS and idempotency
 * persistence failures become {@link TransientDependencyError} (with the original as `cause`); everything else is
 * returned unchanged.
 */
export const toTaskError = (error: unknown): unknown => {
  if (!(error instanceof Error) || error.name === TaskErrorNames.TransientDependency) return error;
  if (TRANSIENT_IDEMPOTENCY_ERRORS.has(error.name) || isTransientAwsError(error)) {
    return new TransientDependencyError(`${error.name}: ${error.message}`, { cause: error });
  }
  return error;
};
