// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- dynalite ships no types; this makes the declaration visible to every project that compiles this file
/// <reference path="./dynalite.d.ts" />
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';

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
 * Starts an in-memory DynamoDB-compatible server (dynalite, the engine behind the local cloud's DynamoDB) on a random
 * loopback port and creates the given tables. For tests that must check real condition-expression semantics.
 * Note: dynalite has no transactions and no TTL (see shared/reference/dynamodb-local.md).
 */
export const startLocalDynamoDb = async (tables: readonly LocalTable[]): Promise<LocalDynamoDb> => {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
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
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
};
