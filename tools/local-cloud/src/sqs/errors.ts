/**
 * An SQS API error as the service answers it: the JSON-protocol error code (the SDK's exception name, e.g.
 * `QueueDoesNotExist`), the query-protocol code (`AWS.SimpleQueueService.NonExistentQueue`, also sent in the
 * `x-amzn-query-error` header of JSON responses), the message, the HTTP status and the fault side.
 */
export class SqsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly queryCode: string = code,
    readonly status = 400,
    readonly fault: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
    this.name = code;
  }
}

/** The per-entry failure of a batch call. */
export interface BatchResultErrorEntry {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

export const toBatchError = (id: string, error: SqsError): BatchResultErrorEntry => ({
  Id: id,
  SenderFault: error.fault === 'Sender',
  Code: error.code,
  Message: error.message,
});

const NS = 'AWS.SimpleQueueService.';

/** Factories for the errors SQS answers, worded as SQS words them. */
export const sqsErrors = {
  queueDoesNotExist: (): SqsError =>
    new SqsError('QueueDoesNotExist', 'The specified queue does not exist.', `${NS}NonExistentQueue`),
  queueNameExists: (attribute: string): SqsError =>
    new SqsError(
      'QueueNameExists',
      `A queue already exists with the same name and a different value for attribute ${attribute}`,
      'QueueAlreadyExists',
    ),
  invalidParameterValue: (message: string): SqsError => new SqsError('InvalidParameterValue', message),
  invalidParameter: (parameter: string, value: unknown, reason: string): SqsError =>
    new SqsError(
      'InvalidParameterValue',
      `Value ${typeof value === 'string' ? value : JSON.stringify(value)} for parameter ${parameter} is invalid. Reason: ${reason}`,
    ),
  missingParameter: (parameter: string): SqsError =>
    new SqsError('MissingParameter', `The request must contain the parameter ${parameter}.`),
  invalidAttributeName: (name: string): SqsError =>
    new SqsError('InvalidAttributeName', `Unknown Attribute ${name}.`),
  invalidAttributeValue: (name: string, reason?: string): SqsError =>
    new SqsError(
      'InvalidAttributeValue',
      `Invalid value for the parameter ${name}.${reason === undefined ? '' : ` Reason: ${reason}`}`,
    ),
  invalidMessageContents: (reason: string): SqsError => new SqsError('InvalidMessageContents', reason),
  receiptHandleIsInvalid: (handle: string): SqsError =>
    new SqsError(
      'ReceiptHandleIsInvalid',
      `The input receipt handle "${handle}" is not a valid receipt handle.`,
      'ReceiptHandleIsInvalid',
      404,
    ),
  messageNotInflight: (): SqsError =>
    new SqsError(
      'MessageNotInflight',
      'The message referred to is not in flight.',
      `${NS}MessageNotInflight`,
    ),
  purgeQueueInProgress: (queueName: string): SqsError =>
    new SqsError(
      'PurgeQueueInProgress',
      `Only one PurgeQueue operation on ${queueName} is allowed every 60 seconds.`,
      `${NS}PurgeQueueInProgress`,
      403,
    ),
  emptyBatchRequest: (entryName: string): SqsError =>
    new SqsError(
      'EmptyBatchRequest',
      `There should be at least one ${entryName} in the request.`,
      `${NS}EmptyBatchRequest`,
    ),
  tooManyEntriesInBatchRequest: (count: number): SqsError =>
    new SqsError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are 10. You have sent ${count}.`,
      `${NS}TooManyEntriesInBatchRequest`,
    ),
  batchEntryIdsNotDistinct: (id: string): SqsError =>
    new SqsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`, `${NS}BatchEntryIdsNotDistinct`),
  invalidBatchEntryId: (): SqsError =>
    new SqsError(
      'InvalidBatchEntryId',
      'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      `${NS}InvalidBatchEntryId`,
    ),
  batchRequestTooLong: (max: number, size: number): SqsError =>
    new SqsError(
      'BatchRequestTooLong',
      `Batch requests cannot be longer than ${max} bytes. You have sent ${size} bytes.`,
      `${NS}BatchRequestTooLong`,
    ),
  unsupportedOperation: (message: string): SqsError =>
    new SqsError('UnsupportedOperation', message, `${NS}UnsupportedOperation`),
  resourceNotFound: (message: string): SqsError =>
    new SqsError('ResourceNotFoundException', message, 'ResourceNotFoundException', 404),
} as const;
