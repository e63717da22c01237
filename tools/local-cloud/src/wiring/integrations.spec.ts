import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type JsonValue, parseResource, TaskFailure, type TaskInvocation } from '@flow/asl-engine';
import { LambdaLogStore, LambdaRuntime } from '../lambda';
import { SqsService } from '../sqs';
import { createIntegrations, type PutEventsEntry } from './integrations';
import { failedItemIds, toSqsEvent } from './sqs-poller';
import { probeFunctionSpec } from '../../test/fixtures/lambda/probe-spec';

const repoRoot = resolve(__dirname, '../../../..');

const invocation = (resource: string, parameters: JsonValue, traceHeader?: string): TaskInvocation => {
  const parsed = parseResource(resource);
  if (parsed === undefined) throw new Error(`bad resource ${resource}`);
  return {
    resource,
    service: parsed.service,
    action: parsed.action,
    pattern: parsed.pattern,
    parameters,
    execution: {
      executionArn: 'arn:aws:states:us-east-1:000000000000:execution:Flow:e1',
      name: 'e1',
      stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Flow',
      ...(traceHeader === undefined ? {} : { traceHeader }),
    },
    stateName: 'Step',
    signal: new AbortController().signal,
  };
};

describe('createIntegrations', () => {
  let dataDir: string;
  let logs: LambdaLogStore;
  let lambda: LambdaRuntime;
  let sqs: SqsService;
  const published: PutEventsEntry[][] = [];
  let run: (inv: TaskInvocation) => Promise<JsonValue>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'integrations-'));
    logs = new LambdaLogStore();
    lambda = new LambdaRuntime({ repoRoot, dataDir, endpoint: () => 'http://127.0.0.1:4566', logs });
    lambda.register(probeFunctionSpec('probe', { timeoutSeconds: 10 }));
    sqs = await SqsService.open();
    sqs.createQueue({ QueueName: 'requests' });
    const registry = createIntegrations({
      lambda,
      sqs,
      events: {
        putEvents: ({ Entries }) => {
          published.push(Entries);
          return { FailedEntryCount: 0, Entries: Entries.map((_, i) => ({ EventId: `id-${i}` })) };
        },
      },
    });
    run = (inv) => {
      const integration = registry.resolve(inv);
      if (integration === undefined) throw new Error(`no integration for ${inv.resource}`);
      return integration(inv);
    };
  });

  afterAll(async () => {
    await lambda.close();
    await sqs.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers lambda:invoke as Step Functions does', async () => {
    // Act
    const result = await run(
      invocation('arn:aws:states:::lambda:invoke', { FunctionName: 'probe', Payload: { action: 'count' } }),
    );

    // Assert
    expect(result).toStrictEqual({
      ExecutedVersion: '$LATEST',
      Payload: { invocations: 1 },
      SdkHttpMetadata: {
        AllHttpHeaders: expect.objectContaining({ 'X-Amz-Executed-Version': ['$LATEST'] }),
        HttpHeaders: expect.objectContaining({ 'Content-Type': 'application/json' }),
        HttpStatusCode: 200,
      },
      SdkResponseMetadata: { RequestId: expect.any(String) },
      StatusCode: 200,
    });
  }, 60_000);

  it('fails lambda:invoke with the function’s errorType and Lambda’s error payload as the cause', async () => {
    // Act
    const error = await run(
      invocation('arn:aws:states:::lambda:invoke', { FunctionName: 'probe', Payload: { action: 'throw' } }),
    ).catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(TaskFailure);
    expect((error as TaskFailure).error).toBe('OrderInvalid');
    expect(JSON.parse((error as TaskFailure).cause ?? '')).toStrictEqual({
      errorType: 'OrderInvalid',
      errorMessage: 'amount must be positive',
      trace: expect.arrayContaining(['OrderInvalid: amount must be positive']),
    });
  }, 60_000);

  it('fails lambda:invoke of an unknown function with Lambda.ResourceNotFoundException', async () => {
    // Act
    const error = await run(
      invocation('arn:aws:states:::lambda:invoke', { FunctionName: 'nope', Payload: {} }),
    ).catch((e: unknown) => e);

    // Assert
    expect((error as TaskFailure).error).toBe('Lambda.ResourceNotFoundException');
    expect((error as TaskFailure).cause).toMatch(
      /^Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope \(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: [0-9a-f-]+; Proxy: null\)$/,
    );
  });

  it('passes the effective input to a bare function ARN and returns its result as is', async () => {
    // Act
    const result = await run(
      invocation('arn:aws:lambda:us-east-1:000000000000:function:probe', { action: 'sleep', ms: 1 }),
    );

    // Assert
    expect(result).toStrictEqual({ slept: 1 });
  }, 60_000);

  it('sends an object MessageBody as JSON text with the execution’s trace header', async () => {
    // Act
    const result = (await run(
      invocation(
        'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
        { QueueUrl: sqs.queueUrl('requests'), MessageBody: { token: 't', n: 1 } },
        'Root=1-5759e988-bd862e3fe1be46a994272793',
      ),
    )) as Record<string, JsonValue>;
    const { Messages } = await sqs.receiveMessage({
      QueueUrl: sqs.queueUrl('requests'),
      MessageSystemAttributeNames: ['AWSTraceHeader'],
    });

    // Assert
    expect(Messages?.map((m) => [m.MessageId, m.Body, m.Attributes])).toStrictEqual([
      [
        result['MessageId'],
        '{"token":"t","n":1}',
        { AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793' },
      ],
    ]);
    expect(result['MD5OfMessageBody']).toBe(Messages?.[0]?.MD5OfBody);
  });

  it('fails sqs:sendMessage to a missing queue with the SQS error name', async () => {
    // Act
    const error = await run(
      invocation('arn:aws:states:::sqs:sendMessage', {
        QueueUrl: 'http://127.0.0.1:4566/000000000000/missing',
        MessageBody: 'x',
      }),
    ).catch((e: unknown) => e);

    // Assert
    expect((error as TaskFailure).error).toBe('SQS.QueueDoesNotExistException');
  });

  it('puts events with object details as JSON text', async () => {
    // Act
    const result = (await run(
      invocation('arn:aws:states:::events:putEvents', {
        Entries: [
          { Source: 'com.example.workflow', DetailType: 'OrderApproved', Detail: { orderId: 'o-1' } },
        ],
      }),
    )) as Record<string, JsonValue>;

    // Assert
    expect(published.at(-1)).toStrictEqual([
      { Source: 'com.example.workflow', DetailType: 'OrderApproved', Detail: '{"orderId":"o-1"}' },
    ]);
    expect([result['Entries'], result['FailedEntryCount']]).toStrictEqual([[{ EventId: 'id-0' }], 0]);
  });

  it('leaves states:startExecution to the engine and refuses unknown resources', () => {
    // Arrange
    const registry = createIntegrations({ lambda, sqs });

    // Act / Assert
    expect(registry.resolve(invocation('arn:aws:states:::states:startExecution.sync:2', {}))).toBeUndefined();
    expect(registry.resolve(invocation('arn:aws:states:::aws-sdk:s3:getObject', {}))).toBeUndefined();
  });
});

describe('SQS event source helpers', () => {
  it('builds the SQS event Lambda hands a function', () => {
    // Act
    const event = toSqsEvent(
      [
        {
          MessageId: 'm1',
          ReceiptHandle: 'r1',
          MD5OfBody: 'md5',
          Body: 'hello',
          Attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1700000000000' },
          MessageAttributes: { kind: { DataType: 'String', StringValue: 'a' } },
          MD5OfMessageAttributes: 'md5a',
        },
      ],
      'arn:aws:sqs:us-east-1:000000000000:q',
      'us-east-1',
    );

    // Assert
    expect(event).toStrictEqual({
      Records: [
        {
          messageId: 'm1',
          receiptHandle: 'r1',
          body: 'hello',
          attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1700000000000' },
          messageAttributes: {
            kind: { stringValue: 'a', stringListValues: [], binaryListValues: [], dataType: 'String' },
          },
          md5OfBody: 'md5',
          md5OfMessageAttributes: 'md5a',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
          awsRegion: 'us-east-1',
        },
      ],
    });
  });

  it('reads the reported batch item failures', () => {
    // Act / Assert
    const ids = new Set(['a', 'b']);
    expect(failedItemIds('{"batchItemFailures":[{"itemIdentifier":"b"}]}', ids)).toStrictEqual(
      new Set(['b']),
    );
    expect(failedItemIds('{"batchItemFailures":[]}', ids)).toStrictEqual(new Set());
    expect(failedItemIds('null', ids)).toStrictEqual(new Set());
  });

  it('fails the whole batch when the response names an unknown or empty identifier', () => {
    // Act / Assert
    const ids = new Set(['a']);
    expect(failedItemIds('{"batchItemFailures":[{"itemIdentifier":"zzz"}]}', ids)).toBeUndefined();
    expect(failedItemIds('{"batchItemFailures":[{"itemIdentifier":""}]}', ids)).toBeUndefined();
    expect(failedItemIds('{"batchItemFailures":"nope"}', ids)).toBeUndefined();
  });
});
