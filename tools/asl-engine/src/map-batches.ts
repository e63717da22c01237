/**
 * A Map's ItemBatcher: items (after ItemSelector) grouped into batches of at most `maxItems` items and `maxBytes`
 * of item JSON, each `{ Items }` or `{ BatchInput, Items }`, as the iterations receive them.
 */
import type { JsonValue } from './types';

/** The evaluated ItemBatcher fields. */
export interface BatcherSettings {
  readonly maxItems: number;
  readonly maxBytes: number;
  readonly batchInput?: JsonValue;
}

/** Groups items into the batches the Map's iterations receive. */
export function groupIntoBatches(items: readonly JsonValue[], settings: BatcherSettings): JsonValue[] {
  const { maxItems, maxBytes, batchInput } = settings;
  const batch = (current: JsonValue[]): JsonValue =>
    batchInput === undefined ? { Items: current } : { BatchInput: batchInput, Items: current };
  const units: JsonValue[] = [];
  let current: JsonValue[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = JSON.stringify(item).length;
    if (current.length > 0 && (current.length >= maxItems || bytes + size > maxBytes)) {
      units.push(batch(current));
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) units.push(batch(current));
  return units;
}
