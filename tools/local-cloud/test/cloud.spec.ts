import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { VirtualClock } from '@flow/asl-engine';
import { LocalCloud } from '../src/cloud';
import { buildPicture, type LocalPicture, type StackTemplate } from '../src/loader';
import { FileDefinitionCache } from '../src/startup/definition-cache';

const repoRoot = resolve(__dirname, '../../..');
const probe = 'tools/local-cloud/test/fixtures/lambda/probe-handler.ts';
const consumer = 'tools/local-cloud/test/fixtures/lambda/batch-consumer.ts';

const fn = (entry: string, name: string) => ({
  Type: 'AWS::Lambda::Function',
  Metadata: { 'flow:entry': entry, 'flow:handler': 'handler' },
  Properties: { FunctionName: name, Handler: 'index.handler', Runtime: 'nodejs22.x', Timeout: 10 },
});

/** A small app: a workflow that invokes a function and waits for a callback through a queue, and a consumer. */
const stack: StackTemplate = {
  stackName: 'TestApp',
  template: {
    Resources: {
      Probe: fn(probe, 'probe'),
      Consumer: fn(consumer, 'consumer'),
      Approvals: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'approvals' } },
      WorkDlq: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'work-dlq' } },
      Work: {
        Type: 'AWS::SQS::Queue',
        Properties: {
          QueueName: 'work',
          VisibilityTimeout: 1,
          RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['WorkDlq', 'Arn'] }, maxReceiveCount: 2 },
        },
      },
      WorkMapping: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: {
          FunctionName: { Ref: 'Consumer' },
          EventSourceArn: { 'Fn::GetAtt': ['Work', 'Arn'] },
          BatchSize: 10,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        },
      },
      Items: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          TableName: 'items',
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        },
      },
      Flow: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          StateMachineName: 'Flow',
          DefinitionString: {
            'Fn::Sub': [
              JSON.stringify({
                StartAt: 'Count',
                States: {
                  Count: {
                    Type: 'Task',
                    Resource: 'arn:aws:states:::lambda:invoke',
                    Parameters: { FunctionName: '${ProbeArn}', Payload: { action: 'count' } },
                    ResultSelector: { 'count.$': '$.Payload.invocations', 'status.$': '$.StatusCode' },
                    ResultPath: '$.probe',
                    Next: 'Ask',
                  },
                  Ask: {
                    Type: 'Task',
                    Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
                    Parameters: {
                      QueueUrl: '${QueueUrl}',
                      MessageBody: { 'token.$': '$$.Task.Token', 'order.$': '$.order' },
                    },
                    ResultPath: '$.decision',
                    End: true,
                  },
                },
              }),
              { ProbeArn: { 'Fn::GetAtt': ['Probe', 'Arn'] }, QueueUrl: { Ref: 'Approvals' } },
            ],
          },
        },
      },
      Failing: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          StateMachineName: 'Failing',
          DefinitionString: JSON.stringify({
            StartAt: 'Throw',
            States: {
              Throw: {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Parameters: { FunctionName: 'probe', Payload: { action: 'throw' } },
                Catch: [{ ErrorEquals: ['OrderInvalid'], ResultPath: '$.error', Next: 'Caught' }],
                End: true,
              },
              Caught: { Type: 'Pass', End: true },
            },
          }),
        },
      },
      Store: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          StateMachineName: 'Store',
          DefinitionString: JSON.stringify({
            StartAt: 'Put',
            States: {
              Put: {
                Type: 'Task',
                Resource: 'arn:aws:states:::dynamodb:putItem',
                Parameters: { TableName: 'items', Item: { pk: { 'S.$': '$.id' }, note: { S: 'hello' } } },
                ResultPath: null,
                Next: 'Wait',
              },
              Wait: { Type: 'Wait', Seconds: 86400, Next: 'Get' },
              Get: {
                Type: 'Task',
                Resource: 'arn:aws:states:::dynamodb:getItem',
                Parameters: { TableName: 'items', Key: { pk: { 'S.$': '$.id' } } },
                ResultSelector: { 'item.$': '$.Item' },
                End: true,
              },
            },
          }),
        },
      },
    },
  },
};

const pictureFor = (): LocalPicture =>
  buildPicture([stack], {
    accountId: '000000000000',
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:4566',
  });

describe('LocalCloud', () => {
  let dataDir: string;
  let cloud: LocalCloud | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'local-cloud-'));
  });

  afterEach(async () => {
    await cloud?.close();
    cloud = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async (clock?: VirtualClock): Promise<LocalCloud> => {
    cloud = await LocalCloud.start({
      appDir: repoRoot,
      dataDir,
      picture: pictureFor(),
      ...(clock === undefined ? {} : { clock }),
    });
    return cloud;
  };

  const receiveOne = async (local: LocalCloud, queue: string): Promise<{ Body: string }> => {
    for (let i = 0; i < 20; i += 1) {
      const { Messages } = await local.sqs.receiveMessage({
        QueueUrl: local.sqs.queueUrl(queue),
        WaitTimeSeconds: 1,
      });
      const message = Messages?.[0];
      if (message !== undefined) return message;
    }
    throw new Error(`no message on ${queue}`);
  };

  it('runs a workflow through a bundled Lambda and a callback queue, and resumes it after a restart', async () => {
    // Arrange
    const first = await start();
    const { executionArn } = await first.engine.startExecution({
      stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Flow',
      input: JSON.stringify({ order: { id: 'o-1' } }),
    });
    const message = await receiveOne(first, 'approvals');
    const body = JSON.parse(message.Body) as { token: string; order: unknown };

    // Act
    await first.close();
    const second = await start();
    await second.engine.sendTaskSuccess({
      taskToken: body.token,
      output: JSON.stringify({ approved: true }),
    });
    const done = await second.engine.waitForExecution(executionArn);

    // Assert
    expect(body.order).toStrictEqual({ id: 'o-1' });
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? 'null')).toStrictEqual({
      order: { id: 'o-1' },
      probe: { count: 1, status: 200 },
      decision: { approved: true },
    });
    const lines = second.logs.query({ functionName: 'probe', executionArn }).map((entry) => entry.message);
    expect(lines[0]).toMatch(/^START RequestId: /);
  }, 90_000);

  it('fails a task with the function’s error name and Lambda’s cause', async () => {
    // Arrange
    const local = await start();

    // Act
    const { executionArn } = await local.engine.startExecution({
      stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Failing',
      input: '{}',
    });
    const done = await local.engine.waitForExecution(executionArn);

    // Assert
    const output = JSON.parse(done.output ?? 'null') as { error: { Error: string; Cause: string } };
    expect(done.status).toBe('SUCCEEDED');
    expect(output.error.Error).toBe('OrderInvalid');
    expect(JSON.parse(output.error.Cause)).toMatchObject({
      errorType: 'OrderInvalid',
      errorMessage: 'amount must be positive',
    });
  }, 90_000);

  it('reads and writes DynamoDB items from a workflow, with waits on an injected virtual clock', async () => {
    // Arrange
    const clock = new VirtualClock();
    const local = await start(clock);
    const { executionArn } = await local.engine.startExecution({
      stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Store',
      input: '{"id":"item-1"}',
    });

    // Act: once the execution waits, move the clock a day on.
    const waiting = async (): Promise<boolean> =>
      (await local.engine.getExecutionHistory({ executionArn })).events.some(
        (e) => e.type === 'WaitStateEntered',
      );
    for (let i = 0; i < 200 && !(await waiting()); i += 1) await new Promise((done) => setTimeout(done, 25));
    await clock.advance(86_400_000);
    await local.engine.waitForExecution(executionArn);
    const done = await local.engine.describeExecution({ executionArn });

    // Assert
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? 'null')).toStrictEqual({
      item: { pk: { S: 'item-1' }, note: { S: 'hello' } },
    });
  }, 90_000);

  it('feeds a queue to its function, deleting successes and redriving reported failures to the DLQ', async () => {
    // Arrange
    const local = await start();

    // Act
    local.sqs.sendMessage({ QueueUrl: local.sqs.queueUrl('work'), MessageBody: 'ok-1' });
    local.sqs.sendMessage({ QueueUrl: local.sqs.queueUrl('work'), MessageBody: 'fail-1' });
    const dead = await receiveOne(local, 'work-dlq');

    // Assert
    expect(dead.Body).toBe('fail-1');
    const { Messages } = await local.sqs.receiveMessage({
      QueueUrl: local.sqs.queueUrl('work'),
      WaitTimeSeconds: 0,
    });
    expect(Messages ?? []).toStrictEqual([]);
    const received = local.logs
      .query({ functionName: 'consumer' })
      .filter((entry) => entry.stream === 'stdout')
      .map((entry) => entry.message);
    expect(received.some((line) => line.includes('ok-1'))).toBe(true);
  }, 90_000);

  it('fails when the CDK app does not synthesize, naming the error, and releases the data folder', async () => {
    // Act
    const failed = LocalCloud.start({
      appDir: repoRoot,
      dataDir,
      appEntry: 'tools/local-cloud/test/fixtures/apps/broken-app.ts',
    });

    // Assert
    await expect(failed).rejects.toThrow(
      /CDK synth of tools\/local-cloud\/test\/fixtures\/apps\/broken-app.ts failed/,
    );
    await expect(failed).rejects.toThrow(/this app does not synthesize/);
    const local = await start();
    expect(local.picture.stateMachines.map((m) => m.name)).toStrictEqual(['Flow', 'Failing', 'Store']);
  }, 90_000);

  it('restarts without validating unchanged state machine definitions again', async () => {
    // Arrange
    const added = jest.spyOn(FileDefinitionCache.prototype, 'add');
    const known = jest.spyOn(FileDefinitionCache.prototype, 'has');
    const first = await start();
    const machines = (await first.engine.listStateMachines({})).stateMachines.length;
    await first.close();
    const addedOnFirstStart = added.mock.calls.length;
    added.mockClear();
    known.mockClear();

    // Act
    await start();

    // Assert
    expect(addedOnFirstStart).toBeGreaterThanOrEqual(machines);
    expect(known.mock.results.length).toBeGreaterThanOrEqual(machines);
    expect(known.mock.results.every((result) => result.value === true)).toBe(true);
    expect(added).not.toHaveBeenCalled();
    added.mockRestore();
    known.mockRestore();
  }, 90_000);

  it('starts clean with reset, keeping the synth and bundle caches', async () => {
    // Arrange
    const first = await start();
    await first.engine.startExecution({
      stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Failing',
      input: '{}',
    });
    await first.lambda.bundleAll();
    await first.close();

    // Act
    cloud = await LocalCloud.start({ appDir: repoRoot, dataDir, picture: pictureFor(), reset: true });
    const { executions } = await cloud.engine.listExecutions({});

    // Assert
    expect(executions).toStrictEqual([]);
    expect(readdirSync(join(dataDir, 'bundles')).length).toBeGreaterThan(0);
    expect(readdirSync(join(dataDir, 'cache'))).toContain('valid-definitions.json');
  }, 90_000);
});
