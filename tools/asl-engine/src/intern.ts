/** Distinct keys kept at most; past that the table starts over (keys stay correct, only sharing is lost). */
const MAX_KEYS = 100_000;
const table = new Map<string, string>();

/**
 * The shared copy of a replay or checkpoint key (`0|r|3#1`, `c|r@3`). Every execution of a state machine records
 * the same keys: sharing one string per key instead of building one per event keeps a finished execution's history
 * small in memory (each execution keeps its history while the engine runs).
 */
export function intern(key: string): string {
  const found = table.get(key);
  if (found !== undefined) return found;
  if (table.size >= MAX_KEYS) table.clear();
  table.set(key, key);
  return key;
}
