import { SqsError } from '../sqs/errors';
import {
  type ChangeMessageVisibilityBatchInput,
  type ChangeMessageVisibilityInput,
  type CreateQueueInput,
  type DeleteMessageBatchInput,
  type DeleteMessageInput,
  type GetQueueAttributesInput,
  type GetQueueUrlInput,
  type ListMessageMoveTasksInput,
  type ListQueuesInput,
  type QueueUrlInput,
  type ReceiveMessageInput,
  type ReceiveOptions,
  type SendMessageBatchInput,
  type SendMessageInput,
  type SetQueueAttributesInput,
  type StartMessageMoveTaskInput,
} from '../sqs/types';
import { AwsError } from '../server/aws-error';
import { type SqsApi, type SqsOperation } from './sqs';

/**
 * What the SQS wire layer needs from the SQS domain service (`SqsService` satisfies it): JSON-protocol inputs
 * (validated by the service at run time) and outputs.
 */
export interface SqsBackend {
  createQueue(input: CreateQueueInput): Promise<object>;
  getQueueUrl(input: GetQueueUrlInput): Promise<object>;
  listQueues(input: ListQueuesInput): Promise<object>;
  deleteQueue(input: QueueUrlInput): Promise<unknown>;
  purgeQueue(input: QueueUrlInput): Promise<unknown>;
  getQueueAttributes(input: GetQueueAttributesInput): Promise<object>;
  setQueueAttributes(input: SetQueueAttributesInput): Promise<unknown>;
  sendMessage(input: SendMessageInput): Promise<object>;
  sendMessageBatch(input: SendMessageBatchInput): Promise<object>;
  receiveMessage(input: ReceiveMessageInput, options?: ReceiveOptions): Promise<object>;
  deleteMessage(input: DeleteMessageInput): Promise<unknown>;
  deleteMessageBatch(input: DeleteMessageBatchInput): Promise<object>;
  changeMessageVisibility(input: ChangeMessageVisibilityInput): Promise<unknown>;
  changeMessageVisibilityBatch(input: ChangeMessageVisibilityBatchInput): Promise<object>;
  startMessageMoveTask(input: StartMessageMoveTaskInput): Promise<object>;
  listMessageMoveTasks(input: ListMessageMoveTasksInput): Promise<object>;
}

const empty =
  <I>(call: (input: I) => Promise<unknown>) =>
  async (input: I): Promise<object> => {
    await call(input);
    return {};
  };

/**
 * The SQS actions of the endpoint over an {@link SqsBackend}. Inputs are passed on as decoded (JSON protocol) or
 * translated (query protocol); the service validates members and answers `SqsError`s.
 */
export const sqsApi = (sqs: SqsBackend): SqsApi => {
  const ops: Record<string, (input: never, signal: AbortSignal) => Promise<object>> = {
    CreateQueue: (i: CreateQueueInput) => sqs.createQueue(i),
    GetQueueUrl: (i: GetQueueUrlInput) => sqs.getQueueUrl(i),
    ListQueues: (i: ListQueuesInput) => sqs.listQueues(i),
    DeleteQueue: empty((i: QueueUrlInput) => sqs.deleteQueue(i)),
    PurgeQueue: empty((i: QueueUrlInput) => sqs.purgeQueue(i)),
    GetQueueAttributes: (i: GetQueueAttributesInput) => sqs.getQueueAttributes(i),
    SetQueueAttributes: empty((i: SetQueueAttributesInput) => sqs.setQueueAttributes(i)),
    SendMessage: (i: SendMessageInput) => sqs.sendMessage(i),
    SendMessageBatch: (i: SendMessageBatchInput) => sqs.sendMessageBatch(i),
    ReceiveMessage: (i: ReceiveMessageInput, signal) => sqs.receiveMessage(i, { signal }),
    DeleteMessage: empty((i: DeleteMessageInput) => sqs.deleteMessage(i)),
    DeleteMessageBatch: (i: DeleteMessageBatchInput) => sqs.deleteMessageBatch(i),
    ChangeMessageVisibility: empty((i: ChangeMessageVisibilityInput) => sqs.changeMessageVisibility(i)),
    ChangeMessageVisibilityBatch: (i: ChangeMessageVisibilityBatchInput) =>
      sqs.changeMessageVisibilityBatch(i),
    StartMessageMoveTask: (i: StartMessageMoveTaskInput) => sqs.startMessageMoveTask(i),
    ListMessageMoveTasks: (i: ListMessageMoveTasksInput) => sqs.listMessageMoveTasks(i),
  };
  return {
    operations: new Map(Object.entries(ops) as [string, SqsOperation][]),
    toAwsError: (error) =>
      error instanceof SqsError
        ? new AwsError(error.code, error.message, error.status, error.fault, error.queryCode)
        : undefined,
  };
};
