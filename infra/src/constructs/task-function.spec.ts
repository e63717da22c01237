import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { LocalCloudMetadata } from '@flow/contracts';
import { TaskFunction } from './task-function';

const fixtureEntry = 'infra/src/constructs/__fixtures__/handler.ts';

const newStack = (): Stack =>
  new Stack(
    new App({ context: { 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false }),
    'Test',
  );

describe('TaskFunction', () => {
  let template: Template;
  let task: TaskFunction;

  beforeAll(() => {
    const stack = newStack();
    task = new TaskFunction(stack, 'Task', {
      service: 'demo-service',
      entry: fixtureEntry,
      timeout: Duration.seconds(12),
      memorySize: 384,
      environment: { TABLE_NAME: 'demo', POWERTOOLS_LOG_LEVEL: 'DEBUG' },
    });
    template = Template.fromStack(stack);
  });

  it('is a Node.js 22 function with X-Ray active, explicit timeout and memory, and the Powertools environment merged with its own', () => {
    // Arrange / Act / Assert
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Timeout: 12,
      MemorySize: 384,
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: 'demo-service',
          POWERTOOLS_METRICS_NAMESPACE: 'ComplexWorkflow',
          POWERTOOLS_LOG_LEVEL: 'DEBUG',
          NODE_OPTIONS: '--enable-source-maps',
          TABLE_NAME: 'demo',
        },
      },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^TaskLogGroup') } },
    });
  });

  it('keeps environment variables added later next to the ones it started with', () => {
    // Arrange
    const stack = newStack();
    const later = new TaskFunction(stack, 'Later', {
      service: 'demo-service',
      entry: fixtureEntry,
      timeout: Duration.seconds(5),
      memorySize: 128,
    });

    // Act
    later.addEnvironment('EXTRA', 'yes');

    // Assert
    const variables = Template.fromStack(stack).findResources('AWS::Lambda::Function');
    expect(
      Object.values(variables).map((fn) => (fn['Properties'] as { Environment: unknown }).Environment),
    ).toStrictEqual([
      {
        Variables: {
          POWERTOOLS_SERVICE_NAME: 'demo-service',
          POWERTOOLS_METRICS_NAMESPACE: 'ComplexWorkflow',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          NODE_OPTIONS: '--enable-source-maps',
          EXTRA: 'yes',
        },
      },
    ]);
  });

  it('writes flow:entry and flow:handler Metadata on the function resource for the local cloud', () => {
    // Arrange / Act
    const functions = template.findResources('AWS::Lambda::Function');

    // Assert
    expect(Object.values(functions).map((fn) => fn['Metadata'] as Record<string, unknown>)).toMatchObject([
      { [LocalCloudMetadata.Entry]: fixtureEntry, [LocalCloudMetadata.Handler]: 'handler' },
    ]);
    expect(task.entry).toBe(fixtureEntry);
  });

  it('has its own log group with a retention, and a role with no managed policy that may write only there', () => {
    // Arrange / Act / Assert
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: logs.RetentionDays.ONE_MONTH });
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TaskLogGroup'), 'Arn'] },
          }),
        ]),
      },
    });
  });

  it('fails when the service is not a kebab-case project name', () => {
    // Arrange
    const stack = newStack();

    // Act / Assert
    expect(
      () =>
        new TaskFunction(stack, 'Bad', {
          service: 'Process_Order',
          timeout: Duration.seconds(5),
          memorySize: 128,
        }),
    ).toThrow(
      "TaskFunction: service must be an Nx project name in kebab-case (e.g. 'process-order'), got 'Process_Order'.",
    );
  });

  it('fails when the timeout is outside 1..900 seconds', () => {
    // Arrange
    const stack = newStack();

    // Act / Assert
    expect(
      () =>
        new TaskFunction(stack, 'Bad', {
          service: 'demo-service',
          entry: fixtureEntry,
          timeout: Duration.minutes(16),
          memorySize: 128,
        }),
    ).toThrow('TaskFunction demo-service: timeout must be between 1 and 900 seconds, got 960.');
  });

  it('fails when the memory size is not an integer from 128 to 10240 MiB', () => {
    // Arrange
    const stack = newStack();

    // Act / Assert
    expect(
      () =>
        new TaskFunction(stack, 'Bad', {
          service: 'demo-service',
          entry: fixtureEntry,
          timeout: Duration.seconds(5),
          memorySize: 100,
        }),
    ).toThrow('TaskFunction demo-service: memorySize must be an integer between 128 and 10240 MiB, got 100.');
  });

  it('fails when the entry is not relative to the repository root', () => {
    // Arrange
    const stack = newStack();

    // Act / Assert
    expect(
      () =>
        new TaskFunction(stack, 'Bad', {
          service: 'demo-service',
          entry: '../elsewhere/handler.ts',
          timeout: Duration.seconds(5),
          memorySize: 128,
        }),
    ).toThrow(/^TaskFunction demo-service: entry must be relative to the repository root/);
  });
});

describe('TaskFunction invoked asynchronously', () => {
  it('sends failed asynchronous invocations to the given dead-letter queue', () => {
    // Arrange
    const stack = newStack();
    const queue = new sqs.Queue(stack, 'Dlq');

    // Act
    new TaskFunction(stack, 'Async', {
      service: 'demo-service',
      entry: fixtureEntry,
      timeout: Duration.seconds(5),
      memorySize: 128,
      asyncDeadLetterQueue: queue,
    });

    // Assert
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Dlq'), 'Arn'] } },
    });
  });
});
