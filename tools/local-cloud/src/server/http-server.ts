import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { AwsError, internalFailure } from './aws-error';
import { type RawRoute, type Route, type WireRequest, type WireResponse } from './route';

/** Options of {@link startHttpServer}. */
export interface HttpServerOptions {
  /** Protocol routes, tried in order on the request line and headers (none yet: the server answers 503). */
  readonly routes?: readonly Route[];
  /** Streaming routes (console, proxies), tried after `routes`. */
  readonly rawRoutes?: readonly RawRoute[];
  /** TCP port; `0` picks a free one. Default 4566. */
  readonly port?: number;
  /** Interface to bind: loopback only, never all interfaces. Default `127.0.0.1`. */
  readonly host?: '127.0.0.1' | 'localhost' | '::1';
}

/** A listening server. */
export interface RunningHttpServer {
  /** e.g. `http://127.0.0.1:4566` */
  readonly url: string;
  readonly port: number;
  /** Installs the routes (the server can listen before the services behind it are up). */
  setRoutes(routes: readonly Route[], rawRoutes?: readonly RawRoute[]): void;
  /** Stops accepting connections, ends idle keep-alive sockets and resolves when closed. */
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

/** Past this many bytes a too-large upload is cut off instead of drained (so nobody can stream forever). */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

/**
 * Reads the body up to `limit` bytes. A larger body is drained (not stored) and then rejected with
 * {@link BodyTooLarge}, so the client finishes its upload and reliably reads the 413 answer.
 */
const readBody = (req: IncomingMessage, limit: number): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      chunks.length = 0;
      if (size > MAX_DRAIN_BYTES && !settled) {
        settled = true;
        reject(new BodyTooLarge());
      }
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      if (size > limit) reject(new BodyTooLarge());
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
  });

const send = (res: ServerResponse, response: WireResponse, closeConnection = false): void => {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
  res.writeHead(response.status, {
    ...response.headers,
    'content-length': String(body.length),
    ...(closeConnection ? { connection: 'close' } : {}),
  });
  res.end(body);
};

const notFound = (requestId: string): WireResponse => ({
  status: 404,
  headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId },
  body: JSON.stringify({
    __type: 'UnknownOperationException',
    message:
      'No AWS service of the local cloud matches this request (no X-Amz-Target, query Action or Lambda path).',
  }),
});

/**
 * Dispatches one request to the first matching route. Never rejects: a route's crash becomes its protocol's
 * `InternalFailure` (HTTP 500) and the server keeps serving.
 */
const starting = (requestId: string): WireResponse => ({
  status: 503,
  headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'retry-after': '1' },
  body: JSON.stringify({ __type: 'ServiceUnavailableException', message: 'The local cloud is starting.' }),
});

interface RouteTable {
  routes: readonly Route[];
  rawRoutes: readonly RawRoute[];
  ready: boolean;
}

/** Splits the request target into path and query; the common `POST /` of the JSON protocols skips URL parsing. */
const parseTarget = (target: string): { path: string; query: URLSearchParams } => {
  if (target === '/') return { path: '/', query: new URLSearchParams() };
  const url = new URL(target, 'http://localhost');
  return { path: url.pathname, query: url.searchParams };
};

/**
 * The request head as routes see it. `signal` is created on first use only (long polls read it; most calls never
 * do), so an ordinary request costs no AbortController and no extra `close` listener.
 */
class RequestHead implements Omit<WireRequest, 'body'> {
  private controller: AbortController | undefined;

  constructor(
    private readonly res: ServerResponse,
    readonly method: string,
    readonly path: string,
    readonly query: URLSearchParams,
    readonly headers: IncomingMessage['headers'],
    readonly requestId: string,
    readonly endpoint: string,
  ) {}

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      const controller = new AbortController();
      this.controller = controller;
      const res = this.res;
      if (res.destroyed) {
        if (!res.writableFinished) controller.abort();
      } else {
        res.once('close', () => {
          if (!res.writableFinished) controller.abort();
        });
      }
    }
    return this.controller.signal;
  }

  /** The full request once the body is read (keeps the lazy `signal`). */
  withBody(body: Buffer): WireRequest {
    const signal = (): AbortSignal => this.signal;
    return {
      method: this.method,
      path: this.path,
      query: this.query,
      headers: this.headers,
      requestId: this.requestId,
      endpoint: this.endpoint,
      body,
      get signal() {
        return signal();
      },
    };
  }
}

const dispatch = async (
  options: RouteTable,
  endpointOf: (req: IncomingMessage) => string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> => {
  const requestId = randomUUID();
  const method = req.method ?? 'GET';
  const { path, query } = parseTarget(req.url ?? '/');
  const route = options.routes.find((r) => r.matches(method, path, query, req.headers));
  if (route === undefined) {
    const raw = options.rawRoutes?.find((r) => r.matches(method, path, query, req.headers));
    if (raw !== undefined) {
      await raw.handleRaw(req, res);
      return;
    }
    req.resume();
    send(res, options.ready ? notFound(requestId) : starting(requestId));
    return;
  }
  const head = new RequestHead(res, method, path, query, req.headers, requestId, endpointOf(req));
  let body: Buffer;
  try {
    body = await readBody(req, route.maxBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      const tooLarge = new AwsError(
        'RequestEntityTooLargeException',
        `Request must be smaller than ${route.maxBodyBytes} bytes.`,
        413,
      );
      send(res, route.errorResponse(tooLarge, head), true);
      return;
    }
    throw error;
  }
  let response: WireResponse;
  try {
    response = await route.handle(head.withBody(body));
  } catch (error) {
    console.error(`[local-cloud] ${route.name} crashed on ${method} ${path}`, error);
    response = route.errorResponse(internalFailure(), head);
  }
  send(res, response);
};

/**
 * Starts the local cloud's single HTTP endpoint on the loopback interface.
 */
export const startHttpServer = async (options: HttpServerOptions): Promise<RunningHttpServer> => {
  const host = options.host ?? '127.0.0.1';
  const table: RouteTable = {
    routes: options.routes ?? [],
    rawRoutes: options.rawRoutes ?? [],
    ready: options.routes !== undefined,
  };
  let baseUrl = '';
  const endpointOf = (req: IncomingMessage): string => {
    const hostHeader = req.headers.host;
    return hostHeader === undefined || hostHeader === '' ? baseUrl : `http://${hostHeader}`;
  };
  const server: Server = createServer((req, res) => {
    dispatch(table, endpointOf, req, res).catch((error: unknown) => {
      console.error('[local-cloud] request failed', error);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json', connection: 'close' });
        res.end(JSON.stringify({ __type: 'InternalFailure', message: 'The request processing has failed.' }));
      } else {
        res.destroy();
      }
    });
  });
  // Longer than SDK clients keep idle sockets in practice, so a reused socket is not closed under a request.
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 120_000;
  server.headersTimeout = 66_000;
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4566, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host === '::1' ? '[::1]' : host}:${port}`;
  return {
    url: baseUrl,
    port,
    setRoutes: (routes, rawRoutes = []) => {
      table.routes = routes;
      table.rawRoutes = rawRoutes;
      table.ready = true;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 1_000).unref();
      }),
  };
};
