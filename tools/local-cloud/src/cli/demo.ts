import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** One PutEvents entry as kept in `samples/events/*.json`. */
export interface SampleEntry {
  Source: string;
  DetailType: string;
  Detail: string;
  EventBusName?: string;
}

/** The demo's orders: sample file and how many copies (each with its own order id). */
const DEMO_ORDERS: readonly (readonly [file: string, copies: number])[] = [
  ['order-auto-approved.json', 2],
  ['order-needs-approval.json', 2],
  ['order-invalid.json', 1],
];

/**
 * The entries `--demo` publishes: a few auto-approved orders, a few that wait for an approver and one invalid
 * order, each with a distinct order id (`<sample id>-demo-<run>-<n>`) so repeated runs do not collide.
 */
export const demoEntries = async (repoRoot: string, run: string): Promise<SampleEntry[]> => {
  const entries: SampleEntry[] = [];
  for (const [file, copies] of DEMO_ORDERS) {
    const samples = JSON.parse(
      await readFile(path.join(repoRoot, 'samples', 'events', file), 'utf8'),
    ) as SampleEntry[];
    for (const sample of samples) {
      for (let n = 1; n <= copies; n += 1) {
        const detail = JSON.parse(sample.Detail) as Record<string, unknown>;
        if (typeof detail['orderId'] === 'string')
          detail['orderId'] = `${detail['orderId']}-demo-${run}-${n}`;
        entries.push({ ...sample, Detail: JSON.stringify(detail) });
      }
    }
  }
  return entries;
};
