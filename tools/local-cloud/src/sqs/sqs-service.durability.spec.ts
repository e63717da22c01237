import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManualClock } from './clock';
import { md5OfMessageAttributes } from './md5';
import { openService, START } from './test-helpers';

let dataDir: string;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqs-durable-'));
});

afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('SqsService durability', () => {
  it('keeps queues, queued messages and attributes across a crash (no close)', async () => {
    // Arrange
    const clock = new ManualClock(START);
    const { sqs } = await openService({ dataDir, clock });
    const { QueueUrl } = sqs.createQueue({ QueueName: 'q', Attributes: { VisibilityTimeout: '10' } });
    const attributes = { kind: { DataType: 'String', StringValue: 'approval' } };
    const { MessageId } = sqs.sendMessage({ QueueUrl, MessageBody: 'queued', MessageAttributes: attributes });
    await sqs.flush(); // acknowledged; the process then "dies" without close()
    // Act
    const { sqs: restarted } = await openService({ dataDir, clock });
    const received = await restarted.receiveMessage({ QueueUrl, MessageAttributeNames: ['All'] });
    // Assert
    expect(received.Messages?.map((m) => [m.MessageId, m.Body, m.MD5OfMessageAttributes])).toStrictEqual([
      [MessageId, 'queued', md5OfMessageAttributes(attributes)],
    ]);
    expect(restarted.getQueueAttributes({ QueueUrl, AttributeNames: ['VisibilityTimeout'] })).toStrictEqual({
      Attributes: { VisibilityTimeout: '10' },
    });
    await restarted.close();
    await sqs.close();
  });

  it('brings in-flight messages back only after their visibility timeout, with their receive count', async () => {
    // Arrange
    const clock = new ManualClock(START);
    const { sqs } = await openService({ dataDir, clock });
    const { QueueUrl } = sqs.createQueue({ QueueName: 'q', Attributes: { VisibilityTimeout: '30' } });
    sqs.sendMessage({ QueueUrl, MessageBody: 'in-flight' });
    sqs.sendMessage({ QueueUrl, MessageBody: 'deleted' });
    const received = await sqs.receiveMessage({ QueueUrl, MaxNumberOfMessages: 2 });
    sqs.deleteMessage({ QueueUrl, ReceiptHandle: received.Messages?.[1]?.ReceiptHandle ?? '' });
    await sqs.flush();
    // Act
    const { sqs: restarted } = await openService({ dataDir, clock });
    const tooEarly = await restarted.receiveMessage({ QueueUrl });
    await clock.advance(30_000);
    const back = await restarted.receiveMessage({
      QueueUrl,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    });
    // Assert
    expect(tooEarly).toStrictEqual({});
    expect(back.Messages?.map((m) => [m.Body, m.Attributes])).toStrictEqual([
      ['in-flight', { ApproximateReceiveCount: '2' }],
    ]);
    await restarted.close();
    await sqs.close();
  });

  it('accepts the receipt handle of an in-flight message after a restart', async () => {
    // Arrange
    const clock = new ManualClock(START);
    const { sqs } = await openService({ dataDir, clock });
    const { QueueUrl } = sqs.createQueue({ QueueName: 'q' });
    sqs.sendMessage({ QueueUrl, MessageBody: 'x' });
    const handle = (await sqs.receiveMessage({ QueueUrl })).Messages?.[0]?.ReceiptHandle ?? '';
    await sqs.close();
    // Act
    const { sqs: restarted } = await openService({ dataDir, clock });
    restarted.deleteMessage({ QueueUrl, ReceiptHandle: handle });
    // Assert
    expect(restarted.peek('q')).toStrictEqual([]);
    await restarted.close();
  });

  it('keeps FIFO deduplication and sequence numbers across restarts and compactions', async () => {
    // Arrange
    const clock = new ManualClock(START);
    const { sqs } = await openService({ dataDir, clock, compactAfterBytes: 1 });
    const { QueueUrl } = sqs.createQueue({
      QueueName: 'q.fifo',
      Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' },
    });
    const first = sqs.sendMessage({ QueueUrl, MessageBody: 'a', MessageGroupId: 'g' });
    await sqs.close();
    // Act
    const { sqs: restarted } = await openService({ dataDir, clock });
    const duplicate = restarted.sendMessage({ QueueUrl, MessageBody: 'a', MessageGroupId: 'g' });
    const next = restarted.sendMessage({ QueueUrl, MessageBody: 'b', MessageGroupId: 'g' });
    // Assert
    expect(duplicate.MessageId).toBe(first.MessageId);
    expect(BigInt(next.SequenceNumber ?? '0') > BigInt(first.SequenceNumber ?? '0')).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'snapshot.json'))).toBe(true);
    await restarted.close();
  });

  it('replays purges and deleted queues', async () => {
    // Arrange
    const clock = new ManualClock(START);
    const { sqs } = await openService({ dataDir, clock });
    const kept = sqs.createQueue({ QueueName: 'kept' }).QueueUrl;
    const gone = sqs.createQueue({ QueueName: 'gone' }).QueueUrl;
    sqs.sendMessage({ QueueUrl: kept, MessageBody: 'purged' });
    sqs.purgeQueue({ QueueUrl: kept });
    sqs.sendMessage({ QueueUrl: kept, MessageBody: 'after purge' });
    sqs.deleteQueue({ QueueUrl: gone });
    await sqs.close();
    // Act
    const { sqs: restarted } = await openService({ dataDir, clock });
    // Assert
    expect(restarted.listQueues()).toStrictEqual({ QueueUrls: [kept] });
    expect(restarted.peek('kept').map((m) => m.body)).toStrictEqual(['after purge']);
    await restarted.close();
  });
});
