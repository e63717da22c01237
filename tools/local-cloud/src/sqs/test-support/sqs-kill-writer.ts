/**
 * Child process for the SQS kill -9 test: sends numbered messages to queue `q` (visibility timeout 30 s) in the data
 * dir given, receives every other one (so it is in flight), and prints `sent <n>` / `inflight <n>` once the service's
 * log has acknowledged them. The parent kills it with SIGKILL at an arbitrary point.
 */
import { SqsService } from '../sqs-service';

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (dataDir === undefined) throw new Error('usage: sqs-kill-writer <dataDir>');
  const sqs = await SqsService.open({ dataDir });
  const { QueueUrl } = sqs.createQueue({ QueueName: 'q', Attributes: { VisibilityTimeout: '30' } });
  for (let n = 0; ; n++) {
    sqs.sendMessage({ QueueUrl, MessageBody: `m${n}` });
    let inflight = false;
    if (n % 2 === 0) {
      const received = await sqs.receiveMessage({ QueueUrl });
      inflight = received.Messages?.length === 1;
    }
    await sqs.flush();
    process.stdout.write(`sent ${n}${inflight ? ` inflight` : ''}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
