// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- dynalite ships no types; this makes the declaration visible to every project that compiles this file
/// <reference path="./dynalite.d.ts" />
import { randomUUID } from 'node:crypto';
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { inProcessCall, withStore } from './in-process';
import { installTableCache } from './table-cache';
import { type DynamoBody, type DynamoCall, DynamoDbFront } from './transactions';

/** Options of {@link startDynamoDbServer}. */
export interface DynamoDbServerOptions {
  /** LevelDB directory (durable); in memory when absent. The caller guards it against a second process. */
  path?: string;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /**
   * Whether the front's own calls to dynalite (the items of a transaction) run in this process (default `true`).
   * `false` sends them to dynalite over loopback HTTP: what happens anyway when dynalite's internal modules are not
   * what the in-process path expects. Answers are the same either way; tests run both.
   */
  inProcess?: boolean;
}

/** A running local DynamoDB endpoint; `close()` when done. */
export interface DynamoDbServer {
  /** `http://127.0.0.1:<port>` — where `DynamoDB_20120810.*` requests go. */
  readonly endpoint: string;
  /** Stops the endpoint and dynalite (open connections are closed). */
  close(): Promise<void>;
}

const listen = (server: Server, port: number): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });

const readAll = (stream: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });

const TARGET_PREFIX = 'DynamoDB_20120810.';

/** A request to dynalite (any well-formed SigV4 header passes: dynalite checks its shape, not the signature). */
const dynaliteRequest = (
  agent: Agent,
  port: number,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> =>
  new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        agent,
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        headers: { ...headers, 'content-length': body.length },
      },
      (res) => {
        readAll(res).then(
          (data) => resolve({ status: res.statusCode ?? 500, headers: res.headers, body: data }),
          reject,
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });

const INTERNAL_AUTH = {
  authorization:
    'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0',
  'x-amz-date': '20260101T000000Z',
  'content-type': 'application/x-amz-json-1.0',
};

/** Operations the front answers itself (everything else goes to dynalite's handler as it arrived). */
const FRONT_OPERATIONS = new Set([
  'TransactWriteItems',
  'TransactGetItems',
  'UpdateTimeToLive',
  'DescribeTimeToLive',
]);

/**
 * The endpoint in front of dynalite: answers the operations dynalite lacks ({@link DynamoDbFront}) and hands every
 * other request, unread, to dynalite's own request handler in this process (no second HTTP hop: dynalite reads the
 * body and writes the response on the client's connection).
 */
const createFrontServer = (
  dynaliteServer: Server,
  dynalitePort: number,
  agent: Agent,
  direct: DynamoCall | undefined,
): Server => {
  const overHttp: DynamoCall = async (operation, body) => {
    const response = await dynaliteRequest(
      agent,
      dynalitePort,
      { ...INTERNAL_AUTH, 'x-amz-target': `${TARGET_PREFIX}${operation}` },
      Buffer.from(JSON.stringify(body)),
    );
    const text = response.body.toString('utf8');
    return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as DynamoBody };
  };
  const front = new DynamoDbFront(direct ?? overHttp);
  return createServer((req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (!target.startsWith(TARGET_PREFIX) || !FRONT_OPERATIONS.has(target.slice(TARGET_PREFIX.length))) {
      dynaliteServer.emit('request', req, res);
      return;
    }
    const fail = (error: unknown): void => {
      if (res.headersSent) return void res.destroy();
      res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(
        JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
          message: error instanceof Error ? error.message : String(error),
        }),
      );
    };
    readAll(req)
      .then(async (body) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch {
          parsed = undefined;
        }
        if (typeof parsed === 'object' && parsed !== null) {
          const answer = await front.handle(target.slice(TARGET_PREFIX.length), parsed as DynamoBody);
          if (answer !== undefined) {
            const text = JSON.stringify(answer.body);
            res.writeHead(answer.status, {
              'content-type': 'application/x-amz-json-1.0',
              'content-length': Buffer.byteLength(text),
              'x-amzn-requestid': randomUUID(),
            });
            res.end(text);
            return;
          }
        }
        // Not JSON: dynalite answers it (with the error DynamoDB gives).
        const { host: _host, ...headers } = req.headers;
        const response = await dynaliteRequest(agent, dynalitePort, headers, body);
        res.writeHead(response.status, response.headers);
        res.end(response.body);
      })
      .catch(fail);
  });
};

/**
 * Starts DynamoDB on 127.0.0.1: dynalite in this process (tables ACTIVE at once, table descriptions cached), behind
 * a front that answers what dynalite lacks — TransactWriteItems / TransactGetItems and the TTL settings — the way
 * DynamoDB does (see {@link DynamoDbFront}). Used by the local cloud (on disk) and by tests (in memory).
 */
export const startDynamoDbServer = async (options: DynamoDbServerOptions = {}): Promise<DynamoDbServer> => {
  installTableCache();
  const { result: server, store } = withStore(() =>
    dynalite({
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
      ...(options.path === undefined ? {} : { path: options.path }),
    }),
  );
  await listen(server, 0);
  const dynalitePort = (server.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true });
  // The front's own calls to dynalite run in this process when they can (no HTTP request, no JSON each way).
  const front = createFrontServer(
    server,
    dynalitePort,
    agent,
    store === undefined || options.inProcess === false ? undefined : inProcessCall(store),
  );
  try {
    await listen(front, options.port ?? 0);
  } catch (error) {
    agent.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw error;
  }
  const { port } = front.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      front.closeAllConnections();
      agent.destroy();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
