import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactGetItemsCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type DynamoDbServer, startDynamoDbServer } from './dynamodb-server';
import { takeOneUnit } from './test-support/reservation';

// The operations dynalite lacks, answered by the front, called through the AWS SDK v3 as the services call them.
describe('DynamoDbFront (through the AWS SDK v3)', () => {
  let server: DynamoDbServer;
  let client: DynamoDBClient;

  beforeEach(async () => {
    server = await startDynamoDbServer();
    client = new DynamoDBClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    await client.send(
      new CreateTableCommand({
        TableName: 'approvals',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await client.send(
      new PutItemCommand({ TableName: 'approvals', Item: { pk: { S: 'stock' }, n: { N: '1' } } }),
    );
  });

  afterEach(async () => {
    client.destroy();
    await server.close();
  });

  const reserve = takeOneUnit;
  const getItem = async (pk: string) =>
    (await client.send(new GetItemCommand({ TableName: 'approvals', Key: { pk: { S: pk } } }))).Item;
  const failure = (send: Promise<unknown>): Promise<unknown> =>
    send.then(
      () => undefined,
      (error: unknown) => error,
    );

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
    const error = await failure(client.send(reserve('order-2')));

    // Assert
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons).toStrictEqual([
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ]);
    expect((error as Error).message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]',
    );
    expect(await getItem('order-2')).toBeUndefined();
  });

  it('fails with a reason for every failed condition, each with the item as it was for ALL_OLD', async () => {
    // Arrange
    await client.send(reserve('order-1'));

    // Act: order-1 exists and the stock is at 0, so both conditions fail.
    const error = await failure(client.send(reserve('order-1', 'ALL_OLD')));

    // Assert
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons).toStrictEqual([
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        Item: { pk: { S: 'order-1' } },
      },
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        Item: { pk: { S: 'stock' }, n: { N: '0' } },
      },
    ]);
  });

  it('fails with no Item in the reason of a condition on an item that does not exist', async () => {
    // Act
    const error = await failure(
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'approvals', Item: { pk: { S: 'order-3' } } } },
            {
              Update: {
                TableName: 'approvals',
                Key: { pk: { S: 'unstocked' } },
                UpdateExpression: 'SET n = n - :one',
                ConditionExpression: 'n >= :one',
                ExpressionAttributeValues: { ':one': { N: '1' } },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
          ],
        }),
      ),
    );

    // Assert
    expect((error as TransactionCanceledException).CancellationReasons).toStrictEqual([
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ]);
    expect(await getItem('order-3')).toBeUndefined();
    expect(await getItem('unstocked')).toBeUndefined();
  });

  it('undoes updates and deletes of a cancelled transaction and leaves a ConditionCheck’s item as it was', async () => {
    // Arrange
    await client.send(
      new PutItemCommand({ TableName: 'approvals', Item: { pk: { S: 'gone' }, v: { S: '1' } } }),
    );

    // Act
    const error = await failure(
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Update: {
                TableName: 'approvals',
                Key: { pk: { S: 'stock' } },
                UpdateExpression: 'ADD n :ten',
                ExpressionAttributeValues: { ':ten': { N: '10' } },
              },
            },
            { Delete: { TableName: 'approvals', Key: { pk: { S: 'gone' } } } },
            {
              ConditionCheck: {
                TableName: 'approvals',
                Key: { pk: { S: 'absent' } },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              ConditionCheck: {
                TableName: 'approvals',
                Key: { pk: { S: 'never' } },
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
          ],
        }),
      ),
    );

    // Assert
    expect((error as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toStrictEqual([
      'None',
      'None',
      'None',
      'ConditionalCheckFailed',
    ]);
    expect(await getItem('stock')).toStrictEqual({ pk: { S: 'stock' }, n: { N: '1' } });
    expect(await getItem('gone')).toStrictEqual({ pk: { S: 'gone' }, v: { S: '1' } });
    expect(await getItem('absent')).toBeUndefined();
    expect(await getItem('never')).toBeUndefined();
  });

  it('fails through the DocumentClient with the same TransactionCanceledException (reasons in DynamoDB JSON)', async () => {
    // Arrange
    const documents = DynamoDBDocumentClient.from(client);
    await client.send(reserve('order-1'));

    // Act
    const error = await failure(
      documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: 'approvals',
                Item: { pk: 'order-1', n: 2 },
                ConditionExpression: 'attribute_not_exists(pk)',
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
          ],
        }),
      ),
    );

    // Assert
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons).toStrictEqual([
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        Item: { pk: { S: 'order-1' } },
      },
    ]);
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

  it('fails when a transaction has more than 100 items', async () => {
    // Arrange
    const TransactItems = Array.from({ length: 101 }, (_, i) => ({
      Put: { TableName: 'approvals', Item: { pk: { S: `item-${i}` } } },
    }));

    // Act
    const error = await failure(client.send(new TransactWriteItemsCommand({ TransactItems })));

    // Assert
    expect(error).toStrictEqual(
      expect.objectContaining({
        name: 'ValidationException',
        message:
          "1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100",
      }),
    );
    expect(await getItem('item-0')).toBeUndefined();
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
