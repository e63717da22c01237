import { type LambdaLogStore } from '../lambda/log-store';
import { AwsError } from './aws-error';
import { type Route, type WireResponse } from './route';

/** Prefix of the local cloud's own (non-AWS) endpoints. */
export const LOCAL_API_PREFIX = '/_local/';

/** What `/_local/health` reports. */
export interface HealthInfo {
  status: 'ok';
  endpoint: string;
  startedAt: string;
  stateMachines: string[];
  functions: string[];
  queues: string[];
  /** Function name → OS thread ids of its live Lambda workers (Linux), to read their CPU time from `/proc`. */
  lambdaThreads: Record<string, number[]>;
  /** `process.memoryUsage()` of the server process, in bytes. */
  memory: { rss: number; heapUsed: number; heapTotal: number; external: number };
}

const json = (status: number, value: unknown, requestId: string): WireResponse => ({
  status,
  headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'cache-control': 'no-store' },
  body: JSON.stringify(value),
});

const optionalInt = (value: string | null, name: string): number | undefined => {
  if (value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new AwsError('ValidationException', `${name} must be a non-negative integer`);
  return n;
};

/**
 * The local cloud's own endpoints (used by the CLI and the benchmarks):
 * - `GET /_local/health[?gc=1]` → {@link HealthInfo};
 * - `GET /_local/logs?function=&execution=&request=&since=<epoch ms>&limit=` → `{entries}`, the captured handler
 *   log lines, oldest first.
 */
export const localApiRoute = (health: () => HealthInfo, logs: LambdaLogStore): Route => ({
  name: 'local-api',
  maxBodyBytes: 64 * 1024,
  matches: (method, path) => method === 'GET' && path.startsWith(LOCAL_API_PREFIX),
  errorResponse: (error, request) =>
    json(error.status, { __type: error.code, message: error.message }, request.requestId),
  handle: async (request) => {
    const q = request.query;
    switch (request.path) {
      case '/_local/health': {
        // `?gc=1` collects garbage first when the process runs with --expose-gc (memory benchmarks).
        const gc: unknown = (globalThis as { gc?: unknown }).gc;
        if (q.get('gc') === '1' && typeof gc === 'function') (gc as () => void)();
        return json(200, health(), request.requestId);
      }
      case '/_local/logs': {
        try {
          const since = optionalInt(q.get('since'), 'since');
          const limit = optionalInt(q.get('limit'), 'limit');
          const entries = logs.query({
            ...(q.get('function') === null ? {} : { functionName: q.get('function') ?? '' }),
            ...(q.get('execution') === null ? {} : { executionArn: q.get('execution') ?? '' }),
            ...(q.get('request') === null ? {} : { requestId: q.get('request') ?? '' }),
            ...(since === undefined ? {} : { since }),
            ...(limit === undefined ? {} : { limit }),
          });
          return json(200, { entries }, request.requestId);
        } catch (error) {
          if (error instanceof AwsError)
            return json(400, { __type: error.code, message: error.message }, request.requestId);
          throw error;
        }
      }
      default:
        return json(
          404,
          { __type: 'NotFound', message: `No local endpoint ${request.path}` },
          request.requestId,
        );
    }
  },
});
