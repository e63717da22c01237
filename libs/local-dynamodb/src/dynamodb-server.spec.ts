import http, { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { startDynamoDbServer } from './dynamodb-server';
import { takeOneUnit } from './test-support/reservation';

const clientFor = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });

const createTable = async (client: DynamoDBClient, key: string): Promise<void> => {
  await client.send(
    new CreateTableCommand({
      TableName: 'approvals',
      KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  for (let i = 0; i < 200; i += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'approvals' }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((done) => setTimeout(done, 5));
  }
};

describe('startDynamoDbServer', () => {
  it('serves item calls on a loopback endpoint with dynalite’s own answers, including its errors', async () => {
    // Arrange
    const server = await startDynamoDbServer();
    const client = clientFor(server.endpoint);
    await createTable(client, 'pk');

    // Act
    await client.send(
      new PutItemCommand({ TableName: 'approvals', Item: { pk: { S: 'a' }, n: { N: '1' } } }),
    );
    const conditional = await client
      .send(
        new PutItemCommand({
          TableName: 'approvals',
          Item: { pk: { S: 'a' } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      .then(
        () => 'written',
        (error: unknown) => (error as Error).name,
      );
    const { Item } = await client.send(
      new GetItemCommand({ TableName: 'approvals', Key: { pk: { S: 'a' } } }),
    );
    client.destroy();
    await server.close();

    // Assert
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(conditional).toBe('ConditionalCheckFailedException');
    expect(Item).toStrictEqual({ pk: { S: 'a' }, n: { N: '1' } });
  });

  it('sees a table deleted and created again by item calls (the table descriptions it caches are dropped)', async () => {
    // Arrange
    const server = await startDynamoDbServer();
    const client = clientFor(server.endpoint);
    await createTable(client, 'pk');
    await client.send(new PutItemCommand({ TableName: 'approvals', Item: { pk: { S: 'before' } } }));

    // Act
    await client.send(new DeleteTableCommand({ TableName: 'approvals' }));
    const afterDelete = await client
      .send(new PutItemCommand({ TableName: 'approvals', Item: { pk: { S: 'gone' } } }))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    await createTable(client, 'id');
    const oldKey = await client
      .send(new PutItemCommand({ TableName: 'approvals', Item: { pk: { S: 'old-schema' } } }))
      .then(
        () => 'written',
        (error: unknown) => (error as Error).name,
      );
    await client.send(new PutItemCommand({ TableName: 'approvals', Item: { id: { S: 'new' } } }));
    const { Item } = await client.send(
      new GetItemCommand({ TableName: 'approvals', Key: { id: { S: 'new' } } }),
    );
    client.destroy();
    await server.close();

    // Assert
    expect(afterDelete).toBeInstanceOf(ResourceNotFoundException);
    expect(oldKey).toBe('ValidationException');
    expect(Item).toStrictEqual({ id: { S: 'new' } });
  });

  it('fails when the port is taken', async () => {
    // Arrange
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;

    // Act
    const attempt = startDynamoDbServer({ port });

    // Assert
    await expect(attempt).rejects.toThrow(expect.objectContaining({ code: 'EADDRINUSE' }));
    await new Promise<void>((resolve) => taken.close(() => resolve()));
  });

  it('answers transactions the same whether it calls dynalite in this process or over HTTP', async () => {
    // Arrange: one server per path, the same table and items in each; the front's own HTTP requests to dynalite are
    // counted (they carry its fixed internal signature date; the SDK client's requests do not)
    const requests = jest.spyOn(http, 'request');
    const internalRequests = (): number =>
      requests.mock.calls.filter(([options]) => {
        const headers = typeof options === 'object' && 'headers' in options ? options.headers : undefined;
        return (headers as Record<string, unknown> | undefined)?.['x-amz-date'] === '20260101T000000Z';
      }).length;
    const run = async (inProcess: boolean) => {
      requests.mockClear();
      const server = await startDynamoDbServer({ inProcess });
      const client = clientFor(server.endpoint);
      await createTable(client, 'pk');
      await client.send(
        new PutItemCommand({ TableName: 'approvals', Item: { pk: { S: 'stock' }, n: { N: '1' } } }),
      );
      // Act: the first order takes the last unit; the second is cancelled for lack of stock
      await client.send(takeOneUnit('order-1', 'ALL_OLD'));
      const cancelled = await client.send(takeOneUnit('order-2', 'ALL_OLD')).then(
        () => undefined,
        (error: unknown) => error,
      );
      const { Item: stock } = await client.send(
        new GetItemCommand({ TableName: 'approvals', Key: { pk: { S: 'stock' } } }),
      );
      const { Item: second } = await client.send(
        new GetItemCommand({ TableName: 'approvals', Key: { pk: { S: 'order-2' } } }),
      );
      client.destroy();
      await server.close();
      return {
        outcome: {
          cancelled: cancelled instanceof TransactionCanceledException,
          reasons:
            cancelled instanceof TransactionCanceledException ? cancelled.CancellationReasons : undefined,
          stock,
          second,
        },
        internalRequests: internalRequests(),
      };
    };

    // Act
    const { outcome: inProcess, internalRequests: inProcessRequests } = await run(true);
    const { outcome: overHttp, internalRequests: overHttpRequests } = await run(false);
    requests.mockRestore();

    // Assert
    expect(inProcess).toStrictEqual({
      cancelled: true,
      reasons: [
        { Code: 'None' },
        {
          Code: 'ConditionalCheckFailed',
          Message: 'The conditional request failed',
          Item: { pk: { S: 'stock' }, n: { N: '0' } },
        },
      ],
      stock: { pk: { S: 'stock' }, n: { N: '0' } },
      second: undefined,
    });
    expect(overHttp).toStrictEqual(inProcess);
    expect(inProcessRequests).toBe(0);
    expect(overHttpRequests).toBeGreaterThan(0);
  });
});
