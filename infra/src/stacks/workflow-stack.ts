import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import {
  DetailTypes,
  EventSources,
  MessagingParameters,
  ORDERS_EVENT_BUS_NAME,
  ServiceNames,
  serviceFunctionArnParameter,
  type ServiceName,
} from '@flow/contracts';
import { type FlowSettings, ServiceSizing } from '../config';
import { DeadLetterQueue } from '../constructs/callback-queue';
import { ComplexWorkflow } from '../workflow/complex-workflow';

/** Margin between a function's own timeout and its Lambda task's TimeoutSeconds (the invoke around it). */
const LAMBDA_TASK_MARGIN = Duration.seconds(15);

/** Properties of the {@link WorkflowStack}. */
export interface WorkflowStackProps extends StackProps {
  /** Approval timeouts and the rest of the context settings. */
  readonly settings: FlowSettings;
}

/**
 * The workflow stack: the `ComplexWorkflow` state machine and the rule on `OrderSubmitted` that starts it.
 *
 * It owns no service: it finds each function through the SSM parameter its service stack publishes
 * (`serviceFunctionArnParameter`), the approvals queue through the messaging stack's SSM parameters and the
 * bus by its stable name. SSM values resolve at deploy time, so a service stack deploys alone and no
 * CloudFormation export ties the stacks together.
 */
export class WorkflowStack extends Stack {
  /** The workflow. */
  public readonly workflow: ComplexWorkflow;
  /** The rule that starts an execution for each `OrderSubmitted` event. */
  public readonly orderSubmittedRule: events.Rule;
  /** Where the rule puts events it could not deliver to the state machine. */
  public readonly orderSubmittedDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: WorkflowStackProps) {
    super(scope, id, props);
    const service = (name: ServiceName, constructId: string): lambda.IFunction =>
      lambda.Function.fromFunctionArn(
        this,
        constructId,
        ssm.StringParameter.valueForStringParameter(this, serviceFunctionArnParameter(name)),
      );
    const bus = events.EventBus.fromEventBusName(this, 'OrdersBus', ORDERS_EVENT_BUS_NAME);
    const approvalsQueue = sqs.Queue.fromQueueAttributes(this, 'ApprovalsQueue', {
      queueArn: ssm.StringParameter.valueForStringParameter(this, MessagingParameters.ApprovalsQueueArn),
      queueUrl: ssm.StringParameter.valueForStringParameter(this, MessagingParameters.ApprovalsQueueUrl),
    });
    const slowestTask = Math.max(
      ...[ServiceNames.ProcessOrder, ServiceNames.ReserveInventory, ServiceNames.ScoreRisk].map((name) =>
        ServiceSizing[name].timeout.toSeconds(),
      ),
    );

    this.workflow = new ComplexWorkflow(this, 'ComplexWorkflow', {
      processOrder: service(ServiceNames.ProcessOrder, 'ProcessOrderFunction'),
      reserveInventory: service(ServiceNames.ReserveInventory, 'ReserveInventoryFunction'),
      scoreRisk: service(ServiceNames.ScoreRisk, 'ScoreRiskFunction'),
      approvalsQueue,
      bus,
      lambdaTaskTimeout: Duration.seconds(slowestTask).plus(LAMBDA_TASK_MARGIN),
      approvalTimeout: props.settings.approvalTimeout,
      approvalHeartbeat: props.settings.approvalHeartbeat,
    });

    this.orderSubmittedDeadLetterQueue = new DeadLetterQueue(this, 'OrderSubmittedDeadLetterQueue', {
      purpose: 'OrderSubmitted events the rule could not start an execution for',
    });
    this.orderSubmittedRule = new events.Rule(this, 'OrderSubmittedRule', {
      eventBus: bus,
      description:
        'Starts a ComplexWorkflow execution for each OrderSubmitted event (the whole event is the input)',
      eventPattern: { source: [EventSources.Orders], detailType: [DetailTypes.OrderSubmitted] },
      targets: [
        new targets.SfnStateMachine(this.workflow.stateMachine, {
          deadLetterQueue: this.orderSubmittedDeadLetterQueue,
          retryAttempts: 8,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });
  }
}
