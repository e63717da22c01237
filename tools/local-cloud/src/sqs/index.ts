export { SqsService } from './sqs-service';
export type { SqsServiceOptions } from './sqs-service';
export { SqsError, sqsErrors } from './errors';
export type { BatchResultErrorEntry } from './errors';
export { md5OfBody, md5OfMessageAttributes } from './md5';
export type { MessageAttributeValue } from './md5';
export { ManualClock, SystemClock } from './clock';
export type { Clock, TimerHandle } from './clock';
export type * from './types';
