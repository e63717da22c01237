import { openService, sqsErrorOf } from './test-helpers';

async function fifo(extra: Record<string, string> = {}) {
  const opened = await openService();
  const { QueueUrl } = opened.sqs.createQueue({
    QueueName: 'orders.fifo',
    Attributes: { FifoQueue: 'true', VisibilityTimeout: '30', ...extra },
  });
  return { ...opened, QueueUrl };
}

describe('SqsService FIFO queues', () => {
  it('hands out increasing 20-digit sequence numbers', async () => {
    // Arrange
    const { sqs, QueueUrl } = await fifo();
    // Act
    const a = sqs.sendMessage({
      QueueUrl,
      MessageBody: 'a',
      MessageGroupId: 'g',
      MessageDeduplicationId: '1',
    });
    const b = sqs.sendMessage({
      QueueUrl,
      MessageBody: 'b',
      MessageGroupId: 'g',
      MessageDeduplicationId: '2',
    });
    // Assert
    expect(a.SequenceNumber).toMatch(/^\d{20}$/);
    expect(BigInt(b.SequenceNumber ?? '0') > BigInt(a.SequenceNumber ?? '0')).toBe(true);
  });

  it('deduplicates by MessageDeduplicationId within 5 minutes, returning the original message id', async () => {
    // Arrange
    const { sqs, clock, QueueUrl } = await fifo();
    const first = sqs.sendMessage({
      QueueUrl,
      MessageBody: 'a',
      MessageGroupId: 'g',
      MessageDeduplicationId: 'same',
    });
    // Act
    const duplicate = sqs.sendMessage({
      QueueUrl,
      MessageBody: 'other',
      MessageGroupId: 'g',
      MessageDeduplicationId: 'same',
    });
    await clock.advance(5 * 60 * 1000);
    const afterWindow = sqs.sendMessage({
      QueueUrl,
      MessageBody: 'b',
      MessageGroupId: 'g',
      MessageDeduplicationId: 'same',
    });
    // Assert
    expect(duplicate.MessageId).toBe(first.MessageId);
    expect(duplicate.SequenceNumber).toBe(first.SequenceNumber);
    expect(afterWindow.MessageId).not.toBe(first.MessageId);
    expect(sqs.peek(QueueUrl).map((m) => m.body)).toStrictEqual(['a', 'b']);
  });

  it('keeps deduplicating after the original was deleted', async () => {
    // Arrange
    const { sqs, QueueUrl } = await fifo({ ContentBasedDeduplication: 'true' });
    sqs.sendMessage({ QueueUrl, MessageBody: 'a', MessageGroupId: 'g' });
    const handle = (await sqs.receiveMessage({ QueueUrl })).Messages?.[0]?.ReceiptHandle ?? '';
    sqs.deleteMessage({ QueueUrl, ReceiptHandle: handle });
    // Act
    sqs.sendMessage({ QueueUrl, MessageBody: 'a', MessageGroupId: 'g' });
    // Assert
    expect(sqs.peek(QueueUrl)).toStrictEqual([]);
  });

  it('deduplicates by content with ContentBasedDeduplication', async () => {
    // Arrange
    const { sqs, QueueUrl } = await fifo({ ContentBasedDeduplication: 'true' });
    // Act
    sqs.sendMessage({ QueueUrl, MessageBody: 'same', MessageGroupId: 'g1' });
    sqs.sendMessage({ QueueUrl, MessageBody: 'same', MessageGroupId: 'g2' });
    sqs.sendMessage({ QueueUrl, MessageBody: 'different', MessageGroupId: 'g1' });
    // Assert
    expect(sqs.peek(QueueUrl).map((m) => m.body)).toStrictEqual(['same', 'different']);
  });

  it('scopes deduplication to the message group with DeduplicationScope messageGroup', async () => {
    // Arrange
    const { sqs, QueueUrl } = await fifo({
      ContentBasedDeduplication: 'true',
      DeduplicationScope: 'messageGroup',
    });
    // Act
    sqs.sendMessage({ QueueUrl, MessageBody: 'same', MessageGroupId: 'g1' });
    sqs.sendMessage({ QueueUrl, MessageBody: 'same', MessageGroupId: 'g2' });
    // Assert
    expect(sqs.peek(QueueUrl).map((m) => m.messageGroupId)).toStrictEqual(['g1', 'g2']);
  });

  it('blocks a message group while one of its messages is in flight, but not other groups', async () => {
    // Arrange
    const { sqs, QueueUrl } = await fifo({ ContentBasedDeduplication: 'true' });
    for (const [body, group] of [
      ['a1', 'a'],
      ['a2', 'a'],
      ['b1', 'b'],
    ] as const) {
      sqs.sendMessage({ QueueUrl, MessageBody: body, MessageGroupId: group });
    }
    // Act
    const first = await sqs.receiveMessage({ QueueUrl });
    const second = await sqs.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10 });
    const blocked = await sqs.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10 });
    sqs.deleteMessage({ QueueUrl, ReceiptHandle: first.Messages?.[0]?.ReceiptHandle ?? '' });
    const unblocked = await sqs.receiveMessage({
      QueueUrl,
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ['MessageGroupId', 'MessageDeduplicationId', 'SequenceNumber'],
    });
    // Assert
    expect(first.Messages?.map((m) => m.Body)).toStrictEqual(['a1']);
    expect(second.Messages?.map((m) => m.Body)).toStrictEqual(['b1']);
    expect(blocked).toStrictEqual({});
    expect(unblocked.Messages?.map((m) => [m.Body, m.Attributes?.['MessageGroupId']])).toStrictEqual([
      ['a2', 'a'],
    ]);
    expect(Object.keys(unblocked.Messages?.[0]?.Attributes ?? {}).sort()).toStrictEqual([
      'MessageDeduplicationId',
      'MessageGroupId',
      'SequenceNumber',
    ]);
  });

  it('returns several messages of one group in order in one receive', async () => {
    // Arrange
    const { sqs, QueueUrl } = await fifo({ ContentBasedDeduplication: 'true' });
    for (const body of ['1', '2', '3']) sqs.sendMessage({ QueueUrl, MessageBody: body, MessageGroupId: 'g' });
    // Act
    const received = await sqs.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10 });
    // Assert
    expect(received.Messages?.map((m) => m.Body)).toStrictEqual(['1', '2', '3']);
  });

  it('wakes a long poll blocked on a group when the in-flight message is deleted', async () => {
    // Arrange
    const { sqs, QueueUrl } = await fifo({ ContentBasedDeduplication: 'true' });
    sqs.sendMessage({ QueueUrl, MessageBody: '1', MessageGroupId: 'g' });
    sqs.sendMessage({ QueueUrl, MessageBody: '2', MessageGroupId: 'g' });
    const handle = (await sqs.receiveMessage({ QueueUrl })).Messages?.[0]?.ReceiptHandle ?? '';
    const pending = sqs.receiveMessage({ QueueUrl, WaitTimeSeconds: 20 });
    // Act
    sqs.deleteMessage({ QueueUrl, ReceiptHandle: handle });
    // Assert
    expect((await pending).Messages?.map((m) => m.Body)).toStrictEqual(['2']);
  });

  it('fails to delete with a receipt handle whose visibility timeout ran out', async () => {
    // Arrange
    const { sqs, clock, QueueUrl } = await fifo({ ContentBasedDeduplication: 'true' });
    sqs.sendMessage({ QueueUrl, MessageBody: '1', MessageGroupId: 'g' });
    const handle = (await sqs.receiveMessage({ QueueUrl })).Messages?.[0]?.ReceiptHandle ?? '';
    await clock.advance(30_000);
    // Act
    const error = sqsErrorOf(() => sqs.deleteMessage({ QueueUrl, ReceiptHandle: handle }));
    // Assert
    expect([error.code, error.message]).toStrictEqual([
      'InvalidParameterValue',
      `Value ${handle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
    ]);
  });

  it.each<[string, object, string, string]>([
    [
      'without a group id',
      { MessageDeduplicationId: 'd' },
      'MissingParameter',
      'The request must contain the parameter MessageGroupId.',
    ],
    [
      'without a deduplication id or content-based deduplication',
      { MessageGroupId: 'g' },
      'InvalidParameterValue',
      'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    ],
    [
      'with a per-message delay',
      { MessageGroupId: 'g', MessageDeduplicationId: 'd', DelaySeconds: 5 },
      'InvalidParameterValue',
      'Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.',
    ],
  ])('fails when sending %s', async (_name, input, code, message) => {
    // Arrange
    const { sqs, QueueUrl } = await fifo();
    // Act
    const error = sqsErrorOf(() => sqs.sendMessage({ QueueUrl, MessageBody: 'x', ...input }));
    // Assert
    expect([error.code, error.message]).toStrictEqual([code, message]);
  });

  it('redrives a FIFO message to a FIFO DLQ and lets the group continue', async () => {
    // Arrange
    const { sqs, clock } = await openService();
    const dlq = sqs.createQueue({ QueueName: 'dlq.fifo', Attributes: { FifoQueue: 'true' } }).QueueUrl;
    const QueueUrl = sqs.createQueue({
      QueueName: 'work.fifo',
      Attributes: {
        FifoQueue: 'true',
        ContentBasedDeduplication: 'true',
        VisibilityTimeout: '1',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: sqs.queueArn('dlq.fifo'), maxReceiveCount: 1 }),
      },
    }).QueueUrl;
    sqs.sendMessage({ QueueUrl, MessageBody: 'poison', MessageGroupId: 'g' });
    sqs.sendMessage({ QueueUrl, MessageBody: 'next', MessageGroupId: 'g' });
    await sqs.receiveMessage({ QueueUrl });
    await clock.advance(1000);
    // Act
    const received = await sqs.receiveMessage({ QueueUrl });
    // Assert
    expect(received.Messages?.map((m) => m.Body)).toStrictEqual(['next']);
    expect(sqs.peek(dlq).map((m) => [m.body, m.messageGroupId])).toStrictEqual([['poison', 'g']]);
  });
});
