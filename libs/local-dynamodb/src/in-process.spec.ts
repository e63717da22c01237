import dynalite from 'dynalite';
import { inProcessCall, withStore } from './in-process';

describe('inProcessCall', () => {
  it('runs dynalite’s operations on its store without a request, with dynalite’s answers and errors', async () => {
    // Arrange
    const { result: server, store } = withStore(() => dynalite({ createTableMs: 0 }));
    const call = store === undefined ? undefined : inProcessCall(store);
    if (call === undefined) throw new Error('dynalite’s store or modules were not found');

    // Act
    const created = await call('CreateTable', {
      TableName: 'things',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const put = await call('PutItem', { TableName: 'things', Item: { pk: { S: 'a' }, n: { N: '1' } } });
    const replaced = await call('PutItem', {
      TableName: 'things',
      Item: { pk: { S: 'a' }, n: { N: '2' } },
      ReturnValues: 'ALL_OLD',
    });
    const conditional = await call('PutItem', {
      TableName: 'things',
      Item: { pk: { S: 'a' } },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    const invalid = await call('GetItem', { TableName: 'things' });
    const got = await call('GetItem', { TableName: 'things', Key: { pk: { S: 'a' } }, ConsistentRead: true });
    await new Promise<void>((resolve) => server.close(() => resolve()));

    // Assert
    expect(created.status).toBe(200);
    expect(put).toStrictEqual({ status: 200, body: {} });
    expect(replaced).toStrictEqual({ status: 200, body: { Attributes: { pk: { S: 'a' }, n: { N: '1' } } } });
    expect(conditional).toStrictEqual({
      status: 400,
      body: {
        __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
        message: 'The conditional request failed',
      },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body['__type']).toBe('com.amazon.coral.validate#ValidationException');
    expect(got).toStrictEqual({ status: 200, body: { Item: { pk: { S: 'a' }, n: { N: '2' } } } });
  });
});
