import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PricedOrder } from '@flow/contracts';
import { type LocalDynamoDb, startLocalDynamoDb } from '@flow/testing';
import { createDynamoDbInventoryStore } from './inventory-store';
import { releaseInventory, reserveInventory } from './reserve-inventory';

// The logic on the real store, against the local cloud's DynamoDB (in memory, with transactions).
const executionId = 'arn:aws:states:us-east-1:000000000000:execution:ComplexWorkflow:run-1';
const order = {
  orderId: 'ord-1',
  lines: [
    { sku: 'BOOK-001', quantity: 2, unitPrice: 19.9, lineTotal: 39.8 },
    { sku: 'PEN-010', quantity: 3, unitPrice: 4.5, lineTotal: 13.5 },
  ],
} as unknown as PricedOrder;
const items = [
  { sku: 'BOOK-001', quantity: 2 },
  { sku: 'PEN-010', quantity: 3 },
];

let local: LocalDynamoDb;
let table = 0;

beforeAll(async () => {
  local = await startLocalDynamoDb(
    Array.from({ length: 16 }, (_, i) => ({ name: `inventory-${i}`, partitionKey: 'pk' })),
  );
});
afterAll(async () => {
  await local.stop();
});

/** A fresh table per test, stocked as given, and a clock that ticks a second per call. */
const setup = async (stock: Record<string, number> = { 'BOOK-001': 10, 'PEN-010': 3 }) => {
  const tableName = `inventory-${table++}`;
  for (const [sku, available] of Object.entries(stock)) {
    await local.documentClient.send(
      new PutCommand({ TableName: tableName, Item: { pk: `SKU#${sku}`, sku, available } }),
    );
  }
  const store = createDynamoDbInventoryStore(local.documentClient, tableName);
  let clock = Date.parse('2026-11-24T09:30:02.000Z');
  const dependencies = { store, now: () => new Date((clock += 1000)) };
  const available = async () => {
    const units: Record<string, unknown> = {};
    for (const sku of Object.keys(stock)) {
      const { Item } = await local.documentClient.send(
        new GetCommand({ TableName: tableName, Key: { pk: `SKU#${sku}` } }),
      );
      units[sku] = Item?.['available'];
    }
    return units;
  };
  const putReservation = (record: Record<string, unknown>) =>
    local.documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: `RESERVATION#${String(record['orderId'])}`, ...record },
      }),
    );
  return { store, dependencies, available, putReservation };
};

describe('reserveInventory', () => {
  it('takes every item from stock and returns the reservation', async () => {
    // Arrange
    const { dependencies, available, store } = await setup();

    // Act
    const result = await reserveInventory({ action: 'reserve', order, executionId }, dependencies);

    // Assert
    expect(result).toStrictEqual({
      status: 'reserved',
      reservationId: 'RESERVATION#ord-1',
      orderId: 'ord-1',
      items,
      reservedAt: '2026-11-24T09:30:03.000Z',
    });
    expect(await available()).toStrictEqual({ 'BOOK-001': 8, 'PEN-010': 0 });
    expect(await store.getReservation('ord-1')).toStrictEqual({
      orderId: 'ord-1',
      status: 'reserved',
      items,
      reservedAt: '2026-11-24T09:30:03.000Z',
      executionId,
    });
  });

  it('takes the units of lines with the same SKU together', async () => {
    // Arrange
    const { dependencies, available } = await setup();
    const twice = {
      ...order,
      lines: [...order.lines, { sku: 'BOOK-001', quantity: 1, unitPrice: 1, lineTotal: 1 }],
    };

    // Act
    const result = await reserveInventory({ action: 'reserve', order: twice }, dependencies);

    // Assert
    expect(result.items).toStrictEqual([
      { sku: 'BOOK-001', quantity: 3 },
      { sku: 'PEN-010', quantity: 3 },
    ]);
    expect(await available()).toStrictEqual({ 'BOOK-001': 7, 'PEN-010': 0 });
  });

  it('returns the reservation already held when called again, without taking stock twice', async () => {
    // Arrange
    const { dependencies, available } = await setup();
    const first = await reserveInventory({ action: 'reserve', order }, dependencies);

    // Act
    const second = await reserveInventory({ action: 'reserve', order }, dependencies);

    // Assert
    expect(second).toStrictEqual(first);
    expect(await available()).toStrictEqual({ 'BOOK-001': 8, 'PEN-010': 0 });
  });

  it('returns the reservation already held even when the stock has run out since', async () => {
    // Arrange
    const { dependencies, available } = await setup();
    const first = await reserveInventory({ action: 'reserve', order }, dependencies);

    // Act: PEN-010 is at 0 now, so the stock condition fails as well as the reservation's.
    const second = await reserveInventory({ action: 'reserve', order, executionId }, dependencies);

    // Assert
    expect(second).toStrictEqual(first);
    expect(await available()).toStrictEqual({ 'BOOK-001': 8, 'PEN-010': 0 });
  });

  it('fails with OutOfStockError naming each short SKU, and takes nothing', async () => {
    // Arrange
    const { dependencies, available, store } = await setup({ 'BOOK-001': 10, 'PEN-010': 1 });
    const orderWithUnknownSku = {
      ...order,
      lines: [...order.lines, { sku: 'GHOST-1', quantity: 1, unitPrice: 1, lineTotal: 1 }],
    };

    // Act
    const attempt = reserveInventory({ action: 'reserve', order: orderWithUnknownSku }, dependencies);

    // Assert
    await expect(attempt).rejects.toThrow(
      expect.objectContaining({
        name: 'OutOfStockError',
        message:
          'Not enough stock for order ord-1: PEN-010 (1 available, 3 requested), GHOST-1 (not stocked)',
        shortages: [
          { sku: 'PEN-010', requested: 3, available: 1 },
          { sku: 'GHOST-1', requested: 1 },
        ],
      }),
    );
    expect(await available()).toStrictEqual({ 'BOOK-001': 10, 'PEN-010': 1 });
    expect(await store.getReservation('ord-1')).toBeUndefined();
  });

  it('fails with ReservationConflictError when the order was already released', async () => {
    // Arrange
    const { dependencies, available } = await setup();
    await reserveInventory({ action: 'reserve', order }, dependencies);
    await releaseInventory({ action: 'release', orderId: 'ord-1', reason: 'rejected' }, dependencies);

    // Act
    const attempt = reserveInventory({ action: 'reserve', order }, dependencies);

    // Assert
    await expect(attempt).rejects.toThrow(
      expect.objectContaining({
        name: 'ReservationConflictError',
        message:
          'The reservation for order ord-1 was released at 2026-11-24T09:30:04.000Z; it is not made again',
      }),
    );
    expect(await available()).toStrictEqual({ 'BOOK-001': 10, 'PEN-010': 3 });
  });

  it('fails with ReservationConflictError for a reservation an earlier version left pending half-way', async () => {
    // Arrange
    const { dependencies, available, putReservation } = await setup();
    await putReservation({
      orderId: 'ord-1',
      status: 'pending',
      items,
      reservedAt: '2026-11-24T09:00:00.000Z',
    });

    // Act
    const attempt = reserveInventory({ action: 'reserve', order }, dependencies);

    // Assert
    await expect(attempt).rejects.toThrow(
      expect.objectContaining({
        name: 'ReservationConflictError',
        message:
          'The reservation for order ord-1 was left pending by an interrupted call of an earlier version; it needs a manual repair (see the reserve-inventory README)',
      }),
    );
    expect(await available()).toStrictEqual({ 'BOOK-001': 10, 'PEN-010': 3 });
  });
});

describe('releaseInventory', () => {
  it('returns the reserved units to stock and marks the reservation released', async () => {
    // Arrange
    const { dependencies, available, store } = await setup();
    await reserveInventory({ action: 'reserve', order }, dependencies);

    // Act
    const result = await releaseInventory(
      { action: 'release', orderId: 'ord-1', reason: 'expired' },
      dependencies,
    );

    // Assert
    expect(result).toStrictEqual({ status: 'released', orderId: 'ord-1', items });
    expect(await available()).toStrictEqual({ 'BOOK-001': 10, 'PEN-010': 3 });
    expect(await store.getReservation('ord-1')).toStrictEqual({
      orderId: 'ord-1',
      status: 'released',
      items,
      reservedAt: '2026-11-24T09:30:03.000Z',
      releasedAt: '2026-11-24T09:30:04.000Z',
      releaseReason: 'expired',
    });
  });

  it('is idempotent: a second release returns already-released and changes no stock', async () => {
    // Arrange
    const { dependencies, available } = await setup();
    await reserveInventory({ action: 'reserve', order }, dependencies);
    await releaseInventory({ action: 'release', orderId: 'ord-1', reason: 'rejected' }, dependencies);

    // Act
    const result = await releaseInventory(
      { action: 'release', orderId: 'ord-1', reason: 'rejected' },
      dependencies,
    );

    // Assert
    expect(result).toStrictEqual({ status: 'already-released', orderId: 'ord-1', items });
    expect(await available()).toStrictEqual({ 'BOOK-001': 10, 'PEN-010': 3 });
  });

  it('returns already-released when another call released it between the read and the transaction', async () => {
    // Arrange
    const { dependencies, available, store } = await setup();
    await reserveInventory({ action: 'reserve', order }, dependencies);
    const read = store.getReservation;
    let reads = 0;
    store.getReservation = async (orderId) => {
      const record = await read(orderId);
      reads += 1;
      // The other call's release lands right after this call's first read.
      if (reads === 1 && record !== undefined) {
        await store.release(record, { releasedAt: '2026-11-24T09:31:00.000Z', releaseReason: 'failed' });
      }
      return record;
    };

    // Act
    const result = await releaseInventory(
      { action: 'release', orderId: 'ord-1', reason: 'rejected' },
      dependencies,
    );

    // Assert
    expect(result).toStrictEqual({ status: 'already-released', orderId: 'ord-1', items });
    expect(await available()).toStrictEqual({ 'BOOK-001': 10, 'PEN-010': 3 });
  });

  it('releases a reservation made by the earlier version (its units recorded in the SKUs’ holds sets)', async () => {
    // Arrange
    const { dependencies, available, putReservation } = await setup({ 'BOOK-001': 8, 'PEN-010': 0 });
    await putReservation({
      orderId: 'ord-1',
      status: 'reserved',
      items,
      reservedAt: '2026-11-24T09:00:00.000Z',
    });

    // Act
    const result = await releaseInventory(
      { action: 'release', orderId: 'ord-1', reason: 'expired' },
      dependencies,
    );

    // Assert
    expect(result).toStrictEqual({ status: 'released', orderId: 'ord-1', items });
    expect(await available()).toStrictEqual({ 'BOOK-001': 10, 'PEN-010': 3 });
  });

  it('fails with ReservationConflictError for a release an earlier version left half-way, and returns nothing', async () => {
    // Arrange
    const { dependencies, available, putReservation } = await setup({ 'BOOK-001': 10, 'PEN-010': 0 });
    await putReservation({
      orderId: 'ord-1',
      status: 'releasing',
      items,
      reservedAt: '2026-11-24T09:00:00.000Z',
    });

    // Act
    const attempt = releaseInventory({ action: 'release', orderId: 'ord-1', reason: 'failed' }, dependencies);

    // Assert
    await expect(attempt).rejects.toThrow(
      expect.objectContaining({
        name: 'ReservationConflictError',
        message:
          'The reservation for order ord-1 was left releasing by an interrupted call of an earlier version; it needs a manual repair (see the reserve-inventory README)',
      }),
    );
    expect(await available()).toStrictEqual({ 'BOOK-001': 10, 'PEN-010': 0 });
  });

  it('returns not-reserved when nothing was reserved for the order', async () => {
    // Arrange
    const { dependencies } = await setup();

    // Act
    const result = await releaseInventory(
      { action: 'release', orderId: 'ord-404', reason: 'failed' },
      dependencies,
    );

    // Assert
    expect(result).toStrictEqual({ status: 'not-reserved', orderId: 'ord-404', items: [] });
  });
});
