import { AssemblyResolver, TemplateResolutionError } from './intrinsics';
import { buildPicture } from './picture';
import { type StackTemplate } from './types';

const options = { accountId: '000000000000', region: 'us-east-1', endpoint: 'http://127.0.0.1:4566' };

/** A service stack: a function with Metadata, a queue + DLQ, a table, an SSM parameter publishing the function ARN. */
const serviceStack: StackTemplate = {
  stackName: 'ServiceStack',
  template: {
    Resources: {
      HandlerRole1: { Type: 'AWS::IAM::Role', Properties: {} },
      HandlerFn8A1B: {
        Type: 'AWS::Lambda::Function',
        Metadata: { 'flow:entry': 'apps/process-order/src/handler.ts', 'flow:handler': 'handler' },
        Properties: {
          FunctionName: 'process-order',
          Handler: 'index.handler',
          Runtime: 'nodejs22.x',
          Timeout: 10,
          MemorySize: 256,
          ReservedConcurrentExecutions: 5,
          Role: { 'Fn::GetAtt': ['HandlerRole1', 'Arn'] },
          Environment: {
            Variables: {
              TABLE: { Ref: 'Table1' },
              QUEUE_URL: { Ref: 'Queue1' },
              QUEUE_ARN: { 'Fn::GetAtt': ['Queue1', 'Arn'] },
              REGION: { 'Fn::Sub': '${AWS::Region}-${AWS::AccountId}' },
              OPTIONAL: { 'Fn::If': ['IsProd', 'yes', { Ref: 'AWS::NoValue' }] },
            },
          },
        },
      },
      Dlq1: { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1209600 } },
      Queue1: {
        Type: 'AWS::SQS::Queue',
        Properties: {
          QueueName: 'approvals',
          VisibilityTimeout: 30,
          RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq1', 'Arn'] }, maxReceiveCount: 3 },
        },
      },
      Table1: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'status', AttributeType: 'S' },
          ],
          BillingMode: 'PAY_PER_REQUEST',
          GlobalSecondaryIndexes: [
            {
              IndexName: 'byStatus',
              KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
            },
          ],
        },
      },
      FnArnParam: {
        Type: 'AWS::SSM::Parameter',
        Properties: {
          Name: '/svc/process-order/function-arn',
          Type: 'String',
          Value: { 'Fn::GetAtt': ['HandlerFn8A1B', 'Arn'] },
        },
      },
      Mapping1: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: {
          FunctionName: { Ref: 'HandlerFn8A1B' },
          EventSourceArn: { 'Fn::GetAtt': ['Queue1', 'Arn'] },
          BatchSize: 5,
          MaximumBatchingWindowInSeconds: 1,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        },
      },
      Url1: {
        Type: 'AWS::Lambda::Url',
        Properties: { TargetFunctionArn: { 'Fn::GetAtt': ['HandlerFn8A1B', 'Arn'] }, AuthType: 'NONE' },
      },
    },
    Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] } },
  },
};

/** The workflow stack: finds the function through an SSM-typed parameter; bus, rule, archive, state machine. */
const workflowStack: StackTemplate = {
  stackName: 'WorkflowStack',
  template: {
    Parameters: {
      ProcessOrderArnParam: {
        Type: 'AWS::SSM::Parameter::Value<String>',
        Default: '/svc/process-order/function-arn',
      },
    },
    Resources: {
      Bus1: { Type: 'AWS::Events::EventBus', Properties: { Name: 'orders' } },
      Machine1: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          StateMachineName: 'ComplexWorkflow',
          DefinitionString: {
            'Fn::Join': [
              '',
              [
                '{"StartAt":"ProcessTask","States":{"ProcessTask":{"Type":"Task","Resource":"arn:',
                { Ref: 'AWS::Partition' },
                ':states:::lambda:invoke","Parameters":{"FunctionName":"',
                { Ref: 'ProcessOrderArnParam' },
                '","Payload.$":"$"},"Next":"Send"},"Send":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","Parameters":{"QueueUrl":"${QueueUrl}","MessageBody.$":"$"},"End":true}}}',
              ],
            ],
          },
          DefinitionSubstitutions: { QueueUrl: 'http://127.0.0.1:4566/000000000000/approvals' },
        },
      },
      Rule1: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventBusName: { Ref: 'Bus1' },
          EventPattern: { source: ['com.example.orders'], 'detail-type': ['OrderSubmitted'] },
          State: 'ENABLED',
          Targets: [
            {
              Id: 'Target0',
              Arn: { Ref: 'Machine1' },
              RoleArn: { 'Fn::GetAtt': ['Role2', 'Arn'] },
              InputPath: '$.detail',
              RetryPolicy: { MaximumRetryAttempts: 2 },
              DeadLetterConfig: { Arn: { 'Fn::Select': [0, { 'Fn::Split': ['|', 'arn:aws:sqs:x|y'] }] } },
            },
          ],
        },
      },
      Role2: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'events-role' } },
      Archive1: {
        Type: 'AWS::Events::Archive',
        Properties: { SourceArn: { 'Fn::GetAtt': ['Bus1', 'Arn'] }, RetentionDays: 7 },
      },
    },
  },
};

describe('buildPicture', () => {
  it('resolves functions with their handler metadata, environment and limits', () => {
    // Act
    const picture = buildPicture([serviceStack, workflowStack], options);

    // Assert
    expect(picture.functions).toStrictEqual([
      {
        stackName: 'ServiceStack',
        logicalId: 'HandlerFn8A1B',
        functionName: 'process-order',
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:process-order',
        entry: 'apps/process-order/src/handler.ts',
        handlerExport: 'handler',
        handler: 'index.handler',
        runtime: 'nodejs22.x',
        timeoutSeconds: 10,
        memorySize: 256,
        reservedConcurrency: 5,
        environment: {
          TABLE: 'ServiceStack-Table1',
          QUEUE_URL: 'http://127.0.0.1:4566/000000000000/approvals',
          QUEUE_ARN: 'arn:aws:sqs:us-east-1:000000000000:approvals',
          REGION: 'us-east-1-000000000000',
        },
      },
    ]);
  });

  it('resolves queues with redrive policies to the generated DLQ name', () => {
    // Act
    const picture = buildPicture([serviceStack, workflowStack], options);

    // Assert
    expect(picture.queues.map((q) => [q.queueName, q.queueUrl, q.attributes])).toStrictEqual([
      [
        'ServiceStack-Dlq1',
        'http://127.0.0.1:4566/000000000000/ServiceStack-Dlq1',
        { MessageRetentionPeriod: '1209600' },
      ],
      [
        'approvals',
        'http://127.0.0.1:4566/000000000000/approvals',
        {
          VisibilityTimeout: '30',
          RedrivePolicy:
            '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:ServiceStack-Dlq1","maxReceiveCount":3}',
        },
      ],
    ]);
  });

  it('resolves a state machine definition across stacks through an SSM-typed parameter and substitutions', () => {
    // Act
    const picture = buildPicture([serviceStack, workflowStack], options);

    // Assert
    const [machine] = picture.stateMachines;
    expect(machine?.stateMachineArn).toBe(
      'arn:aws:states:us-east-1:000000000000:stateMachine:ComplexWorkflow',
    );
    expect(JSON.parse(machine?.definition ?? '')).toStrictEqual({
      StartAt: 'ProcessTask',
      States: {
        ProcessTask: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: {
            FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:process-order',
            'Payload.$': '$',
          },
          Next: 'Send',
        },
        Send: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Parameters: { QueueUrl: 'http://127.0.0.1:4566/000000000000/approvals', 'MessageBody.$': '$' },
          End: true,
        },
      },
    });
    expect(picture.warnings).toStrictEqual([]);
  });

  it('resolves buses, rules with targets, archives, tables, parameters, mappings and URLs', () => {
    // Act
    const picture = buildPicture([serviceStack, workflowStack], options);

    // Assert
    expect(picture.buses.map((b) => b.arn)).toStrictEqual([
      'arn:aws:events:us-east-1:000000000000:event-bus/default',
      'arn:aws:events:us-east-1:000000000000:event-bus/orders',
    ]);
    expect(picture.rules).toStrictEqual([
      {
        stackName: 'WorkflowStack',
        logicalId: 'Rule1',
        name: 'WorkflowStack-Rule1',
        arn: 'arn:aws:events:us-east-1:000000000000:rule/orders/WorkflowStack-Rule1',
        eventBusName: 'orders',
        eventPattern: '{"source":["com.example.orders"],"detail-type":["OrderSubmitted"]}',
        state: 'ENABLED',
        targets: [
          {
            Id: 'Target0',
            Arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:ComplexWorkflow',
            RoleArn: 'arn:aws:iam::000000000000:role/events-role',
            InputPath: '$.detail',
            RetryPolicy: { MaximumRetryAttempts: 2 },
            DeadLetterConfig: { Arn: 'arn:aws:sqs:x' },
          },
        ],
      },
    ]);
    expect(picture.archives.map((a) => [a.archiveName, a.eventBusName, a.retentionDays])).toStrictEqual([
      ['WorkflowStack-Archive1', 'orders', 7],
    ]);
    expect(picture.tables).toStrictEqual([
      {
        stackName: 'ServiceStack',
        logicalId: 'Table1',
        tableName: 'ServiceStack-Table1',
        tableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/ServiceStack-Table1',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'status', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byStatus',
            KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      },
    ]);
    expect(picture.parameters.map((p) => [p.name, p.value])).toStrictEqual([
      ['/svc/process-order/function-arn', 'arn:aws:lambda:us-east-1:000000000000:function:process-order'],
    ]);
    expect(picture.eventSourceMappings.map(({ uuid: _uuid, ...rest }) => rest)).toStrictEqual([
      {
        stackName: 'ServiceStack',
        logicalId: 'Mapping1',
        functionName: 'process-order',
        eventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:approvals',
        batchSize: 5,
        maximumBatchingWindowInSeconds: 1,
        reportBatchItemFailures: true,
        enabled: true,
      },
    ]);
    expect(picture.functionUrls.map((u) => [u.functionName, u.url])).toStrictEqual([
      ['process-order', 'http://127.0.0.1:4566/_url/process-order/'],
    ]);
  });
});

describe('AssemblyResolver', () => {
  const resolver = new AssemblyResolver([serviceStack, workflowStack], options);

  it('resolves both Fn::Sub forms, escapes and attribute references', () => {
    // Act
    const result = resolver.resolve('ServiceStack', {
      a: {
        'Fn::Sub': 'arn:${AWS::Partition}:x:${AWS::Region}:${AWS::AccountId}:${Queue1.QueueName}/${!Literal}',
      },
      b: { 'Fn::Sub': ['${Name}-${AWS::StackName}', { Name: { Ref: 'Table1' } }] },
      c: { 'Fn::Join': ['/', ['x', { 'Fn::GetAtt': 'Queue1.QueueUrl' }]] },
      d: { 'Fn::Select': ['1', ['a', 'b']] },
      e: { 'Fn::If': ['IsProd', 1, { Ref: 'AWS::NoValue' }] },
      f: [{ Ref: 'AWS::NoValue' }, { Ref: 'AWS::URLSuffix' }],
    });

    // Assert
    expect(result).toStrictEqual({
      a: 'arn:aws:x:us-east-1:000000000000:approvals/${Literal}',
      b: 'ServiceStack-Table1-ServiceStack',
      c: 'x/http://127.0.0.1:4566/000000000000/approvals',
      d: 'b',
      f: ['amazonaws.com'],
    });
  });

  it('resolves Fn::ImportValue from another stack’s export', () => {
    // Arrange
    const exporting: StackTemplate = {
      stackName: 'A',
      template: {
        Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: {} } },
        Outputs: { QArn: { Value: { 'Fn::GetAtt': ['Q', 'Arn'] }, Export: { Name: 'A:QArn' } } },
      },
    };
    const importing: StackTemplate = { stackName: 'B', template: { Resources: {} } };
    const twoStacks = new AssemblyResolver([exporting, importing], options);

    // Act
    const value = twoStacks.resolve('B', { 'Fn::ImportValue': 'A:QArn' });

    // Assert
    expect(value).toBe('arn:aws:sqs:us-east-1:000000000000:A-Q');
  });

  it('fails when a Ref names an unknown logical id', () => {
    // Act / Assert
    expect(() => resolver.resolve('ServiceStack', { Ref: 'Nope' })).toThrow(
      new TemplateResolutionError('ServiceStack', 'Ref to unknown logical id or parameter Nope'),
    );
  });

  it('fails when Fn::Select is out of range', () => {
    // Act / Assert
    expect(() => resolver.resolve('ServiceStack', { 'Fn::Select': [3, ['a']] })).toThrow(
      /index out of range/,
    );
  });

  it('names FIFO queues with the .fifo suffix and caps generated names', () => {
    // Arrange
    const stack: StackTemplate = {
      stackName: 'S'.repeat(70),
      template: { Resources: { Fifo: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true } } } },
    };

    // Act
    const name = new AssemblyResolver([stack], options).physicalName(stack.stackName, 'Fifo');

    // Assert
    expect(name.endsWith('.fifo')).toBe(true);
    expect(name.length).toBeLessThanOrEqual(80);
  });
});
