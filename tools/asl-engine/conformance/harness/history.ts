/**
 * History comparison. Where branches ran concurrently, the recording replaced the ids of the interleaved events
 * with `[0]` (and previousEventId with 0) and stored them in a canonical order: such a block is compared as a
 * multiset. The ids around the block tell how many events it really held; the recording dropped some (e.g.
 * ParallelStateSucceeded), so that many actual events may stay unmatched.
 */
import type { Json } from './cases';
import type { Comparator, Mismatch } from './compare';

function isBlockEvent(e: Json): boolean {
  return typeof e === 'object' && e !== null && !Array.isArray(e) && Array.isArray(e['id']);
}

function withoutIds(e: unknown): unknown {
  if (typeof e !== 'object' || e === null) return e;
  const { id: _id, previousEventId: _prev, ...rest } = e as Record<string, unknown>;
  return rest;
}

/** Compares the recorded events with the actual ones (plain JSON); the first mismatch or undefined. */
export function compareHistory(
  cmp: Comparator,
  expected: readonly Json[],
  actual: readonly unknown[],
): Mismatch | undefined {
  const first = expected.findIndex(isBlockEvent);
  if (first < 0) {
    const types = cmp.compare(
      expected.map((e) => (e as Record<string, Json>)['type'] as Json),
      actual.map((e) => (e as Record<string, unknown>)['type']),
      'history_types',
    );
    return types ?? cmp.compare(expected as Json[], actual, 'events');
  }
  let last = first;
  while (last + 1 < expected.length && isBlockEvent(expected[last + 1] as Json)) last++;
  const prefix = expected.slice(0, first);
  const block = expected.slice(first, last + 1);
  const suffix = expected.slice(last + 1);
  const firstSuffixId = (suffix[0] as Record<string, Json> | undefined)?.['id'];
  const blockSpan = typeof firstSuffixId === 'number' ? firstSuffixId - 1 - first : block.length;
  if (actual.length !== prefix.length + blockSpan + suffix.length) {
    const dropped = blockSpan - block.length;
    return {
      path: 'events.length',
      expected: `${prefix.length + blockSpan + suffix.length} (the recording lists ${block.length} of the ${blockSpan} concurrent events; the ids show AWS emitted ${dropped} more, e.g. ParallelStateSucceeded)`,
      actual: `${actual.length}: ${JSON.stringify(actual.map((e) => (e as Record<string, unknown>)['type']))}`,
    };
  }
  const pre = cmp.compare(prefix as Json[], actual.slice(0, prefix.length), 'events');
  if (pre) return pre;
  const middle = actual.slice(prefix.length, prefix.length + blockSpan).map(withoutIds);
  const used = new Set<number>();
  for (let i = 0; i < block.length; i++) {
    const want = withoutIds(block[i]) as Json;
    const hit = middle.findIndex((m, j) => !used.has(j) && cmp.compare(want, m) === undefined);
    if (hit < 0) {
      const sameType = middle.find(
        (m) => (m as Record<string, unknown>)['type'] === (want as Record<string, Json>)['type'],
      );
      return (
        cmp.compare(want, sameType, `events[concurrent block #${i}]`) ?? {
          path: `events[concurrent block #${i}]`,
          expected: JSON.stringify(want).slice(0, 300),
          actual: '(no matching event)',
        }
      );
    }
    used.add(hit);
  }
  const offset = prefix.length + blockSpan;
  for (let i = 0; i < suffix.length; i++) {
    const m = cmp.compare(suffix[i] as Json, actual[offset + i], `events[${offset + i}]`);
    if (m) return m;
  }
  return undefined;
}
