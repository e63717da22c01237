import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { EventBridgeEvent } from 'aws-lambda';
import { buildEventBridgeEvent } from './events';

/** The sample events under samples/events (put-events entry lists). */
export type SampleEventName = 'order-auto-approved' | 'order-needs-approval' | 'order-invalid';

interface PutEventsEntry {
  Source: string;
  DetailType: string;
  Detail: string;
}

const samplesDir = path.join(__dirname, '..', '..', '..', 'samples', 'events');

/**
 * The first entry of `samples/events/<name>.json` as the EventBridge rule would deliver it, so handler tests run on
 * the same payloads the README puts on the bus. `detail` is parsed but not validated.
 */
export const loadSampleEvent = (name: SampleEventName, id?: string): EventBridgeEvent<string, unknown> => {
  const entries = JSON.parse(readFileSync(path.join(samplesDir, `${name}.json`), 'utf8')) as PutEventsEntry[];
  const [entry] = entries;
  if (entry === undefined) throw new Error(`samples/events/${name}.json has no entry`);
  return buildEventBridgeEvent({
    detailType: entry.DetailType,
    source: entry.Source,
    detail: JSON.parse(entry.Detail) as unknown,
    ...(id === undefined ? {} : { id }),
  });
};

/** Reads a JSON fixture from libs/testing/src/fixtures (`name` without `.json`); a fresh copy on every call. */
export const loadJsonFixture = (name: string): unknown =>
  JSON.parse(readFileSync(path.join(__dirname, 'fixtures', `${name}.json`), 'utf8'));
