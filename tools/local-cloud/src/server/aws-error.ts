/**
 * An error as an AWS service answers it on the wire: the error code the SDK turns into an exception class,
 * the message, the HTTP status, and (for the SQS query-compatible JSON protocol and the query protocol) the
 * legacy query error code and fault type.
 */
export class AwsError extends Error {
  constructor(
    /** The modelled error code, e.g. `ExecutionDoesNotExist`, `QueueDoesNotExist`, `ResourceNotFoundException`. */
    readonly code: string,
    message: string,
    /** HTTP status (400 for client errors unless the service uses another one). */
    readonly status = 400,
    /** Who is at fault: `Sender` (client) or `Receiver` (server). */
    readonly fault: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
    /** SQS only: the query-protocol error code, e.g. `AWS.SimpleQueueService.NonExistentQueue`. */
    readonly queryCode?: string,
  ) {
    super(message);
    this.name = code;
  }
}

/** `ValidationException` for a missing required member, worded as AWS's request validation does. */
export const missingMember = (member: string): AwsError =>
  new AwsError(
    'ValidationException',
    `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
  );

/** `ValidationException` for a member of the wrong JSON type. */
export const wrongType = (member: string, expected: string): AwsError =>
  new AwsError(
    'ValidationException',
    `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must be ${expected}`,
  );

/** `ValidationException` for a string member that is too long. */
export const tooLong = (member: string, max: number): AwsError =>
  new AwsError(
    'ValidationException',
    `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
  );

/** The error a service answers for an action it does not know. */
export const unknownOperation = (operation: string): AwsError =>
  new AwsError('UnknownOperationException', `Unknown operation ${operation}`);

/** The error a JSON-protocol service answers for a body that is not a JSON object. */
export const serializationError = (detail: string): AwsError =>
  new AwsError('SerializationException', `Start of structure or map found where not expected: ${detail}`);

/** Any unexpected failure inside a handler: AWS answers 500 InternalFailure (the SDK retries it). */
export const internalFailure = (): AwsError =>
  new AwsError('InternalFailure', 'The request processing has failed because of an unknown error.', 500);
