// The inventory table's item keys and seed file, without schemas (no zod for code that only needs these).

/**
 * Item layout of the inventory table (partition key `pk`, see `TableKeys.Inventory`), for every writer of it
 * (reserve-inventory, its seed target, the local cloud's demo data):
 * - stock `SKU#<sku>`: `{ pk, sku, available }` (+ `holds`, a string set of the order ids holding units);
 * - reservation `RESERVATION#<orderId>`: `{ pk, orderId, status, items, reservedAt, releasedAt?, releaseReason? }`.
 */
export const InventoryKeys = {
  stock: (sku: string): string => `SKU#${sku}`,
  reservation: (orderId: string): string => `RESERVATION#${orderId}`,
} as const;

/** Repository-relative path of the stock the seed target writes (`{ "<sku>": <units available> }`). */
export const INVENTORY_SEED_FILE = 'apps/reserve-inventory/seed/stock.json';
