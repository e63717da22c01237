import { RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Duration, CfnOutput, ArnFormat } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import {
  ApprovalHandlers,
  ApprovalsTable,
  DetailTypes,
  EnvVars,
  EventSources,
  MessagingParameters,
  ORDERS_EVENT_BUS_NAME,
  ServiceNames,
  TableKeys,
  WORKFLOW_STATE_MACHINE_NAME,
  serviceTableNameParameter,
} from '@flow/contracts';
import { type FlowSettings, ServiceSizing } from '../config';
import { DeadLetterQueue } from '../constructs/callback-queue';
import { PublishedParameter } from '../constructs/published-parameter';
import { ServiceTable } from '../constructs/service-table';
import { nagResourceText } from '../intrinsics';
import { cfnResourceOf, defaultPolicyOf } from '../nag-scope';
import { TaskFunction } from '../constructs/task-function';
import { TaskServiceStack } from './task-service-stack';

/** Name of the approvals table in `serviceTableNameParameter(approval-dispatcher, …)`. */
export const APPROVALS_TABLE_PARAMETER = serviceTableNameParameter(
  ServiceNames.ApprovalDispatcher,
  'approvals',
);

/** The orders bus, found by its stable name (the messaging stack owns it). */
const ordersBus = (scope: Construct): events.IEventBus =>
  events.EventBus.fromEventBusName(scope, 'OrdersBus', ORDERS_EVENT_BUS_NAME);

/**
 * How often approval-api heartbeats the pending approvals: four times per `AwaitApproval` HeartbeatSeconds (whole
 * minutes, at least one), so a missed or failed round or two never lets a wait the service still holds time out.
 */
export const approvalKeepaliveInterval = (heartbeat: Duration): Duration =>
  Duration.minutes(Math.max(1, Math.floor(heartbeat.toSeconds() / 4 / 60)));

/** process-order (`ProcessTask`) and its Powertools idempotency table. */
export class ProcessOrderStack extends TaskServiceStack {
  /** The idempotency table (keyed on the upstream event id). */
  public readonly idempotencyTable: dynamodb.Table;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { ...props, service: ServiceNames.ProcessOrder });
    this.idempotencyTable = new ServiceTable(this, 'Idempotency', {
      partitionKey: TableKeys.Idempotency.partitionKey,
      timeToLiveAttribute: TableKeys.Idempotency.timeToLiveAttribute,
      // Idempotency records expire after an hour: nothing to keep when the stack goes.
      removalPolicy: RemovalPolicy.DESTROY,
    }).table;
    this.taskFunction.addEnvironment(EnvVars.IdempotencyTableName, this.idempotencyTable.tableName);
    // Exactly what Powertools' DynamoDBPersistenceLayer calls.
    this.idempotencyTable.grant(
      this.taskFunction.function,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
    );
  }
}

/** reserve-inventory (`ReserveInventory` and the `ReleaseInventory` compensation) and the inventory table. */
export class ReserveInventoryStack extends TaskServiceStack {
  /** Stock and reservations. */
  public readonly inventoryTable: dynamodb.Table;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { ...props, service: ServiceNames.ReserveInventory });
    this.inventoryTable = new ServiceTable(this, 'Inventory', {
      partitionKey: TableKeys.Inventory.partitionKey,
    }).table;
    this.taskFunction.addEnvironment(EnvVars.InventoryTableName, this.inventoryTable.tableName);
    // Exactly what it calls: GetItem (read a reservation) and TransactWriteItems, which IAM authorises per action
    // inside it (Put → PutItem, Update → UpdateItem; there is no TransactWriteItems action).
    this.inventoryTable.grant(
      this.taskFunction.function,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    );
    new PublishedParameter(this, 'InventoryTableName', {
      parameterName: serviceTableNameParameter(ServiceNames.ReserveInventory, 'inventory'),
      value: this.inventoryTable.tableName,
      description: 'Name of the inventory table (stock and reservations)',
    });
  }
}

/** score-risk (`ScoreRisk`): pure computation, no resources of its own. */
export class ScoreRiskStack extends TaskServiceStack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { ...props, service: ServiceNames.ScoreRisk });
  }
}

/**
 * approval-dispatcher: consumes the approvals queue (found through SSM), records each request in the approvals
 * table (owned here, its name published through SSM for approval-api) and publishes `ApprovalRequested`.
 */
export class ApprovalDispatcherStack extends TaskServiceStack {
  /** The approvals table (approvals, task tokens, audit trail). */
  public readonly approvalsTable: dynamodb.Table;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { ...props, service: ServiceNames.ApprovalDispatcher }, ApprovalHandlers.dispatcher);
    const fn = this.taskFunction.function;
    this.approvalsTable = new ServiceTable(this, 'Approvals', {
      partitionKey: ApprovalsTable.partitionKey,
      sortKey: ApprovalsTable.sortKey,
      globalIndexes: [ApprovalsTable.index],
    }).table;
    this.taskFunction
      .addEnvironment(EnvVars.ApprovalsTableName, this.approvalsTable.tableName)
      .addEnvironment(EnvVars.EventBusName, ORDERS_EVENT_BUS_NAME);
    this.approvalsTable.grantReadWriteData(fn);
    ordersBus(this).grantPutEventsTo(fn);
    new PublishedParameter(this, 'ApprovalsTableName', {
      parameterName: APPROVALS_TABLE_PARAMETER,
      value: this.approvalsTable.tableName,
      description: 'Name of the approvals table (read by approval-api)',
    });

    const approvalsQueue = sqs.Queue.fromQueueArn(
      this,
      'ApprovalsQueue',
      ssm.StringParameter.valueForStringParameter(this, MessagingParameters.ApprovalsQueueArn),
    );
    fn.addEventSource(
      new SqsEventSource(approvalsQueue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 5 }),
    );
    const mapping = fn.node.children.find((child) => child.node.id.startsWith('SqsEventSource:'));
    Validations.of(cfnResourceOf(mapping ?? fn)).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        "An SQS event source mapping has no on-failure destination (that is for streams): messages that keep failing move to the approvals queue's own DLQ by its redrive policy.",
    });

    Validations.of(defaultPolicyOf(this.taskFunction.role)).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagResourceText(this, this.approvalsTable.tableArn)}/index/*]`,
      reason:
        "Queries the approvals table through its gsi1 index; the grant is limited to this table's indexes.",
    });
  }
}

/**
 * approval-api: the HTTP API (Lambda function URL, auth type NONE because the handler verifies approver JWTs
 * itself) and the event handler that takes external `ApprovalDecision` events and the workflow's `OrderExpired`.
 */
export class ApprovalApiStack extends TaskServiceStack {
  /** The function serving external decisions and expiries from the bus. */
  public readonly eventsFunction: TaskFunction;
  /** The function URL of the HTTP API. */
  public readonly functionUrl: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, props: StackProps & { readonly settings: FlowSettings }) {
    super(scope, id, { ...props, service: ServiceNames.ApprovalApi }, ApprovalHandlers.api);
    const { settings } = props;
    const approvalsTable = dynamodb.Table.fromTableAttributes(this, 'ApprovalsTable', {
      tableName: ssm.StringParameter.valueForStringParameter(this, APPROVALS_TABLE_PARAMETER),
      globalIndexes: [ApprovalsTable.index.name],
    });
    const stateMachineArn = Stack.of(this).formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: WORKFLOW_STATE_MACHINE_NAME,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    // One DLQ for everything the events function could not take: deliveries the rules gave up on and
    // asynchronous invocations that failed after Lambda's own retries.
    const deadLetterQueue = new DeadLetterQueue(this, 'EventsDeadLetterQueue', {
      purpose:
        'ApprovalDecision, OrderExpired/OrderFailed and keepalive events the approval-api events function could not take',
    });
    this.eventsFunction = new TaskFunction(this, 'Events', {
      ...ServiceSizing[ServiceNames.ApprovalApi],
      ...ApprovalHandlers.events,
      service: ServiceNames.ApprovalApi,
      asyncDeadLetterQueue: deadLetterQueue,
    });

    for (const task of [this.taskFunction, this.eventsFunction]) {
      task
        .addEnvironment(EnvVars.ApprovalsTableName, approvalsTable.tableName)
        .addEnvironment(EnvVars.EventBusName, ORDERS_EVENT_BUS_NAME)
        .addEnvironment(EnvVars.TrustedDecisionSources, settings.trustedDecisionSources.join(','));
      approvalsTable.grantReadWriteData(task.function);
      // SendTaskSuccess/Failure/Heartbeat on ComplexWorkflow only (found by its stable name).
      task.function.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
          resources: [stateMachineArn],
        }),
      );
      Validations.of(defaultPolicyOf(task.role)).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagResourceText(this, approvalsTable.tableArn)}/index/*]`,
        reason:
          "Lists approvals by status and audits by order through the approvals table's gsi1 index; limited to that table's indexes.",
      });
    }
    this.taskFunction
      .addEnvironment(EnvVars.JwtIssuer, settings.jwtIssuer)
      .addEnvironment(EnvVars.JwtAudience, settings.jwtAudience)
      .addEnvironment(EnvVars.JwtPublicJwks, settings.jwtPublicJwks);

    this.functionUrl = this.taskFunction.function.addFunctionUrl({
      authType: lambda.FunctionUrlAuthType.NONE,
    });
    Validations.of(cfnResourceOf(this.functionUrl)).acknowledge({
      id: 'Flow-LambdaFunctionUrlAuth',
      reason:
        "Auth type NONE on purpose: every route verifies the caller's bearer JWT (issuer, audience and keys from the environment) and answers 401/403 itself; IAM auth would make approvers sign requests with AWS credentials.",
    });
    new CfnOutput(this, 'ApprovalsApiUrl', {
      value: this.functionUrl.url,
      description: 'Base URL of the approvals HTTP API',
    });

    // External decisions (every source: the handler acts on trusted ones and keeps the rest for inspection) and
    // the workflow's OrderExpired and OrderFailed (an execution that ended without a decision: its pending approval
    // is settled as expired, so the inbox never offers an approval whose token is dead) go to the events function.
    const bus = ordersBus(this);
    const target = new targets.LambdaFunction(this.eventsFunction.function, {
      deadLetterQueue,
      retryAttempts: 8,
      maxEventAge: Duration.hours(24),
    });
    new events.Rule(this, 'ApprovalDecisionRule', {
      eventBus: bus,
      description:
        'External ApprovalDecision events to approval-api (untrusted sources are kept, not acted on)',
      eventPattern: { detailType: [DetailTypes.ApprovalDecision] },
      targets: [target],
    });
    new events.Rule(this, 'WorkflowEndedRule', {
      eventBus: bus,
      description:
        "The workflow's OrderExpired and OrderFailed events to approval-api (settles a pending approval of that execution)",
      eventPattern: {
        source: [EventSources.Workflow],
        detailType: [DetailTypes.OrderExpired, DetailTypes.OrderFailed],
      },
      targets: [target],
    });
    // The keepalive: while an approval is pending here, its workflow task gets a heartbeat well within
    // HeartbeatSeconds, so it waits until TimeoutSeconds; a request this service lost (or a service that is down)
    // gets none, and the workflow gives up after HeartbeatSeconds and releases the stock.
    const keepaliveEvery = approvalKeepaliveInterval(settings.approvalHeartbeat);
    new events.Rule(this, 'KeepaliveRule', {
      description: `Heartbeats every pending approval's AwaitApproval task every ${keepaliveEvery.toHumanString()} (HeartbeatSeconds ${settings.approvalHeartbeat.toSeconds()})`,
      schedule: events.Schedule.rate(keepaliveEvery),
      targets: [target],
    });
  }
}
