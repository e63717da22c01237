import type {
  ReleaseInventoryInput,
  ReleaseInventoryOutput,
  ReserveInventoryInput,
  ReserveInventoryOutput,
} from '@flow/contracts';
import { OutOfStockError, ReservationConflictError, TransientDependencyError } from './errors';
import type { InventoryStore, ReservationRecord } from './inventory-store';
import { interpretReserveCancellation, itemsToReserve, reservationKey } from './reservation';

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

/**
 * Reserves the order's units, all or nothing. Idempotent per order id: a repeated call (a retry, or a duplicate
 * run of the workflow) returns the reservation already held instead of taking the stock twice.
 *
 * @throws OutOfStockError when a SKU has fewer units available than ordered (nothing is reserved)
 * @throws ReservationConflictError when the order's reservation was already released
 * @throws TransientDependencyError when DynamoDB cancelled the transaction for a retryable reason
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
  if (result.ok) return reservedOutput(record);

  const cancellation = interpretReserveCancellation(result.reasons, record.items);
  switch (cancellation.kind) {
    case 'reservation-exists': {
      const existing = await store.getReservation(orderId);
      if (existing === undefined) {
        throw new TransientDependencyError(
          `Reservation for order ${orderId} reported as existing but not found`,
        );
      }
      if (existing.status === 'released') {
        throw new ReservationConflictError(
          `The reservation for order ${orderId} was released at ${existing.releasedAt ?? 'an unknown time'}; it is not made again`,
        );
      }
      return reservedOutput(existing);
    }
    case 'out-of-stock':
      throw new OutOfStockError(orderId, cancellation.shortages);
    case 'transient':
      throw new TransientDependencyError(
        `Reserving stock for order ${orderId} was cancelled (${cancellation.codes.join(', ')}); retry`,
      );
    case 'unexpected':
      throw new Error(`Reserving stock for order ${orderId} was cancelled: ${cancellation.codes.join(', ')}`);
  }
};

/**
 * Returns the order's reserved units to stock (the compensation on reject, expiry or failure). Idempotent and safe
 * whatever happened before: `not-reserved` when nothing was reserved, `already-released` when an earlier call
 * (or a concurrent one) released it.
 *
 * @throws TransientDependencyError when DynamoDB cancelled the transaction for a retryable reason
 */
export const releaseInventory = async (
  input: ReleaseInventoryInput,
  { store, now }: InventoryDependencies,
): Promise<ReleaseInventoryOutput> => {
  const { orderId } = input;
  const existing = await store.getReservation(orderId);
  if (existing === undefined) return { status: 'not-reserved', orderId, items: [] };
  if (existing.status === 'released') return { status: 'already-released', orderId, items: existing.items };

  const result = await store.release(existing, now().toISOString(), input.reason);
  if (result.ok) return { status: 'released', orderId, items: existing.items };
  const codes = result.reasons.map((reason) => reason.Code ?? 'None');
  if (codes[0] === 'ConditionalCheckFailed')
    return { status: 'already-released', orderId, items: existing.items };
  throw new TransientDependencyError(
    `Releasing stock for order ${orderId} was cancelled (${codes.join(', ')}); retry`,
  );
};
