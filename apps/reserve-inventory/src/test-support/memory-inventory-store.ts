import type { InventoryStore, ReservationRecord } from '../inventory-store';

interface StockItem {
  available: number;
  holds: Set<string>;
}

/**
 * An in-memory {@link InventoryStore} with the same conditional semantics as the DynamoDB one (reservation put only
 * if absent; stock taken only if available and not yet held by the order; returned only if held).
 */
export const createMemoryInventoryStore = (stock: Record<string, number>) => {
  const skus = new Map<string, StockItem>(
    Object.entries(stock).map(([sku, available]) => [sku, { available, holds: new Set<string>() }]),
  );
  const reservations = new Map<string, ReservationRecord>();
  const store: InventoryStore = {
    createReservation: async (record) => {
      if (reservations.has(record.orderId)) return false;
      reservations.set(record.orderId, structuredClone(record));
      return true;
    },
    getReservation: async (orderId) => {
      const record = reservations.get(orderId);
      return record === undefined ? undefined : structuredClone(record);
    },
    transitionReservation: async (orderId, from, to, fields) => {
      const record = reservations.get(orderId);
      if (record === undefined || !from.includes(record.status)) return false;
      reservations.set(orderId, { ...record, status: to, ...fields });
      return true;
    },
    deletePendingReservation: async (orderId) => {
      if (reservations.get(orderId)?.status === 'pending') reservations.delete(orderId);
    },
    holdStock: async (orderId, { sku, quantity }) => {
      const item = skus.get(sku);
      if (item === undefined) return { outcome: 'insufficient' };
      if (item.holds.has(orderId)) return { outcome: 'already-held' };
      if (item.available < quantity) return { outcome: 'insufficient', available: item.available };
      item.available -= quantity;
      item.holds.add(orderId);
      return { outcome: 'held' };
    },
    returnStock: async (orderId, { sku, quantity }) => {
      const item = skus.get(sku);
      if (item === undefined || !item.holds.has(orderId)) return false;
      item.available += quantity;
      item.holds.delete(orderId);
      return true;
    },
  };
  const available = () => Object.fromEntries([...skus].map(([sku, item]) => [sku, item.available]));
  return { store, available, reservations, skus };
};
