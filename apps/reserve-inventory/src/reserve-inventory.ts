import type {
  ReleaseInventoryInput,
  ReleaseInventoryOutput,
  ReserveInventoryInput,
  ReserveInventoryOutput,
  ReservedItem,
} from '@flow/contracts';
import {
  OutOfStockError,
  ReservationConflictError,
  type StockShortage,
  TransientDependencyError,
} from './errors';
import type { InventoryStore, ReservationRecord } from './inventory-store';
import { itemsToReserve, reservationKey } from './reservation';

/** What the reserve and release logic needs from outside. */
export interface InventoryDependencies {
  store: InventoryStore;
  /** The current time (injected so tests are deterministic). */
  now: () => Date;
}

const reservedOutput = (record: ReservationRecord): ReserveInventoryOutput => ({
  status: 'reserved',
  reservationId: reservationKey(record.orderId),
  orderId: record.orderId,
  items: record.items,
  reservedAt: record.reservedAt,
});

const returnAll = async (
  store: InventoryStore,
  orderId: string,
  items: readonly ReservedItem[],
): Promise<void> => {
  for (const item of items) await store.returnStock(orderId, item);
};

/**
 * Reserves the order's units, all or nothing, with single-item conditional writes (a `pending` reservation item,
 * then one stock update per SKU, then `reserved`). Idempotent per order id: a repeated call (a retry, a duplicate run
 * of the workflow, or a retry after a crash half-way) returns the reservation held, never taking stock twice.
 *
 * @throws OutOfStockError when a SKU has fewer units available than ordered (units taken so far are returned)
 * @throws ReservationConflictError when the order's reservation was released (or is being released)
 */
export const reserveInventory = async (
  input: ReserveInventoryInput,
  { store, now }: InventoryDependencies,
): Promise<ReserveInventoryOutput> => {
  const { orderId } = input.order;
  let record: ReservationRecord = {
    orderId,
    status: 'pending',
    items: itemsToReserve(input.order),
    reservedAt: now().toISOString(),
    ...(input.executionId === undefined ? {} : { executionId: input.executionId }),
  };
  if (!(await store.createReservation(record))) {
    const existing = await store.getReservation(orderId);
    if (existing === undefined) {
      throw new TransientDependencyError(
        `The reservation of order ${orderId} changed while reserving; retry`,
      );
    }
    if (existing.status === 'reserved') return reservedOutput(existing);
    if (existing.status !== 'pending') {
      throw new ReservationConflictError(
        `The reservation for order ${orderId} was released${existing.releasedAt === undefined ? '' : ` at ${existing.releasedAt}`}; it is not made again`,
      );
    }
    record = existing; // an earlier attempt stopped half-way: finish it with the items it recorded
  }

  const held: ReservedItem[] = [];
  const shortages: StockShortage[] = [];
  for (const item of record.items) {
    const result = await store.holdStock(orderId, item);
    if (result.outcome === 'insufficient') {
      shortages.push({
        sku: item.sku,
        requested: item.quantity,
        ...(result.available === undefined ? {} : { available: result.available }),
      });
    } else {
      held.push(item);
    }
  }
  if (shortages.length > 0) {
    await returnAll(store, orderId, held);
    await store.deletePendingReservation(orderId);
    throw new OutOfStockError(orderId, shortages);
  }
  if (!(await store.transitionReservation(orderId, ['pending'], 'reserved'))) {
    // A release started while this call was taking stock: give the units back and let the release win.
    await returnAll(store, orderId, record.items);
    throw new ReservationConflictError(
      `The reservation for order ${orderId} was released while it was being made`,
    );
  }
  return reservedOutput({ ...record, status: 'reserved' });
};

/**
 * Returns the order's reserved units to stock (the compensation on reject, expiry or failure). Idempotent and safe
 * whatever happened before: `not-reserved` when nothing was reserved, `already-released` when an earlier call
 * released it; a release interrupted half-way is finished.
 */
export const releaseInventory = async (
  input: ReleaseInventoryInput,
  { store, now }: InventoryDependencies,
): Promise<ReleaseInventoryOutput> => {
  const { orderId } = input;
  const existing = await store.getReservation(orderId);
  if (existing === undefined) return { status: 'not-reserved', orderId, items: [] };
  if (existing.status === 'released') return { status: 'already-released', orderId, items: existing.items };

  if (
    existing.status !== 'releasing' &&
    !(await store.transitionReservation(orderId, [existing.status], 'releasing'))
  ) {
    const current = await store.getReservation(orderId);
    if (current === undefined) return { status: 'not-reserved', orderId, items: [] };
    if (current.status === 'released') return { status: 'already-released', orderId, items: current.items };
    if (!(await store.transitionReservation(orderId, [current.status], 'releasing'))) {
      throw new TransientDependencyError(
        `The reservation of order ${orderId} keeps changing while releasing; retry`,
      );
    }
  }
  await returnAll(store, orderId, existing.items);
  const released = await store.transitionReservation(orderId, ['releasing'], 'released', {
    releasedAt: now().toISOString(),
    releaseReason: input.reason,
  });
  return { status: released ? 'released' : 'already-released', orderId, items: existing.items };
};
