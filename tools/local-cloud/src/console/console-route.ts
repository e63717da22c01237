import { createReadStream, existsSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { type LocalCloud } from '../cloud';
import { type RawRoute } from '../server/route';
import { ConsoleApi } from './console-api';
import { type EngineChange } from './engine-feed';

/** Prefix of the console's JSON API; the live stream is `${CONSOLE_API_PREFIX}/stream` (server-sent events). */
export const CONSOLE_API_PREFIX = '/_console/api';

/** Where the built console (`nx run console:build`) is; override with LOCAL_CLOUD_CONSOLE_DIR. */
export const consoleAssetsDir = (): string =>
  process.env['LOCAL_CLOUD_CONSOLE_DIR'] ?? path.resolve(__dirname, '../../../../dist/tools/console');

const ASSETS: Record<string, string> = {
  '/index.html': 'text/html; charset=utf-8',
  '/app.js': 'text/javascript; charset=utf-8',
  '/app.css': 'text/css; charset=utf-8',
  '/favicon.svg': 'image/svg+xml',
  // ELK's layout engine, loaded by the graph view into a Web Worker.
  '/elk-worker.js': 'text/javascript; charset=utf-8',
};

const MAX_BODY = 64 * 1024;

const readJson = async (req: IncomingMessage): Promise<unknown> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY) throw new Error(`The body must be smaller than ${MAX_BODY} bytes`);
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : (JSON.parse(text) as unknown);
};

const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};

/** True for requests the AWS protocols own even on `/` (SDK / CLI calls). */
const isAwsCall = (query: URLSearchParams, headers: IncomingMessage['headers']): boolean =>
  headers['x-amz-target'] !== undefined || query.has('Action') || headers.authorization !== undefined;

/**
 * The web console on the endpoint's port: the static front end at `/` (GET requests that are not AWS calls), the JSON
 * API under {@link CONSOLE_API_PREFIX} and the live stream of engine changes and service snapshots (SSE).
 */
export const consoleRoute = (cloud: LocalCloud): RawRoute => {
  const api = new ConsoleApi(cloud);
  const assets = consoleAssetsDir();
  return {
    name: 'console',
    matches: (method, pathname, query, headers) => {
      if (pathname.startsWith(`${CONSOLE_API_PREFIX}/`)) return true;
      if (method !== 'GET' && method !== 'HEAD') return false;
      if (isAwsCall(query, headers)) return false;
      return pathname === '/' || pathname in ASSETS;
    },
    handleRaw: async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === `${CONSOLE_API_PREFIX}/stream`) {
        stream(cloud, req, res);
        return;
      }
      if (url.pathname.startsWith(`${CONSOLE_API_PREFIX}/`)) {
        let body: unknown;
        try {
          body = req.method === 'POST' ? await readJson(req) : undefined;
        } catch (error) {
          sendJson(res, 400, {
            error: 'ValidationError',
            message: `Invalid JSON body: ${error instanceof Error ? error.message : String(error)}`,
            fields: ['body'],
          });
          return;
        }
        try {
          const reply = await api.handle({
            method: req.method ?? 'GET',
            path: url.pathname.slice(CONSOLE_API_PREFIX.length),
            query: url.searchParams,
            body,
          });
          sendJson(res, reply.status, reply.body);
        } catch (error) {
          console.error('[local-cloud] console API crashed', error);
          sendJson(res, 500, {
            error: 'InternalError',
            message: 'The console API failed; see the server log.',
          });
        }
        return;
      }
      const name = url.pathname === '/' ? '/index.html' : url.pathname;
      const file = path.join(assets, name.slice(1));
      const type = ASSETS[name];
      if (type === undefined || !existsSync(file)) {
        res.writeHead(name === '/index.html' ? 503 : 404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(
          name === '/index.html'
            ? `The console is not built: run \`npx nx run console:build\` (looked in ${assets}).\n`
            : 'Not found\n',
        );
        return;
      }
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      createReadStream(file).pipe(res);
    },
  };
};

/** How often the stream checks queue and event counters for a change (in-process; sent only when changed). */
const SNAPSHOT_MS = 1000;
/** Engine changes are coalesced and sent at most this often. */
const FLUSH_MS = 250;
/** Above this many changed executions per flush, the stream says "many" (`arns: null`) instead of listing them. */
const MAX_ARNS = 200;

/**
 * `GET /_console/api/stream`: server-sent events. `executions` (coalesced every 250 ms: `{arns, statusChanges}`,
 * the executions that got new history events, `null` when more than 200 did, so 10,000 executions finishing at once
 * cost the page one message) and `services` (queue counters and the version of the recent-events log, sent when
 * they change).
 */
const stream = (cloud: LocalCloud, req: IncomingMessage, res: ServerResponse): void => {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  res.write('retry: 2000\n\n');
  const send = (event: string, data: unknown): void => {
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const changed = new Set<string>();
  let statusChanges = 0;
  let overflow = false;
  const unsubscribe = cloud.engineFeed.subscribe((change: EngineChange) => {
    if (change.kind === 'status') statusChanges += 1;
    const arn = change.kind === 'status' ? change.execution.executionArn : change.executionArn;
    if (overflow) return;
    changed.add(arn);
    if (changed.size > MAX_ARNS) {
      overflow = true;
      changed.clear();
    }
  });
  const flush = setInterval(() => {
    if (changed.size === 0 && !overflow && statusChanges === 0) return;
    send('executions', { arns: overflow ? null : [...changed], statusChanges });
    changed.clear();
    overflow = false;
    statusChanges = 0;
  }, FLUSH_MS);
  let last = '';
  const snapshot = (): void => {
    const queues = cloud.sqs.stats().map((q) => [q.name, q.visible, q.inFlight, q.delayed]);
    // A new event or a delivery status change (retrying, delivered, dead-lettered) refreshes the Events page.
    const text = JSON.stringify({ queues, eventsVersion: cloud.events.recentEventsVersion() });
    if (text !== last) {
      last = text;
      send('services', JSON.parse(text) as unknown);
    }
  };
  snapshot();
  const timer = setInterval(() => {
    snapshot();
    res.write(': keep-alive\n\n');
  }, SNAPSHOT_MS);
  const close = (): void => {
    clearInterval(timer);
    clearInterval(flush);
    unsubscribe();
  };
  req.on('close', close);
  res.on('error', close);
};
