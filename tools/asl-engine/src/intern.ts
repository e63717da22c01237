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

const joined = new Map<string, Map<string, string>>();

/**
 * `a + b` as one shared string per pair, made without building the string again (`TaskStateEntered` from the
 * state type and `StateEntered`): every history event keeps its type, and a string built per event was a string
 * per event kept in memory. For names from a small fixed set only (state types, event kinds).
 */
export function joinName(a: string, b: string): string {
  let byB = joined.get(a);
  if (byB === undefined) {
    byB = new Map();
    joined.set(a, byB);
  }
  let name = byB.get(b);
  if (name === undefined) {
    name = a + b;
    byB.set(b, name);
  }
  return name;
}

const keysByPrefix = new Map<string, string[]>();

/**
 * The shared replay key `<prefix>#<n>` of the n-th event of a state: looked up by its parts, so that recording an
 * event builds (and hashes) no new string.
 */
export function replayKey(prefix: string, n: number): string {
  let keys = keysByPrefix.get(prefix);
  if (keys === undefined) {
    if (keysByPrefix.size >= MAX_KEYS) keysByPrefix.clear();
    keys = [];
    keysByPrefix.set(prefix, keys);
  }
  let key = keys[n];
  if (key === undefined) {
    key = intern(`${prefix}#${n}`);
    keys[n] = key;
  }
  return key;
}
