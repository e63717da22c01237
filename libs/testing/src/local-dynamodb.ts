// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- dynalite ships no types; this makes the declaration visible to every project that compiles this file
/// <reference path="./dynalite.d.ts" />
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';

/** A table to create: name and string partition key. */
export interface LocalTable {
  name: string;
  partitionKey: string;
}

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
    await client.send(
      new CreateTableCommand({
        TableName: table.name,
        AttributeDefinitions: [{ AttributeName: table.partitionKey, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: table.partitionKey, KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  }
  return {
    endpoint,
    client,
    documentClient: DynamoDBDocumentClient.from(client),
    stop: async () => {
      client.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
};
