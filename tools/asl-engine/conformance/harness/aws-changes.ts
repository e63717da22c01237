/**
 * Recordings older than an AWS change. The corpus was recorded over two years (2023–2025); where AWS changed what
 * it records in that time, the engine does what AWS does today (the newest recordings) and a recording made before
 * the change is compared with today's behaviour instead of its own, by one narrow, exact rewrite of what it
 * recorded (never a wildcard). Each change names its evidence: which recordings show the old and the new
 * behaviour, and why nothing but the date separates them.
 */
import type { ConformanceCase, Json } from './cases';

/** One change of AWS's recorded behaviour. */
export interface AwsChange {
  readonly name: string;
  /** The first recording in the corpus with the new behaviour (the change happened before this day). */
  readonly newSince: string;
  /** The evidence that it is the date, not the definition, that separates old and new recordings. */
  readonly evidence: string;
  /** The recorded events rewritten to today's behaviour, or undefined when the recording does not show the old one. */
  rewrite(events: readonly Json[]): Json[] | undefined;
}

type Event = Record<string, Json>;

function isEvent(e: Json | undefined): e is Event {
  return typeof e === 'object' && e !== null && !Array.isArray(e);
}

/**
 * A distributed Map's `MapStateExited` event: its `previousEventId` was the map run's `MapRunSucceeded` event in every
 * recording from 2023-09-21 to 2024-08-19 (12 recordings: ItemReader CSV and JSON, tolerated failures, ResultWriter;
 * JSONPath; Pass item processors) and is its `MapRunStarted` event in every recording from 2024-11-13 on (3: an
 * ItemReader JSON map with MaxItemsPath from a variable, a JSONata ItemReader map with an ItemBatcher, a Lambda
 * item processor in a loop, recorded 2024-11-13, 2024-11-14 and 2025-10-28). The two groups share every feature
 * (ItemReader JSON in both, JSONPath in both, Pass processors in both, MaxConcurrency 1 in both); only the date
 * separates them.
 */
export const MAP_EXIT_FOLLOWS_MAP_RUN_STARTED: AwsChange = {
  name: "a distributed Map's MapStateExited follows its MapRunStarted event",
  newSince: '2024-11-13',
  evidence:
    '12 recordings from 2023-09-21 to 2024-08-19 link MapStateExited to MapRunSucceeded, the 3 from 2024-11-13 on (2024-11-13, 2024-11-14, 2025-10-28) to MapRunStarted; the two groups share ItemReader (JSON), JSONPath, Pass item processors and MaxConcurrency 1, so only the date separates them',
  rewrite(events) {
    let changed = false;
    let runStarted: number | undefined;
    const byId = new Map<number, Event>();
    for (const e of events) if (isEvent(e) && typeof e['id'] === 'number') byId.set(e['id'], e);
    const out = events.map((e) => {
      if (!isEvent(e)) return e;
      if (e['type'] === 'MapRunStarted' && typeof e['id'] === 'number') runStarted = e['id'];
      const prev = e['previousEventId'];
      if (
        e['type'] === 'MapStateExited' &&
        typeof prev === 'number' &&
        byId.get(prev)?.['type'] === 'MapRunSucceeded' &&
        runStarted !== undefined
      ) {
        changed = true;
        return { ...e, previousEventId: runStarted };
      }
      return e;
    });
    return changed ? out : undefined;
  },
};

/** Every known change, applied to recordings made before it. */
export const AWS_CHANGES: readonly AwsChange[] = [MAP_EXIT_FOLLOWS_MAP_RUN_STARTED];

/** `DD-MM-YYYY, hh:mm:ss` (the recording's date) as `YYYY-MM-DD`, or undefined. */
export function recordedDay(c: ConformanceCase): string | undefined {
  const m = /^(\d{2})-(\d{2})-(\d{4})/.exec(c.recorded_date ?? '');
  return m ? `${m[3]}-${m[2]}-${m[1]}` : undefined;
}

/** The changes that apply to a case: it was recorded before the change and shows the old behaviour. */
export function changesFor(c: ConformanceCase): AwsChange[] {
  const day = recordedDay(c);
  if (day === undefined || c.expected.events === undefined) return [];
  return AWS_CHANGES.filter((ch) => day < ch.newSince && ch.rewrite(c.expected.events ?? []) !== undefined);
}

/** The case compared with today's AWS behaviour (the case itself when no change applies). */
export function withTodaysAwsBehaviour(c: ConformanceCase): ConformanceCase {
  let events = c.expected.events;
  for (const ch of changesFor(c)) events = ch.rewrite(events ?? []) ?? events;
  return events === c.expected.events
    ? c
    : { ...c, expected: { ...c.expected, ...(events ? { events } : {}) } };
}
