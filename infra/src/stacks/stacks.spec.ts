import type { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import {
  ApprovalsTable,
  DetailTypes,
  EnvVars,
  EventSources,
  LocalCloudMetadata,
  MessagingParameters,
  ORDERS_EVENT_BUS_NAME,
  serviceFunctionArnParameter,
  serviceTableNameParameter,
} from '@flow/contracts';
import { Template } from 'aws-cdk-lib/assertions';
import type { FlowStacks } from '../build-app';
import { type SynthesizedApp, synthesizeApp } from '../testing/synth';
import { registeredTaskServices } from './task-service-registry';

const serviceStacks: [keyof FlowStacks, string, string][] = [
  ['processOrder', 'process-order', 'apps/process-order/src/handler.ts'],
  ['reserveInventory', 'reserve-inventory', 'apps/reserve-inventory/src/handler.ts'],
  ['scoreRisk', 'score-risk', 'apps/score-risk/src/handler.ts'],
  ['approvalDispatcher', 'approval-dispatcher', 'apps/approval-dispatcher/src/handler.ts'],
  ['approvalApi', 'approval-api', 'apps/approval-api/src/handler.ts'],
];

describe('stacks', () => {
  let synthesized: SynthesizedApp;

  beforeAll(() => {
    synthesized = synthesizeApp();
  });

  it('no stack depends on another or uses a CloudFormation export', () => {
    // Arrange
    const stacks: Stack[] = Object.values(synthesized.stacks);

    // Act
    const dependencies = stacks.flatMap((stack) =>
      stack.dependencies.map((d) => `${stack.stackName} -> ${d.stackName}`),
    );
    const exports = (Object.keys(synthesized.stacks) as (keyof FlowStacks)[]).filter((key) => {
      const text = JSON.stringify(synthesized.json(key));
      return text.includes('Fn::ImportValue') || text.includes('"Export"');
    });

    // Assert
    expect({ dependencies, exports }).toStrictEqual({ dependencies: [], exports: [] });
  });

  it.each(serviceStacks)(
    '%s publishes its function ARN in SSM and points the local cloud at %s source',
    (key, service, entry) => {
      // Arrange
      const template = synthesized.template(key);

      // Act / Assert
      template.hasResourceProperties('AWS::SSM::Parameter', {
        Name: serviceFunctionArnParameter(service),
        Type: 'String',
        Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TaskFunction'), 'Arn'] },
      });
      template.hasResource('AWS::Lambda::Function', {
        Metadata: Match.objectLike({
          [LocalCloudMetadata.Entry]: entry,
          [LocalCloudMetadata.Handler]: 'handler',
        }),
        Properties: Match.objectLike({ Runtime: 'nodejs22.x', TracingConfig: { Mode: 'Active' } }),
      });
    },
  );

  it('every service in the task service registry gets its own stack that publishes its function ARN in SSM', () => {
    // Arrange
    const expected = registeredTaskServices.map(({ stackName }) => stackName);

    // Act
    const checked = synthesized.taskServices.map((stack) => {
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::SSM::Parameter', {
        Name: serviceFunctionArnParameter(stack.service),
        Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TaskFunction'), 'Arn'] },
      });
      template.hasResource('AWS::Lambda::Function', {
        Metadata: Match.objectLike({ [LocalCloudMetadata.Entry]: `apps/${stack.service}/src/handler.ts` }),
      });
      const text = JSON.stringify(template.toJSON());
      expect({ dependencies: stack.dependencies, imports: text.includes('Fn::ImportValue') }).toStrictEqual({
        dependencies: [],
        imports: false,
      });
      return stack.stackName;
    });

    // Assert
    expect(checked).toStrictEqual(expected);
  });

  it('every table has point-in-time recovery, encryption and on-demand capacity', () => {
    // Arrange
    const keys: (keyof FlowStacks)[] = ['processOrder', 'reserveInventory', 'approvalDispatcher'];

    // Act
    const tables = keys.flatMap((key) =>
      Object.values(synthesized.template(key).findResources('AWS::DynamoDB::Table')).map(
        (table) => table['Properties'] as Record<string, unknown>,
      ),
    );

    // Assert
    expect(tables).toHaveLength(3);
    for (const table of tables) {
      expect(table).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      });
    }
  });

  it('process-order gets its idempotency table (key id, TTL expiration) and only the calls Powertools makes', () => {
    // Arrange
    const template = synthesized.template('processOrder');

    // Act / Assert
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [EnvVars.IdempotencyTableName]: Match.anyValue() }) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
          }),
        ]),
      },
    });
  });

  it('reserve-inventory gets only the item actions of its read and its transactions on the inventory table', () => {
    // Arrange
    const template = synthesized.template('reserveInventory');

    // Act
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) =>
        (policy as { Properties: { PolicyDocument: { Statement: { Action: unknown }[] } } }).Properties
          .PolicyDocument.Statement,
    );

    // Assert
    const dynamoActions = statements
      .flatMap(({ Action }) => (Array.isArray(Action) ? Action : [Action]))
      .filter((action): action is string => typeof action === 'string' && action.startsWith('dynamodb:'));
    expect(dynamoActions).toStrictEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
  });

  it('the messaging stack owns the orders bus with an archive and the encrypted, TLS-only approvals queue with a DLQ', () => {
    // Arrange
    const template = synthesized.template('messaging');

    // Act / Assert
    template.hasResourceProperties('AWS::Events::EventBus', { Name: ORDERS_EVENT_BUS_NAME });
    template.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 365 });
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 180,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 5 },
    });
    template.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      {
        PolicyDocument: {
          Statement: [
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ],
        },
      },
      2,
    );
    for (const name of [MessagingParameters.ApprovalsQueueArn, MessagingParameters.ApprovalsQueueUrl]) {
      template.hasResourceProperties('AWS::SSM::Parameter', { Name: name });
    }
  });

  it('approval-dispatcher consumes the approvals queue (from SSM) reporting partial batch failures, into its approvals table', () => {
    // Arrange
    const template = synthesized.template('approvalDispatcher');
    const json = synthesized.json('approvalDispatcher');

    // Act
    const queueParameter = Object.entries(json.Parameters ?? {}).find(
      ([, parameter]) => parameter.Default === MessagingParameters.ApprovalsQueueArn,
    )?.[0];

    // Assert
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { Ref: queueParameter },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: ApprovalsTable.partitionKey, KeyType: 'HASH' },
        { AttributeName: ApprovalsTable.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        Match.objectLike({ IndexName: ApprovalsTable.index.name, Projection: { ProjectionType: 'ALL' } }),
      ],
    });
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: serviceTableNameParameter('approval-dispatcher', 'approvals'),
    });
  });

  it('approval-api serves a function URL (auth NONE: the handler verifies JWTs) and may answer only ComplexWorkflow task tokens', () => {
    // Arrange
    const template = synthesized.template('approvalApi');

    // Act / Assert
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
            Resource: {
              'Fn::Join': ['', Match.arrayWith([':stateMachine:ComplexWorkflow'])],
            },
          }),
        ]),
      },
    });
  });

  it("routes ApprovalDecision events and the workflow's OrderExpired and OrderFailed to the approval-api events handler, with a DLQ", () => {
    // Arrange
    const template = synthesized.template('approvalApi');

    // Act
    const rules = Object.values(template.findResources('AWS::Events::Rule')).map(
      (rule) =>
        rule['Properties'] as {
          EventPattern?: unknown;
          EventBusName?: unknown;
          ScheduleExpression?: unknown;
        },
    );

    // Assert
    expect(
      rules.map((rule) => [rule.EventBusName, rule.EventPattern ?? rule.ScheduleExpression]),
    ).toStrictEqual([
      [ORDERS_EVENT_BUS_NAME, { 'detail-type': [DetailTypes.ApprovalDecision] }],
      [
        ORDERS_EVENT_BUS_NAME,
        {
          source: [EventSources.Workflow],
          'detail-type': [DetailTypes.OrderExpired, DetailTypes.OrderFailed],
        },
      ],
      // The keepalive, on the default bus (schedules live there): 4 rounds per 1-day HeartbeatSeconds.
      [undefined, 'rate(6 hours)'],
    ]);
    template.hasResource('AWS::Lambda::Function', {
      Metadata: Match.objectLike({ [LocalCloudMetadata.Handler]: 'eventHandler' }),
      Properties: Match.objectLike({
        Environment: {
          Variables: Match.objectLike({
            [EnvVars.TrustedDecisionSources]: 'com.example.credit,com.example.compliance',
          }),
        },
      }),
    });
    template.resourcePropertiesCountIs(
      'AWS::Events::Rule',
      { Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })] },
      3,
    );
  });
});

describe('settings from context', () => {
  it('takes AwaitApproval timeouts and trusted sources from context', () => {
    // Arrange / Act
    const synthesized = synthesizeApp({
      approvalTimeoutSeconds: '7200',
      approvalHeartbeatSeconds: 600,
      trustedDecisionSources: 'com.example.audit',
    });

    // Assert
    expect(synthesized.workflow.definition.States['AwaitApproval']).toMatchObject({
      TimeoutSeconds: 7200,
      HeartbeatSeconds: 600,
    });
    synthesized.template('approvalApi').hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [EnvVars.TrustedDecisionSources]: 'com.example.audit' }) },
    });
    // 600 s heartbeat: keepalive every 2 minutes (a quarter, in whole minutes)
    synthesized.template('approvalApi').hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(2 minutes)',
    });
  });

  it('fails when the heartbeat is not below the approval timeout', () => {
    // Arrange / Act / Assert
    expect(() => synthesizeApp({ approvalTimeoutSeconds: 600, approvalHeartbeatSeconds: 600 })).toThrow(
      'ComplexWorkflow: approvalHeartbeat (600 s) must be less than approvalTimeout (600 s); Step Functions rejects HeartbeatSeconds >= TimeoutSeconds.',
    );
  });

  it('fails when the approval timeout exceeds 30 days', () => {
    // Arrange / Act / Assert
    expect(() => synthesizeApp({ approvalTimeoutSeconds: 31 * 86400 })).toThrow(
      /^ComplexWorkflow: approvalTimeout must be at most 30 days/,
    );
  });

  it('fails when a timeout in context is not a positive integer', () => {
    // Arrange / Act / Assert
    expect(() => synthesizeApp({ approvalTimeoutSeconds: 'a week' })).toThrow(
      'Context \'approvalTimeoutSeconds\' must be a positive integer number of seconds, got "a week".',
    );
  });
});
