import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ApprovalsTable } from '@flow/contracts';
import { startLocalDynamoDb } from './local-dynamodb';

/** The approvals table (keys and `gsi1` as infra creates them) in a local DynamoDB on 127.0.0.1. */
export interface DynaliteTable {
  readonly documents: DynamoDBDocumentClient;
  readonly tableName: string;
  close(): Promise<void>;
}

/** Starts a local DynamoDB with the approvals table, for the approvals services' store tests. */
export const startApprovalsTable = async (tableName = 'approvals'): Promise<DynaliteTable> => {
  const { partitionKey, sortKey, index } = ApprovalsTable;
  const local = await startLocalDynamoDb([
    {
      name: tableName,
      partitionKey,
      sortKey,
      indexes: [{ name: index.name, partitionKey: index.partitionKey, sortKey: index.sortKey }],
    },
  ]);
  return { documents: local.documentClient, tableName, close: local.stop };
};
