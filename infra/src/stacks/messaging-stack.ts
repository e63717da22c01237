import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { MessagingParameters, ORDERS_EVENT_BUS_NAME, ServiceNames } from '@flow/contracts';
import { ServiceSizing } from '../config';
import { CallbackQueue } from '../constructs/callback-queue';
import { PublishedParameter } from '../constructs/published-parameter';

/**
 * The shared messaging stack: the `orders` event bus (with an archive of every event) and the approvals queue
 * (+ DLQ) that `AwaitApproval` sends to and the approval-dispatcher consumes.
 *
 * Why a stack of its own: the bus has many publishers (upstream systems, the workflow, the approvals service) and
 * the queue has a producer (the workflow) and a consumer (the dispatcher) in different stacks. Owned by neither,
 * both change rarely, so the workflow and every service deploy alone, in any order, after this one. Others find
 * the bus by its stable name and the queue through SSM parameters (never CloudFormation exports).
 */
export class MessagingStack extends Stack {
  /** The custom event bus `orders`. */
  public readonly bus: events.EventBus;
  /** The approvals queue (callback messages carrying task tokens). */
  public readonly approvalsQueue: sqs.Queue;
  /** Its dead-letter queue. */
  public readonly approvalsDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.bus = new events.EventBus(this, 'OrdersBus', {
      eventBusName: ORDERS_EVENT_BUS_NAME,
      description: 'Orders: upstream OrderSubmitted, workflow outcomes, approval requests and decisions',
    });
    this.bus.archive('Archive', {
      archiveName: `${ORDERS_EVENT_BUS_NAME}-archive`,
      description: 'Every event on the orders bus, for replay and inspection',
      eventPattern: { account: [Stack.of(this).account] },
      retention: Duration.days(365),
    });

    // Visibility 6x the dispatcher's timeout: the Lambda event source mapping's own guidance.
    const dispatcherTimeout = ServiceSizing[ServiceNames.ApprovalDispatcher].timeout;
    const approvals = new CallbackQueue(this, 'Approvals', {
      visibilityTimeout: Duration.seconds(dispatcherTimeout.toSeconds() * 6),
      maxReceiveCount: 5,
    });
    this.approvalsQueue = approvals.queue;
    this.approvalsDeadLetterQueue = approvals.deadLetterQueue;

    new PublishedParameter(this, 'ApprovalsQueueArn', {
      parameterName: MessagingParameters.ApprovalsQueueArn,
      value: this.approvalsQueue.queueArn,
      description: 'ARN of the approvals queue (AwaitApproval sends, approval-dispatcher consumes)',
    });
    new PublishedParameter(this, 'ApprovalsQueueUrl', {
      parameterName: MessagingParameters.ApprovalsQueueUrl,
      value: this.approvalsQueue.queueUrl,
      description: 'URL of the approvals queue (AwaitApproval sends, approval-dispatcher consumes)',
    });
  }
}
