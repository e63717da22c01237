import { readFile } from 'node:fs/promises';
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { type CliClients } from './clients';

/**
 * Reads PutEvents entries from a file in any of the shapes people keep them in: the `aws events put-events
 * --entries file://...` array, a `{"Entries": [...]}` request, or a single entry object.
 */
export const readEntries = async (file: string): Promise<PutEventsRequestEntry[]> => {
  const text = await readFile(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const list = Array.isArray(parsed)
    ? parsed
    : typeof parsed === 'object' &&
        parsed !== null &&
        Array.isArray((parsed as { Entries?: unknown }).Entries)
      ? (parsed as { Entries: unknown[] }).Entries
      : [parsed];
  return list.map((entry, index) => {
    if (typeof entry !== 'object' || entry === null)
      throw new Error(`${file}: entry ${index} is not an object.`);
    const e = entry as Record<string, unknown>;
    const detail = e['Detail'];
    return {
      ...(e as PutEventsRequestEntry),
      ...(detail !== undefined && typeof detail !== 'string' ? { Detail: JSON.stringify(detail) } : {}),
    };
  });
};

/** `publish <file>`: PutEvents; prints one line per entry (event id or error). Throws if any entry failed. */
export const publish = async (clients: CliClients, file: string): Promise<string> => {
  const entries = await readEntries(file);
  const result = await clients.events.send(new PutEventsCommand({ Entries: entries }));
  const lines = (result.Entries ?? []).map((entry, i) =>
    entry.EventId !== undefined
      ? `published ${entries[i]?.DetailType ?? 'event'} (${entry.EventId})`
      : `FAILED ${entries[i]?.DetailType ?? 'event'}: ${entry.ErrorCode ?? ''} ${entry.ErrorMessage ?? ''}`,
  );
  if ((result.FailedEntryCount ?? 0) > 0) throw new Error(lines.join('\n'));
  return lines.join('\n');
};
