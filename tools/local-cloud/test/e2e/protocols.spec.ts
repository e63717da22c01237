import { DescribeArchiveCommand, EventBridgeClient, ListArchivesCommand } from '@aws-sdk/client-eventbridge';
import { DescribeTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import {
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
  ValidationException,
} from '@aws-sdk/client-sfn';
import { GetQueueUrlCommand, ListQueuesCommand, QueueDoesNotExist, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig, LocalCloudProcess } from './harness';

/**
 * Each AWS service of the local cloud through its SDK v3 client, and bad input answered with the AWS error while
 * the server keeps serving.
 */

jest.setTimeout(300_000);

let cloud: LocalCloudProcess;
let lambda: LambdaClient;
let sfn: SFNClient;
let sqs: SQSClient;
let events: EventBridgeClient;
let dynamodb: DynamoDBClient;

beforeAll(async () => {
  cloud = await LocalCloudProcess.start();
  lambda = new LambdaClient(clientConfig(cloud.endpoint));
  sfn = new SFNClient(clientConfig(cloud.endpoint));
  sqs = new SQSClient(clientConfig(cloud.endpoint));
  events = new EventBridgeClient(clientConfig(cloud.endpoint));
  dynamodb = new DynamoDBClient(clientConfig(cloud.endpoint));
});

afterAll(async () => {
  for (const client of [lambda, sfn, sqs, events, dynamodb]) client?.destroy();
  await cloud?.stop();
  cloud?.removeData();
});

const functionNamed = async (pattern: RegExp): Promise<string> => {
  const { Functions = [] } = await lambda.send(new ListFunctionsCommand({}));
  const name = Functions.map((f) => f.FunctionName ?? '').find((n) => pattern.test(n));
  if (name === undefined) throw new Error(`no function matching ${String(pattern)}`);
  return name;
};

describe('Lambda', () => {
  it('invokes a function synchronously and answers a handler error as Lambda does, with the log tail', async () => {
    // Arrange
    const functionName = await functionNamed(/ProcessOrder/);

    // Act
    const result = await lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        Payload: Buffer.from('{"not":"an order"}'),
        LogType: 'Tail',
      }),
    );
    const payload = JSON.parse(Buffer.from(result.Payload ?? new Uint8Array()).toString('utf8')) as {
      errorType: string;
      errorMessage: string;
    };

    // Assert
    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBe('Unhandled');
    expect(result.ExecutedVersion).toBe('$LATEST');
    expect(payload.errorType).toMatch(/InvalidTaskInput/);
    expect(payload.errorMessage).toContain('ProcessTask expects the OrderSubmitted EventBridge event');
    expect(Buffer.from(result.LogResult ?? '', 'base64').length).toBeGreaterThan(0);
  });

  it('fails when the function does not exist, as ResourceNotFoundException (404)', async () => {
    // Act
    const error: unknown = await lambda
      .send(new InvokeCommand({ FunctionName: 'no-such-function' }))
      .catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
  });

  it('serves the approvals API on its function URL (unauthenticated → 401 from the handler)', async () => {
    // Arrange
    const functionName = await functionNamed(/ApprovalApi-TaskFunction/);

    // Act
    const response = await fetch(`${cloud.endpoint}/_url/${functionName}/approvals`);

    // Assert
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/json');
  });
});

describe('DynamoDB (proxied to the embedded emulator)', () => {
  it('lists the tables of the app and writes and reads an item with the document client', async () => {
    // Arrange
    const { TableNames = [] } = await dynamodb.send(new ListTablesCommand({}));
    const inventory = TableNames.find((t) => /Inventory/.test(t)) ?? '';
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: inventory }));
    const key = Object.fromEntries((Table?.KeySchema ?? []).map((k) => [k.AttributeName ?? '', 'e2e-key']));
    const doc = DynamoDBDocumentClient.from(dynamodb);

    // Act
    await doc.send(
      new PutCommand({ TableName: inventory, Item: { ...key, note: 'written through the endpoint' } }),
    );
    const read = await doc.send(new GetCommand({ TableName: inventory, Key: key }));

    // Assert
    expect(TableNames.length).toBeGreaterThanOrEqual(3);
    expect(read.Item).toStrictEqual({ ...key, note: 'written through the endpoint' });
  });
});

describe('EventBridge and SQS', () => {
  it('has the orders archive and the app queues, and answers QueueDoesNotExist for an unknown queue', async () => {
    // Act
    const { Archives = [] } = await events.send(new ListArchivesCommand({}));
    const archive = await events.send(new DescribeArchiveCommand({ ArchiveName: 'orders-archive' }));
    const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({}));
    const missing: unknown = await sqs
      .send(new GetQueueUrlCommand({ QueueName: 'nope' }))
      .catch((e: unknown) => e);

    // Assert
    expect(Archives.map((a) => a.ArchiveName)).toContain('orders-archive');
    expect(archive.EventSourceArn).toBe('arn:aws:events:us-east-1:000000000000:event-bus/orders');
    expect(QueueUrls.every((url) => url.startsWith(`${cloud.endpoint}/000000000000/`))).toBe(true);
    expect(missing).toBeInstanceOf(QueueDoesNotExist);
  });
});

describe('bad input', () => {
  const post = (
    target: string,
    body: string,
    contentType = 'application/x-amz-json-1.0',
  ): Promise<Response> =>
    fetch(cloud.endpoint, {
      method: 'POST',
      headers: { 'content-type': contentType, 'x-amz-target': target },
      body,
    });

  it('fails malformed JSON, unknown actions, missing parameters, wrong ARNs and oversized payloads, and keeps serving', async () => {
    // Act
    const malformed = await post('AWSStepFunctions.StartExecution', '{"stateMachineArn":');
    const unknown = await post('AWSStepFunctions.DoSomethingElse', '{}');
    const missing = await post('AWSStepFunctions.StartExecution', '{}');
    const wrongArn = await post(
      'AWSStepFunctions.DescribeExecution',
      '{"executionArn":"arn:aws:sqs:us-east-1:0:q"}',
    );
    const oversized = await post(
      'AWSStepFunctions.StartExecution',
      `{"input":"${'x'.repeat(4 * 1024 * 1024)}"}`,
    );
    const oversizedInput: unknown = await sfn
      .send(
        new StartExecutionCommand({
          stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:ComplexWorkflow',
          input: JSON.stringify({ pad: 'x'.repeat(300_000) }),
        }),
      )
      .catch((e: unknown) => e);
    const nothing = await fetch(`${cloud.endpoint}/definitely/not/aws`, { method: 'POST', body: 'hello' });
    const after = await sfn.send(new ListStateMachinesCommand({}));

    // Assert
    const body = async (r: Response): Promise<{ __type: string; message: string }> =>
      (await r.json()) as { __type: string; message: string };
    expect([malformed.status, (await body(malformed)).__type]).toStrictEqual([
      400,
      'com.amazonaws.swf.service.v2.model#SerializationException',
    ]);
    expect([unknown.status, (await body(unknown)).__type]).toStrictEqual([
      400,
      'com.amazonaws.swf.service.v2.model#UnknownOperationException',
    ]);
    expect(await body(missing)).toStrictEqual({
      __type: 'com.amazonaws.swf.service.v2.model#ValidationException',
      message:
        "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null",
    });
    expect([wrongArn.status, (await body(wrongArn)).__type]).toStrictEqual([
      400,
      'com.amazonaws.swf.service.v2.model#InvalidArn',
    ]);
    expect(oversized.status).toBe(413);
    expect(oversizedInput).toBeInstanceOf(ValidationException);
    expect(nothing.status).toBe(404);
    expect(after.stateMachines?.map((m) => m.name)).toContain('ComplexWorkflow');
  });
});
