/**
 * Seeds the inventory table with the stock in apps/reserve-inventory/seed/stock.json (or the file given as the first
 * argument). The table is `INVENTORY_TABLE_NAME` if set, otherwise the name the reserve-inventory stack publishes in
 * SSM. Against the local cloud: `AWS_ENDPOINT_URL=http://127.0.0.1:4566 npx nx run reserve-inventory:seed`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { EnvVars, ServiceNames, serviceTableNameParameter } from '@flow/contracts';
import { getDocumentClient } from '@flow/observability';
import { StockFileSchema, seedStock } from '../src/seed-stock';

const main = async (): Promise<void> => {
  const file = process.argv[2] ?? path.join(__dirname, '..', 'seed', 'stock.json');
  const stock = StockFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const tableName = process.env[EnvVars.InventoryTableName] ?? (await tableNameFromSsm());
  const count = await seedStock(getDocumentClient(), tableName, stock);
  console.log(`seeded ${count} SKUs into ${tableName} from ${path.relative(process.cwd(), file)}`);
};

const tableNameFromSsm = async (): Promise<string> => {
  const name = serviceTableNameParameter(ServiceNames.ReserveInventory, 'inventory');
  const { Parameter } = await new SSMClient({}).send(new GetParameterCommand({ Name: name }));
  if (Parameter?.Value === undefined) {
    throw new Error(`SSM parameter ${name} has no value; set ${EnvVars.InventoryTableName} instead`);
  }
  return Parameter.Value;
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
