import {
  DescribeStateMachineCommand,
  SFNClient,
  TestStateCommand,
  type TestStateCommandOutput,
  ValidationException,
} from '@aws-sdk/client-sfn';
import { execFile } from 'node:child_process';
import { aws, awsCliWith, buildEntry, clientConfig, LocalCloudProcess, REPO_ROOT } from './harness';

/**
 * TestState against the running local cloud, as a user calls it: the AWS SDK v3 `TestStateCommand` and
 * `aws stepfunctions test-state` (the first AWS CLI that has it; Debian's awscli 2.9 predates TestState). States of the deployed
 * ComplexWorkflow are tested in isolation, one of them calling the real local process-order function.
 *
 * The SDK and the CLI send TestState (like StartSyncExecution) to the host `sync-<endpoint host>`, which does not
 * resolve for 127.0.0.1: an SDK v3 client of the local endpoint sets `disableHostPrefix: true`, the AWS CLI reads
 * `AWS_DISABLE_HOST_PREFIX_INJECTION=true` (or `disable_host_prefix_injection = true` in its config).
 */

jest.setTimeout(300_000);

const WORKFLOW = 'arn:aws:states:us-east-1:000000000000:stateMachine:ComplexWorkflow';
const ROLE = 'arn:aws:iam::000000000000:role/test-state';

let cloud: LocalCloudProcess;
let sfn: SFNClient;
let workflow: string;
/** An AWS CLI that has `stepfunctions test-state` (Debian's 2.9 does not). */
let cli: string;

beforeAll(async () => {
  cli = awsCliWith('stepfunctions', 'test-state');
  // The harness runs the CLI with this process's environment.
  process.env['AWS_DISABLE_HOST_PREFIX_INJECTION'] = 'true';
  cloud = await LocalCloudProcess.start();
  sfn = new SFNClient({ ...clientConfig(cloud.endpoint), disableHostPrefix: true });
  const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: WORKFLOW }));
  workflow = described.definition ?? '';
});

afterAll(async () => {
  delete process.env['AWS_DISABLE_HOST_PREFIX_INJECTION'];
  sfn?.destroy();
  await cloud?.stop();
  cloud?.removeData();
});

const body = ({
  $metadata: _metadata,
  ...rest
}: TestStateCommandOutput): Omit<TestStateCommandOutput, '$metadata'> => rest;

describe('TestState through the AWS SDK v3', () => {
  it("routes a duplicate through ComplexWorkflow's CheckStatus choice", async () => {
    // Act
    const response = await sfn.send(
      new TestStateCommand({
        definition: workflow,
        stateName: 'CheckStatus',
        input: '{"status":"duplicate"}',
        inspectionLevel: 'DEBUG',
      }),
    );

    // Assert
    expect(body(response)).toStrictEqual({
      status: 'SUCCEEDED',
      output: '{"status":"duplicate"}',
      nextState: 'Duplicate',
      inspectionData: { input: '{"status":"duplicate"}', afterInputPath: '{"status":"duplicate"}' },
    });
  });

  it('calls the real process-order function from ProcessTask and reports the caught error', async () => {
    // Act
    const response = await sfn.send(
      new TestStateCommand({
        definition: workflow,
        stateName: 'ProcessTask',
        roleArn: ROLE,
        input: '{"not":"an order"}',
        inspectionLevel: 'DEBUG',
      }),
    );
    const output = JSON.parse(response.output ?? 'null') as {
      not: string;
      error: { Error: string; Cause: string };
    };

    // Assert
    expect(response.status).toBe('CAUGHT_ERROR');
    expect(response.error).toMatch(/InvalidTaskInput/);
    expect(response.nextState).toBe('PublishProcessTaskFailed');
    expect(response.inspectionData?.errorDetails).toStrictEqual({ catchIndex: 0 });
    expect(output.not).toBe('an order');
    expect(output.error.Error).toBe(response.error);
    expect(output.error.Cause).toContain('ProcessTask expects the OrderSubmitted EventBridge event');
  });

  it("answers RETRIABLE for a mocked timeout of ProcessTask (its timeout retrier's backoff)", async () => {
    // Act
    const response = await sfn.send(
      new TestStateCommand({
        definition: workflow,
        stateName: 'ProcessTask',
        input: '{}',
        inspectionLevel: 'DEBUG',
        mock: { errorOutput: { error: 'States.Timeout', cause: 'took too long' } },
      }),
    );

    // Assert
    expect([response.status, response.error, response.inspectionData?.errorDetails]).toStrictEqual([
      'RETRIABLE',
      'States.Timeout',
      { retryIndex: 1, retryBackoffIntervalSeconds: 5 },
    ]);
  });

  it('fails when a Task is tested without a mock and without a roleArn, as ValidationException', async () => {
    // Act
    const error: unknown = await sfn
      .send(new TestStateCommand({ definition: workflow, stateName: 'ProcessTask', input: '{}' }))
      .catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as ValidationException).message).toBe(
      'RoleArn must be specified when testing a Task state',
    );
  });
});

describe('aws stepfunctions test-state', () => {
  it('tests a Pass state with a mock-free definition and prints the inspection data', async () => {
    // Act
    const result = await aws(
      cloud.endpoint,
      [
        'stepfunctions',
        'test-state',
        '--definition',
        '{"Type":"Pass","Parameters":{"greeting.$":"States.Format(\'hello {}\', $.who)"},"Next":"Done"}',
        '--input',
        '{"who":"cli"}',
        '--inspection-level',
        'DEBUG',
      ],
      cli,
    );

    // Assert
    expect([result.code, JSON.parse(result.stdout) as unknown]).toStrictEqual([
      0,
      {
        output: '{"greeting":"hello cli"}',
        nextState: 'Done',
        status: 'SUCCEEDED',
        inspectionData: {
          input: '{"who":"cli"}',
          afterInputPath: '{"who":"cli"}',
          afterParameters: '{"greeting":"hello cli"}',
          afterResultSelector: '{"greeting":"hello cli"}',
          afterResultPath: '{"greeting":"hello cli"}',
        },
      },
    ]);
  });

  it('tests a state of the deployed workflow with a mock and a state configuration', async () => {
    // Act
    const result = await aws(
      cloud.endpoint,
      [
        'stepfunctions',
        'test-state',
        '--definition',
        workflow,
        '--state-name',
        'ProcessTask',
        '--input',
        '{"detail":{}}',
        '--mock',
        '{"errorOutput":{"error":"States.Timeout","cause":"slow"}}',
        '--state-configuration',
        'retrierRetryCount=1',
      ],
      cli,
    );

    // Assert
    expect([result.code, JSON.parse(result.stdout) as unknown]).toStrictEqual([
      0,
      {
        status: 'CAUGHT_ERROR',
        error: 'States.Timeout',
        cause: 'slow',
        nextState: 'PublishProcessTaskFailed',
        output: '{"detail":{},"error":{"Error":"States.Timeout","Cause":"slow"}}',
      },
    ]);
  });

  it('fails when the mock is given for a Pass state, with the ValidationException message', async () => {
    // Act
    const result = await aws(
      cloud.endpoint,
      [
        'stepfunctions',
        'test-state',
        '--definition',
        '{"Type":"Pass","End":true}',
        '--mock',
        '{"result":"{}"}',
      ],
      cli,
    );

    // Assert
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      "An error occurred (ValidationException) when calling the TestState operation: State type 'Pass' is not supported when a mock is specified",
    );
  });
});

describe('local-cloud test-state (the CLI beside the server)', () => {
  it('tests a state of the deployed workflow and prints the answer', async () => {
    // Act
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        [
          buildEntry(),
          'test-state',
          '--endpoint',
          cloud.endpoint,
          '--state-machine',
          'ComplexWorkflow',
          '--state-name',
          'CheckStatus',
          '--input',
          '{"status":"success"}',
          '--inspection-level',
          'INFO',
        ],
        { cwd: REPO_ROOT, timeout: 60_000 },
        (error, out) => resolve({ code: error === null ? 0 : 1, stdout: out }),
      );
    });

    // Assert
    expect([code, stdout]).toStrictEqual([
      0,
      'Status: SUCCEEDED\nNext state: ParallelTasks\nOutput:\n{\n  "status": "success"\n}\n',
    ]);
  });
});
