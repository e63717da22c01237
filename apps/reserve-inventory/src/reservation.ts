import { InventoryKeys, type PricedOrder, type ReservedItem } from '@flow/contracts';

/**
 * The inventory table's item layout and the pure rules around a reservation. One table, partition key `pk`:
 * - `SKU#<sku>`: `{ sku, available }` — units that can still be reserved (SKU items written by an earlier version
 *   may also carry `holds`, a string set of order ids, which this version neither reads nor writes);
 * - `RESERVATION#<orderId>`: `{ orderId, status, items, reservedAt, releasedAt?, releaseReason?, executionId? }` —
 *   the units the order holds; it changes status in the same transaction as the stock, so they are taken once and
 *   returned once.
 */

/** Partition key of a SKU's stock item. */
export const skuKey = InventoryKeys.stock;

/** Partition key of an order's reservation item; also its `reservationId`. */
export const reservationKey = InventoryKeys.reservation;

/** The units to hold per SKU (lines of the same SKU summed), in first-seen order. */
export const itemsToReserve = (order: PricedOrder): ReservedItem[] => {
  const quantities = new Map<string, number>();
  for (const { sku, quantity } of order.lines) quantities.set(sku, (quantities.get(sku) ?? 0) + quantity);
  return [...quantities].map(([sku, quantity]) => ({ sku, quantity }));
};
