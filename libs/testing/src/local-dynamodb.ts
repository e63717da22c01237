import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbServer } from '@flow/local-dynamodb';

/** A global secondary index (string keys, ALL projection). */
export interface LocalIndex {
  name: string;
  partitionKey: string;
  sortKey?: string;
}

/** A table to create: name, string partition key, and optionally a string sort key and indexes. */
export interface LocalTable {
  name: string;
  partitionKey: string;
  sortKey?: string;
  indexes?: readonly LocalIndex[];
}

const keySchema = (partitionKey: string, sortKey: string | undefined) => [
  { AttributeName: partitionKey, KeyType: 'HASH' as const },
  ...(sortKey === undefined ? [] : [{ AttributeName: sortKey, KeyType: 'RANGE' as const }]),
];

const createTableCommand = (table: LocalTable): CreateTableCommand => {
  const indexes = table.indexes ?? [];
  const keyNames = new Set(
    [
      table.partitionKey,
      table.sortKey,
      ...indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
    ].filter((name): name is string => name !== undefined),
  );
  return new CreateTableCommand({
    TableName: table.name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...keyNames].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: keySchema(table.partitionKey, table.sortKey),
    ...(indexes.length === 0
      ? {}
      : {
          GlobalSecondaryIndexes: indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: { ProjectionType: 'ALL' as const },
          })),
        }),
  });
};

/** A running local DynamoDB; `stop()` when done. */
export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>`: pass as `AWS_ENDPOINT_URL_DYNAMODB` to code that builds its own client. */
  endpoint: string;
  client: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
  stop(): Promise<void>;
}

/**
 * Starts an in-memory DynamoDB-compatible server on a random loopback port — the local cloud's DynamoDB
 * (@flow/local-dynamodb: dynalite behind a front that answers TransactWriteItems/TransactGetItems with DynamoDB's
 * cancellation reasons) — and creates the given tables. For tests that must check real condition-expression and
 * transaction semantics. TTL settings are recorded, items are not expired.
 */
export const startLocalDynamoDb = async (tables: readonly LocalTable[]): Promise<LocalDynamoDb> => {
  const server = await startDynamoDbServer();
  const { endpoint } = server;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  for (const table of tables) {
    await client.send(createTableCommand(table));
  }
  return {
    endpoint,
    client,
    // As the services' own DocumentClient (libs/observability getDocumentClient) marshals.
    documentClient: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    stop: async () => {
      client.destroy();
      await server.close();
    },
  };
};
