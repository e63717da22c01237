import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
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
});
