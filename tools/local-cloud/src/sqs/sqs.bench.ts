/**
 * Benchmark: SqsService send + receive + delete cycles with the durable log on (in process, no network).
 * Run: npx tsx --tsconfig tools/local-cloud/tsconfig.json tools/local-cloud/src/sqs/sqs.bench.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqsService } from './sqs-service';

interface Row {
  label: string;
  messagesPerSecond: number;
  cpuMicrosPerMessage: number;
  logBytesPerMessage: number;
}

const body = JSON.stringify({
  orderId: 'o-123',
  customerId: 'c-9',
  amount: 150,
  items: [{ sku: 'A-1', qty: 2 }],
});
const attributes = { kind: { DataType: 'String', StringValue: 'approval' } };

async function run(
  label: string,
  messages: number,
  batch: boolean,
  options: { durable: boolean; fsync?: boolean },
): Promise<Row> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqs-bench-'));
  const sqs = await SqsService.open({
    ...(options.durable ? { dataDir: dir } : {}),
    ...(options.fsync ? { fsync: true } : {}),
    compactAfterBytes: 256 * 1024 * 1024,
  });
  const { QueueUrl } = sqs.createQueue({ QueueName: 'bench', Attributes: { VisibilityTimeout: '30' } });
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  let done = 0;
  while (done < messages) {
    if (batch) {
      const entries = Array.from({ length: 10 }, (_, i) => ({
        Id: `e${i}`,
        MessageBody: body,
        MessageAttributes: attributes,
      }));
      sqs.sendMessageBatch({ QueueUrl, Entries: entries });
      const received = await sqs.receiveMessage({
        QueueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
      });
      const toDelete = (received.Messages ?? []).map((m, i) => ({
        Id: `d${i}`,
        ReceiptHandle: m.ReceiptHandle,
      }));
      sqs.deleteMessageBatch({ QueueUrl, Entries: toDelete });
      done += toDelete.length;
    } else {
      sqs.sendMessage({ QueueUrl, MessageBody: body, MessageAttributes: attributes });
      const received = await sqs.receiveMessage({ QueueUrl, MessageAttributeNames: ['All'] });
      sqs.deleteMessage({ QueueUrl, ReceiptHandle: received.Messages?.[0]?.ReceiptHandle ?? '' });
      done++;
    }
    if (done % 500 < (batch ? 10 : 1)) await sqs.flush(); // let batched log writes go out, as a server's ticks would
  }
  await sqs.flush();
  const ns = Number(process.hrtime.bigint() - start);
  const cpu = process.cpuUsage(cpuStart);
  const logFile = path.join(dir, 'log.jsonl');
  const logBytes = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
  await sqs.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    label,
    messagesPerSecond: Math.round((done / ns) * 1e9),
    cpuMicrosPerMessage: Math.round(((cpu.user + cpu.system) / done) * 10) / 10,
    logBytesPerMessage: Math.round(logBytes / done),
  };
}

async function main(): Promise<void> {
  await run('warm-up', 5_000, false, { durable: true });
  const rows = [
    await run('1 message per call, durable log (page cache)', 50_000, false, { durable: true }),
    await run('batches of 10, durable log (page cache)', 100_000, true, { durable: true }),
    await run('1 message per call, in memory (no log)', 50_000, false, { durable: false }),
    await run('batches of 10, durable log with fsync per tick', 20_000, true, { durable: true, fsync: true }),
  ];
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
  console.log(
    '| send + receive + delete | messages/s (wall) | CPU µs/message | log bytes/message |\n|---|---:|---:|---:|',
  );
  for (const row of rows) {
    console.log(
      `| ${row.label} | ${row.messagesPerSecond.toLocaleString('en-US')} | ${row.cpuMicrosPerMessage} | ${row.logBytesPerMessage} |`,
    );
  }
}

void main();
