import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { type ReservationRecord, createDynamoDbInventoryStore } from './inventory-store';

const ddb = mockClient(DynamoDBDocumentClient);
const store = createDynamoDbInventoryStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'inventory');
const record: ReservationRecord = {
  orderId: 'ord-1',
  status: 'reserved',
  items: [{ sku: 'BOOK-001', quantity: 2 }],
  reservedAt: '2026-11-24T09:30:02.000Z',
};

beforeEach(() => ddb.reset());
afterAll(() => ddb.restore());

describe('DynamoDB inventory store', () => {
  it('reserves with one transaction: put the reservation if absent, take stock only if available', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    const result = await store.reserve(record);

    // Assert
    expect(result).toStrictEqual({ ok: true });
    expect(ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input).toStrictEqual({
      TransactItems: [
        {
          Put: {
            TableName: 'inventory',
            Item: { pk: 'RESERVATION#ord-1', ...record },
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: { '#pk': 'pk' },
          },
        },
        {
          Update: {
            TableName: 'inventory',
            Key: { pk: 'SKU#BOOK-001' },
            UpdateExpression: 'SET #available = #available - :quantity',
            ConditionExpression: 'attribute_exists(#pk) AND #available >= :quantity',
            ExpressionAttributeNames: { '#pk': 'pk', '#available': 'available' },
            ExpressionAttributeValues: { ':quantity': 2 },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
      ],
    });
  });

  it('returns the cancellation reasons when DynamoDB cancels the transaction', async () => {
    // Arrange
    const reasons = [{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: { available: { N: '1' } } }];
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: { httpStatusCode: 400 },
        CancellationReasons: reasons,
      }),
    );

    // Act
    const result = await store.reserve(record);

    // Assert
    expect(result).toStrictEqual({ ok: false, reasons });
  });

  it('fails with the SDK error for anything but a cancellation', async () => {
    // Arrange
    ddb
      .on(TransactWriteCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));

    // Act & Assert
    await expect(store.reserve(record)).rejects.toThrow(
      expect.objectContaining({ name: 'ThrottlingException' }),
    );
  });

  it('reads the reservation consistently and strips the key', async () => {
    // Arrange
    ddb
      .on(GetCommand, { Key: { pk: 'RESERVATION#ord-1' } })
      .resolves({ Item: { pk: 'RESERVATION#ord-1', ...record } });

    // Act
    const found = await store.getReservation('ord-1');

    // Assert
    expect(found).toStrictEqual(record);
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input.ConsistentRead).toBe(true);
  });

  it('releases with one transaction: mark released only if still reserved, add the units back', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    await store.release(record, '2026-11-25T00:00:00.000Z', 'expired');

    // Assert
    expect(ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems).toStrictEqual([
      {
        Update: {
          TableName: 'inventory',
          Key: { pk: 'RESERVATION#ord-1' },
          UpdateExpression: 'SET #status = :released, #releasedAt = :releasedAt, #releaseReason = :reason',
          ConditionExpression: '#status = :reserved',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#releasedAt': 'releasedAt',
            '#releaseReason': 'releaseReason',
          },
          ExpressionAttributeValues: {
            ':released': 'released',
            ':reserved': 'reserved',
            ':releasedAt': '2026-11-25T00:00:00.000Z',
            ':reason': 'expired',
          },
        },
      },
      {
        Update: {
          TableName: 'inventory',
          Key: { pk: 'SKU#BOOK-001' },
          UpdateExpression: 'ADD #available :quantity',
          ExpressionAttributeNames: { '#available': 'available' },
          ExpressionAttributeValues: { ':quantity': 2 },
        },
      },
    ]);
  });
});
