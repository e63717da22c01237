import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SkuSchema, TableKeys } from '@flow/contracts';
import { z } from 'zod';
import { skuKey } from './reservation';

/** A stock file: units available per SKU, e.g. `{ "BOOK-001": 500 }`. */
export const StockFileSchema = z.record(SkuSchema, z.number().int().nonnegative());
export type StockFile = z.infer<typeof StockFileSchema>;

/** DynamoDB accepts at most 25 items per BatchWriteItem. */
const BATCH_SIZE = 25;
/** Rounds of retrying unprocessed items before giving up. */
const MAX_ROUNDS = 5;

/**
 * Sets the available units of each SKU in the inventory table (overwriting what was there), for a fresh local
 * cloud or a test account: `npx nx run reserve-inventory:seed`.
 *
 * @returns the number of SKUs written
 * @throws Error when DynamoDB keeps leaving items unprocessed
 */
export const seedStock = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  stock: StockFile,
): Promise<number> => {
  const items = Object.entries(stock).map(([sku, available]) => ({
    [TableKeys.Inventory.partitionKey]: skuKey(sku),
    sku,
    available,
  }));
  for (let start = 0; start < items.length; start += BATCH_SIZE) {
    let requests: { PutRequest: { Item: Record<string, unknown> } }[] = items
      .slice(start, start + BATCH_SIZE)
      .map((Item) => ({ PutRequest: { Item } }));
    for (let round = 0; requests.length > 0; round += 1) {
      if (round === MAX_ROUNDS) {
        throw new Error(
          `DynamoDB left ${requests.length} stock items unprocessed after ${MAX_ROUNDS} rounds`,
        );
      }
      const { UnprocessedItems } = await client.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
      );
      requests = (UnprocessedItems?.[tableName] ?? []).flatMap((request) =>
        request.PutRequest?.Item === undefined ? [] : [{ PutRequest: { Item: request.PutRequest.Item } }],
      );
    }
  }
  return items.length;
};
