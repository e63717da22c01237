import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidArn,
  ListExecutionsCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  TaskDoesNotExist,
  InvalidToken,
  ValidationException,
} from '@aws-sdk/client-sfn';
import { Engine, type IntegrationRegistry, MemoryStore } from '@flow/asl-engine';
import { startHttpServer, type RunningHttpServer } from '../server/http-server';
import { jsonProtocolRoute } from '../server/json-route';
import { stepFunctionsService } from './stepfunctions';

/**
 * The Step Functions wire protocol over the real engine, driven by the AWS SDK v3. The one integration here
 * (`sqs:sendMessage.waitForTaskToken`) only hands the minted token to the test: the real wiring is covered by the
 * end-to-end suites.
 */

const tokens: string[] = [];
const integrations: IntegrationRegistry = {
  resolve: (inv) =>
    inv.service === 'sqs' && inv.pattern === 'WAIT_FOR_TASK_TOKEN'
      ? async (i) => {
          tokens.push(i.taskToken ?? '');
          return { MessageId: 'm-1', MD5OfMessageBody: '0' };
        }
      : undefined,
};

let server: RunningHttpServer;
let engine: Engine;
let sfn: SFNClient;

const PASS_MACHINE = JSON.stringify({
  StartAt: 'Greet',
  States: {
    Greet: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('hello {}', $.who)" }, End: true },
  },
});
const CALLBACK_MACHINE = JSON.stringify({
  StartAt: 'Wait',
  States: {
    Wait: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Parameters: { QueueUrl: 'http://q', MessageBody: { 'token.$': '$$.Task.Token' } },
      End: true,
    },
  },
});

const raw = (target: string, body: string): Promise<Response> =>
  fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target },
    body,
  });

beforeAll(async () => {
  server = await startHttpServer({ port: 0 });
  engine = new Engine({ store: new MemoryStore(), integrations });
  await engine.start();
  server.setRoutes([jsonProtocolRoute([stepFunctionsService(engine)])]);
  sfn = new SFNClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'any', secretAccessKey: 'thing' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  sfn.destroy();
  await server.close();
  await engine.close();
});

describe('Step Functions over awsJson1_0 with the AWS SDK v3', () => {
  it('creates a state machine, runs an execution and describes it with Date timestamps', async () => {
    // Arrange
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: 'Greeter',
        definition: PASS_MACHINE,
        roleArn: 'arn:aws:iam::000000000000:role/r',
      }),
    );

    // Act
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'first', input: '{"who":"world"}' }),
    );
    await engine.waitForExecution(executionArn ?? '');
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'SUCCEEDED' }));

    // Assert
    expect(stateMachineArn).toBe('arn:aws:states:us-east-1:000000000000:stateMachine:Greeter');
    expect(executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:Greeter:first');
    expect(described.status).toBe('SUCCEEDED');
    expect(described.output).toBe('{"greeting":"hello world"}');
    expect(described.startDate).toBeInstanceOf(Date);
    expect(Math.abs((described.startDate?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
    expect(listed.executions?.map((e) => e.name)).toStrictEqual(['first']);
  });

  it('resumes a waiting execution with SendTaskSuccess and shows the callback in the history', async () => {
    // Arrange
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: 'Callback',
        definition: CALLBACK_MACHINE,
        roleArn: 'arn:aws:iam::000000000000:role/r',
      }),
    );
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    const waitForToken = async (): Promise<string> => {
      for (let i = 0; i < 100 && tokens.length === 0; i += 1) await new Promise((r) => setTimeout(r, 10));
      return tokens.shift() ?? '';
    };
    const taskToken = await waitForToken();

    // Act
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{"decision":"approved"}' }));
    await engine.waitForExecution(executionArn ?? '');
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));

    // Assert
    expect(described.status).toBe('SUCCEEDED');
    expect(described.output).toBe('{"decision":"approved"}');
    expect(history.events?.map((e) => e.type)).toStrictEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(history.events?.[0]?.timestamp).toBeInstanceOf(Date);
  });
});

describe('Step Functions errors as AWS returns them', () => {
  it('fails when the execution does not exist, as ExecutionDoesNotExist (HTTP 400)', async () => {
    // Act
    const error: unknown = await sfn
      .send(
        new DescribeExecutionCommand({
          executionArn: 'arn:aws:states:us-east-1:000000000000:execution:Greeter:nope',
        }),
      )
      .catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(ExecutionDoesNotExist);
    expect((error as ExecutionDoesNotExist).$metadata.httpStatusCode).toBe(400);
  });

  it('fails when the ARN is malformed or of the wrong resource type, as InvalidArn', async () => {
    // Act
    const malformed: unknown = await sfn
      .send(new DescribeExecutionCommand({ executionArn: 'not-an-arn' }))
      .catch((e: unknown) => e);
    const wrongType: unknown = await sfn
      .send(
        new StartExecutionCommand({
          stateMachineArn: 'arn:aws:states:us-east-1:000000000000:execution:Greeter:x',
        }),
      )
      .catch((e: unknown) => e);

    // Assert
    expect(malformed).toBeInstanceOf(InvalidArn);
    expect((malformed as Error).message).toBe("Invalid Arn: 'Invalid ARN prefix: not-an-arn'");
    expect(wrongType).toBeInstanceOf(InvalidArn);
    expect((wrongType as Error).message).toBe(
      "Invalid Arn: 'Resource type not valid in this context: execution'",
    );
  });

  it('fails when the state machine does not exist, as StateMachineDoesNotExist', async () => {
    // Act
    const error: unknown = await sfn
      .send(
        new StartExecutionCommand({
          stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Nope',
        }),
      )
      .catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(StateMachineDoesNotExist);
  });

  it('fails when a required member is missing, as ValidationException naming it', async () => {
    // Act
    const error: unknown = await sfn
      .send(new SendTaskSuccessCommand({ taskToken: 'abc' } as never))
      .catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as Error).message).toBe(
      "1 validation error detected: Value null at 'output' failed to satisfy constraint: Member must not be null",
    );
  });

  it('fails when the task token is unknown or malformed, as TaskDoesNotExist / InvalidToken', async () => {
    // Act
    const error: unknown = await sfn
      .send(new SendTaskSuccessCommand({ taskToken: 'definitely-not-a-token', output: '{}' }))
      .catch((e: unknown) => e);

    // Assert
    expect([InvalidToken, TaskDoesNotExist].some((type) => error instanceof type)).toBe(true);
  });

  it('fails when the body is not JSON, as SerializationException, and keeps serving', async () => {
    // Act
    const response = await raw('AWSStepFunctions.ListStateMachines', '{"maxResults":');
    const after = await raw('AWSStepFunctions.ListStateMachines', '{}');

    // Assert
    expect(response.status).toBe(400);
    expect(((await response.json()) as { __type: string }).__type).toBe(
      'com.amazonaws.swf.service.v2.model#SerializationException',
    );
    expect(after.status).toBe(200);
  });

  it('fails when the operation is unknown, as UnknownOperationException', async () => {
    // Act
    const response = await raw('AWSStepFunctions.LaunchRocket', '{}');

    // Assert
    expect(response.status).toBe(400);
    expect(await response.json()).toStrictEqual({
      __type: 'com.amazonaws.swf.service.v2.model#UnknownOperationException',
      message: 'Unknown operation LaunchRocket',
    });
  });

  it('fails when the payload is oversized: input over 256 KiB is a ValidationException, a huge body a 413', async () => {
    // Arrange
    const stateMachineArn = 'arn:aws:states:us-east-1:000000000000:stateMachine:Greeter';

    // Act
    const tooLong: unknown = await sfn
      .send(
        new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ pad: 'x'.repeat(262_144) }) }),
      )
      .catch((e: unknown) => e);
    const huge = await raw(
      'AWSStepFunctions.StartExecution',
      JSON.stringify({ input: 'x'.repeat(3 * 1024 * 1024) }),
    );
    const after = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"who":"again"}' }));

    // Assert
    expect(tooLong).toBeInstanceOf(ValidationException);
    expect((tooLong as Error).message).toContain("'input' failed to satisfy constraint");
    expect(huge.status).toBe(413);
    expect(after.executionArn).toMatch(/^arn:aws:states:us-east-1:000000000000:execution:Greeter:/);
  });
});
