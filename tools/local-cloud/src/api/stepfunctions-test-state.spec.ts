import {
  InvalidDefinition,
  SFNClient,
  TestStateCommand,
  type TestStateCommandOutput,
  ValidationException,
} from '@aws-sdk/client-sfn';
import { Engine, type IntegrationRegistry, MemoryStore, TaskFailure } from '@flow/asl-engine';
import { startHttpServer, type RunningHttpServer } from '../server/http-server';
import { jsonProtocolRoute } from '../server/json-route';
import { stepFunctionsService } from './stepfunctions';

/**
 * `AWSStepFunctions.TestState` over the real engine, driven by the AWS SDK v3 `TestStateCommand`. The one integration
 * (`lambda:invoke`) doubles its payload, or fails with `Lambda.TooManyRequestsException` for a negative one.
 *
 * The SDK sends TestState (like StartSyncExecution) to the host `sync-<endpoint host>`; against a local endpoint
 * (`127.0.0.1`) the client needs `disableHostPrefix: true`.
 */

const integrations: IntegrationRegistry = {
  resolve: (inv) =>
    inv.service === 'lambda'
      ? async (i) => {
          const payload = (i.parameters as { Payload: number }).Payload;
          if (payload < 0) throw new TaskFailure('Lambda.TooManyRequestsException', 'Rate exceeded');
          return { Payload: payload * 2, StatusCode: 200 };
        }
      : undefined,
};

let server: RunningHttpServer;
let engine: Engine;
let sfn: SFNClient;

const DOUBLE_TASK = JSON.stringify({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: 'double', 'Payload.$': '$.n' },
  ResultSelector: { 'doubled.$': '$.Payload' },
  ResultPath: '$.result',
  Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 2, MaxAttempts: 2 }],
  Next: 'Done',
});
const ROLE = 'arn:aws:iam::000000000000:role/test-state';

const raw = (body: string): Promise<Response> =>
  fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.TestState' },
    body,
  });

/** The response without the SDK's `$metadata`. */
const body = ({
  $metadata: _metadata,
  ...rest
}: TestStateCommandOutput): Omit<TestStateCommandOutput, '$metadata'> => rest;

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
    disableHostPrefix: true,
  });
});

afterAll(async () => {
  sfn.destroy();
  await server.close();
  await engine.close();
});

describe('TestState through the AWS SDK v3', () => {
  it('calls the integration and answers the output, next state and inspection data', async () => {
    // Act
    const response = await sfn.send(
      new TestStateCommand({
        definition: DOUBLE_TASK,
        roleArn: ROLE,
        input: '{"n":21}',
        inspectionLevel: 'DEBUG',
      }),
    );

    // Assert
    expect(body(response)).toStrictEqual({
      status: 'SUCCEEDED',
      output: '{"n":21,"result":{"doubled":42}}',
      nextState: 'Done',
      inspectionData: {
        input: '{"n":21}',
        afterInputPath: '{"n":21}',
        afterParameters: '{"FunctionName":"double","Payload":21}',
        result: '{"Payload":42,"StatusCode":200}',
        afterResultSelector: '{"doubled":42}',
        afterResultPath: '{"n":21,"result":{"doubled":42}}',
      },
    });
  });

  it('answers RETRIABLE with the retrier and its backoff when the call fails with a retried error', async () => {
    // Act
    const response = await sfn.send(
      new TestStateCommand({
        definition: DOUBLE_TASK,
        roleArn: ROLE,
        input: '{"n":-1}',
        inspectionLevel: 'TRACE',
        stateConfiguration: { retrierRetryCount: 1 },
      }),
    );

    // Assert
    expect(body(response)).toStrictEqual({
      status: 'RETRIABLE',
      error: 'Lambda.TooManyRequestsException',
      cause: 'Rate exceeded',
      inspectionData: {
        input: '{"n":-1}',
        afterInputPath: '{"n":-1}',
        afterParameters: '{"FunctionName":"double","Payload":-1}',
        errorDetails: { retryIndex: 0, retryBackoffIntervalSeconds: 4 },
      },
    });
  });

  it('tests one state of a state machine with a mocked result and variables', async () => {
    // Arrange
    const definition = JSON.stringify({
      QueryLanguage: 'JSONata',
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'double', Payload: '{% $states.input.n %}' },
          Output: { value: '{% $states.result.Payload %}', by: '{% $who %}' },
          Next: 'End',
        },
        End: { Type: 'Succeed' },
      },
    });

    // Act
    const response = await sfn.send(
      new TestStateCommand({
        definition,
        stateName: 'Call',
        input: '{"n":1}',
        variables: '{"who":"mock"}',
        mock: { result: '{"Payload":7}', fieldValidationMode: 'STRICT' },
      }),
    );

    // Assert
    expect(body(response)).toStrictEqual({
      status: 'SUCCEEDED',
      output: '{"value":7,"by":"mock"}',
      nextState: 'End',
    });
  });

  it('fails when a mock is given for a Pass state, as ValidationException', async () => {
    // Act
    const error: unknown = await sfn
      .send(new TestStateCommand({ definition: '{"Type":"Pass","End":true}', mock: { result: '{}' } }))
      .catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as ValidationException).message).toBe(
      "State type 'Pass' is not supported when a mock is specified",
    );
    expect((error as ValidationException).$metadata.httpStatusCode).toBe(400);
  });

  it('fails when a Map is tested without a mock, as InvalidDefinition', async () => {
    // Arrange
    const definition = JSON.stringify({
      Type: 'Map',
      ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
      End: true,
    });

    // Act
    const error: unknown = await sfn.send(new TestStateCommand({ definition })).catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(InvalidDefinition);
    expect((error as InvalidDefinition).message).toBe(
      'TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]',
    );
  });

  it('fails when a member is outside the model (an unknown inspectionLevel, a missing definition)', async () => {
    // Act
    const badLevel = await raw('{"definition":"{}","inspectionLevel":"LOUD"}');
    const noDefinition = await raw('{"input":"{}"}');

    // Assert
    expect([badLevel.status, await badLevel.json()]).toStrictEqual([
      400,
      {
        __type: 'com.amazonaws.swf.service.v2.model#ValidationException',
        message:
          "1 validation error detected: Value 'LOUD' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]",
      },
    ]);
    expect(noDefinition.status).toBe(400);
    expect(((await noDefinition.json()) as { __type: string }).__type).toMatch(/ValidationException$/);
  });
});
