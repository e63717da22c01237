import { md5OfBody, md5OfMessageAttributes } from './md5';
import { describeError, openService, sqsErrorOf, START } from './test-helpers';

const attributes = {
  kind: { DataType: 'String', StringValue: 'approval' },
  amount: { DataType: 'Number', StringValue: '150' },
  'trace.id': { DataType: 'String', StringValue: 't-1' },
  blob: { DataType: 'Binary', BinaryValue: Buffer.from('hi').toString('base64') },
};

async function queue(extra: Record<string, string> = {}) {
  const opened = await openService();
  const { QueueUrl } = opened.sqs.createQueue({
    QueueName: 'q',
    Attributes: { VisibilityTimeout: '30', ...extra },
  });
  return { ...opened, QueueUrl };
}

describe('SqsService send and receive', () => {
  it('sends a message with attributes and returns the MD5s AWS computes', async () => {
    // Arrange
    const { sqs, QueueUrl } = await queue();
    // Act
    const sent = sqs.sendMessage({ QueueUrl, MessageBody: 'hello', MessageAttributes: attributes });
    // Assert
    expect(sent).toStrictEqual({
      MessageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      MD5OfMessageBody: md5OfBody('hello'),
      MD5OfMessageAttributes: md5OfMessageAttributes(attributes),
    });
  });

  it('receives a message with the requested system attributes and message attributes', async () => {
    // Arrange
    const { sqs, clock, QueueUrl } = await queue();
    const { MessageId } = sqs.sendMessage({
      QueueUrl,
      MessageBody: 'hello',
      MessageAttributes: attributes,
      MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-abc' } },
    });
    await clock.advance(250);
    // Act
    const received = await sqs.receiveMessage({
      QueueUrl,
      MessageSystemAttributeNames: [
        'ApproximateReceiveCount',
        'SentTimestamp',
        'ApproximateFirstReceiveTimestamp',
        'AWSTraceHeader',
      ],
      MessageAttributeNames: ['kind', 'trace.*'],
    });
    // Assert
    const selected = { kind: attributes.kind, 'trace.id': attributes['trace.id'] };
    expect(received).toStrictEqual({
      Messages: [
        {
          MessageId,
          ReceiptHandle: expect.any(String),
          MD5OfBody: md5OfBody('hello'),
          Body: 'hello',
          Attributes: {
            ApproximateReceiveCount: '1',
            SentTimestamp: String(START),
            ApproximateFirstReceiveTimestamp: String(START + 250),
            AWSTraceHeader: 'Root=1-abc',
          },
          MessageAttributes: selected,
          MD5OfMessageAttributes: md5OfMessageAttributes(selected),
        },
      ],
    });
  });

  it('returns every attribute for All and none when no names are asked', async () => {
    // Arrange
    const { sqs, QueueUrl } = await queue();
    sqs.sendMessage({ QueueUrl, MessageBody: 'a', MessageAttributes: attributes });
    sqs.sendMessage({ QueueUrl, MessageBody: 'b', MessageAttributes: attributes });
    // Act
    const all = await sqs.receiveMessage({
      QueueUrl,
      AttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    });
    const bare = await sqs.receiveMessage({ QueueUrl });
    // Assert
    expect(Object.keys(all.Messages?.[0]?.Attributes ?? {}).sort()).toStrictEqual([
      'ApproximateFirstReceiveTimestamp',
      'ApproximateReceiveCount',
      'SenderId',
      'SentTimestamp',
    ]);
    expect(all.Messages?.[0]?.MessageAttributes).toStrictEqual(attributes);
    expect(Object.keys(bare.Messages?.[0] ?? {}).sort()).toStrictEqual([
      'Body',
      'MD5OfBody',
      'MessageId',
      'ReceiptHandle',
    ]);
  });

  it('hides a received message for the visibility timeout and counts receives', async () => {
    // Arrange
    const { sqs, clock, QueueUrl } = await queue();
    sqs.sendMessage({ QueueUrl, MessageBody: 'x' });
    // Act
    const first = await sqs.receiveMessage({ QueueUrl });
    const whileHidden = await sqs.receiveMessage({ QueueUrl });
    const counts = sqs.getQueueAttributes({
      QueueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    });
    await clock.advance(30_000);
    const again = await sqs.receiveMessage({
      QueueUrl,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    });
    // Assert
    expect(first.Messages).toHaveLength(1);
    expect(whileHidden).toStrictEqual({});
    expect(counts).toStrictEqual({
      Attributes: { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '1' },
    });
    expect(again.Messages?.[0]?.Attributes).toStrictEqual({ ApproximateReceiveCount: '2' });
    expect(again.Messages?.[0]?.ReceiptHandle).not.toBe(first.Messages?.[0]?.ReceiptHandle);
  });

  it('honours a receive VisibilityTimeout of 0 and MaxNumberOfMessages', async () => {
    // Arrange
    const { sqs, QueueUrl } = await queue();
    for (let i = 0; i < 12; i++) sqs.sendMessage({ QueueUrl, MessageBody: `m${i}` });
    // Act
    const ten = await sqs.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 });
    const sameAgain = await sqs.receiveMessage({ QueueUrl, MaxNumberOfMessages: 3 });
    // Assert
    expect(ten.Messages?.map((m) => m.Body)).toStrictEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
    expect(sameAgain.Messages?.map((m) => m.Body)).toStrictEqual(['m0', 'm1', 'm2']);
  });

  it('delays messages by the queue DelaySeconds or the message DelaySeconds', async () => {
    // Arrange
    const { sqs, clock, QueueUrl } = await queue({ DelaySeconds: '10' });
    sqs.sendMessage({ QueueUrl, MessageBody: 'queue-delay' });
    sqs.sendMessage({ QueueUrl, MessageBody: 'no-delay', DelaySeconds: 0 });
    // Act
    const now = await sqs.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10 });
    const delayed = sqs.getQueueAttributes({
      QueueUrl,
      AttributeNames: ['ApproximateNumberOfMessagesDelayed'],
    });
    await clock.advance(10_000);
    const later = await sqs.receiveMessage({ QueueUrl, MaxNumberOfMessages: 10 });
    // Assert
    expect(now.Messages?.map((m) => m.Body)).toStrictEqual(['no-delay']);
    expect(delayed).toStrictEqual({ Attributes: { ApproximateNumberOfMessagesDelayed: '1' } });
    expect(later.Messages?.map((m) => m.Body)).toStrictEqual(['queue-delay']);
  });

  it('drops messages older than the retention period', async () => {
    // Arrange
    const { sqs, clock, QueueUrl } = await queue({ MessageRetentionPeriod: '60' });
    sqs.sendMessage({ QueueUrl, MessageBody: 'old' });
    // Act
    await clock.advance(60_000);
    const received = await sqs.receiveMessage({ QueueUrl });
    // Assert
    expect(received).toStrictEqual({});
    expect(sqs.peek('q')).toStrictEqual([]);
  });

  it.each<[string, object, string, string]>([
    [
      'an empty body',
      { MessageBody: '' },
      'MissingParameter',
      'The request must contain the parameter MessageBody.',
    ],
    [
      'invalid characters',
      { MessageBody: 'bad \u0001 char' },
      'InvalidMessageContents',
      'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
    ],
    [
      'a body too large',
      { MessageBody: 'x'.repeat(262145) },
      'InvalidParameterValue',
      'One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes.',
    ],
    [
      'a DelaySeconds above 900',
      { MessageBody: 'x', DelaySeconds: 901 },
      'InvalidParameterValue',
      'Value 901 for parameter DelaySeconds is invalid. Reason: Must be >= 0 and <= 900, if provided.',
    ],
    [
      'a Number attribute that is not a number',
      { MessageBody: 'x', MessageAttributes: { n: { DataType: 'Number', StringValue: 'abc' } } },
      'InvalidParameterValue',
      "Can't cast the value of message (user) attribute 'n' to a number.",
    ],
    [
      'an attribute with an unknown type',
      { MessageBody: 'x', MessageAttributes: { n: { DataType: 'Date', StringValue: 'x' } } },
      'InvalidParameterValue',
      "The type of message attribute 'n' is invalid. You must use only the following supported type prefixes: Binary, Number, String.",
    ],
    [
      'a deduplication id on a standard queue',
      { MessageBody: 'x', MessageDeduplicationId: 'd' },
      'InvalidParameterValue',
      'Value d for parameter MessageDeduplicationId is invalid. Reason: The request includes a parameter that is not valid for this queue type.',
    ],
  ])('fails when sending %s', async (_name, input, code, message) => {
    // Arrange
    const { sqs, QueueUrl } = await queue();
    // Act
    const error = sqsErrorOf(() => sqs.sendMessage({ QueueUrl, ...input }));
    // Assert
    expect([error.code, error.message]).toStrictEqual([code, message]);
  });

  it.each<[string, object, string]>([
    [
      'MaxNumberOfMessages 11',
      { MaxNumberOfMessages: 11 },
      'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
    ],
    [
      'WaitTimeSeconds 21',
      { WaitTimeSeconds: 21 },
      'Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.',
    ],
    [
      'VisibilityTimeout -1',
      { VisibilityTimeout: -1 },
      'Value -1 for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided.',
    ],
  ])('fails when receiving with %s', async (_name, input, message) => {
    // Arrange
    const { sqs, QueueUrl } = await queue();
    // Act
    const error = await sqs.receiveMessage({ QueueUrl, ...input }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    // Assert
    expect(error).toMatchObject({ code: 'InvalidParameterValue', message });
  });

  it('fails when receiving with an unknown system attribute name', async () => {
    // Arrange
    const { sqs, QueueUrl } = await queue();
    // Act / Assert
    await expect(
      sqs.receiveMessage({ QueueUrl, MessageSystemAttributeNames: ['Colour'] }),
    ).rejects.toMatchObject({
      code: 'InvalidAttributeName',
      message: 'Unknown Attribute Colour.',
    });
  });
});

describe('SqsService batches', () => {
  it('sends a batch with per-entry failures', async () => {
    // Arrange
    const { sqs, QueueUrl } = await queue();
    // Act
    const result = sqs.sendMessageBatch({
      QueueUrl,
      Entries: [
        { Id: 'ok', MessageBody: 'one' },
        { Id: 'bad', MessageBody: '' },
      ],
    });
    // Assert
    expect(result).toStrictEqual({
      Successful: [{ Id: 'ok', MessageId: expect.any(String), MD5OfMessageBody: md5OfBody('one') }],
      Failed: [
        {
          Id: 'bad',
          SenderFault: true,
          Code: 'MissingParameter',
          Message: 'The request must contain the parameter MessageBody.',
        },
      ],
    });
  });

  it.each<[string, unknown, object]>([
    [
      'no entries',
      [],
      {
        code: 'EmptyBatchRequest',
        queryCode: 'AWS.SimpleQueueService.EmptyBatchRequest',
        message: 'There should be at least one SendMessageBatchRequestEntry in the request.',
      },
    ],
    [
      'eleven entries',
      Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: 'x' })),
      {
        code: 'TooManyEntriesInBatchRequest',
        queryCode: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
        message: 'Maximum number of entries per request are 10. You have sent 11.',
      },
    ],
    [
      'repeated ids',
      [
        { Id: 'a', MessageBody: 'x' },
        { Id: 'a', MessageBody: 'y' },
      ],
      {
        code: 'BatchEntryIdsNotDistinct',
        queryCode: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
        message: 'Id a repeated.',
      },
    ],
    [
      'a malformed id',
      [{ Id: 'no spaces', MessageBody: 'x' }],
      {
        code: 'InvalidBatchEntryId',
        queryCode: 'AWS.SimpleQueueService.InvalidBatchEntryId',
        message:
          'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      },
    ],
    [
      'a total size over the limit',
      [
        { Id: 'a', MessageBody: 'x'.repeat(200_000) },
        { Id: 'b', MessageBody: 'x'.repeat(100_000) },
      ],
      {
        code: 'BatchRequestTooLong',
        queryCode: 'AWS.SimpleQueueService.BatchRequestTooLong',
        message: 'Batch requests cannot be longer than 262144 bytes. You have sent 300000 bytes.',
      },
    ],
  ])('fails the whole batch with %s', async (_name, entries, expected) => {
    // Arrange
    const { sqs, QueueUrl } = await queue();
    // Act
    const error = sqsErrorOf(() => sqs.sendMessageBatch({ QueueUrl, Entries: entries as never }));
    // Assert
    expect({ code: error.code, queryCode: error.queryCode, message: error.message }).toStrictEqual(expected);
  });

  it('deletes and changes visibility in batches with per-entry failures', async () => {
    // Arrange
    const { sqs, QueueUrl } = await queue();
    sqs.sendMessageBatch({
      QueueUrl,
      Entries: [
        { Id: 'a', MessageBody: 'a' },
        { Id: 'b', MessageBody: 'b' },
      ],
    });
    const received = await sqs.receiveMessage({ QueueUrl, MaxNumberOfMessages: 2 });
    const [a, b] = received.Messages ?? [];
    // Act
    const visibility = sqs.changeMessageVisibilityBatch({
      QueueUrl,
      Entries: [
        { Id: 'b', ReceiptHandle: b?.ReceiptHandle ?? '', VisibilityTimeout: 0 },
        { Id: 'junk', ReceiptHandle: 'junk', VisibilityTimeout: 0 },
      ],
    });
    const deleted = sqs.deleteMessageBatch({
      QueueUrl,
      Entries: [
        { Id: 'a', ReceiptHandle: a?.ReceiptHandle ?? '' },
        { Id: 'junk', ReceiptHandle: 'junk' },
      ],
    });
    // Assert
    const junkFailure = {
      Id: 'junk',
      SenderFault: true,
      Code: 'ReceiptHandleIsInvalid',
      Message: 'The input receipt handle "junk" is not a valid receipt handle.',
    };
    expect(visibility).toStrictEqual({ Successful: [{ Id: 'b' }], Failed: [junkFailure] });
    expect(deleted).toStrictEqual({ Successful: [{ Id: 'a' }], Failed: [junkFailure] });
    expect(sqs.peek('q').map((m) => [m.body, m.state])).toStrictEqual([['b', 'visible']]);
  });
});

describe('SqsService receipt handles', () => {
  it('deletes with the latest receipt handle and ignores a stale one, as SQS does', async () => {
    // Arrange
    const { sqs, clock, QueueUrl } = await queue();
    sqs.sendMessage({ QueueUrl, MessageBody: 'x' });
    const stale = (await sqs.receiveMessage({ QueueUrl })).Messages?.[0]?.ReceiptHandle ?? '';
    await clock.advance(30_000);
    const latest = (await sqs.receiveMessage({ QueueUrl })).Messages?.[0]?.ReceiptHandle ?? '';
    // Act
    sqs.deleteMessage({ QueueUrl, ReceiptHandle: stale });
    const afterStale = sqs.peek('q').length;
    sqs.deleteMessage({ QueueUrl, ReceiptHandle: latest });
    sqs.deleteMessage({ QueueUrl, ReceiptHandle: latest });
    // Assert
    expect(afterStale).toBe(1);
    expect(sqs.peek('q')).toStrictEqual([]);
  });

  it('fails with ReceiptHandleIsInvalid (404) for a malformed handle', async () => {
    // Arrange
    const { sqs, QueueUrl } = await queue();
    // Act
    const error = sqsErrorOf(() => sqs.deleteMessage({ QueueUrl, ReceiptHandle: 'not-a-handle' }));
    // Assert
    expect(describeError(error)).toStrictEqual({
      code: 'ReceiptHandleIsInvalid',
      queryCode: 'ReceiptHandleIsInvalid',
      status: 404,
      fault: 'Sender',
      message: 'The input receipt handle "not-a-handle" is not a valid receipt handle.',
    });
  });

  it('changes visibility of an in-flight message and fails once it is visible again', async () => {
    // Arrange
    const { sqs, clock, QueueUrl } = await queue();
    sqs.sendMessage({ QueueUrl, MessageBody: 'x' });
    const handle = (await sqs.receiveMessage({ QueueUrl })).Messages?.[0]?.ReceiptHandle ?? '';
    // Act
    sqs.changeMessageVisibility({ QueueUrl, ReceiptHandle: handle, VisibilityTimeout: 100 });
    await clock.advance(60_000);
    const stillHidden = await sqs.receiveMessage({ QueueUrl });
    await clock.advance(40_000);
    const notInflight = sqsErrorOf(() =>
      sqs.changeMessageVisibility({ QueueUrl, ReceiptHandle: handle, VisibilityTimeout: 5 }),
    );
    // Assert
    expect(stillHidden).toStrictEqual({});
    expect(describeError(notInflight)).toStrictEqual({
      code: 'MessageNotInflight',
      queryCode: 'AWS.SimpleQueueService.MessageNotInflight',
      status: 400,
      fault: 'Sender',
      message: 'The message referred to is not in flight.',
    });
  });

  it('fails to change visibility of a deleted message', async () => {
    // Arrange
    const { sqs, QueueUrl } = await queue();
    sqs.sendMessage({ QueueUrl, MessageBody: 'x' });
    const handle = (await sqs.receiveMessage({ QueueUrl })).Messages?.[0]?.ReceiptHandle ?? '';
    sqs.deleteMessage({ QueueUrl, ReceiptHandle: handle });
    // Act
    const error = sqsErrorOf(() =>
      sqs.changeMessageVisibility({ QueueUrl, ReceiptHandle: handle, VisibilityTimeout: 5 }),
    );
    // Assert
    expect([error.code, error.message]).toStrictEqual([
      'InvalidParameterValue',
      `Value ${handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
    ]);
  });

  it('fails when a receipt handle of another queue is used', async () => {
    // Arrange
    const { sqs, QueueUrl } = await queue();
    const other = sqs.createQueue({ QueueName: 'other' }).QueueUrl;
    sqs.sendMessage({ QueueUrl: other, MessageBody: 'x' });
    const handle = (await sqs.receiveMessage({ QueueUrl: other })).Messages?.[0]?.ReceiptHandle ?? '';
    // Act
    const error = sqsErrorOf(() => sqs.deleteMessage({ QueueUrl, ReceiptHandle: handle }));
    // Assert
    expect(error.code).toBe('ReceiptHandleIsInvalid');
  });
});

describe('SqsService long polling', () => {
  it('wakes a waiting receive when a message is sent', async () => {
    // Arrange
    const { sqs, clock, QueueUrl } = await queue();
    const pending = sqs.receiveMessage({ QueueUrl, WaitTimeSeconds: 20 });
    await clock.advance(3000);
    // Act
    sqs.sendMessage({ QueueUrl, MessageBody: 'late' });
    const received = await pending;
    // Assert
    expect(received.Messages?.map((m) => m.Body)).toStrictEqual(['late']);
  });

  it('answers with no messages when the wait time runs out', async () => {
    // Arrange
    const { sqs, clock, QueueUrl } = await queue({ ReceiveMessageWaitTimeSeconds: '5' });
    let settled = false;
    const pending = sqs.receiveMessage({ QueueUrl }).then((result) => {
      settled = true;
      return result;
    });
    // Act
    await clock.advance(4999);
    const before = settled;
    await clock.advance(1);
    // Assert
    expect(before).toBe(false);
    expect(await pending).toStrictEqual({});
  });

  it('wakes a waiting receive when an in-flight message becomes visible again', async () => {
    // Arrange
    const { sqs, clock, QueueUrl } = await queue({ VisibilityTimeout: '2' });
    sqs.sendMessage({ QueueUrl, MessageBody: 'x' });
    await sqs.receiveMessage({ QueueUrl });
    const pending = sqs.receiveMessage({
      QueueUrl,
      WaitTimeSeconds: 20,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    });
    // Act
    await clock.advance(2000);
    // Assert
    expect((await pending).Messages?.[0]?.Attributes).toStrictEqual({ ApproximateReceiveCount: '2' });
  });

  it('serves waiting receives in arrival order, one message each', async () => {
    // Arrange
    const { sqs, QueueUrl } = await queue();
    const first = sqs.receiveMessage({ QueueUrl, WaitTimeSeconds: 20 });
    const second = sqs.receiveMessage({ QueueUrl, WaitTimeSeconds: 20 });
    // Act
    sqs.sendMessage({ QueueUrl, MessageBody: 'one' });
    sqs.sendMessage({ QueueUrl, MessageBody: 'two' });
    // Assert
    expect((await first).Messages?.map((m) => m.Body)).toStrictEqual(['one']);
    expect((await second).Messages?.map((m) => m.Body)).toStrictEqual(['two']);
  });

  it('ends a long poll early when its signal aborts', async () => {
    // Arrange
    const { sqs, QueueUrl } = await queue();
    const controller = new AbortController();
    const pending = sqs.receiveMessage({ QueueUrl, WaitTimeSeconds: 20 }, { signal: controller.signal });
    // Act
    controller.abort();
    sqs.sendMessage({ QueueUrl, MessageBody: 'kept' });
    // Assert
    expect(await pending).toStrictEqual({});
    expect(sqs.peek('q').map((m) => m.state)).toStrictEqual(['visible']);
  });

  it('answers waiting receives with no messages on close', async () => {
    // Arrange
    const { sqs, QueueUrl } = await queue();
    const pending = sqs.receiveMessage({ QueueUrl, WaitTimeSeconds: 20 });
    // Act
    await sqs.close();
    // Assert
    expect(await pending).toStrictEqual({});
  });
});

describe('SqsService dead-letter queues', () => {
  async function withDlq(maxReceiveCount: number) {
    const opened = await openService();
    const { sqs } = opened;
    const dlqUrl = sqs.createQueue({ QueueName: 'dlq' }).QueueUrl;
    const QueueUrl = sqs.createQueue({
      QueueName: 'work',
      Attributes: {
        VisibilityTimeout: '1',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: sqs.queueArn('dlq'), maxReceiveCount }),
      },
    }).QueueUrl;
    return { ...opened, dlqUrl, QueueUrl };
  }

  it('moves a message to the DLQ after maxReceiveCount receives, keeping its id, body and attributes', async () => {
    // Arrange
    const { sqs, clock, QueueUrl, dlqUrl } = await withDlq(2);
    const { MessageId } = sqs.sendMessage({ QueueUrl, MessageBody: 'poison', MessageAttributes: attributes });
    // Act
    for (let i = 0; i < 2; i++) {
      await sqs.receiveMessage({ QueueUrl });
      await clock.advance(1000);
    }
    const third = await sqs.receiveMessage({ QueueUrl });
    const inDlq = await sqs.receiveMessage({
      QueueUrl: dlqUrl,
      MessageSystemAttributeNames: ['DeadLetterQueueSourceArn'],
      MessageAttributeNames: ['All'],
    });
    // Assert
    expect(third).toStrictEqual({});
    expect(
      inDlq.Messages?.map((m) => [m.MessageId, m.Body, m.Attributes, m.MessageAttributes]),
    ).toStrictEqual([[MessageId, 'poison', { DeadLetterQueueSourceArn: sqs.queueArn('work') }, attributes]]);
  });

  it('reports queue and DLQ counts in stats', async () => {
    // Arrange
    const { sqs, clock, QueueUrl } = await withDlq(1);
    sqs.sendMessage({ QueueUrl, MessageBody: 'a' });
    sqs.sendMessage({ QueueUrl, MessageBody: 'b' });
    await sqs.receiveMessage({ QueueUrl });
    await clock.advance(1000);
    // Act
    await sqs.receiveMessage({ QueueUrl, MaxNumberOfMessages: 1 }); // 'a' goes to the DLQ, 'b' is received
    const stats = sqs.stats();
    // Assert
    expect(stats).toStrictEqual([
      {
        name: 'dlq',
        url: sqs.queueUrl('dlq'),
        arn: sqs.queueArn('dlq'),
        fifo: false,
        visible: 1,
        inFlight: 0,
        delayed: 0,
        deadLetterSourceQueues: ['work'],
      },
      {
        name: 'work',
        url: sqs.queueUrl('work'),
        arn: sqs.queueArn('work'),
        fifo: false,
        visible: 0,
        inFlight: 1,
        delayed: 0,
        deadLetterQueue: { arn: sqs.queueArn('dlq'), name: 'dlq', maxReceiveCount: 1, depth: 1 },
        deadLetterSourceQueues: [],
      },
    ]);
  });

  it('peeks at messages without changing their visibility', async () => {
    // Arrange
    const { sqs, QueueUrl } = await withDlq(3);
    const { MessageId } = sqs.sendMessage({
      QueueUrl,
      MessageBody: '{"orderId":"o-1"}',
      MessageAttributes: { kind: attributes.kind },
    });
    // Act
    const peeked = sqs.peek(QueueUrl);
    const received = await sqs.receiveMessage({ QueueUrl });
    // Assert
    expect(peeked).toStrictEqual([
      {
        messageId: MessageId,
        state: 'visible',
        body: '{"orderId":"o-1"}',
        messageAttributes: { kind: attributes.kind },
        receiveCount: 0,
        sentTimestamp: START,
        visibleAt: START,
      },
    ]);
    expect(received.Messages).toHaveLength(1);
  });
});
