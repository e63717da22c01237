import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { type TableSpec } from '../loader/types';
import { installTableCache } from './table-cache';
import { type DynamoBody, DynamoDbFront } from './transactions';

/** Options of {@link LocalDynamoDb.start}. */
export interface LocalDynamoDbOptions {
  /** LevelDB directory (durable); in memory when absent. */
  path?: string;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
}

const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

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
const createFrontServer = (dynalite: Server, dynalitePort: number, agent: Agent): Server => {
  const front = new DynamoDbFront(async (operation, body) => {
    const response = await dynaliteRequest(
      agent,
      dynalitePort,
      { ...INTERNAL_AUTH, 'x-amz-target': `${TARGET_PREFIX}${operation}` },
      Buffer.from(JSON.stringify(body)),
    );
    const text = response.body.toString('utf8');
    return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as DynamoBody };
  });
  return createServer((req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (!target.startsWith(TARGET_PREFIX) || !FRONT_OPERATIONS.has(target.slice(TARGET_PREFIX.length))) {
      dynalite.emit('request', req, res);
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
 * DynamoDB for the local cloud: dynalite in-process on 127.0.0.1 (tables ACTIVE at once), on disk under the data
 * folder. One process per path (LevelDB's lock): a second local cloud on the same data folder is refused at start
 * rather than crashing on its first request.
 */
export class LocalDynamoDb {
  private constructor(
    private readonly server: ReturnType<typeof dynalite>,
    private readonly front: Server,
    private readonly agent: Agent,
    /** `http://127.0.0.1:<port>` — where `DynamoDB_20120810.*` requests go. */
    readonly endpoint: string,
    private readonly ownerFile: string | undefined,
    private readonly client: DynamoDBClient,
  ) {}

  /** Starts dynalite. */
  static async start(options: LocalDynamoDbOptions = {}): Promise<LocalDynamoDb> {
    let ownerFile: string | undefined;
    if (options.path !== undefined) {
      mkdirSync(options.path, { recursive: true });
      ownerFile = `${options.path}.pid`;
      if (existsSync(ownerFile)) {
        const pid = Number(readFileSync(ownerFile, 'utf8'));
        if (Number.isInteger(pid) && pid !== process.pid && processAlive(pid)) {
          throw new Error(
            `The DynamoDB store ${options.path} is in use by process ${pid} (another local cloud on the same data folder?)`,
          );
        }
      }
      writeFileSync(ownerFile, String(process.pid));
    }
    installTableCache();
    const server = dynalite({
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
      ...(options.path === undefined ? {} : { path: options.path }),
    });
    await listen(server, 0);
    const dynalitePort = (server.address() as AddressInfo).port;
    const agent = new Agent({ keepAlive: true });
    const front = createFrontServer(server, dynalitePort, agent);
    await listen(front, options.port ?? 0);
    const { port } = front.address() as AddressInfo;
    const endpoint = `http://127.0.0.1:${port}`;
    const client = new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    return new LocalDynamoDb(server, front, agent, endpoint, ownerFile, client);
  }

  /** Creates the tables that do not exist yet (keys, indexes, billing). Returns the names it created. */
  async ensureTables(tables: readonly TableSpec[]): Promise<string[]> {
    const existing = new Set<string>();
    let start: string | undefined;
    do {
      const page = await this.client.send(
        new ListTablesCommand(start === undefined ? {} : { ExclusiveStartTableName: start }),
      );
      for (const name of page.TableNames ?? []) existing.add(name);
      start = page.LastEvaluatedTableName;
    } while (start !== undefined);
    const created: string[] = [];
    for (const table of tables) {
      if (existing.has(table.tableName)) continue;
      try {
        await this.client.send(
          new CreateTableCommand({
            TableName: table.tableName,
            KeySchema: table.KeySchema,
            AttributeDefinitions: table.AttributeDefinitions,
            BillingMode: table.BillingMode,
            ...(table.ProvisionedThroughput === undefined
              ? {}
              : { ProvisionedThroughput: table.ProvisionedThroughput }),
            ...(table.GlobalSecondaryIndexes === undefined
              ? {}
              : { GlobalSecondaryIndexes: table.GlobalSecondaryIndexes }),
            ...(table.LocalSecondaryIndexes === undefined
              ? {}
              : { LocalSecondaryIndexes: table.LocalSecondaryIndexes }),
          }),
        );
        created.push(table.tableName);
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
      }
    }
    // dynalite flips a new table to ACTIVE on a timer (createTableMs 0 still means "next tick"): wait for it.
    for (const name of created) {
      for (let attempt = 0; attempt < 200; attempt += 1) {
        const { Table } = await this.client.send(new DescribeTableCommand({ TableName: name }));
        if (Table?.TableStatus === 'ACTIVE') break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    return created;
  }

  /** A DynamoDB client on the local endpoint (for the wiring's `dynamodb:*` task integrations). */
  get sdkClient(): DynamoDBClient {
    return this.client;
  }

  /** Stops dynalite and releases the data folder. */
  async close(): Promise<void> {
    this.client.destroy();
    this.front.closeAllConnections();
    this.agent.destroy();
    await new Promise<void>((resolve) => this.front.close(() => resolve()));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.ownerFile !== undefined) rmSync(this.ownerFile, { force: true });
  }
}
