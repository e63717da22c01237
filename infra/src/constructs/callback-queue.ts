import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { cfnResourceOf } from '../nag-scope';

/** Properties of a {@link CallbackQueue}. */
export interface CallbackQueueProps {
  /**
   * How long a received message stays invisible to other consumers. Keep it at least 6× the consumer
   * function's timeout (the Lambda event source mapping's own guidance).
   */
  readonly visibilityTimeout: Duration;
  /**
   * How many receives before a message moves to the dead-letter queue.
   *
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * How long the queue keeps a message (a callback message carries a task token that lives as long as the
   * waiting task, so keep messages at least as long as anyone may need to redrive them).
   *
   * @default Duration.days(14) (the SQS maximum)
   */
  readonly retentionPeriod?: Duration;
}

/**
 * An SQS queue for callback messages (task tokens) and its dead-letter queue: both encrypted with SSE-SQS,
 * both denying any request that is not over TLS, the DLQ keeping messages for the SQS maximum of 14 days.
 */
export class CallbackQueue extends Construct {
  /** The queue producers send to. */
  public readonly queue: sqs.Queue;
  /** Where messages go after `maxReceiveCount` failed receives. */
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: CallbackQueueProps) {
    super(scope, id);
    const maxReceiveCount = props.maxReceiveCount ?? 5;
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new Error(
        `CallbackQueue ${id}: maxReceiveCount must be an integer from 1 to 1000, got ${maxReceiveCount}.`,
      );
    }
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(cfnResourceOf(this.deadLetterQueue)).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        'This queue is the dead-letter queue of the callback queue; a DLQ of a DLQ would only move the problem.',
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: props.visibilityTimeout,
      retentionPeriod: props.retentionPeriod ?? Duration.days(14),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
  }
}

/**
 * A dead-letter queue for a target that is not an SQS redrive (an EventBridge rule target, a Lambda async
 * dead-letter queue): encrypted, TLS only, 14 days retention. cdk-nag's SQS3 and SQSRedrivePolicy cannot see
 * that such a queue is a DLQ, so those findings are acknowledged on this queue with that reason.
 */
export class DeadLetterQueue extends sqs.Queue {
  constructor(scope: Construct, id: string, props: { readonly purpose: string }) {
    super(scope, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const reason = `This queue is itself a dead-letter queue (${props.purpose}); a DLQ of a DLQ would only move the problem.`;
    Validations.of(cfnResourceOf(this)).acknowledge(
      { id: 'AwsSolutions-SQS3', reason },
      { id: 'Serverless-SQSRedrivePolicy', reason },
    );
  }
}
