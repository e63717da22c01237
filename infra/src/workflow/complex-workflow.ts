import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { nagResourceText } from '../intrinsics';
import { defaultPolicyOf } from '../nag-scope';
import {
  APPROVAL_AMOUNT_THRESHOLD,
  APPROVAL_RISK_LEVEL,
  ApprovalDecisionValues,
  DetailTypes,
  EventSources,
  InventoryActions,
  RetryableTaskErrorNames,
  VALIDATION_ERROR_NAME,
  WORKFLOW_STATE_MACHINE_NAME,
  WorkflowPaths,
} from '@flow/contracts';

/** The Lambda integration's own transient errors (what `retryOnServiceExceptions` would retry, plus throttling). */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;

/**
 * What a task function's timeout looks like to the state machine: Lambda (and the local cloud) answer a run past the
 * function's own timeout with the function error `Sandbox.Timedout` ("Task timed out after N seconds"); a Task past
 * its `TimeoutSeconds` (the invoke itself hung) fails with `States.Timeout`. Neither is in `States.TaskFailed`'s
 * reach for Retry purposes unless named, so a task that is safe to run again names both (see
 * {@link ComplexWorkflow}: every Lambda task of this workflow is idempotent, so each retries them, a little).
 */
export const LAMBDA_TIMEOUT_ERRORS = ['Sandbox.Timedout', 'States.Timeout'] as const;

/** Error name of the `OutcomeNotPublished` Fail state (an outcome event could not be put on the bus). */
export const OUTCOME_NOT_PUBLISHED_ERROR = 'OutcomeNotPublished';

/** `Failed`'s Cause when ProcessTask's answer has neither a known status nor a validation cause. */
export const UNEXPECTED_PROCESS_TASK_OUTPUT_CAUSE =
  'ProcessTask answered without status "success", "duplicate" or a validation cause; see its output in the execution history.';

/** Error set on `$.error` when an approval answer is neither approve nor reject. */
export const INVALID_APPROVAL_DECISION_ERROR = 'InvalidApprovalDecision';

/** Properties of the {@link ComplexWorkflow}. */
export interface ComplexWorkflowProps {
  /** process-order (`ProcessTask`). */
  readonly processOrder: lambda.IFunction;
  /** reserve-inventory (`ReserveInventory`, and `ReleaseInventory` for compensation). */
  readonly reserveInventory: lambda.IFunction;
  /** score-risk (`ScoreRisk`). */
  readonly scoreRisk: lambda.IFunction;
  /** The approvals queue `AwaitApproval` sends to. */
  readonly approvalsQueue: sqs.IQueue;
  /** The bus the outcome events go to. */
  readonly bus: events.IEventBus;
  /** `TimeoutSeconds` of each Lambda task (keep it above the function's own timeout). */
  readonly lambdaTaskTimeout: Duration;
  /** `AwaitApproval` TimeoutSeconds: how long a human or external approval may take. */
  readonly approvalTimeout: Duration;
  /** `AwaitApproval` HeartbeatSeconds: how long an approval may go without a heartbeat. Less than the timeout. */
  readonly approvalHeartbeat: Duration;
  /**
   * `TimeoutSeconds` of the `events:putEvents` tasks.
   *
   * @default Duration.seconds(10)
   */
  readonly putEventsTimeout?: Duration;
  /**
   * Retention of the state machine's log group.
   *
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The `ComplexWorkflow` STANDARD state machine (see ARCHITECTURE.md): ProcessTask → CheckStatus →
 * ParallelTasks (ReserveInventory ‖ ScoreRisk) → NeedsApproval → AwaitApproval (SQS callback with a task token)
 * → ApprovalDecision → Finalize (`OrderApproved`), where every error path releases what was reserved and ends
 * in a published outcome event (`OrderRejected`, `OrderExpired`, `OrderFailed`). Tracing on, logging ALL.
 */
export class ComplexWorkflow extends Construct {
  /** The state machine. */
  public readonly stateMachine: sfn.StateMachine;
  /** Its log group (`/aws/vendedlogs/states/ComplexWorkflow`). */
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ComplexWorkflowProps) {
    super(scope, id);
    validateTimeouts(props);
    const putEventsTimeout = props.putEventsTimeout ?? Duration.seconds(10);
    const lambdaTimeout = sfn.Timeout.duration(props.lambdaTaskTimeout);
    const executionId = sfn.JsonPath.executionId;

    // Every Lambda task here is safe to run again: ProcessTask is idempotent on the event id (a rerun returns the
    // stored result), Reserve/ReleaseInventory are idempotent per order id, ScoreRisk is a pure function.
    const retryTransient = (task: sfn.TaskStateBase): void => {
      task.addRetry({
        errors: [...RetryableTaskErrorNames, ...LAMBDA_SERVICE_ERRORS],
        interval: Duration.seconds(2),
        maxAttempts: 3,
        backoffRate: 2,
        jitterStrategy: sfn.JitterType.FULL,
      });
      // A timeout already cost a whole function timeout: retry once more only, after a longer pause (a cold or
      // overloaded dependency), so a hung dependency fails the task within about three timeouts, not seven.
      task.addRetry({
        errors: [...LAMBDA_TIMEOUT_ERRORS],
        interval: Duration.seconds(5),
        maxAttempts: 1,
        backoffRate: 2,
        jitterStrategy: sfn.JitterType.FULL,
      });
    };
    const publish = (
      stateId: string,
      detailType: string,
      detail: sfn.TaskInput,
    ): tasks.EventBridgePutEvents => {
      const task = new tasks.EventBridgePutEvents(this, stateId, {
        entries: [{ eventBus: props.bus, source: EventSources.Workflow, detailType, detail }],
        resultPath: sfn.JsonPath.DISCARD,
        taskTimeout: sfn.Timeout.duration(putEventsTimeout),
      });
      task.addRetry({
        errors: [sfn.Errors.TASKS_FAILED, sfn.Errors.TIMEOUT],
        interval: Duration.seconds(1),
        maxAttempts: 3,
        backoffRate: 2,
        jitterStrategy: sfn.JitterType.FULL,
      });
      task.addCatch(outcomeNotPublished, { errors: [sfn.Errors.ALL], resultPath: '$.publishError' });
      return task;
    };

    // --- terminal states ---------------------------------------------------------------------------------------
    const outcomeNotPublished = new sfn.Fail(this, 'OutcomeNotPublished', {
      error: OUTCOME_NOT_PUBLISHED_ERROR,
      cause: 'An outcome event could not be put on the orders bus after retries; see the execution history.',
    });
    const failed = new sfn.Fail(this, 'Failed', {
      error: VALIDATION_ERROR_NAME,
      causePath: WorkflowPaths.validationCause,
    });
    const processingFailed = new sfn.Fail(this, 'ProcessingFailed', {
      errorPath: '$.error.Error',
      causePath: sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt(WorkflowPaths.error)),
    });
    const approved = new sfn.Succeed(this, 'Approved');
    const rejected = new sfn.Succeed(this, 'Rejected');
    const expired = new sfn.Succeed(this, 'Expired');

    // --- ProcessTask, CheckStatus, Failed, Duplicate -------------------------------------------------------------
    const processTask = new tasks.LambdaInvoke(this, 'ProcessTask', {
      lambdaFunction: props.processOrder,
      // The execution input as is (normally the OrderSubmitted event; its `id` is process-order's idempotency key),
      // wrapped so that ANY input is a valid payload, with the execution id that tells a retry from a duplicate run.
      payload: sfn.TaskInput.fromObject({ event: sfn.JsonPath.objectAt('$'), executionId }),
      retryOnServiceExceptions: false,
      outputPath: '$.Payload',
      taskTimeout: lambdaTimeout,
    });
    retryTransient(processTask);
    // The input may be anything (a hand-started execution), so this reads only what the Catch wrote.
    const publishProcessTaskFailed = publish(
      'PublishProcessTaskFailed',
      DetailTypes.OrderFailed,
      sfn.TaskInput.fromObject({
        executionId,
        error: sfn.JsonPath.stringAt('$.error.Error'),
        cause: sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt(WorkflowPaths.error)),
      }),
    );
    processTask.addCatch(publishProcessTaskFailed.next(processingFailed), {
      errors: [sfn.Errors.ALL],
      resultPath: WorkflowPaths.error,
    });

    // process-order builds the whole OrderFailed detail at $.validation (fields it does not know are absent), so
    // this state reads no path that can be missing.
    const publishValidationFailed = publish(
      'PublishValidationFailed',
      DetailTypes.OrderFailed,
      sfn.TaskInput.fromJsonPathAt(WorkflowPaths.validation),
    );
    // A ProcessTask answer with no status this workflow knows and no validation cause (a function that breaks its
    // contract): still a ValidationError with a Cause, and still an OrderFailed event.
    const unexpectedOutput = new sfn.Pass(this, 'UnexpectedProcessTaskOutput', {
      comment: 'ProcessTask answered without a known status or a validation cause: describe it for Failed',
      parameters: {
        error: VALIDATION_ERROR_NAME,
        cause: UNEXPECTED_PROCESS_TASK_OUTPUT_CAUSE,
        executionId,
      },
      resultPath: WorkflowPaths.validation,
    });
    const duplicate = new sfn.Succeed(this, 'Duplicate', {
      comment:
        'Another execution already processed this event (EventBridge delivered it twice): it owns the outcome',
    });

    // --- compensation and outcomes ---------------------------------------------------------------------------
    const releaseInventory = new tasks.LambdaInvoke(this, 'ReleaseInventory', {
      lambdaFunction: props.reserveInventory,
      payload: sfn.TaskInput.fromObject({
        action: InventoryActions.Release,
        orderId: sfn.JsonPath.stringAt(WorkflowPaths.orderId),
        reason: sfn.JsonPath.stringAt('$.outcome.reason'),
        executionId,
      }),
      retryOnServiceExceptions: false,
      resultSelector: { 'status.$': '$.Payload.status' },
      resultPath: '$.release',
      taskTimeout: lambdaTimeout,
    });
    retryTransient(releaseInventory);

    const publishOrderRejected = publish(
      'PublishOrderRejected',
      DetailTypes.OrderRejected,
      sfn.TaskInput.fromObject({
        orderId: sfn.JsonPath.stringAt(WorkflowPaths.orderId),
        customerId: sfn.JsonPath.stringAt(WorkflowPaths.customerId),
        executionId,
        approver: sfn.JsonPath.stringAt('$.approval.approver'),
        decidedAt: sfn.JsonPath.stringAt('$.approval.decidedAt'),
        comment: sfn.JsonPath.stringAt('$.approval.comment'),
      }),
    );
    const publishOrderExpired = publish(
      'PublishOrderExpired',
      DetailTypes.OrderExpired,
      sfn.TaskInput.fromObject({
        orderId: sfn.JsonPath.stringAt(WorkflowPaths.orderId),
        customerId: sfn.JsonPath.stringAt(WorkflowPaths.customerId),
        executionId,
        error: sfn.JsonPath.stringAt('$.error.Error'),
        cause: sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt(WorkflowPaths.error)),
      }),
    );
    const publishOrderFailed = publish(
      'PublishOrderFailed',
      DetailTypes.OrderFailed,
      sfn.TaskInput.fromObject({
        orderId: sfn.JsonPath.stringAt(WorkflowPaths.orderId),
        eventId: sfn.JsonPath.stringAt(WorkflowPaths.eventId),
        executionId,
        error: sfn.JsonPath.stringAt('$.error.Error'),
        cause: sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt(WorkflowPaths.error)),
      }),
    );
    const routeOutcome = new sfn.Choice(this, 'RouteOutcome')
      .when(sfn.Condition.stringEquals('$.outcome.reason', 'rejected'), publishOrderRejected.next(rejected))
      .when(sfn.Condition.stringEquals('$.outcome.reason', 'expired'), publishOrderExpired.next(expired))
      .otherwise(publishOrderFailed.next(processingFailed));
    // A failed release must not swallow the outcome: record it and publish anyway.
    releaseInventory.addCatch(routeOutcome, { errors: [sfn.Errors.ALL], resultPath: '$.releaseError' });
    releaseInventory.next(routeOutcome);

    const markOutcome = (stateId: string, reason: 'rejected' | 'expired' | 'failed'): sfn.Pass =>
      new sfn.Pass(this, stateId, {
        comment: `Compensate (release the reservation), then publish the ${reason} outcome`,
        result: sfn.Result.fromObject({ reason }),
        resultPath: '$.outcome',
      });
    const markRejected = markOutcome('MarkRejected', 'rejected').next(releaseInventory);
    const markExpired = markOutcome('MarkExpired', 'expired').next(releaseInventory);
    const markFailed = markOutcome('MarkFailed', 'failed').next(releaseInventory);

    // --- ParallelTasks ---------------------------------------------------------------------------------------
    const reserveInventory = new tasks.LambdaInvoke(this, 'ReserveInventory', {
      lambdaFunction: props.reserveInventory,
      payload: sfn.TaskInput.fromObject({
        action: InventoryActions.Reserve,
        order: sfn.JsonPath.objectAt(WorkflowPaths.order),
        executionId,
      }),
      retryOnServiceExceptions: false,
      outputPath: '$.Payload',
      taskTimeout: lambdaTimeout,
    });
    retryTransient(reserveInventory);
    const scoreRisk = new tasks.LambdaInvoke(this, 'ScoreRisk', {
      lambdaFunction: props.scoreRisk,
      payload: sfn.TaskInput.fromObject({ order: sfn.JsonPath.objectAt(WorkflowPaths.order), executionId }),
      retryOnServiceExceptions: false,
      outputPath: '$.Payload',
      taskTimeout: lambdaTimeout,
    });
    retryTransient(scoreRisk);
    const parallelTasks = new sfn.Parallel(this, 'ParallelTasks', {
      resultSelector: { 'reservation.$': '$[0]', 'risk.$': '$[1]' },
      resultPath: WorkflowPaths.checks,
    })
      .branch(reserveInventory)
      .branch(scoreRisk);
    parallelTasks.addCatch(markFailed, { errors: [sfn.Errors.ALL], resultPath: WorkflowPaths.error });

    // --- approval --------------------------------------------------------------------------------------------
    // Finalize: the approval's outcome event, straight from the state machine (no Lambda).
    const finalize = publish(
      'Finalize',
      DetailTypes.OrderApproved,
      sfn.TaskInput.fromJsonPathAt('$.approved'),
    );
    finalize.next(approved);

    const approvedDetail = {
      orderId: sfn.JsonPath.stringAt(WorkflowPaths.orderId),
      customerId: sfn.JsonPath.stringAt(WorkflowPaths.customerId),
      executionId,
      currency: sfn.JsonPath.stringAt(WorkflowPaths.currency),
      total: sfn.JsonPath.numberAt(WorkflowPaths.orderTotal),
      reservationId: sfn.JsonPath.stringAt(WorkflowPaths.reservationId),
      riskLevel: sfn.JsonPath.stringAt(WorkflowPaths.riskLevel),
    };
    // JSONPath cannot leave a field out when its path is absent, so each approval path builds its own
    // OrderApproved detail at $.approved (auto-approved orders have no approver).
    const autoApprove = new sfn.Pass(this, 'AutoApprove', {
      comment: 'Below every threshold: approved without a human; build the OrderApproved detail',
      parameters: approvedDetail,
      resultPath: '$.approved',
    }).next(finalize);
    const applyApproval = new sfn.Pass(this, 'ApplyApproval', {
      comment: 'An approver approved: build the OrderApproved detail with who decided',
      parameters: {
        ...approvedDetail,
        approval: {
          approver: sfn.JsonPath.stringAt('$.approval.approver'),
          decidedAt: sfn.JsonPath.stringAt('$.approval.decidedAt'),
          comment: sfn.JsonPath.stringAt('$.approval.comment'),
        },
      },
      resultPath: '$.approved',
    }).next(finalize);
    const invalidDecision = new sfn.Pass(this, 'InvalidDecision', {
      comment: 'The approval answer was neither approve nor reject: fail closed',
      result: sfn.Result.fromObject({
        Error: INVALID_APPROVAL_DECISION_ERROR,
        Cause: 'The approval decision was neither "approve" nor "reject".',
      }),
      resultPath: WorkflowPaths.error,
    }).next(markFailed);

    const approvalDecision = new sfn.Choice(this, 'ApprovalDecision')
      .when(
        sfn.Condition.stringEquals(WorkflowPaths.approvalDecision, ApprovalDecisionValues.Approve),
        applyApproval,
      )
      .when(
        sfn.Condition.stringEquals(WorkflowPaths.approvalDecision, ApprovalDecisionValues.Reject),
        markRejected,
      )
      .otherwise(invalidDecision);

    const awaitApproval = new tasks.SqsSendMessage(this, 'AwaitApproval', {
      queue: props.approvalsQueue,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      messageBody: sfn.TaskInput.fromObject({
        taskToken: sfn.JsonPath.taskToken,
        executionId,
        requestedAt: sfn.JsonPath.stringAt('$$.State.EnteredTime'),
        orderId: sfn.JsonPath.stringAt(WorkflowPaths.orderId),
        customerId: sfn.JsonPath.stringAt(WorkflowPaths.customerId),
        amount: sfn.JsonPath.numberAt(WorkflowPaths.orderTotal),
        currency: sfn.JsonPath.stringAt(WorkflowPaths.currency),
        reasons: sfn.JsonPath.listAt('$.checks.risk.reasons[*].detail'),
        riskScore: sfn.JsonPath.numberAt('$.checks.risk.score'),
        requestedBy: sfn.JsonPath.stringAt('$.order.requestedBy'),
        timeoutSeconds: props.approvalTimeout.toSeconds(),
      }),
      resultPath: WorkflowPaths.approval,
      taskTimeout: sfn.Timeout.duration(props.approvalTimeout),
      heartbeatTimeout: sfn.Timeout.duration(props.approvalHeartbeat),
    });
    // States.TaskFailed does not match States.Timeout: name both timeouts explicitly.
    awaitApproval.addCatch(markExpired, {
      errors: [sfn.Errors.TIMEOUT, sfn.Errors.HEARTBEAT_TIMEOUT],
      resultPath: WorkflowPaths.error,
    });
    awaitApproval.addCatch(markFailed, { errors: [sfn.Errors.ALL], resultPath: WorkflowPaths.error });
    awaitApproval.next(approvalDecision);

    const needsApproval = new sfn.Choice(this, 'NeedsApproval')
      .when(
        sfn.Condition.or(
          sfn.Condition.numberGreaterThan(WorkflowPaths.orderTotal, APPROVAL_AMOUNT_THRESHOLD),
          sfn.Condition.stringEquals(WorkflowPaths.riskLevel, APPROVAL_RISK_LEVEL),
        ),
        awaitApproval,
      )
      .otherwise(autoApprove);

    const statusIs = (status: string): sfn.Condition =>
      sfn.Condition.and(
        sfn.Condition.isPresent(WorkflowPaths.status),
        sfn.Condition.stringEquals(WorkflowPaths.status, status),
      );
    const validationFailed = publishValidationFailed.next(failed);
    const checkStatus = new sfn.Choice(this, 'CheckStatus')
      .when(statusIs('success'), parallelTasks.next(needsApproval))
      .when(statusIs('duplicate'), duplicate)
      .when(
        sfn.Condition.and(
          sfn.Condition.isPresent(WorkflowPaths.validationCause),
          sfn.Condition.isString(WorkflowPaths.validationCause),
        ),
        validationFailed,
      )
      .otherwise(unexpectedOutput.next(validationFailed));

    const definition = sfn.Chain.start(processTask).next(checkStatus);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${WORKFLOW_STATE_MACHINE_NAME}`,
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: WORKFLOW_STATE_MACHINE_NAME,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      comment:
        'Order approval: process, reserve and score in parallel, await a human or external approval, publish the outcome',
      // The approval's own timeout plus a day for everything around it.
      timeout: props.approvalTimeout.plus(Duration.days(1)),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });

    Validations.of(defaultPolicyOf(this.stateMachine.role)).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray tracing (xray:PutTraceSegments, PutTelemetryRecords, GetSampling*) and CloudWatch Logs vended log delivery (logs:CreateLogDelivery, ...) support only Resource "*".',
      },
      ...[props.processOrder, props.reserveInventory, props.scoreRisk].map((fn) => ({
        id: `AwsSolutions-IAM5[Resource::${nagResourceText(this, fn.functionArn)}:*]`,
        reason:
          'LambdaInvoke grants lambda:InvokeFunction on this one function and its qualified ARNs (versions, aliases); no other function.',
      })),
    );
  }
}

/** Fails fast on timeouts AWS would reject at deploy time or that defeat their purpose. */
const validateTimeouts = (props: ComplexWorkflowProps): void => {
  const timeout = props.approvalTimeout.toSeconds();
  const heartbeat = props.approvalHeartbeat.toSeconds();
  if (heartbeat >= timeout) {
    throw new Error(
      `ComplexWorkflow: approvalHeartbeat (${heartbeat} s) must be less than approvalTimeout (${timeout} s); Step Functions rejects HeartbeatSeconds >= TimeoutSeconds.`,
    );
  }
  const maxApproval = Duration.days(30).toSeconds();
  if (timeout > maxApproval) {
    throw new Error(
      `ComplexWorkflow: approvalTimeout must be at most 30 days (${maxApproval} s), got ${timeout} s: an approval nobody answers for a month should expire and release the stock.`,
    );
  }
};
