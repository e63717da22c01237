import { AwsError } from '../server/aws-error';

/**
 * SQS error codes: the JSON-protocol (modelled) code, the query-protocol code the same error has (`x-amzn-query-error`
 * and `<Code>` of XML errors), and the HTTP status.
 */
const SQS_ERRORS: readonly (readonly [json: string, query: string, status?: number])[] = [
  ['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue'],
  ['QueueNameExists', 'QueueAlreadyExists'],
  ['QueueDeletedRecently', 'AWS.SimpleQueueService.QueueDeletedRecently'],
  ['PurgeQueueInProgress', 'AWS.SimpleQueueService.PurgeQueueInProgress', 403],
  ['ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', 404],
  ['MessageNotInflight', 'AWS.SimpleQueueService.MessageNotInflight'],
  ['InvalidAttributeName', 'InvalidAttributeName'],
  ['InvalidAttributeValue', 'InvalidAttributeValue'],
  ['InvalidMessageContents', 'InvalidMessageContents'],
  ['InvalidIdFormat', 'InvalidIdFormat'],
  ['TooManyEntriesInBatchRequest', 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest'],
  ['EmptyBatchRequest', 'AWS.SimpleQueueService.EmptyBatchRequest'],
  ['BatchEntryIdsNotDistinct', 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct'],
  ['BatchRequestTooLong', 'AWS.SimpleQueueService.BatchRequestTooLong'],
  ['InvalidBatchEntryId', 'AWS.SimpleQueueService.InvalidBatchEntryId'],
  ['UnsupportedOperation', 'AWS.SimpleQueueService.UnsupportedOperation'],
  ['ResourceNotFoundException', 'ResourceNotFoundException', 404],
  ['OverLimit', 'OverLimit', 403],
  ['InvalidAddress', 'InvalidAddress', 404],
  ['InvalidSecurity', 'InvalidSecurity', 403],
  ['RequestThrottled', 'RequestThrottled'],
  ['InvalidParameterValue', 'InvalidParameterValue'],
  ['InvalidParameterCombination', 'InvalidParameterCombination'],
  ['MissingParameter', 'MissingParameter'],
  ['InvalidAction', 'InvalidAction'],
  ['ValidationException', 'ValidationError'],
  ['UnknownOperationException', 'InvalidAction'],
  ['SerializationException', 'MalformedQueryString'],
  ['RequestEntityTooLargeException', 'RequestEntityTooLarge', 413],
  ['InternalFailure', 'InternalFailure', 500],
];

const byJson = new Map(SQS_ERRORS.map((e) => [e[0], e]));
const byQuery = new Map(SQS_ERRORS.map((e) => [e[1], e]));

/** Builds the SQS error for a code given in either form (JSON `QueueDoesNotExist` or query `AWS.SimpleQueueService.NonExistentQueue`). */
export const sqsError = (code: string, message: string, status?: number): AwsError => {
  const entry = byJson.get(code) ?? byQuery.get(code);
  const jsonCode = entry?.[0] ?? code;
  const queryCode = entry?.[1] ?? code;
  const httpStatus = status ?? entry?.[2] ?? 400;
  return new AwsError(jsonCode, message, httpStatus, httpStatus >= 500 ? 'Receiver' : 'Sender', queryCode);
};

/** Adds the query-protocol code to a generic error raised by the wire layer (ValidationException, ...). */
export const asSqsError = (error: AwsError): AwsError =>
  error.queryCode !== undefined ? error : sqsError(error.code, error.message, error.status);

/** `MissingParameter` as SQS words it. */
export const missingParameter = (member: string): AwsError =>
  sqsError('MissingParameter', `The request must contain the parameter ${member}.`);
