import { type BatchResultErrorEntry } from './errors';
import { type MessageAttributeValue } from './md5';

/**
 * Request and response shapes of the SQS JSON protocol (the `@aws-sdk/client-sqs` model's member names). Inputs arrive
 * from the wire as parsed JSON, so every member is optional here and checked at run time.
 */
export type { MessageAttributeValue };
export type QueueAttributes = Record<string, string>;

export interface CreateQueueInput {
  QueueName?: string;
  Attributes?: QueueAttributes;
  tags?: Record<string, string>;
}
export interface QueueUrlInput {
  QueueUrl?: string;
}
export interface GetQueueUrlInput {
  QueueName?: string;
  QueueOwnerAWSAccountId?: string;
}
export interface ListQueuesInput {
  QueueNamePrefix?: string;
  NextToken?: string;
  MaxResults?: number;
}
export interface ListQueuesOutput {
  QueueUrls?: string[];
  NextToken?: string;
}
export interface GetQueueAttributesInput extends QueueUrlInput {
  AttributeNames?: string[];
}
export interface SetQueueAttributesInput extends QueueUrlInput {
  Attributes?: QueueAttributes;
}

export interface SendMessageInput extends QueueUrlInput {
  MessageBody?: string;
  DelaySeconds?: number;
  MessageAttributes?: Record<string, MessageAttributeValue>;
  MessageSystemAttributes?: Record<string, MessageAttributeValue>;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}
export interface SendMessageOutput {
  MessageId: string;
  MD5OfMessageBody: string;
  MD5OfMessageAttributes?: string;
  MD5OfMessageSystemAttributes?: string;
  SequenceNumber?: string;
}
export interface SendMessageBatchEntry extends Omit<SendMessageInput, 'QueueUrl'> {
  Id?: string;
}
export interface SendMessageBatchInput extends QueueUrlInput {
  Entries?: SendMessageBatchEntry[];
}
export interface SendMessageBatchOutput {
  Successful: (SendMessageOutput & { Id: string })[];
  Failed: BatchResultErrorEntry[];
}

export interface ReceiveMessageInput extends QueueUrlInput {
  /** Deprecated in the API but still sent by older clients and the CLI. */
  AttributeNames?: string[];
  MessageSystemAttributeNames?: string[];
  MessageAttributeNames?: string[];
  MaxNumberOfMessages?: number;
  VisibilityTimeout?: number;
  WaitTimeSeconds?: number;
  ReceiveRequestAttemptId?: string;
}
export interface ReceivedMessage {
  MessageId: string;
  ReceiptHandle: string;
  MD5OfBody: string;
  Body: string;
  Attributes?: Record<string, string>;
  MD5OfMessageAttributes?: string;
  MessageAttributes?: Record<string, MessageAttributeValue>;
}
export interface ReceiveMessageOutput {
  Messages?: ReceivedMessage[];
}
/** Options of a receive that are not part of the API. */
export interface ReceiveOptions {
  /** Aborts a long poll early (the HTTP client went away); the call then answers with no messages. */
  signal?: AbortSignal;
}

export interface DeleteMessageInput extends QueueUrlInput {
  ReceiptHandle?: string;
}
export interface DeleteMessageBatchInput extends QueueUrlInput {
  Entries?: { Id?: string; ReceiptHandle?: string }[];
}
export interface BatchIdsOutput {
  Successful: { Id: string }[];
  Failed: BatchResultErrorEntry[];
}
export interface ChangeMessageVisibilityInput extends QueueUrlInput {
  ReceiptHandle?: string;
  VisibilityTimeout?: number;
}
export interface ChangeMessageVisibilityBatchInput extends QueueUrlInput {
  Entries?: { Id?: string; ReceiptHandle?: string; VisibilityTimeout?: number }[];
}

export interface StartMessageMoveTaskInput {
  SourceArn?: string;
  DestinationArn?: string;
  MaxNumberOfMessagesPerSecond?: number;
}
export interface ListMessageMoveTasksInput {
  SourceArn?: string;
  MaxResults?: number;
}
export interface MessageMoveTaskResult {
  TaskHandle?: string;
  Status: 'RUNNING' | 'FAILED' | 'CANCELLING' | 'CANCELLED' | 'COMPLETED';
  SourceArn: string;
  DestinationArn?: string;
  MaxNumberOfMessagesPerSecond?: number;
  ApproximateNumberOfMessagesMoved: number;
  ApproximateNumberOfMessagesToMove?: number;
  FailureReason?: string;
  StartedTimestamp: number;
}

/** One queue as the console shows it. */
export interface QueueStats {
  name: string;
  url: string;
  arn: string;
  fifo: boolean;
  /** Messages available for retrieval (ApproximateNumberOfMessages). */
  visible: number;
  /** Messages received and not yet deleted or visible again (ApproximateNumberOfMessagesNotVisible). */
  inFlight: number;
  /** Messages not yet available because of a delay (ApproximateNumberOfMessagesDelayed). */
  delayed: number;
  /** The dead-letter queue this queue redrives to, if any. */
  deadLetterQueue?: { arn: string; name: string; maxReceiveCount: number; depth: number };
  /** Names of the queues that redrive to this one. */
  deadLetterSourceQueues: string[];
}

/** One message as the console shows it (peeking does not change its visibility). */
export interface PeekedMessage {
  messageId: string;
  state: 'visible' | 'inFlight' | 'delayed';
  body: string;
  messageAttributes?: Record<string, MessageAttributeValue>;
  receiveCount: number;
  sentTimestamp: number;
  firstReceiveTimestamp?: number;
  /** Epoch ms at which an in-flight or delayed message becomes visible. */
  visibleAt: number;
  messageGroupId?: string;
  sequenceNumber?: string;
  deadLetterQueueSourceArn?: string;
}
