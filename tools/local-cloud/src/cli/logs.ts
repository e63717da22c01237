import { cyan, dim, red, yellow } from './format';

/** One captured log line as `/_local/logs` returns it. */
export interface LogEntry {
  time: number;
  functionName: string;
  requestId: string;
  stream: string;
  message: string;
  executionArn?: string;
}

const POWERTOOLS_NOISE = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'cold_start',
  'function_name',
  'function_arn',
  'function_memory_size',
  'function_request_id',
  'sampling_rate',
  'xray_trace_id',
]);

/** `Name=value Name2=value` for a CloudWatch embedded-metric-format line (Powertools Metrics), else undefined. */
const emfSummary = (record: Record<string, unknown>): string | undefined => {
  const aws = record['_aws'] as { CloudWatchMetrics?: { Metrics?: { Name?: string }[] }[] } | undefined;
  const metrics = aws?.CloudWatchMetrics?.flatMap((m) => m.Metrics ?? []) ?? [];
  if (metrics.length === 0) return undefined;
  return `metrics ${metrics.map((m) => `${m.Name ?? ''}=${JSON.stringify(record[m.Name ?? ''] ?? null)}`).join(' ')}`;
};

const levelColour = (level: string): string =>
  level === 'ERROR' || level === 'CRITICAL' ? red(level) : level === 'WARN' ? yellow(level) : level;

/**
 * Renders one log line for a terminal: Powertools JSON lines as `time LEVEL function message {extra keys}`,
 * anything else as it was written.
 */
export const formatLogEntry = (entry: LogEntry): string => {
  const time = new Date(entry.time).toISOString().slice(11, 23);
  const fn = cyan(entry.functionName);
  let parsed: unknown;
  try {
    parsed = JSON.parse(entry.message);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    const record = parsed as Record<string, unknown>;
    const emf = emfSummary(record);
    if (emf !== undefined) return `${dim(time)} ${dim('EMF  ')} ${fn} ${dim(emf)}`;
    const level = typeof record['level'] === 'string' ? record['level'] : 'INFO';
    const message = typeof record['message'] === 'string' ? record['message'] : '';
    const extra: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) if (!POWERTOOLS_NOISE.has(key)) extra[key] = value;
    const rest = Object.keys(extra).length === 0 ? '' : ` ${dim(JSON.stringify(extra))}`;
    return `${dim(time)} ${levelColour(level.padEnd(5))} ${fn} ${message}${rest}`;
  }
  const text = entry.stream === 'platform' ? dim(entry.message) : entry.message;
  return `${dim(time)} ${entry.stream === 'stderr' ? red('ERR  ') : '     '} ${fn} ${text}`;
};

const fetchLogs = async (
  endpoint: string,
  query: { functionName?: string; executionArn?: string; since?: number; limit?: number },
): Promise<LogEntry[]> => {
  const url = new URL('/_local/logs', endpoint);
  if (query.functionName !== undefined) url.searchParams.set('function', query.functionName);
  if (query.executionArn !== undefined) url.searchParams.set('execution', query.executionArn);
  if (query.since !== undefined) url.searchParams.set('since', String(query.since));
  if (query.limit !== undefined) url.searchParams.set('limit', String(query.limit));
  const response = await fetch(url);
  if (!response.ok)
    throw new Error(`GET ${url.pathname} answered ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { entries?: LogEntry[] };
  return body.entries ?? [];
};

/** `logs [--function F] [--execution ARN] [-n N] [--follow]`: prints captured handler logs, optionally tailing. */
export const logs = async (
  endpoint: string,
  options: { functionName?: string; executionArn?: string; lines: number; follow: boolean },
  write: (line: string) => void,
  stopped: () => boolean = () => false,
): Promise<void> => {
  const filter = {
    ...(options.functionName === undefined ? {} : { functionName: options.functionName }),
    ...(options.executionArn === undefined ? {} : { executionArn: options.executionArn }),
  };
  const seen = new Set<string>();
  const key = (e: LogEntry): string => `${e.time}|${e.requestId}|${e.stream}|${e.message}`;
  let since = 0;
  const show = (entries: readonly LogEntry[]): void => {
    for (const entry of entries) {
      const k = key(entry);
      if (seen.has(k)) continue;
      seen.add(k);
      since = Math.max(since, entry.time);
      write(formatLogEntry(entry));
    }
  };
  show(await fetchLogs(endpoint, { ...filter, limit: options.lines }));
  while (options.follow && !stopped()) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    show(await fetchLogs(endpoint, { ...filter, since }));
    if (seen.size > 50_000) seen.clear();
  }
};
