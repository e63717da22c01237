import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
  TransactGetItemsCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { type TableSpec } from '../loader/types';
import { LocalDynamoDb } from './local-dynamodb';

const table: TableSpec = {
  stackName: 'S',
  logicalId: 'T',
  tableName: 'approvals',
  tableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/approvals',
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'status', AttributeType: 'S' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [
    {
      IndexName: 'byStatus',
      KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
};

const clientFor = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });

describe('LocalDynamoDb', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'local-ddb-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the picture’s tables once and keeps items across a restart', async () => {
    // Arrange
    const path = join(dir, 'dynamodb');
    const first = await LocalDynamoDb.start({ path });

    // Act
    const created = await first.ensureTables([table]);
    const client = clientFor(first.endpoint);
    await client.send(
      new PutItemCommand({ TableName: 'approvals', Item: { pk: { S: 'a' }, status: { S: 'PENDING' } } }),
    );
    const description = await client.send(new DescribeTableCommand({ TableName: 'approvals' }));
    client.destroy();
    await first.close();
    const second = await LocalDynamoDb.start({ path });
    const createdAgain = await second.ensureTables([table]);
    const client2 = clientFor(second.endpoint);
    const item = await client2.send(new GetItemCommand({ TableName: 'approvals', Key: { pk: { S: 'a' } } }));
    client2.destroy();
    await second.close();

    // Assert
    expect(created).toStrictEqual(['approvals']);
    expect(createdAgain).toStrictEqual([]);
    expect(description.Table?.TableStatus).toBe('ACTIVE');
    expect(description.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toStrictEqual(['byStatus']);
    expect(item.Item).toStrictEqual({ pk: { S: 'a' }, status: { S: 'PENDING' } });
  }, 30_000);

  it('fails when another live process owns the store', async () => {
    // Arrange
    const path = join(dir, 'dynamodb');
    writeFileSync(`${path}.pid`, String(process.ppid));

    // Act / Assert
    await expect(LocalDynamoDb.start({ path })).rejects.toThrow(
      `The DynamoDB store ${path} is in use by process ${process.ppid} (another local cloud on the same data folder?)`,
    );
  });

  it('serves item calls on its endpoint with dynalite’s own answers, including its errors', async () => {
    // Arrange
    const db = await LocalDynamoDb.start({ path: join(dir, 'dynamodb') });
    await db.ensureTables([table]);
    const client = clientFor(db.endpoint);

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
    await db.close();

    // Assert
    expect(conditional).toBe('ConditionalCheckFailedException');
    expect(Item).toStrictEqual({ pk: { S: 'a' }, n: { N: '1' } });
  });

  it('sees a table deleted and created again by item calls (the table descriptions it caches are dropped)', async () => {
    // Arrange
    const db = await LocalDynamoDb.start({ path: join(dir, 'dynamodb') });
    await db.ensureTables([table]);
    const client = clientFor(db.endpoint);
    await client.send(new PutItemCommand({ TableName: 'approvals', Item: { pk: { S: 'before' } } }));

    // Act
    await client.send(new DeleteTableCommand({ TableName: 'approvals' }));
    const afterDelete = await client
      .send(new PutItemCommand({ TableName: 'approvals', Item: { pk: { S: 'gone' } } }))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    await client.send(
      new CreateTableCommand({
        TableName: 'approvals',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (let i = 0; i < 200; i += 1) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'approvals' }));
      if (Table?.TableStatus === 'ACTIVE') break;
      await new Promise((done) => setTimeout(done, 5));
    }
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
    await db.close();

    // Assert
    expect(afterDelete).toBeInstanceOf(ResourceNotFoundException);
    expect(oldKey).toBe('ValidationException');
    expect(Item).toStrictEqual({ id: { S: 'new' } });
  });

  describe('operations dynalite lacks', () => {
    let db: LocalDynamoDb;
    let client: DynamoDBClient;

    beforeEach(async () => {
      db = await LocalDynamoDb.start({ path: join(dir, 'tx') });
      await db.ensureTables([table]);
      client = clientFor(db.endpoint);
      await client.send(
        new PutItemCommand({ TableName: 'approvals', Item: { pk: { S: 'stock' }, n: { N: '1' } } }),
      );
    });

    afterEach(async () => {
      client.destroy();
      await db.close();
    });

    const reserve = (orderId: string) =>
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: {
              TableName: 'approvals',
              Item: { pk: { S: orderId } },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: 'approvals',
              Key: { pk: { S: 'stock' } },
              UpdateExpression: 'SET n = n - :one',
              ConditionExpression: 'n >= :one',
              ExpressionAttributeValues: { ':one': { N: '1' } },
            },
          },
        ],
      });

    it('applies a write transaction whose conditions hold', async () => {
      // Act
      await client.send(reserve('order-1'));
      const read = await client.send(
        new TransactGetItemsCommand({
          TransactItems: [
            { Get: { TableName: 'approvals', Key: { pk: { S: 'order-1' } } } },
            { Get: { TableName: 'approvals', Key: { pk: { S: 'stock' } } } },
            { Get: { TableName: 'approvals', Key: { pk: { S: 'missing' } } } },
          ],
        }),
      );

      // Assert
      expect(read.Responses).toStrictEqual([
        { Item: { pk: { S: 'order-1' } } },
        { Item: { pk: { S: 'stock' }, n: { N: '0' } } },
        {},
      ]);
    });

    it('fails when a condition does not hold, rolling back the items already written', async () => {
      // Arrange
      await client.send(reserve('order-1'));

      // Act
      const error = await client.send(reserve('order-2')).then(
        () => undefined,
        (e: unknown) => e,
      );
      const order2 = await client.send(
        new GetItemCommand({ TableName: 'approvals', Key: { pk: { S: 'order-2' } } }),
      );

      // Assert
      expect(error).toBeInstanceOf(TransactionCanceledException);
      expect((error as TransactionCanceledException).CancellationReasons).toStrictEqual([
        { Code: 'None' },
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      ]);
      expect((error as Error).message).toBe(
        'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]',
      );
      expect(order2.Item).toBeUndefined();
    });

    it('fails when a transaction touches one item twice', async () => {
      // Act / Assert
      await expect(
        client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              { Put: { TableName: 'approvals', Item: { pk: { S: 'x' } } } },
              { Delete: { TableName: 'approvals', Key: { pk: { S: 'x' } } } },
            ],
          }),
        ),
      ).rejects.toThrow('Transaction request cannot include multiple operations on one item');
    });

    it('records a TTL setting', async () => {
      // Act
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: 'approvals',
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        }),
      );
      const described = await client.send(new DescribeTimeToLiveCommand({ TableName: 'approvals' }));

      // Assert
      expect(described.TimeToLiveDescription).toStrictEqual({
        TimeToLiveStatus: 'ENABLED',
        AttributeName: 'expiresAt',
      });
    });
  });
});
