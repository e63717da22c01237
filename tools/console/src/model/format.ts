/** Human duration between two ISO / epoch times (`now` when `end` is missing): 850 ms, 12.3 s, 4 min 2 s, 3 h 5 min. */
export const formatDuration = (start: string | number, end?: string | number, now = Date.now()): string => {
  const from = typeof start === 'number' ? start : Date.parse(start);
  const to = end === undefined ? now : typeof end === 'number' ? end : Date.parse(end);
  const ms = Math.max(0, to - from);
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${Math.floor((ms % 60_000) / 1000)} s`;
  return `${Math.floor(ms / 3_600_000)} h ${Math.floor((ms % 3_600_000) / 60_000)} min`;
};

/** A USD amount with enough decimals to show sub-cent workflow costs: $0.000175. */
export const formatUsd = (usd: number): string => `$${usd.toFixed(6).replace(/(\.\d{2}\d*?)0+$/, '$1')}`;

/** Local date-time, short: 2026-11-24 03:12:45. */
export const formatTime = (iso: string | number | undefined): string => {
  if (iso === undefined) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
};

/** Pretty-prints a JSON text (as given if it is not JSON). */
export const prettyJson = (value: string | undefined): string => {
  if (value === undefined) return '';
  try {
    return JSON.stringify(JSON.parse(value), null, 2);
  } catch {
    return value;
  }
};

/** The last `:`-separated part of an ARN (an execution's or state machine's name). */
export const arnName = (arn: string): string => arn.slice(arn.lastIndexOf(':') + 1);
