import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type ReservationRecord, createDynamoDbInventoryStore } from './inventory-store';
import { type LocalDynamoDb, startLocalDynamoDb } from '@flow/testing';

// Runs the store's condition expressions against dynalite (in memory, loopback only), the DynamoDB engine of the
// local cloud, so the semantics the reserve/release logic relies on are checked for real.
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
const stockOf = async (sku: string) =>
  (await local.documentClient.send(new GetCommand({ TableName: 'inventory', Key: { pk: `SKU#${sku}` } })))
    .Item;
const reservation = (orderId: string): ReservationRecord => ({
  orderId,
  status: 'pending',
  items: [{ sku: 'A', quantity: 2 }],
  reservedAt: '2026-11-24T09:30:02.000Z',
});

describe('DynamoDB inventory store (against dynalite)', () => {
  it('creates a reservation once and reads it back without the key', async () => {
    // Act
    const first = await store.createReservation(reservation('ord-1'));
    const second = await store.createReservation({ ...reservation('ord-1'), reservedAt: 'later' });

    // Assert
    expect([first, second]).toStrictEqual([true, false]);
    expect(await store.getReservation('ord-1')).toStrictEqual(reservation('ord-1'));
    expect(await store.getReservation('ord-unknown')).toBeUndefined();
  });

  it('moves a reservation only from the expected status and records the release fields', async () => {
    // Arrange
    await store.createReservation(reservation('ord-2'));

    // Act
    const wrongFrom = await store.transitionReservation('ord-2', ['reserved'], 'releasing');
    const toReserved = await store.transitionReservation('ord-2', ['pending'], 'reserved');
    const toReleasing = await store.transitionReservation('ord-2', ['pending', 'reserved'], 'releasing');
    const toReleased = await store.transitionReservation('ord-2', ['releasing'], 'released', {
      releasedAt: '2026-11-25T00:00:00.000Z',
      releaseReason: 'expired',
    });

    // Assert
    expect([wrongFrom, toReserved, toReleasing, toReleased]).toStrictEqual([false, true, true, true]);
    expect(await store.getReservation('ord-2')).toMatchObject({
      status: 'released',
      releasedAt: '2026-11-25T00:00:00.000Z',
      releaseReason: 'expired',
    });
  });

  it('deletes a reservation only while it is pending', async () => {
    // Arrange
    await store.createReservation(reservation('ord-3'));
    await store.createReservation(reservation('ord-4'));
    await store.transitionReservation('ord-4', ['pending'], 'reserved');

    // Act
    await store.deletePendingReservation('ord-3');
    await store.deletePendingReservation('ord-4');

    // Assert
    expect(await store.getReservation('ord-3')).toBeUndefined();
    expect((await store.getReservation('ord-4'))?.status).toBe('reserved');
  });

  it('takes stock once per order and reports what is left when it is short', async () => {
    // Arrange
    await stockUp('A', 5);

    // Act
    const results = [
      await store.holdStock('ord-5', { sku: 'A', quantity: 2 }),
      await store.holdStock('ord-5', { sku: 'A', quantity: 2 }),
      await store.holdStock('ord-6', { sku: 'A', quantity: 4 }),
      await store.holdStock('ord-6', { sku: 'UNSTOCKED', quantity: 1 }),
    ];

    // Assert
    expect(results).toStrictEqual([
      { outcome: 'held' },
      { outcome: 'already-held' },
      { outcome: 'insufficient', available: 3 },
      { outcome: 'insufficient' },
    ]);
    expect(await stockOf('A')).toStrictEqual({
      pk: 'SKU#A',
      sku: 'A',
      available: 3,
      holds: new Set(['ord-5']),
    });
  });

  it('returns stock only for an order that holds it, once', async () => {
    // Arrange
    await stockUp('B', 5);
    await store.holdStock('ord-7', { sku: 'B', quantity: 5 });

    // Act
    const results = [
      await store.returnStock('ord-7', { sku: 'B', quantity: 5 }),
      await store.returnStock('ord-7', { sku: 'B', quantity: 5 }),
      await store.returnStock('ord-8', { sku: 'B', quantity: 5 }),
    ];

    // Assert
    expect(results).toStrictEqual([true, false, false]);
    expect((await stockOf('B'))?.['available']).toBe(5);
  });
});
