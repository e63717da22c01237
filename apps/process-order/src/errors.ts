/**
 * Errors process-order throws (their `name` is the Lambda function error type the workflow's Retry/Catch match,
 * from `TaskErrorNames` in @flow/contracts):
 *
 * - `TransientDependencyError` (retryable): the idempotency table could not be read or written;
 * - `IdempotencyAlreadyInProgressError` (retryable, from Powertools): the same event is being processed right now;
 * - `InvalidTaskInputError` (terminal): the payload is not an EventBridge event (a wiring bug, not a bad order).
 *
 * An invalid order is NOT an error: it is the `{ status: 'invalid', errors }` result.
 */
export { InvalidTaskInputError, TransientDependencyError } from '@flow/observability';
