import type { PricedOrder } from '@flow/contracts';
import { releaseInventory, reserveInventory } from './reserve-inventory';
import { createMemoryInventoryStore } from './test-support/memory-inventory-store';

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

const setup = (stock: Record<string, number> = { 'BOOK-001': 10, 'PEN-010': 3 }) => {
  const memory = createMemoryInventoryStore(stock);
  let clock = Date.parse('2026-11-24T09:30:02.000Z');
  const dependencies = { store: memory.store, now: () => new Date((clock += 1000)) };
  return { ...memory, dependencies };
};

describe('reserveInventory', () => {
  it('takes every item from stock and returns the reservation', async () => {
    // Arrange
    const { dependencies, available, reservations } = setup();

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
    expect(available()).toStrictEqual({ 'BOOK-001': 8, 'PEN-010': 0 });
    expect(reservations.get('ord-1')).toMatchObject({ status: 'reserved', executionId });
  });

  it('returns the reservation already held when called again, without taking stock twice', async () => {
    // Arrange
    const { dependencies, available } = setup();
    const first = await reserveInventory({ action: 'reserve', order }, dependencies);

    // Act
    const second = await reserveInventory({ action: 'reserve', order }, dependencies);

    // Assert
    expect(second).toStrictEqual(first);
    expect(available()).toStrictEqual({ 'BOOK-001': 8, 'PEN-010': 0 });
  });

  it('finishes a reservation an earlier attempt left pending half-way', async () => {
    // Arrange
    const { dependencies, available, store, reservations } = setup();
    await store.createReservation({
      orderId: 'ord-1',
      status: 'pending',
      items,
      reservedAt: '2026-11-24T09:00:00.000Z',
    });
    await store.holdStock('ord-1', { sku: 'BOOK-001', quantity: 2 });

    // Act
    const result = await reserveInventory({ action: 'reserve', order }, dependencies);

    // Assert
    expect(result.reservedAt).toBe('2026-11-24T09:00:00.000Z');
    expect(available()).toStrictEqual({ 'BOOK-001': 8, 'PEN-010': 0 });
    expect(reservations.get('ord-1')?.status).toBe('reserved');
  });

  it('fails with OutOfStockError naming each short SKU, and returns what it took', async () => {
    // Arrange
    const { dependencies, available, reservations } = setup({ 'BOOK-001': 10, 'PEN-010': 1 });
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
      }),
    );
    expect(available()).toStrictEqual({ 'BOOK-001': 10, 'PEN-010': 1 });
    expect(reservations.size).toBe(0);
  });

  it('fails with ReservationConflictError when the order was already released', async () => {
    // Arrange
    const { dependencies } = setup();
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
  });

  it('fails with ReservationConflictError and gives the units back when a release wins the race', async () => {
    // Arrange
    const { dependencies, available, store } = setup();
    const transition = store.transitionReservation;
    store.transitionReservation = async (orderId, from, to, fields) =>
      to === 'reserved' ? false : transition(orderId, from, to, fields);

    // Act
    const attempt = reserveInventory({ action: 'reserve', order }, dependencies);

    // Assert
    await expect(attempt).rejects.toThrow(expect.objectContaining({ name: 'ReservationConflictError' }));
    expect(available()).toStrictEqual({ 'BOOK-001': 10, 'PEN-010': 3 });
  });
});

describe('releaseInventory', () => {
  it('returns the reserved units to stock and marks the reservation released', async () => {
    // Arrange
    const { dependencies, available, reservations } = setup();
    await reserveInventory({ action: 'reserve', order }, dependencies);

    // Act
    const result = await releaseInventory(
      { action: 'release', orderId: 'ord-1', reason: 'expired' },
      dependencies,
    );

    // Assert
    expect(result).toStrictEqual({ status: 'released', orderId: 'ord-1', items });
    expect(available()).toStrictEqual({ 'BOOK-001': 10, 'PEN-010': 3 });
    expect(reservations.get('ord-1')).toMatchObject({
      status: 'released',
      releaseReason: 'expired',
      releasedAt: '2026-11-24T09:30:04.000Z',
    });
  });

  it('is idempotent: a second release returns already-released and changes no stock', async () => {
    // Arrange
    const { dependencies, available } = setup();
    await reserveInventory({ action: 'reserve', order }, dependencies);
    await releaseInventory({ action: 'release', orderId: 'ord-1', reason: 'rejected' }, dependencies);

    // Act
    const result = await releaseInventory(
      { action: 'release', orderId: 'ord-1', reason: 'rejected' },
      dependencies,
    );

    // Assert
    expect(result).toStrictEqual({ status: 'already-released', orderId: 'ord-1', items });
    expect(available()).toStrictEqual({ 'BOOK-001': 10, 'PEN-010': 3 });
  });

  it('finishes a release an earlier attempt left half-way', async () => {
    // Arrange
    const { dependencies, available, store } = setup();
    await reserveInventory({ action: 'reserve', order }, dependencies);
    await store.transitionReservation('ord-1', ['reserved'], 'releasing');
    await store.returnStock('ord-1', { sku: 'BOOK-001', quantity: 2 });

    // Act
    const result = await releaseInventory(
      { action: 'release', orderId: 'ord-1', reason: 'failed' },
      dependencies,
    );

    // Assert
    expect(result.status).toBe('released');
    expect(available()).toStrictEqual({ 'BOOK-001': 10, 'PEN-010': 3 });
  });

  it('returns not-reserved when nothing was reserved for the order', async () => {
    // Arrange
    const { dependencies } = setup();

    // Act
    const result = await releaseInventory(
      { action: 'release', orderId: 'ord-404', reason: 'failed' },
      dependencies,
    );

    // Assert
    expect(result).toStrictEqual({ status: 'not-reserved', orderId: 'ord-404', items: [] });
  });
});
