import { Match } from 'aws-cdk-lib/assertions';
import {
  APPROVAL_AMOUNT_THRESHOLD,
  APPROVAL_DEFAULT_HEARTBEAT_SECONDS,
  APPROVAL_DEFAULT_TIMEOUT_SECONDS,
  APPROVAL_RISK_LEVEL,
  DetailTypes,
  EventSources,
  RetryableTaskErrorNames,
  VALIDATION_ERROR_NAME,
} from '@flow/contracts';
import { renderIntrinsics } from '../intrinsics';
import { type SynthesizedApp, synthesizeApp } from '../testing/synth';
import { readableReferences } from './asl';
import { LAMBDA_SERVICE_ERRORS, UNEXPECTED_PROCESS_TASK_OUTPUT_CAUSE } from './complex-workflow';

const transientRetry = {
  ErrorEquals: [...RetryableTaskErrorNames, ...LAMBDA_SERVICE_ERRORS],
  IntervalSeconds: 2,
  MaxAttempts: 3,
  BackoffRate: 2,
  JitterStrategy: 'FULL',
};
/** Every Lambda task of the workflow is idempotent, so a function or invoke timeout is retried once. */
const timeoutRetry = {
  ErrorEquals: ['Sandbox.Timedout', 'States.Timeout'],
  IntervalSeconds: 5,
  MaxAttempts: 1,
  BackoffRate: 2,
  JitterStrategy: 'FULL',
};
const lambdaInvoke = 'arn:${AWS::Partition}:states:::lambda:invoke';
const functionArn = (service: string): string => `\${ssm:/complex-workflow/services/${service}/function-arn}`;

describe('ComplexWorkflow (synthesized)', () => {
  let synthesized: SynthesizedApp;
  const state = (name: string): unknown => synthesized.workflow.definition.States[name];

  beforeAll(() => {
    synthesized = synthesizeApp();
  });

  it('is a STANDARD state machine named ComplexWorkflow that starts at ProcessTask', () => {
    // Arrange / Act
    const { workflow } = synthesized;

    // Assert
    expect({ name: workflow.name, type: workflow.type, startAt: workflow.definition.StartAt }).toStrictEqual({
      name: 'ComplexWorkflow',
      type: 'STANDARD',
      startAt: 'ProcessTask',
    });
  });

  it('ProcessTask invokes process-order with the whole input and the execution id, retries transient errors and timeouts with jitter and catches the rest', () => {
    // Arrange / Act
    const processTask = state('ProcessTask');

    // Assert
    expect(processTask).toStrictEqual({
      Type: 'Task',
      Resource: lambdaInvoke,
      Parameters: {
        FunctionName: functionArn('process-order'),
        Payload: { 'event.$': '$', 'executionId.$': '$$.Execution.Id' },
      },
      OutputPath: '$.Payload',
      TimeoutSeconds: 30,
      Retry: [transientRetry, timeoutRetry],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'PublishProcessTaskFailed' }],
      Next: 'CheckStatus',
    });
  });

  it('CheckStatus routes success to ParallelTasks, duplicate to Duplicate and everything else towards Failed', () => {
    // Arrange / Act
    const checkStatus = state('CheckStatus');

    // Assert
    expect(checkStatus).toStrictEqual({
      Type: 'Choice',
      Choices: [
        {
          And: [
            { Variable: '$.status', IsPresent: true },
            { Variable: '$.status', StringEquals: 'success' },
          ],
          Next: 'ParallelTasks',
        },
        {
          And: [
            { Variable: '$.status', IsPresent: true },
            { Variable: '$.status', StringEquals: 'duplicate' },
          ],
          Next: 'Duplicate',
        },
        {
          And: [
            { Variable: '$.validation.cause', IsPresent: true },
            { Variable: '$.validation.cause', IsString: true },
          ],
          Next: 'PublishValidationFailed',
        },
      ],
      Default: 'UnexpectedProcessTaskOutput',
    });
    expect(state('PublishValidationFailed')).toMatchObject({ Next: 'Failed' });
  });

  it('Duplicate ends a run whose event another execution already processed, quietly', () => {
    // Arrange / Act
    const duplicate = state('Duplicate');

    // Assert
    expect(duplicate).toStrictEqual({
      Type: 'Succeed',
      Comment:
        'Another execution already processed this event (EventBridge delivered it twice): it owns the outcome',
    });
  });

  it('UnexpectedProcessTaskOutput turns an answer without status or cause into a validation failure with a cause', () => {
    // Arrange / Act
    const unexpected = state('UnexpectedProcessTaskOutput');

    // Assert
    expect(unexpected).toStrictEqual({
      Type: 'Pass',
      Comment: 'ProcessTask answered without a known status or a validation cause: describe it for Failed',
      Parameters: {
        error: VALIDATION_ERROR_NAME,
        cause: UNEXPECTED_PROCESS_TASK_OUTPUT_CAUSE,
        'executionId.$': '$$.Execution.Id',
      },
      ResultPath: '$.validation',
      Next: 'PublishValidationFailed',
    });
  });

  it('Failed is a Fail state with error ValidationError and the validation cause', () => {
    // Arrange / Act
    const failed = state('Failed');

    // Assert
    expect(failed).toStrictEqual({
      Type: 'Fail',
      Error: VALIDATION_ERROR_NAME,
      CausePath: '$.validation.cause',
    });
  });

  it('an invalid order publishes the OrderFailed detail process-order built, as is, before failing', () => {
    // Arrange / Act
    const publish = state('PublishValidationFailed');

    // Assert
    expect(publish).toMatchObject({
      Resource: 'arn:${AWS::Partition}:states:::events:putEvents',
      Parameters: {
        Entries: [
          {
            'Detail.$': '$.validation',
            DetailType: DetailTypes.OrderFailed,
            EventBusName: 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/orders',
            Source: EventSources.Workflow,
          },
        ],
      },
    });
  });

  it('a ProcessTask fault publishes OrderFailed from what its Catch wrote only (the input may be anything)', () => {
    // Arrange / Act
    const publish = state('PublishProcessTaskFailed') as {
      Parameters: { Entries: { Detail: unknown; DetailType: string }[] };
      Next: string;
    };

    // Assert
    expect({
      detail: publish.Parameters.Entries[0]?.Detail,
      detailType: publish.Parameters.Entries[0]?.DetailType,
      next: publish.Next,
    }).toStrictEqual({
      detail: {
        'executionId.$': '$$.Execution.Id',
        'error.$': '$.error.Error',
        'cause.$': 'States.JsonToString($.error)',
      },
      detailType: DetailTypes.OrderFailed,
      next: 'ProcessingFailed',
    });
  });

  it('ParallelTasks runs ReserveInventory and ScoreRisk, keeps both results at $.checks and compensates on failure', () => {
    // Arrange / Act
    const parallelTasks = state('ParallelTasks');

    // Assert
    expect(parallelTasks).toStrictEqual({
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'ReserveInventory',
          States: {
            ReserveInventory: {
              Type: 'Task',
              Resource: lambdaInvoke,
              Parameters: {
                FunctionName: functionArn('reserve-inventory'),
                Payload: { action: 'reserve', 'order.$': '$.order', 'executionId.$': '$$.Execution.Id' },
              },
              OutputPath: '$.Payload',
              TimeoutSeconds: 30,
              Retry: [transientRetry, timeoutRetry],
              End: true,
            },
          },
        },
        {
          StartAt: 'ScoreRisk',
          States: {
            ScoreRisk: {
              Type: 'Task',
              Resource: lambdaInvoke,
              Parameters: {
                FunctionName: functionArn('score-risk'),
                Payload: { 'order.$': '$.order', 'executionId.$': '$$.Execution.Id' },
              },
              OutputPath: '$.Payload',
              TimeoutSeconds: 30,
              Retry: [transientRetry, timeoutRetry],
              End: true,
            },
          },
        },
      ],
      ResultSelector: { 'reservation.$': '$[0]', 'risk.$': '$[1]' },
      ResultPath: '$.checks',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'MarkFailed' }],
      Next: 'NeedsApproval',
    });
  });

  it('NeedsApproval sends orders over the amount threshold or at high risk to AwaitApproval', () => {
    // Arrange / Act
    const needsApproval = state('NeedsApproval');

    // Assert
    expect(needsApproval).toStrictEqual({
      Type: 'Choice',
      Choices: [
        {
          Or: [
            { Variable: '$.order.totals.total', NumericGreaterThan: APPROVAL_AMOUNT_THRESHOLD },
            { Variable: '$.checks.risk.level', StringEquals: APPROVAL_RISK_LEVEL },
          ],
          Next: 'AwaitApproval',
        },
      ],
      Default: 'AutoApprove',
    });
  });

  it('AwaitApproval sends the task token to the approvals queue and waits with a timeout and a heartbeat', () => {
    // Arrange / Act
    const awaitApproval = state('AwaitApproval');

    // Assert
    expect(awaitApproval).toStrictEqual({
      Type: 'Task',
      Resource: 'arn:${AWS::Partition}:states:::sqs:sendMessage.waitForTaskToken',
      Parameters: {
        QueueUrl: '${ssm:/complex-workflow/messaging/approvals-queue-url}',
        MessageBody: {
          'taskToken.$': '$$.Task.Token',
          'executionId.$': '$$.Execution.Id',
          'requestedAt.$': '$$.State.EnteredTime',
          'orderId.$': '$.order.orderId',
          'customerId.$': '$.order.customerId',
          'amount.$': '$.order.totals.total',
          'currency.$': '$.order.currency',
          'reasons.$': '$.checks.risk.reasons[*].detail',
          'riskScore.$': '$.checks.risk.score',
          'requestedBy.$': '$.order.requestedBy',
          timeoutSeconds: APPROVAL_DEFAULT_TIMEOUT_SECONDS,
        },
      },
      TimeoutSeconds: APPROVAL_DEFAULT_TIMEOUT_SECONDS,
      HeartbeatSeconds: APPROVAL_DEFAULT_HEARTBEAT_SECONDS,
      ResultPath: '$.approval',
      Catch: [
        {
          ErrorEquals: ['States.Timeout', 'States.HeartbeatTimeout'],
          ResultPath: '$.error',
          Next: 'MarkExpired',
        },
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'MarkFailed' },
      ],
      Next: 'ApprovalDecision',
    });
  });

  it('ApprovalDecision finalizes an approval, compensates a rejection and fails closed on anything else', () => {
    // Arrange / Act
    const approvalDecision = state('ApprovalDecision');

    // Assert
    expect(approvalDecision).toStrictEqual({
      Type: 'Choice',
      Choices: [
        { Variable: '$.approval.decision', StringEquals: 'approve', Next: 'ApplyApproval' },
        { Variable: '$.approval.decision', StringEquals: 'reject', Next: 'MarkRejected' },
      ],
      Default: 'InvalidDecision',
    });
    expect([state('ApplyApproval'), state('AutoApprove')]).toMatchObject([
      { Next: 'Finalize' },
      { Next: 'Finalize' },
    ]);
  });

  it('Finalize puts OrderApproved on the orders bus (no Lambda) and succeeds', () => {
    // Arrange / Act
    const finalize = state('Finalize');

    // Assert
    expect(finalize).toMatchObject({
      Type: 'Task',
      Resource: 'arn:${AWS::Partition}:states:::events:putEvents',
      Parameters: {
        Entries: [
          {
            'Detail.$': '$.approved',
            DetailType: DetailTypes.OrderApproved,
            EventBusName: 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/orders',
            Source: EventSources.Workflow,
          },
        ],
      },
      TimeoutSeconds: 10,
      Next: 'Approved',
    });
    expect(state('Approved')).toStrictEqual({ Type: 'Succeed' });
  });

  it.each([
    ['MarkRejected', 'rejected', 'PublishOrderRejected', DetailTypes.OrderRejected, 'Rejected'],
    ['MarkExpired', 'expired', 'PublishOrderExpired', DetailTypes.OrderExpired, 'Expired'],
    ['MarkFailed', 'failed', 'PublishOrderFailed', DetailTypes.OrderFailed, 'ProcessingFailed'],
  ])(
    '%s releases the inventory (reason %s), then %s publishes %s and ends in %s',
    (mark, reason, publish, detailType, end) => {
      // Arrange
      const choices = (
        state('RouteOutcome') as { Choices: { StringEquals: string; Next: string }[]; Default: string }
      ).Choices;
      const route = choices.find((choice) => choice.StringEquals === reason)?.Next ?? 'PublishOrderFailed';

      // Act / Assert
      expect(state(mark)).toStrictEqual({
        Type: 'Pass',
        Comment: `Compensate (release the reservation), then publish the ${reason} outcome`,
        Result: { reason },
        ResultPath: '$.outcome',
        Next: 'ReleaseInventory',
      });
      expect(route).toBe(publish);
      expect(state(publish)).toMatchObject({
        Parameters: { Entries: [{ DetailType: detailType, Source: EventSources.Workflow }] },
        Next: end,
      });
    },
  );

  it('ReleaseInventory compensates with the release action and publishes the outcome even when it fails', () => {
    // Arrange / Act
    const release = state('ReleaseInventory');

    // Assert
    expect(release).toStrictEqual({
      Type: 'Task',
      Resource: lambdaInvoke,
      Parameters: {
        FunctionName: functionArn('reserve-inventory'),
        Payload: {
          action: 'release',
          'orderId.$': '$.order.orderId',
          'reason.$': '$.outcome.reason',
          'executionId.$': '$$.Execution.Id',
        },
      },
      ResultSelector: { 'status.$': '$.Payload.status' },
      ResultPath: '$.release',
      TimeoutSeconds: 30,
      Retry: [transientRetry, timeoutRetry],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.releaseError', Next: 'RouteOutcome' }],
      Next: 'RouteOutcome',
    });
  });

  it('traces with X-Ray and logs ALL (with execution data) to its own log group', () => {
    // Arrange
    const template = synthesized.template('workflow');

    // Act / Assert
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'ComplexWorkflow',
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }],
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/vendedlogs/states/ComplexWorkflow',
      RetentionInDays: 90,
    });
  });

  it('starts an execution for each OrderSubmitted event, with a retry policy and a dead-letter queue', () => {
    // Arrange
    const json = synthesized.json('workflow');
    const rules = Object.values(json.Resources ?? {}).filter(
      (resource) => resource.Type === 'AWS::Events::Rule',
    );
    const [rule] = rules;
    const format = readableReferences(json);

    // Act
    const rendered = renderIntrinsics(rule?.Properties, format);

    // Assert
    expect(rules).toHaveLength(1);
    expect(rendered).toMatchObject({
      EventBusName: 'orders',
      EventPattern: { source: [EventSources.Orders], 'detail-type': [DetailTypes.OrderSubmitted] },
      State: 'ENABLED',
      Targets: [
        {
          Arn: expect.stringMatching(/^\$\{ComplexWorkflowStateMachine[0-9A-F]+\}$/) as unknown,
          RoleArn: expect.stringMatching(/^\$\{.+\.Arn\}$/) as unknown,
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 7200 },
          DeadLetterConfig: {
            Arn: expect.stringMatching(/^\$\{OrderSubmittedDeadLetterQueue[0-9A-F]+\.Arn\}$/) as unknown,
          },
        },
      ],
    });
    expect((rendered as { Targets: unknown[] }).Targets[0]).not.toHaveProperty('InputPath');
  });

  it('the rule dead-letter queue is encrypted, refuses plain HTTP and only the rule may send to it', () => {
    // Arrange
    const template = synthesized.template('workflow');

    // Act / Assert
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  describe('IAM: the state machine role', () => {
    const statements = (): { Action: string | string[]; Resource: unknown }[] => {
      const json = synthesized.json('workflow');
      const resources = json.Resources ?? {};
      const [roleId] = Object.entries(resources).find(
        ([, resource]) =>
          resource.Type === 'AWS::IAM::Role' &&
          JSON.stringify(resource.Properties?.['AssumeRolePolicyDocument']).includes('states.amazonaws.com'),
      ) ?? [''];
      const policies = Object.values(resources).filter(
        (resource) =>
          resource.Type === 'AWS::IAM::Policy' &&
          JSON.stringify(resource.Properties?.['Roles']) === JSON.stringify([{ Ref: roleId }]),
      );
      return renderIntrinsics(
        policies.flatMap(
          (policy) =>
            (policy.Properties?.['PolicyDocument'] as { Statement: unknown[] } | undefined)?.Statement ?? [],
        ),
        readableReferences(json),
      ) as { Action: string | string[]; Resource: unknown }[];
    };
    const resourcesOf = (action: string): unknown[] =>
      statements()
        .filter((statement) => [statement.Action].flat().includes(action))
        .flatMap((statement) => [statement.Resource].flat());

    it('may invoke exactly its three functions (and their versions)', () => {
      // Arrange / Act
      const invokable = resourcesOf('lambda:InvokeFunction');

      // Assert
      expect([...invokable].sort()).toStrictEqual(
        ['process-order', 'reserve-inventory', 'score-risk']
          .flatMap((service) => [functionArn(service), `${functionArn(service)}:*`])
          .sort(),
      );
    });

    it('may send to exactly the approvals queue', () => {
      // Arrange / Act
      const sendable = resourcesOf('sqs:SendMessage');

      // Assert
      expect(sendable).toStrictEqual(['${ssm:/complex-workflow/messaging/approvals-queue-arn}']);
    });

    it('may put events on exactly the orders bus', () => {
      // Arrange / Act
      const buses = resourcesOf('events:PutEvents');

      // Assert
      expect([...new Set(buses)]).toStrictEqual([
        'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/orders',
      ]);
    });

    it('has no other action on a named resource', () => {
      // Arrange
      const allowed = new Set(['lambda:InvokeFunction', 'sqs:SendMessage', 'events:PutEvents']);

      // Act
      const others = statements()
        .filter((statement) => statement.Resource !== '*')
        .flatMap((statement) => [statement.Action].flat())
        .filter((action) => !allowed.has(action));

      // Assert
      expect(others).toStrictEqual([]);
    });
  });
});
