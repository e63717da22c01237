/**
 * History comparison. Where branches ran concurrently, the recording (localstack's parallel-events normaliser)
 * replaced the ids of the interleaved events with `[0]` (previousEventId with 0) and sorted them: such a block is
 * compared as a multiset. That normaliser also drops the ParallelStateSucceeded / ParallelStateFailed event that
 * closes the block (it re-sorts the sublist once more at ParallelStateExited, overwriting that event), which is why
 * the ids around a block show one more event than it lists: the span between the surrounding ids is what AWS
 * emitted, so the actual history must hold exactly that many events there, every listed one among them.
 */
import type { Json } from './cases';
import type { Comparator, Mismatch } from './compare';

type Event = Record<string, Json>;

function isBlockEvent(e: Json | undefined): boolean {
  return typeof e === 'object' && e !== null && !Array.isArray(e) && Array.isArray(e['id']);
}

function withoutIds(e: unknown): unknown {
  if (typeof e !== 'object' || e === null) return e;
  const { id: _id, previousEventId: _prev, ...rest } = e as Record<string, unknown>;
  return rest;
}

function typesOf(events: readonly unknown[]): string {
  return JSON.stringify(events.map((e) => (e as Record<string, unknown>)['type']));
}

/** Compares the recorded events with the actual ones (plain JSON); the first mismatch or undefined. */
export function compareHistory(
  cmp: Comparator,
  expected: readonly Json[],
  actual: readonly unknown[],
): Mismatch | undefined {
  if (!expected.some(isBlockEvent)) {
    const types = cmp.compare(
      expected.map((e) => (e as Event)['type'] as Json),
      actual.map((e) => (e as Record<string, unknown>)['type']),
      'history_types',
    );
    return types ?? cmp.compare(expected as Json[], actual, 'events');
  }
  let ai = 0;
  for (let ei = 0; ei < expected.length;) {
    if (!isBlockEvent(expected[ei])) {
      const m = cmp.compare(expected[ei] as Json, actual[ai], `events[${ai}]`);
      if (m) return m;
      ei++;
      ai++;
      continue;
    }
    let end = ei;
    while (end + 1 < expected.length && isBlockEvent(expected[end + 1])) end++;
    const block = expected.slice(ei, end + 1);
    const prevId = (expected[ei - 1] as Event | undefined)?.['id'];
    const nextId = (expected[end + 1] as Event | undefined)?.['id'];
    const span =
      typeof prevId === 'number' && typeof nextId === 'number' ? nextId - prevId - 1 : block.length;
    const middle = actual.slice(ai, ai + span);
    if (
      middle.length !== span ||
      (nextId !== undefined && actual.length - (ai + span) < expected.length - (end + 1))
    ) {
      return {
        path: `events[${ai}..${ai + span - 1}]`,
        expected: `${span} concurrent events (${block.length} listed + ${span - block.length} the recording dropped, e.g. ParallelStateSucceeded/ParallelStateFailed)`,
        actual: typesOf(actual),
      };
    }
    const used = new Set<number>();
    for (let i = 0; i < block.length; i++) {
      const want = withoutIds(block[i]) as Json;
      const hit = middle.findIndex((m, j) => !used.has(j) && cmp.compare(want, withoutIds(m)) === undefined);
      if (hit < 0) {
        const sameType = middle.find(
          (m) => (m as Record<string, unknown>)['type'] === (want as Event)['type'],
        );
        return (
          cmp.compare(want, withoutIds(sameType), `events[concurrent #${i}]`) ?? {
            path: `events[concurrent #${i}]`,
            expected: JSON.stringify(want).slice(0, 300),
            actual: `(no matching event among ${typesOf(middle)})`,
          }
        );
      }
      used.add(hit);
    }
    ai += span;
    ei = end + 1;
  }
  if (ai !== actual.length) {
    return { path: 'events.length', expected: String(ai), actual: `${actual.length}: ${typesOf(actual)}` };
  }
  return undefined;
}
