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
  type SendMessageBatchInput,
  type SendMessageInput,
  type SetQueueAttributesInput,
  SqsError,
  type SqsService,
  type StartMessageMoveTaskInput,
} from '../sqs';
import { AwsError } from '../server/aws-error';
import { type RequestContext, type SqsApi, type SqsOperation } from './sqs';

/**
 * The SQS actions of the endpoint over the SQS domain service. Inputs are passed on as decoded (JSON protocol) or
 * translated (query protocol); the service validates members and throws `SqsError`s with both error codes.
 */
export const sqsApi = (sqs: SqsService): SqsApi => {
  const ops: Record<string, (input: never, context: RequestContext) => object | Promise<object>> = {
    CreateQueue: (i: CreateQueueInput) => sqs.createQueue(i),
    GetQueueUrl: (i: GetQueueUrlInput) => sqs.getQueueUrl(i),
    ListQueues: (i: ListQueuesInput) => sqs.listQueues(i),
    DeleteQueue: (i: QueueUrlInput) => sqs.deleteQueue(i),
    PurgeQueue: (i: QueueUrlInput) => sqs.purgeQueue(i),
    GetQueueAttributes: (i: GetQueueAttributesInput) => sqs.getQueueAttributes(i),
    SetQueueAttributes: (i: SetQueueAttributesInput) => sqs.setQueueAttributes(i),
    TagQueue: (i: QueueUrlInput & { Tags?: Record<string, string> }) => sqs.tagQueue(i),
    UntagQueue: (i: QueueUrlInput & { TagKeys?: string[] }) => sqs.untagQueue(i),
    ListQueueTags: (i: QueueUrlInput) => sqs.listQueueTags(i),
    ListDeadLetterSourceQueues: (i: QueueUrlInput) => sqs.listDeadLetterSourceQueues(i),
    SendMessage: (i: SendMessageInput) => sqs.sendMessage(i),
    SendMessageBatch: (i: SendMessageBatchInput) => sqs.sendMessageBatch(i),
    ReceiveMessage: (i: ReceiveMessageInput, context) => sqs.receiveMessage(i, { signal: context.signal }),
    DeleteMessage: (i: DeleteMessageInput) => sqs.deleteMessage(i),
    DeleteMessageBatch: (i: DeleteMessageBatchInput) => sqs.deleteMessageBatch(i),
    ChangeMessageVisibility: (i: ChangeMessageVisibilityInput) => sqs.changeMessageVisibility(i),
    ChangeMessageVisibilityBatch: (i: ChangeMessageVisibilityBatchInput) =>
      sqs.changeMessageVisibilityBatch(i),
    StartMessageMoveTask: (i: StartMessageMoveTaskInput) => sqs.startMessageMoveTask(i),
    ListMessageMoveTasks: (i: ListMessageMoveTasksInput) => sqs.listMessageMoveTasks(i),
    CancelMessageMoveTask: (i: { TaskHandle?: string }) => sqs.cancelMessageMoveTask(i),
  };
  return {
    operations: new Map(Object.entries(ops) as [string, SqsOperation][]),
    toAwsError: (error) =>
      error instanceof SqsError
        ? new AwsError(error.code, error.message, error.status, error.fault, error.queryCode)
        : undefined,
  };
};
