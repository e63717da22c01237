import type { PricedOrder, ReservedItem } from '@flow/contracts';
import type { StockShortage } from './errors';

/**
 * The inventory table's item layout and the pure rules around a reservation. One table, partition key `pk`:
 * - `SKU#<sku>`: `{ available: number }` — units that can still be reserved;
 * - `RESERVATION#<orderId>`: `{ status: 'reserved' | 'released', items, reservedAt, releasedAt?, releaseReason? }`.
 */

/** Partition key of a SKU's stock item. */
export const skuKey = (sku: string): string => `SKU#${sku}`;

/** Partition key of an order's reservation item; also its `reservationId`. */
export const reservationKey = (orderId: string): string => `RESERVATION#${orderId}`;

/** The units to hold per SKU (lines of the same SKU summed), in first-seen order. */
export const itemsToReserve = (order: PricedOrder): ReservedItem[] => {
  const quantities = new Map<string, number>();
  for (const { sku, quantity } of order.lines) quantities.set(sku, (quantities.get(sku) ?? 0) + quantity);
  return [...quantities].map(([sku, quantity]) => ({ sku, quantity }));
};

/** A transaction cancellation reason as DynamoDB reports it (`Item` only with ReturnValuesOnConditionCheckFailure). */
export interface CancellationReason {
  Code?: string | undefined;
  Message?: string | undefined;
  Item?: Record<string, { N?: string | undefined } | undefined> | undefined;
}

/** DynamoDB cancellation codes that may succeed on retry. */
const TRANSIENT_CANCELLATION_CODES: ReadonlySet<string> = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
  'RequestLimitExceeded',
  'InternalServerError',
]);

/** What a cancelled reserve transaction means. */
export type ReserveCancellation =
  | { kind: 'reservation-exists' }
  | { kind: 'out-of-stock'; shortages: StockShortage[] }
  | { kind: 'transient'; codes: string[] }
  | { kind: 'unexpected'; codes: string[] };

/**
 * Interprets the cancellation reasons of the reserve transaction, whose first item puts the reservation and whose
 * following items (in `items` order) decrement each SKU's stock.
 */
export const interpretReserveCancellation = (
  reasons: readonly CancellationReason[],
  items: readonly ReservedItem[],
): ReserveCancellation => {
  const codes = reasons.map((reason) => reason.Code ?? 'None');
  if (codes[0] === 'ConditionalCheckFailed') return { kind: 'reservation-exists' };
  const shortages: StockShortage[] = [];
  items.forEach((item, index) => {
    const reason = reasons[index + 1];
    if (reason?.Code !== 'ConditionalCheckFailed') return;
    const available = reason.Item?.['available']?.N;
    shortages.push({
      sku: item.sku,
      requested: item.quantity,
      ...(available === undefined ? {} : { available: Number(available) }),
    });
  });
  if (shortages.length > 0) return { kind: 'out-of-stock', shortages };
  if (codes.some((code) => TRANSIENT_CANCELLATION_CODES.has(code))) return { kind: 'transient', codes };
  return { kind: 'unexpected', codes };
};
