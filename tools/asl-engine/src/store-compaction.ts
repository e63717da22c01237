import type { StoreRecord } from './store';
import type { JsonObject } from './types';

/**
 * The records an engine needs to rebuild the same state as from `records` (in order), without what it would
 * overwrite or discard while applying them:
 *
 * - a state machine's earlier versions, and deleted state machines;
 * - definitions no state machine or execution uses any more;
 * - the journal of a SUCCEEDED execution (nothing resumes or redrives it); the other executions keep one journal
 *   record per key, its entries merged in order as the engine merges them.
 *
 * Every execution keeps its execution record, all its history events and its status changes, in order: histories
 * are never shortened.
 */
export function compactRecords(records: readonly StoreRecord[]): StoreRecord[] {
  const machines = new Map<string, StoreRecord>();
  const defs = new Map<string, StoreRecord>();
  const finalStatus = new Map<number, string>();
  for (const r of records) {
    if (r.t === 'sm') {
      // Re-inserted at its latest position: a machine's record follows the definition it may refer to.
      machines.delete(r.sm.arn);
      machines.set(r.sm.arn, r);
    } else if (r.t === 'smDel') machines.delete(r.arn);
    else if (r.t === 'def') defs.set(r.d, r);
    else if (r.t === 'st') finalStatus.set(r.x, r.st.status);
  }
  const usedDefs = new Set<string>();
  for (const r of records) if (r.t === 'ex') usedDefs.add(r.d);

  const out: StoreRecord[] = [];
  for (const r of defs.values()) if (usedDefs.has((r as { d: string }).d)) out.push(r);
  out.push(...machines.values());
  /** Index in `out` of each (execution, journal key)'s merged record. */
  const journal = new Map<string, number>();
  for (const r of records) {
    switch (r.t) {
      case 'ex':
      case 'ev':
      case 'st':
        out.push(r);
        break;
      case 'j': {
        if (finalStatus.get(r.x) === 'SUCCEEDED') break;
        const id = `${r.x}\u0000${r.k}`;
        const at = journal.get(id);
        if (at === undefined) {
          journal.set(id, out.length);
          out.push(r);
        } else {
          const prev = out[at] as { t: 'j'; x: number; k: string; v: JsonObject };
          out[at] = { t: 'j', x: r.x, k: r.k, v: { ...prev.v, ...r.v } };
        }
        break;
      }
      default:
        break;
    }
  }
  return out;
}
