import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
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

  it('answers a write transaction (the front of @flow/local-dynamodb, whose specs cover it)', async () => {
    // Arrange
    const db = await LocalDynamoDb.start({ path: join(dir, 'tx') });
    await db.ensureTables([table]);
    const client = clientFor(db.endpoint);

    // Act
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [{ Put: { TableName: 'approvals', Item: { pk: { S: 'order-1' } } } }],
      }),
    );
    const again = await client
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: 'approvals',
                Item: { pk: { S: 'order-1' } },
                ConditionExpression: 'attribute_not_exists(pk)',
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
          ],
        }),
      )
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    client.destroy();
    await db.close();

    // Assert
    expect(again).toBeInstanceOf(TransactionCanceledException);
    expect((again as TransactionCanceledException).CancellationReasons).toStrictEqual([
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        Item: { pk: { S: 'order-1' } },
      },
    ]);
  });
});
