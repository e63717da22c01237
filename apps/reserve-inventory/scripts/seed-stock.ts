/**
 * Seeds the inventory table with the stock in apps/reserve-inventory/seed/stock.json (or the file given as the first
 * argument). The table is `INVENTORY_TABLE_NAME` if set, else the name the reserve-inventory stack publishes in SSM,
 * else (the local cloud serves no SSM) the one table whose name contains "inventory".
 * Against the local cloud: `AWS_ENDPOINT_URL=http://127.0.0.1:4566 npx nx run reserve-inventory:seed`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { EnvVars, INVENTORY_SEED_FILE, ServiceNames, serviceTableNameParameter } from '@flow/contracts';
import { getDocumentClient, getDynamoDbClient } from '@flow/observability';
import { StockFileSchema, seedStock } from '../src/seed-stock';

const main = async (): Promise<void> => {
  const file = process.argv[2] ?? path.join(__dirname, '..', '..', '..', INVENTORY_SEED_FILE);
  const stock = StockFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const tableName =
    process.env[EnvVars.InventoryTableName] ?? (await tableNameFromSsm()) ?? (await tableNameFromList());
  const count = await seedStock(getDocumentClient(), tableName, stock);
  console.log(`seeded ${count} SKUs into ${tableName} from ${path.relative(process.cwd(), file)}`);
};

const tableNameFromSsm = async (): Promise<string | undefined> => {
  const name = serviceTableNameParameter(ServiceNames.ReserveInventory, 'inventory');
  try {
    const { Parameter } = await new SSMClient({ maxAttempts: 1 }).send(
      new GetParameterCommand({ Name: name }),
    );
    return Parameter?.Value;
  } catch (error) {
    console.warn(
      `SSM parameter ${name} not readable (${error instanceof Error ? error.name : String(error)})`,
    );
    return undefined;
  }
};

const tableNameFromList = async (): Promise<string> => {
  const { TableNames = [] } = await getDynamoDbClient().send(new ListTablesCommand({}));
  const candidates = TableNames.filter((name) => /inventory/i.test(name));
  const [only] = candidates;
  if (only === undefined || candidates.length > 1) {
    throw new Error(
      `Cannot tell the inventory table (tables named like it: ${candidates.join(', ') || 'none'}); set ${EnvVars.InventoryTableName}`,
    );
  }
  return only;
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
