import { DescribeTableCommand, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalDynamoDb } from './local-dynamodb';

describe('startLocalDynamoDb', () => {
  it('serves the requested tables on a loopback endpoint until stopped', async () => {
    // Arrange
    const local = await startLocalDynamoDb([{ name: 'things', partitionKey: 'pk' }]);

    try {
      // Act
      await local.documentClient.send(new PutCommand({ TableName: 'things', Item: { pk: 'a', n: 1 } }));
      const { Item } = await local.documentClient.send(
        new GetCommand({ TableName: 'things', Key: { pk: 'a' } }),
      );
      const { Table } = await local.client.send(new DescribeTableCommand({ TableName: 'things' }));

      // Assert
      expect(local.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(Item).toStrictEqual({ pk: 'a', n: 1 });
      expect(Table?.KeySchema).toStrictEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
    } finally {
      await local.stop();
    }
  });

  it('answers write transactions all or nothing, with the cancellation reasons DynamoDB gives', async () => {
    // Arrange
    const local = await startLocalDynamoDb([{ name: 'things', partitionKey: 'pk' }]);
    const put = (pk: string) => ({
      Put: { TableName: 'things', Item: { pk }, ConditionExpression: 'attribute_not_exists(pk)' },
    });

    try {
      // Act
      await local.documentClient.send(new TransactWriteCommand({ TransactItems: [put('a')] }));
      const error = await local.documentClient
        .send(new TransactWriteCommand({ TransactItems: [put('b'), put('a')] }))
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      const { Item } = await local.documentClient.send(
        new GetCommand({ TableName: 'things', Key: { pk: 'b' } }),
      );

      // Assert
      expect(error).toBeInstanceOf(TransactionCanceledException);
      expect((error as TransactionCanceledException).CancellationReasons).toStrictEqual([
        { Code: 'None' },
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      ]);
      expect(Item).toBeUndefined();
    } finally {
      await local.stop();
    }
  });
});
