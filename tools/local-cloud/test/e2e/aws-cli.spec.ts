import { aws, debianAwsCli, eventually, LocalCloudProcess } from './harness';

/**
 * The AWS CLI against the local cloud, unchanged: `aws --endpoint-url` with dummy credentials. `aws` on PATH and,
 * when installed, Debian's awscli package (its SQS client speaks the older query protocol).
 */

jest.setTimeout(300_000);

let cloud: LocalCloudProcess;
const WORKFLOW = 'arn:aws:states:us-east-1:000000000000:stateMachine:ComplexWorkflow';

beforeAll(async () => {
  cloud = await LocalCloudProcess.start();
});

afterAll(async () => {
  await cloud?.stop();
  cloud?.removeData();
});

const json = <T>(text: string): T => JSON.parse(text) as T;

describe('the AWS CLI', () => {
  it('runs the seed\'s command: start-execution with {"status":"success"} fails clearly with ValidationError', async () => {
    // Act
    const started = await aws(cloud.endpoint, [
      'stepfunctions',
      'start-execution',
      '--state-machine-arn',
      WORKFLOW,
      '--input',
      '{"status":"success"}',
    ]);
    const { executionArn } = json<{ executionArn: string }>(started.stdout);
    const described = await eventually(
      async () => {
        const result = await aws(cloud.endpoint, [
          'stepfunctions',
          'describe-execution',
          '--execution-arn',
          executionArn,
        ]);
        const execution = json<{ status: string; error?: string; cause?: string }>(result.stdout);
        return execution.status === 'RUNNING' ? undefined : execution;
      },
      'the execution to finish',
      60_000,
      500,
    );

    // Assert
    expect(started.code).toBe(0);
    expect(executionArn).toMatch(/^arn:aws:states:us-east-1:000000000000:execution:ComplexWorkflow:/);
    expect(described.status).toBe('FAILED');
    expect(described.error).toBe('ValidationError');
    expect(described.cause).toMatch(/orderId|detail/);
  });

  it('publishes the sample order with put-events --entries file://', async () => {
    // Act
    const result = await aws(cloud.endpoint, [
      'events',
      'put-events',
      '--entries',
      'file://samples/events/order-needs-approval.json',
    ]);

    // Assert
    expect(result.code).toBe(0);
    const output = json<{ FailedEntryCount: number; Entries: { EventId: string }[] }>(result.stdout);
    expect(output.FailedEntryCount).toBe(0);
    expect(output.Entries[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lists and describes what the CDK app defines (state machines, functions, queues, tables)', async () => {
    // Act
    const machines = await aws(cloud.endpoint, ['stepfunctions', 'list-state-machines']);
    const functions = await aws(cloud.endpoint, ['lambda', 'list-functions']);
    const tables = await aws(cloud.endpoint, ['dynamodb', 'list-tables']);

    // Assert
    expect(
      json<{ stateMachines: { name: string }[] }>(machines.stdout).stateMachines.map((m) => m.name),
    ).toContain('ComplexWorkflow');
    expect(json<{ Functions: unknown[] }>(functions.stdout).Functions.length).toBeGreaterThanOrEqual(5);
    expect(json<{ TableNames: string[] }>(tables.stdout).TableNames.length).toBeGreaterThanOrEqual(3);
  });

  it('fails with the AWS error for a wrong ARN and an unknown execution, and keeps serving', async () => {
    // Act
    const badArn = await aws(cloud.endpoint, [
      'stepfunctions',
      'describe-execution',
      '--execution-arn',
      'nope',
    ]);
    const missing = await aws(cloud.endpoint, [
      'stepfunctions',
      'describe-execution',
      '--execution-arn',
      'arn:aws:states:us-east-1:000000000000:execution:ComplexWorkflow:does-not-exist',
    ]);
    const after = await aws(cloud.endpoint, ['stepfunctions', 'list-state-machines']);

    // Assert
    expect(badArn.code).toBeGreaterThan(0);
    expect(badArn.stderr).toContain('(InvalidArn)');
    expect(missing.code).toBeGreaterThan(0);
    expect(missing.stderr).toContain('(ExecutionDoesNotExist)');
    expect(after.code).toBe(0);
  });

  it('speaks the SQS query protocol to the Debian awscli', async () => {
    // Arrange
    const cli = debianAwsCli() ?? 'aws';

    // Act
    const created = await aws(cloud.endpoint, ['sqs', 'create-queue', '--queue-name', 'cli-e2e'], cli);
    const queueUrl = json<{ QueueUrl: string }>(created.stdout).QueueUrl;
    const sent = await aws(
      cloud.endpoint,
      ['sqs', 'send-message', '--queue-url', queueUrl, '--message-body', 'hi'],
      cli,
    );
    const received = await aws(
      cloud.endpoint,
      ['sqs', 'receive-message', '--queue-url', queueUrl, '--attribute-names', 'All'],
      cli,
    );
    const missing = await aws(cloud.endpoint, ['sqs', 'get-queue-url', '--queue-name', 'nope'], cli);

    // Assert
    expect(created.code).toBe(0);
    expect(queueUrl).toBe(`${cloud.endpoint}/000000000000/cli-e2e`);
    expect(sent.code).toBe(0);
    expect(json<{ Messages: { Body: string }[] }>(received.stdout).Messages[0]?.Body).toBe('hi');
    expect(missing.code).toBeGreaterThan(0);
    expect(missing.stderr).toContain('AWS.SimpleQueueService.NonExistentQueue');
  });
});
