import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { StockFileSchema, seedStock } from './seed-stock';

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));

beforeEach(() => ddb.reset());
afterAll(() => ddb.restore());

describe('seedStock', () => {
  it('writes one stock item per SKU in batches of 25', async () => {
    // Arrange
    ddb.on(BatchWriteCommand).resolves({});
    const stock = Object.fromEntries(Array.from({ length: 30 }, (_, index) => [`SKU-${index}`, index]));

    // Act
    const count = await seedStock(client, 'inventory', stock);

    // Assert
    const batches = ddb
      .commandCalls(BatchWriteCommand)
      .map((call) => call.args[0].input.RequestItems?.['inventory']);
    expect(count).toBe(30);
    expect(batches.map((batch) => batch?.length)).toStrictEqual([25, 5]);
    expect(batches[0]?.[1]).toStrictEqual({
      PutRequest: { Item: { pk: 'SKU#SKU-1', sku: 'SKU-1', available: 1 } },
    });
  });

  it('retries the items DynamoDB left unprocessed', async () => {
    // Arrange
    const item = { pk: 'SKU#A', sku: 'A', available: 3 };
    ddb
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { inventory: [{ PutRequest: { Item: item } }] } })
      .resolves({});

    // Act
    await seedStock(client, 'inventory', { A: 3 });

    // Assert
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(2);
  });

  it('fails when items stay unprocessed', async () => {
    // Arrange
    ddb.on(BatchWriteCommand).resolves({
      UnprocessedItems: { inventory: [{ PutRequest: { Item: { pk: 'SKU#A', sku: 'A', available: 3 } } }] },
    });

    // Act & Assert
    await expect(seedStock(client, 'inventory', { A: 3 })).rejects.toThrow(
      'DynamoDB left 1 stock items unprocessed after 5 rounds',
    );
  });
});

describe('the shipped stock file', () => {
  it('is valid and stocks every SKU of the sample orders', () => {
    // Arrange
    const root = path.join(__dirname, '..', '..', '..');
    const stock = StockFileSchema.parse(
      JSON.parse(readFileSync(path.join(__dirname, '..', 'seed', 'stock.json'), 'utf8')),
    );
    const sampleSkus = ['order-auto-approved', 'order-needs-approval'].flatMap((name) => {
      const [entry] = JSON.parse(
        readFileSync(path.join(root, 'samples', 'events', `${name}.json`), 'utf8'),
      ) as {
        Detail: string;
      }[];
      return (JSON.parse(entry?.Detail ?? '{}') as { lines: { sku: string }[] }).lines.map(
        (line) => line.sku,
      );
    });

    // Act
    const missing = sampleSkus.filter((sku) => !(sku in stock));

    // Assert
    expect(missing).toStrictEqual([]);
  });

  it('fails validation for a negative or fractional quantity', () => {
    // Act
    const result = StockFileSchema.safeParse({ A: -1, B: 1.5 });

    // Assert
    expect(result.success).toBe(false);
  });
});
