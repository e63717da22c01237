import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { type LocalDynamoDb, startLocalDynamoDb } from '@flow/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { type ReservationRecord, createDynamoDbInventoryStore } from './inventory-store';

// Runs the store's transactions against the local cloud's DynamoDB (dynalite behind the transactions front of
// @flow/local-dynamodb, in memory, loopback only), so the semantics the reserve/release logic relies on are real.
let local: LocalDynamoDb;
let store: ReturnType<typeof createDynamoDbInventoryStore>;

beforeAll(async () => {
  local = await startLocalDynamoDb([{ name: 'inventory', partitionKey: 'pk' }]);
  store = createDynamoDbInventoryStore(local.documentClient, 'inventory');
});
afterAll(async () => {
  await local.stop();
});

const stockUp = (sku: string, available: number) =>
  local.documentClient.send(
    new PutCommand({ TableName: 'inventory', Item: { pk: `SKU#${sku}`, sku, available } }),
  );
const itemAt = async (pk: string) =>
  (await local.documentClient.send(new GetCommand({ TableName: 'inventory', Key: { pk } }))).Item;
const reservation = (orderId: string, items = [{ sku: 'A', quantity: 2 }]): ReservationRecord => ({
  orderId,
  status: 'reserved',
  items,
  reservedAt: '2026-11-24T09:30:02.000Z',
});
const released = { releasedAt: '2026-11-25T00:00:00.000Z', releaseReason: 'expired' } as const;

describe('DynamoDB inventory store (against the local DynamoDB)', () => {
  it('reserves in one transaction: the reservation item, and the units taken from each SKU', async () => {
    // Arrange
    await stockUp('A', 5);
    await stockUp('B', 1);
    const record = reservation('ord-1', [
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 1 },
    ]);

    // Act
    const result = await store.reserve(record);

    // Assert
    expect(result).toStrictEqual({ outcome: 'reserved' });
    expect(await store.getReservation('ord-1')).toStrictEqual(record);
    expect(await itemAt('SKU#A')).toStrictEqual({ pk: 'SKU#A', sku: 'A', available: 3 });
    expect(await itemAt('SKU#B')).toStrictEqual({ pk: 'SKU#B', sku: 'B', available: 0 });
  });

  it('keeps every item the same size however many orders reserve and release (no per-order set)', async () => {
    // Arrange
    await stockUp('C', 100);

    // Act
    for (let i = 0; i < 20; i += 1) {
      const record = reservation(`ord-many-${i}`, [{ sku: 'C', quantity: 1 }]);
      await store.reserve(record);
      if (i % 2 === 0) await store.release(record, released);
    }
    const { Items } = await local.documentClient.send(new ScanCommand({ TableName: 'inventory' }));

    // Assert
    expect(await itemAt('SKU#C')).toStrictEqual({ pk: 'SKU#C', sku: 'C', available: 90 });
    expect(Items?.filter((item) => String(item['pk']).startsWith('RESERVATION#ord-many-'))).toHaveLength(20);
  });

  it('reports an existing reservation and takes nothing', async () => {
    // Arrange
    await stockUp('D', 5);
    await store.reserve(reservation('ord-2', [{ sku: 'D', quantity: 2 }]));

    // Act
    const result = await store.reserve({
      ...reservation('ord-2', [{ sku: 'D', quantity: 2 }]),
      reservedAt: 'later',
    });

    // Assert
    expect(result).toStrictEqual({ outcome: 'exists' });
    expect(await itemAt('SKU#D')).toStrictEqual({ pk: 'SKU#D', sku: 'D', available: 3 });
    expect((await store.getReservation('ord-2'))?.reservedAt).toBe('2026-11-24T09:30:02.000Z');
  });

  it('reports every short SKU with what it has (none when not stocked), and writes nothing', async () => {
    // Arrange
    await stockUp('E', 10);
    await stockUp('F', 1);
    const record = reservation('ord-3', [
      { sku: 'E', quantity: 2 },
      { sku: 'F', quantity: 3 },
      { sku: 'UNSTOCKED', quantity: 1 },
    ]);

    // Act
    const result = await store.reserve(record);

    // Assert
    expect(result).toStrictEqual({
      outcome: 'out-of-stock',
      shortages: [
        { sku: 'F', requested: 3, available: 1 },
        { sku: 'UNSTOCKED', requested: 1 },
      ],
    });
    expect(await store.getReservation('ord-3')).toBeUndefined();
    expect(await itemAt('SKU#E')).toStrictEqual({ pk: 'SKU#E', sku: 'E', available: 10 });
    expect(await itemAt('SKU#UNSTOCKED')).toBeUndefined();
  });

  it('releases once: the reservation marked released and the units returned, a second release changes nothing', async () => {
    // Arrange
    await stockUp('G', 5);
    const record = reservation('ord-4', [{ sku: 'G', quantity: 5 }]);
    await store.reserve(record);

    // Act
    const results = [await store.release(record, released), await store.release(record, released)];

    // Assert
    expect(results).toStrictEqual([{ outcome: 'released' }, { outcome: 'not-reserved' }]);
    expect(await store.getReservation('ord-4')).toStrictEqual({ ...record, status: 'released', ...released });
    expect(await itemAt('SKU#G')).toStrictEqual({ pk: 'SKU#G', sku: 'G', available: 5 });
  });

  it('returns the units even to a SKU item deleted meanwhile', async () => {
    // Arrange
    await stockUp('H', 5);
    const record = reservation('ord-5', [{ sku: 'H', quantity: 2 }]);
    await store.reserve(record);
    await local.documentClient.send(new DeleteCommand({ TableName: 'inventory', Key: { pk: 'SKU#H' } }));

    // Act
    const result = await store.release(record, released);

    // Assert
    expect(result).toStrictEqual({ outcome: 'released' });
    expect(await itemAt('SKU#H')).toStrictEqual({ pk: 'SKU#H', sku: 'H', available: 2 });
  });

  it('releases a reservation of the earlier version and leaves its SKU’s old holds set alone', async () => {
    // Arrange: what the single-item-write version left (the order id in the SKU's `holds` set).
    await local.documentClient.send(
      new PutCommand({
        TableName: 'inventory',
        Item: { pk: 'SKU#I', sku: 'I', available: 3, holds: new Set(['ord-6']) },
      }),
    );
    const record = reservation('ord-6', [{ sku: 'I', quantity: 2 }]);
    await local.documentClient.send(
      new PutCommand({ TableName: 'inventory', Item: { pk: 'RESERVATION#ord-6', ...record } }),
    );

    // Act
    const result = await store.release(record, released);

    // Assert
    expect(result).toStrictEqual({ outcome: 'released' });
    expect(await itemAt('SKU#I')).toStrictEqual({
      pk: 'SKU#I',
      sku: 'I',
      available: 5,
      holds: new Set(['ord-6']),
    });
  });

  it('fails when an order has more SKUs than one transaction can hold', async () => {
    // Arrange
    const items = Array.from({ length: 100 }, (_, i) => ({ sku: `S${i}`, quantity: 1 }));

    // Act
    const attempt = store.reserve(reservation('ord-7', items));

    // Assert
    await expect(attempt).rejects.toThrow('Order ord-7 has 100 SKUs; one reservation holds at most 99');
  });
});

describe('DynamoDB inventory store (cancellation reasons DynamoDB gives and the local one does not)', () => {
  // Its own client, mocked alone: the local DynamoDB's client above stays real.
  const documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  );
  const ddb = mockClient(documents);
  const mocked = createDynamoDbInventoryStore(documents, 'inventory');
  const cancelled = (...codes: string[]) =>
    new TransactionCanceledException({
      message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
      $metadata: { httpStatusCode: 400 },
      CancellationReasons: codes.map((Code) => ({ Code })),
    });

  afterEach(() => ddb.reset());
  afterAll(() => ddb.restore());

  it('fails with the retryable TransientDependencyError when the transaction conflicts', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).rejects(cancelled('None', 'TransactionConflict'));

    // Act
    const attempt = mocked.reserve(reservation('ord-8'));

    // Assert
    await expect(attempt).rejects.toThrow(
      expect.objectContaining({
        name: 'TransientDependencyError',
        message: 'The reservation of order ord-8 was cancelled (TransactionConflict); retry',
      }),
    );
  });

  it('fails with the retryable TransientDependencyError when a release is throttled', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).rejects(cancelled('ThrottlingError', 'None'));

    // Act
    const attempt = mocked.release(reservation('ord-9'), released);

    // Assert
    await expect(attempt).rejects.toThrow(
      expect.objectContaining({
        name: 'TransientDependencyError',
        message: 'The release of order ord-9 was cancelled (ThrottlingError); retry',
      }),
    );
  });

  it('fails with DynamoDB’s own error when a transaction is cancelled for another reason', async () => {
    // Arrange
    const error = cancelled('None', 'ValidationError');
    ddb.on(TransactWriteCommand).rejects(error);

    // Act
    const attempt = mocked.reserve(reservation('ord-10'));

    // Assert
    await expect(attempt).rejects.toBe(error);
  });
});
