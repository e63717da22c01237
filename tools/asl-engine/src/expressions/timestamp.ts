/**
 * RFC 3339 timestamps as Step Functions accepts them (`2016-03-14T01:59:00Z`, `2016-03-14T01:59:00.123+02:00`):
 * an uppercase `T`, seconds, an optional fraction (up to nanoseconds), and `Z` or a numeric offset.
 */

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Parses a timestamp to nanoseconds since the epoch (a bigint, so nanosecond fractions compare exactly), or
 * undefined if it is not a valid RFC 3339 date-time.
 */
export function parseTimestamp(text: string): bigint | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const fraction = m[7] ?? '';
  if (fraction.length > 9) return undefined;
  const zone = m[8] as string;
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = sign * (oh * 60 + om);
  }
  const epochMs = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  return BigInt(epochMs) * 1_000_000n + BigInt(fraction.padEnd(9, '0'));
}

/** Epoch milliseconds of a valid timestamp (fraction below a millisecond dropped), or undefined. */
export function timestampToEpochMs(text: string): number | undefined {
  const ns = parseTimestamp(text);
  return ns === undefined ? undefined : Number(ns / 1_000_000n);
}
