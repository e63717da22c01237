import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { type DynamoDbServer, type DynamoDbServerOptions, startDynamoDbServer } from '@flow/local-dynamodb';
import { type TableSpec } from '../loader/types';

/** Options of {@link LocalDynamoDb.start}: the LevelDB directory (in memory when absent) and the port. */
export type LocalDynamoDbOptions = Pick<DynamoDbServerOptions, 'path' | 'port'>;

const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * DynamoDB for the local cloud: dynalite in-process on 127.0.0.1 behind the transactions/TTL front of
 * @flow/local-dynamodb (tables ACTIVE at once), on disk under the data folder. One process per path (LevelDB's
 * lock): a second local cloud on the same data folder is refused at start rather than crashing on its first request.
 */
export class LocalDynamoDb {
  private constructor(
    private readonly server: DynamoDbServer,
    private readonly ownerFile: string | undefined,
    private readonly client: DynamoDBClient,
  ) {}

  /** `http://127.0.0.1:<port>` — where `DynamoDB_20120810.*` requests go. */
  get endpoint(): string {
    return this.server.endpoint;
  }

  /** Starts dynalite and its front. */
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
    const server = await startDynamoDbServer(options);
    const client = new DynamoDBClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    return new LocalDynamoDb(server, ownerFile, client);
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
    await this.server.close();
    if (this.ownerFile !== undefined) rmSync(this.ownerFile, { force: true });
  }
}
