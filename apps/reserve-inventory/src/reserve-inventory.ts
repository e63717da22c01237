import type {
  ReleaseInventoryInput,
  ReleaseInventoryOutput,
  ReserveInventoryInput,
  ReserveInventoryOutput,
} from '@flow/contracts';
import { OutOfStockError, ReservationConflictError, TransientDependencyError } from './errors';
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

/** A reservation left half-way by the earlier version (single-item writes): this version cannot tell what it holds. */
const leftHalfWay = (record: ReservationRecord): ReservationConflictError =>
  new ReservationConflictError(
    `The reservation for order ${record.orderId} was left ${record.status} by an interrupted call of an earlier version; it needs a manual repair (see the reserve-inventory README)`,
  );

/**
 * Reserves the order's units, all or nothing, in one DynamoDB transaction (the `reserved` reservation item and one
 * conditional stock update per SKU). Idempotent per order id: a repeated call (a retry, a duplicate run of the
 * workflow) returns the reservation made first, never taking stock twice.
 *
 * @throws OutOfStockError when a SKU has fewer units available than ordered (nothing is reserved)
 * @throws ReservationConflictError when the order's reservation was released (or was left half-way by an earlier
 * version)
 * @throws TransientDependencyError when the transaction conflicted with another one or was throttled (retry)
 */
export const reserveInventory = async (
  input: ReserveInventoryInput,
  { store, now }: InventoryDependencies,
): Promise<ReserveInventoryOutput> => {
  const { orderId } = input.order;
  const record: ReservationRecord = {
    orderId,
    status: 'reserved',
    items: itemsToReserve(input.order),
    reservedAt: now().toISOString(),
    ...(input.executionId === undefined ? {} : { executionId: input.executionId }),
  };
  const result = await store.reserve(record);
  if (result.outcome === 'reserved') return reservedOutput(record);
  if (result.outcome === 'out-of-stock') throw new OutOfStockError(orderId, result.shortages);

  const existing = await store.getReservation(orderId);
  if (existing === undefined) {
    throw new TransientDependencyError(`The reservation of order ${orderId} changed while reserving; retry`);
  }
  if (existing.status === 'reserved') return reservedOutput(existing);
  if (existing.status === 'released') {
    throw new ReservationConflictError(
      `The reservation for order ${orderId} was released${existing.releasedAt === undefined ? '' : ` at ${existing.releasedAt}`}; it is not made again`,
    );
  }
  throw leftHalfWay(existing);
};

/**
 * Returns the order's reserved units to stock (the compensation on reject, expiry or failure): one read, then one
 * DynamoDB transaction that marks the reservation `released` and returns every SKU's units. Idempotent and safe
 * whatever happened before: `not-reserved` when nothing was reserved, `already-released` when an earlier call
 * released it.
 *
 * @throws ReservationConflictError when the reservation was left half-way by an earlier version
 * @throws TransientDependencyError when the transaction conflicted with another one or was throttled (retry)
 */
export const releaseInventory = async (
  input: ReleaseInventoryInput,
  { store, now }: InventoryDependencies,
): Promise<ReleaseInventoryOutput> => {
  const { orderId } = input;
  const existing = await store.getReservation(orderId);
  if (existing === undefined) return { status: 'not-reserved', orderId, items: [] };
  if (existing.status === 'released') return { status: 'already-released', orderId, items: existing.items };
  if (existing.status !== 'reserved') throw leftHalfWay(existing);

  const result = await store.release(existing, {
    releasedAt: now().toISOString(),
    releaseReason: input.reason,
  });
  if (result.outcome === 'released') return { status: 'released', orderId, items: existing.items };
  // Another call released it between the read and the transaction.
  const current = await store.getReservation(orderId);
  if (current?.status === 'released') return { status: 'already-released', orderId, items: current.items };
  throw new TransientDependencyError(`The reservation of order ${orderId} changed while releasing; retry`);
};
