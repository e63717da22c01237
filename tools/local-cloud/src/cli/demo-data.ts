import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { EnvVars, INVENTORY_SEED_FILE, InventoryKeys, TableKeys } from '@flow/contracts';

/** What the demo data needs from the started cloud. */
export interface DemoDataTarget {
  readonly picture: {
    readonly functions: readonly { readonly environment: Readonly<Record<string, string>> }[];
  };
  readonly dynamodb: { readonly sdkClient: DynamoDBClient };
}

/**
 * Stocks the inventory table from the seed file (`apps/reserve-inventory/seed/stock.json`) when the table is empty,
 * so the sample orders can be reserved on a fresh local cloud. Existing stock is never overwritten.
 *
 * @returns the number of SKUs written (0 when the table already had items or there is no seed file)
 */
export const stockInventoryIfEmpty = async (cloud: DemoDataTarget, repoRoot: string): Promise<number> => {
  const tableName = cloud.picture.functions
    .map((fn) => fn.environment[EnvVars.InventoryTableName])
    .find((name): name is string => name !== undefined && name !== '');
  if (tableName === undefined) return 0;
  let stock: Record<string, number>;
  try {
    stock = JSON.parse(await readFile(path.join(repoRoot, INVENTORY_SEED_FILE), 'utf8')) as Record<
      string,
      number
    >;
  } catch {
    return 0;
  }
  const doc = DynamoDBDocumentClient.from(cloud.dynamodb.sdkClient);
  const { Count = 0 } = await doc.send(new ScanCommand({ TableName: tableName, Limit: 1 }));
  if (Count > 0) return 0;
  const items = Object.entries(stock).map(([sku, available]) => ({
    [TableKeys.Inventory.partitionKey]: InventoryKeys.stock(sku),
    sku,
    available,
  }));
  for (let start = 0; start < items.length; start += 25) {
    await doc.send(
      new BatchWriteCommand({
        RequestItems: {
          [tableName]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })),
        },
      }),
    );
  }
  return items.length;
};
