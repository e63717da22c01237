import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { SqsService } from '../sqs';
import { startHttpServer, type RunningHttpServer } from '../server/http-server';
import { jsonProtocolRoute } from '../server/json-route';
import { sqsJsonService, sqsQueryRoute } from './sqs';
import { sqsApi } from './sqs-operations';

/** SQS wire protocols (JSON and query) over the real SqsService, driven by the AWS SDK v3 and the AWS CLIs. */

let server: RunningHttpServer;
let sqs: SqsService;
let client: SQSClient;

const cli = (
  binary: string,
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(
      binary,
      ['--endpoint-url', server.url, '--region', 'us-east-1', '--output', 'json', ...args],
      {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: 'x',
          AWS_SECRET_ACCESS_KEY: 'y',
          AWS_PAGER: '',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        },
      },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
          stdout,
          stderr,
        }),
    );
  });

beforeAll(async () => {
  server = await startHttpServer({ port: 0 });
  sqs = await SqsService.open({ endpoint: server.url });
  const api = sqsApi(sqs);
  server.setRoutes([jsonProtocolRoute([sqsJsonService(api)]), sqsQueryRoute(api)]);
  client = new SQSClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await server.close();
  await sqs.close();
});

describe('SQS JSON protocol with the AWS SDK v3', () => {
  it('sends, receives (MD5s checked by the SDK) and deletes messages with attributes', async () => {
    // Arrange
    const { QueueUrl } = await client.send(
      new CreateQueueCommand({ QueueName: 'sdk-roundtrip', Attributes: { VisibilityTimeout: '30' } }),
    );

    // Act
    const sent = await client.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: '{"hello":"wörld"}',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' } },
      }),
    );
    const batch = await client.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'a', MessageBody: 'first' },
          { Id: 'b', MessageBody: 'second' },
        ],
      }),
    );
    const received = await client.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    const deleted = await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: (received.Messages ?? []).map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
      }),
    );
    const attributes = await client.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );

    // Assert
    expect(QueueUrl).toBe(`${server.url}/000000000000/sdk-roundtrip`);
    expect(sent.MD5OfMessageBody).toMatch(/^[0-9a-f]{32}$/);
    expect(batch.Successful?.map((e) => e.Id).sort()).toStrictEqual(['a', 'b']);
    const bodies = (received.Messages ?? []).map((m) => m.Body).sort();
    expect(bodies).toStrictEqual(['first', 'second', '{"hello":"wörld"}']);
    const greeting = received.Messages?.find((m) => m.Body === '{"hello":"wörld"}');
    expect(greeting?.MessageAttributes).toStrictEqual({
      kind: { DataType: 'String', StringValue: 'greeting' },
    });
    expect(greeting?.Attributes).toStrictEqual({ ApproximateReceiveCount: '1' });
    expect(deleted.Failed ?? []).toStrictEqual([]);
    expect(attributes.Attributes).toStrictEqual({ ApproximateNumberOfMessages: '0' });
  });

  it('fails when the queue does not exist, as QueueDoesNotExist with the query error code', async () => {
    // Act
    const error: unknown = await client
      .send(new SendMessageCommand({ QueueUrl: `${server.url}/000000000000/missing`, MessageBody: 'x' }))
      .catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(QueueDoesNotExist);
    expect((error as QueueDoesNotExist).$metadata.httpStatusCode).toBe(400);
    expect((error as { Code?: string }).Code).toBe('AWS.SimpleQueueService.NonExistentQueue');
  });

  it('fails when the action is unknown, and keeps serving', async () => {
    // Act
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.FlyToTheMoon' },
      body: '{}',
    });
    const after = await client.send(new CreateQueueCommand({ QueueName: 'still-serving' }));

    // Assert
    expect(response.status).toBe(400);
    expect(await response.json()).toStrictEqual({
      __type: 'com.amazonaws.sqs#UnknownOperationException',
      message: 'Unknown operation FlyToTheMoon',
    });
    expect(after.QueueUrl).toBe(`${server.url}/000000000000/still-serving`);
  });
});

describe('SQS query protocol', () => {
  it('answers a form-encoded SendMessage with the XML document and the body MD5', async () => {
    // Arrange
    await client.send(new CreateQueueCommand({ QueueName: 'query-send' }));

    // Act
    const response = await fetch(`${server.url}/000000000000/query-send`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=SendMessage&Version=2012-11-05&MessageBody=hello',
    });
    const xml = await response.text();

    // Assert
    expect(response.status).toBe(200);
    expect(xml).toMatch(
      /^<\?xml version="1.0"\?><SendMessageResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><SendMessageResult><MessageId>[0-9a-f-]{36}<\/MessageId><MD5OfMessageBody>5d41402abc4b2a76b9719d911017c592<\/MD5OfMessageBody><\/SendMessageResult><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/SendMessageResponse>$/,
    );
  });

  it('fails when the queue does not exist, with the XML error document', async () => {
    // Act
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetQueueUrl&Version=2012-11-05&QueueName=nope',
    });

    // Assert
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(
      /<ErrorResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><Error><Type>Sender<\/Type><Code>AWS.SimpleQueueService.NonExistentQueue<\/Code><Message>The specified queue does not exist.<\/Message><Detail\/><\/Error><RequestId>/,
    );
  });
});

const debianCli = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : undefined;

describe('SQS with the AWS CLI', () => {
  it.each([
    ['aws on PATH (JSON protocol)', 'aws'],
    ['Debian awscli (query protocol)', debianCli ?? 'aws'],
  ])(
    'creates, sends, receives and deletes with %s',
    async (_label, binary) => {
      // Arrange
      const queue = `cli-${binary.length}-${Date.now()}`;

      // Act
      const created = await cli(binary, ['sqs', 'create-queue', '--queue-name', queue]);
      const queueUrl = (JSON.parse(created.stdout) as { QueueUrl: string }).QueueUrl;
      const sent = await cli(binary, [
        'sqs',
        'send-message',
        '--queue-url',
        queueUrl,
        '--message-body',
        'from the cli',
        '--message-attributes',
        '{"k":{"DataType":"String","StringValue":"v"}}',
      ]);
      const received = await cli(binary, [
        'sqs',
        'receive-message',
        '--queue-url',
        queueUrl,
        '--attribute-names',
        'All',
        '--message-attribute-names',
        'All',
      ]);
      const message = (
        JSON.parse(received.stdout) as {
          Messages: {
            Body: string;
            ReceiptHandle: string;
            MessageAttributes: unknown;
            Attributes: Record<string, string>;
          }[];
        }
      ).Messages[0];
      const deleted = await cli(binary, [
        'sqs',
        'delete-message',
        '--queue-url',
        queueUrl,
        '--receipt-handle',
        message?.ReceiptHandle ?? '',
      ]);
      const missing = await cli(binary, ['sqs', 'get-queue-url', '--queue-name', 'does-not-exist']);

      // Assert
      expect(created.code).toBe(0);
      expect(queueUrl).toBe(`${server.url}/000000000000/${queue}`);
      expect(sent.code).toBe(0);
      expect(message?.Body).toBe('from the cli');
      expect(message?.MessageAttributes).toStrictEqual({ k: { DataType: 'String', StringValue: 'v' } });
      expect(message?.Attributes['ApproximateReceiveCount']).toBe('1');
      expect(deleted.code).toBe(0);
      expect(missing.code).toBeGreaterThan(0);
      expect(missing.stderr).toContain('AWS.SimpleQueueService.NonExistentQueue');
    },
    120_000,
  );
});
