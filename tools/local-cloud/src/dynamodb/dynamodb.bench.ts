/**
 * The local DynamoDB as the Lambda handlers use it: SDK v3 clients in a worker thread (where the handlers run) call
 * the {@link LocalDynamoDb} endpoint served by the main thread, on disk (as `serve` runs it). Reports ops/s and the
 * main thread's CPU per operation (what each DynamoDB call of a handler costs the server), for the item calls of the
 * workflow's handlers: a conditional PutItem, a conditional UpdateItem with ADD on a hot item, and a GetItem; and a
 * whole reservation of 2 SKUs as reserve-inventory made it with single-item writes (put, 2 updates, update: 4 calls)
 * and as it makes it now (1 TransactWriteItems of 3 items, answered by the front).
 *
 * Run: `npx tsx --tsconfig tools/local-cloud/tsconfig.json tools/local-cloud/src/dynamodb/dynamodb.bench.ts [ops] [concurrency] [op,op]`
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { LocalDynamoDb } from './local-dynamodb';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const TABLE = 'bench';
type Op = 'put' | 'update' | 'get' | 'reserve-single-writes' | 'reserve-transaction';
interface Job {
  endpoint: string;
  op: Op;
  ops: number;
  concurrency: number;
  table: string;
}

/** CPU ms of this process's main thread (Linux `/proc`; 0 elsewhere). */
const mainThreadCpuMs = (): number => {
  try {
    const fields = readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, 'utf8').split(') ')[1];
    const parts = fields?.split(' ') ?? [];
    return (Number(parts[11]) + Number(parts[12])) * 10;
  } catch {
    return 0;
  }
};

/**
 * The client side, run in a worker thread (plain JS, so it runs under tsx too): `ops` calls of one kind,
 * `concurrency` at a time, through one SDK client, as a handler's calls are.
 */
const CLIENT_SCRIPT = `
const { workerData, parentPort } = require('node:worker_threads');
const { DynamoDBClient, GetItemCommand, PutItemCommand, TransactWriteItemsCommand, UpdateItemCommand } = require('@aws-sdk/client-dynamodb');
const { endpoint, op, ops, concurrency, table } = workerData;
const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'b', secretAccessKey: 'b' } });
const call = (i) => {
  if (op === 'put') return client.send(new PutItemCommand({ TableName: table,
    Item: { pk: { S: 'order-' + i + '-' + Date.now() }, status: { S: 'INPROGRESS' }, n: { N: '1' } },
    ConditionExpression: 'attribute_not_exists(pk)' }));
  if (op === 'update') return client.send(new UpdateItemCommand({ TableName: table, Key: { pk: { S: 'SKU#hot' } },
    UpdateExpression: 'ADD available :minus, holds :order',
    ConditionExpression: 'attribute_not_exists(available) OR available >= :need',
    ExpressionAttributeValues: { ':minus': { N: '-1' }, ':need': { N: '-1000000000' }, ':order': { SS: ['o' + (i % 200)] } } }));
  const orderId = 'r-' + op + '-' + i + '-' + Date.now();
  const take = (sku, extra) => ({ TableName: table, Key: { pk: { S: 'SKU#' + sku } },
    UpdateExpression: 'ADD available :minus' + extra.set,
    ConditionExpression: 'attribute_not_exists(available) OR available >= :need',
    ExpressionAttributeValues: { ':minus': { N: '-1' }, ':need': { N: '-1000000000' }, ...extra.values } });
  if (op === 'reserve-single-writes') {
    const hold = { set: ', holds :order', values: { ':order': { SS: [orderId] } } };
    return client.send(new PutItemCommand({ TableName: table,
        Item: { pk: { S: 'RESERVATION#' + orderId }, status: { S: 'pending' } }, ConditionExpression: 'attribute_not_exists(pk)' }))
      .then(() => client.send(new UpdateItemCommand(take('a' + (i % 50), hold))))
      .then(() => client.send(new UpdateItemCommand(take('b' + (i % 50), hold))))
      .then(() => client.send(new UpdateItemCommand({ TableName: table, Key: { pk: { S: 'RESERVATION#' + orderId } },
        UpdateExpression: 'SET #s = :r', ConditionExpression: '#s = :p', ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':r': { S: 'reserved' }, ':p': { S: 'pending' } } })));
  }
  if (op === 'reserve-transaction') {
    const plain = { set: '', values: {} };
    return client.send(new TransactWriteItemsCommand({ TransactItems: [
      { Put: { TableName: table, Item: { pk: { S: 'RESERVATION#' + orderId }, status: { S: 'reserved' } },
        ConditionExpression: 'attribute_not_exists(pk)' } },
      { Update: { ...take('a' + (i % 50), plain), ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
      { Update: { ...take('b' + (i % 50), plain), ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
    ] }));
  }
  return client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'SKU#hot' } } }));
};
let next = 0;
Promise.all(Array.from({ length: concurrency }, async () => { for (let i = next++; i < ops; i = next++) await call(i); }))
  .then(() => { client.destroy(); parentPort.close(); }, (e) => { console.error(e); process.exit(1); });
`;

const main = async (): Promise<void> => {
  const ops = Number(process.argv[2] ?? '3000');
  const concurrency = Number(process.argv[3] ?? '8');
  const dir = mkdtempSync(join(tmpdir(), 'dynamodb-bench-'));
  const db = await LocalDynamoDb.start({ path: join(dir, 'dynamodb') });
  await db.ensureTables([
    {
      tableName: TABLE,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    } as Parameters<LocalDynamoDb['ensureTables']>[0][number],
  ]);
  const rows: string[] = [];
  const only = process.argv[4]?.split(',');
  for (const op of ['put', 'update', 'get', 'reserve-single-writes', 'reserve-transaction'] as const) {
    if (only !== undefined && !only.includes(op)) continue;
    const run = async (n: number): Promise<{ seconds: number; cpu: number }> => {
      const cpu0 = mainThreadCpuMs();
      const t0 = performance.now();
      await new Promise<void>((resolve, reject) => {
        const worker = new Worker(CLIENT_SCRIPT, {
          eval: true,
          workerData: { endpoint: db.endpoint, op, ops: n, concurrency, table: TABLE } satisfies Job,
        });
        worker.once('error', reject);
        worker.once('exit', () => resolve());
      });
      return { seconds: (performance.now() - t0) / 1000, cpu: mainThreadCpuMs() - cpu0 };
    };
    await run(300); // warm-up (JIT, worker start)
    const { seconds, cpu } = await run(ops);
    rows.push(
      `| ${op} | ${(ops / seconds).toFixed(0)} ops/s | ${((cpu / ops) * 1000).toFixed(0)} µs main-thread CPU per op |`,
    );
  }
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`| Operation (${ops} ops, ${concurrency} concurrent) | Rate | Server cost |\n|---|---|---|`);
  for (const row of rows) console.log(row);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
