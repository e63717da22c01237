import type { InventoryStore, ReservationRecord, WriteResult } from '../inventory-store';

/**
 * An in-memory {@link InventoryStore} with the same all-or-nothing and conditional semantics as the DynamoDB
 * transactions (reservation put only if absent; stock taken only if available; release only if reserved).
 */
export const createMemoryInventoryStore = (stock: Record<string, number>) => {
  const available = new Map(Object.entries(stock));
  const reservations = new Map<string, ReservationRecord>();
  const store: InventoryStore = {
    reserve: async (record): Promise<WriteResult> => {
      const reservationFailed = reservations.has(record.orderId);
      const stockReasons = record.items.map((item) => {
        const units = available.get(item.sku);
        if (units !== undefined && units >= item.quantity) return { Code: 'None' };
        return {
          Code: 'ConditionalCheckFailed',
          ...(units === undefined ? {} : { Item: { available: { N: String(units) } } }),
        };
      });
      if (reservationFailed || stockReasons.some((reason) => reason.Code !== 'None')) {
        return {
          ok: false,
          reasons: [{ Code: reservationFailed ? 'ConditionalCheckFailed' : 'None' }, ...stockReasons],
        };
      }
      for (const item of record.items)
        available.set(item.sku, (available.get(item.sku) ?? 0) - item.quantity);
      reservations.set(record.orderId, structuredClone(record));
      return { ok: true };
    },
    getReservation: async (orderId) => {
      const record = reservations.get(orderId);
      return record === undefined ? undefined : structuredClone(record);
    },
    release: async (record, releasedAt, reason): Promise<WriteResult> => {
      const current = reservations.get(record.orderId);
      if (current?.status !== 'reserved') {
        return {
          ok: false,
          reasons: [{ Code: 'ConditionalCheckFailed' }, ...record.items.map(() => ({ Code: 'None' }))],
        };
      }
      reservations.set(record.orderId, { ...current, status: 'released', releasedAt, releaseReason: reason });
      for (const item of record.items)
        available.set(item.sku, (available.get(item.sku) ?? 0) + item.quantity);
      return { ok: true };
    },
  };
  return { store, available, reservations };
};
