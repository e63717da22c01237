import { type Engine } from '@flow/asl-engine';
import { type LambdaRuntime } from '../lambda';
import { type SqsService } from '../sqs';
import { type PutEventsPort } from './integrations';

/** The parts of a rule target the dispatcher needs. */
export interface DispatchTarget {
  Id?: string;
  Arn: string;
  SqsParameters?: { MessageGroupId?: string };
}

/** Options of {@link createTargetDispatcher}. */
export interface TargetDispatcherDeps {
  engine: Engine;
  lambda: LambdaRuntime;
  sqs: SqsService;
  /** For bus-to-bus targets. */
  events?: PutEventsPort | undefined;
}

/** The error a target delivery fails with (the EventBridge service retries it, then sends the event to the DLQ). */
export class TargetDeliveryError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/**
 * Delivers a matched event (already transformed by the target's Input/InputPath/InputTransformer) to a rule target:
 * a state machine (StartExecution with the input), a Lambda function (asynchronous invoke), an SQS queue
 * (SendMessage; FIFO group from SqsParameters) or another event bus. Rejects with {@link TargetDeliveryError} when
 * the target does not exist or refuses the event.
 */
export const createTargetDispatcher = (deps: TargetDispatcherDeps) => ({
  async dispatch(target: DispatchTarget, input: string): Promise<void> {
    const arn = target.Arn;
    const service = /^arn:[^:]+:([^:]+):/.exec(arn)?.[1];
    try {
      switch (service) {
        case 'states':
          await deps.engine.startExecution({ stateMachineArn: arn, input });
          return;
        case 'lambda':
          await deps.lambda.invoke(arn, input, { invocationType: 'Event' });
          return;
        case 'sqs': {
          const queueUrl = deps.sqs.queueUrlFromArn(arn);
          if (queueUrl === undefined)
            throw new TargetDeliveryError('ResourceNotFoundException', `Queue ${arn} does not exist`);
          const groupId = target.SqsParameters?.MessageGroupId;
          deps.sqs.sendMessage({
            QueueUrl: queueUrl,
            MessageBody: input,
            ...(groupId === undefined ? {} : { MessageGroupId: groupId }),
          });
          return;
        }
        case 'events': {
          const bus = /:event-bus\/(.+)$/.exec(arn)?.[1];
          if (bus === undefined || deps.events === undefined) {
            throw new TargetDeliveryError(
              'ResourceNotFoundException',
              `Event bus target ${arn} is not available`,
            );
          }
          const event = JSON.parse(input) as {
            source?: string;
            'detail-type'?: string;
            detail?: unknown;
            resources?: string[];
          };
          await deps.events.putEvents({
            Entries: [
              {
                EventBusName: bus,
                ...(event.source === undefined ? {} : { Source: event.source }),
                ...(event['detail-type'] === undefined ? {} : { DetailType: event['detail-type'] }),
                Detail: JSON.stringify(event.detail ?? {}),
                ...(event.resources === undefined ? {} : { Resources: event.resources }),
              },
            ],
          });
          return;
        }
        default:
          throw new TargetDeliveryError('ValidationException', `Unsupported target ${arn}`);
      }
    } catch (error) {
      if (error instanceof TargetDeliveryError) throw error;
      const code = (error as { code?: unknown }).code;
      throw new TargetDeliveryError(
        typeof code === 'string' ? code : error instanceof Error ? error.name : 'InternalException',
        error instanceof Error ? error.message : String(error),
      );
    }
  },
});

/** The dispatcher {@link createTargetDispatcher} makes. */
export type LocalTargetDispatcher = ReturnType<typeof createTargetDispatcher>;
