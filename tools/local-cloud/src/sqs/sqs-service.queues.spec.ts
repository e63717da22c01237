import { describeError, openService, sqsErrorOf, START } from './test-helpers';

describe('SqsService queues', () => {
  it('creates a queue with a local URL and reports its attributes with defaults', async () => {
    // Arrange
    const { sqs } = await openService();
    // Act
    const { QueueUrl } = sqs.createQueue({ QueueName: 'orders', Attributes: { VisibilityTimeout: '0' } });
    const attributes = sqs.getQueueAttributes({ QueueUrl, AttributeNames: ['All'] });
    // Assert
    expect(QueueUrl).toBe('http://127.0.0.1:4566/000000000000/orders');
    expect(attributes).toStrictEqual({
      Attributes: {
        DelaySeconds: '0',
        MaximumMessageSize: '262144',
        MessageRetentionPeriod: '345600',
        ReceiveMessageWaitTimeSeconds: '0',
        VisibilityTimeout: '0',
        SqsManagedSseEnabled: 'true',
        QueueArn: 'arn:aws:sqs:us-east-1:000000000000:orders',
        ApproximateNumberOfMessages: '0',
        ApproximateNumberOfMessagesNotVisible: '0',
        ApproximateNumberOfMessagesDelayed: '0',
        CreatedTimestamp: String(START / 1000),
        LastModifiedTimestamp: String(START / 1000),
      },
    });
  });

  it('creates FIFO queues with their FIFO attributes', async () => {
    // Arrange
    const { sqs } = await openService();
    // Act
    const { QueueUrl } = sqs.createQueue({
      QueueName: 'approvals.fifo',
      Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' },
    });
    const attributes = sqs.getQueueAttributes({
      QueueUrl,
      AttributeNames: ['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'],
    });
    // Assert
    expect(attributes).toStrictEqual({
      Attributes: {
        FifoQueue: 'true',
        ContentBasedDeduplication: 'true',
        DeduplicationScope: 'queue',
        FifoThroughputLimit: 'perQueue',
      },
    });
  });

  it('returns the same URL when a queue is created again with the same attributes', async () => {
    // Arrange
    const { sqs } = await openService();
    const first = sqs.createQueue({ QueueName: 'q', Attributes: { DelaySeconds: '5' } });
    // Act
    const second = sqs.createQueue({ QueueName: 'q', Attributes: { DelaySeconds: '5' } });
    // Assert
    expect(second).toStrictEqual(first);
  });

  it('fails when a queue is created again with different attributes', async () => {
    // Arrange
    const { sqs } = await openService();
    sqs.createQueue({ QueueName: 'q', Attributes: { DelaySeconds: '5' } });
    // Act
    const error = sqsErrorOf(() => sqs.createQueue({ QueueName: 'q', Attributes: { DelaySeconds: '6' } }));
    // Assert
    expect(describeError(error)).toStrictEqual({
      code: 'QueueNameExists',
      queryCode: 'QueueAlreadyExists',
      status: 400,
      fault: 'Sender',
      message: 'A queue already exists with the same name and a different value for attribute DelaySeconds',
    });
  });

  it.each<[string, Record<string, string>, string, string]>([
    [
      'bad name!',
      {},
      'InvalidParameterValue',
      'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    ],
    [
      'q',
      { VisibilityTimeout: '43201' },
      'InvalidAttributeValue',
      'Invalid value for the parameter VisibilityTimeout.',
    ],
    ['q', { Colour: 'blue' }, 'InvalidAttributeName', 'Unknown Attribute Colour.'],
    [
      'q',
      { ContentBasedDeduplication: 'true' },
      'InvalidAttributeName',
      'Unknown Attribute ContentBasedDeduplication.',
    ],
    [
      'q',
      { FifoQueue: 'true' },
      'InvalidParameterValue',
      'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
    ],
    [
      'q',
      {
        RedrivePolicy:
          '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:missing","maxReceiveCount":3}',
      },
      'InvalidParameterValue',
      'Value {"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:missing","maxReceiveCount":3} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.',
    ],
    [
      'q',
      {
        RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":0}',
      },
      'InvalidParameterValue',
      'Value {"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":0} for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: 0, valid values are from 1 to 1000 both inclusive.',
    ],
  ])('fails when creating queue %j with attributes %j', async (name, attributes, code, message) => {
    // Arrange
    const { sqs } = await openService();
    // Act
    const error = sqsErrorOf(() => sqs.createQueue({ QueueName: name, Attributes: attributes }));
    // Assert
    expect([error.code, error.message]).toStrictEqual([code, message]);
  });

  it('fails when a standard queue redrives to a FIFO dead-letter queue', async () => {
    // Arrange
    const { sqs } = await openService();
    sqs.createQueue({ QueueName: 'dlq.fifo', Attributes: { FifoQueue: 'true' } });
    const policy = JSON.stringify({ deadLetterTargetArn: sqs.queueArn('dlq.fifo'), maxReceiveCount: 2 });
    // Act
    const error = sqsErrorOf(() =>
      sqs.createQueue({ QueueName: 'q', Attributes: { RedrivePolicy: policy } }),
    );
    // Assert
    expect(error.message).toBe(
      `Value ${policy} for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be same type of queue as the source.`,
    );
  });

  it('fails when the dead-letter queue does not allow the source (RedriveAllowPolicy)', async () => {
    // Arrange
    const { sqs } = await openService();
    sqs.createQueue({
      QueueName: 'dlq',
      Attributes: {
        RedriveAllowPolicy: JSON.stringify({
          redrivePermission: 'byQueue',
          sourceQueueArns: [sqs.queueArn('allowed')],
        }),
      },
    });
    const policy = JSON.stringify({ deadLetterTargetArn: sqs.queueArn('dlq'), maxReceiveCount: 2 });
    // Act
    const allowed = sqs.createQueue({ QueueName: 'allowed', Attributes: { RedrivePolicy: policy } });
    const error = sqsErrorOf(() =>
      sqs.createQueue({ QueueName: 'other', Attributes: { RedrivePolicy: policy } }),
    );
    // Assert
    expect(allowed.QueueUrl).toBe(sqs.queueUrl('allowed'));
    expect(error.code).toBe('InvalidParameterValue');
  });

  it('finds queues by name, URL on any host, and fails for unknown ones with both error codes', async () => {
    // Arrange
    const { sqs } = await openService();
    sqs.createQueue({ QueueName: 'orders' });
    // Act
    const byName = sqs.getQueueUrl({ QueueName: 'orders' });
    const viaOtherHost = sqs.getQueueAttributes({
      QueueUrl: 'http://localhost:9999/000000000000/orders',
      AttributeNames: ['QueueArn'],
    });
    const missing = sqsErrorOf(() => sqs.getQueueUrl({ QueueName: 'nope' }));
    const otherAccount = sqsErrorOf(() =>
      sqs.getQueueAttributes({ QueueUrl: 'http://h/111111111111/orders' }),
    );
    // Assert
    expect(byName).toStrictEqual({ QueueUrl: 'http://127.0.0.1:4566/000000000000/orders' });
    expect(viaOtherHost).toStrictEqual({
      Attributes: { QueueArn: 'arn:aws:sqs:us-east-1:000000000000:orders' },
    });
    expect(describeError(missing)).toStrictEqual({
      code: 'QueueDoesNotExist',
      queryCode: 'AWS.SimpleQueueService.NonExistentQueue',
      status: 400,
      fault: 'Sender',
      message: 'The specified queue does not exist.',
    });
    expect(otherAccount.code).toBe('QueueDoesNotExist');
  });

  it('lists queues by prefix with pagination', async () => {
    // Arrange
    const { sqs } = await openService();
    for (const name of ['a1', 'a2', 'a3', 'b1']) sqs.createQueue({ QueueName: name });
    // Act
    const all = sqs.listQueues({});
    const first = sqs.listQueues({ QueueNamePrefix: 'a', MaxResults: 2 });
    const second = sqs.listQueues({
      QueueNamePrefix: 'a',
      MaxResults: 2,
      ...(first.NextToken ? { NextToken: first.NextToken } : {}),
    });
    const none = sqs.listQueues({ QueueNamePrefix: 'zzz' });
    // Assert
    expect(all.QueueUrls).toStrictEqual(['a1', 'a2', 'a3', 'b1'].map((name) => sqs.queueUrl(name)));
    expect(first.QueueUrls).toStrictEqual([sqs.queueUrl('a1'), sqs.queueUrl('a2')]);
    expect(typeof first.NextToken).toBe('string');
    expect(second).toStrictEqual({ QueueUrls: [sqs.queueUrl('a3')] });
    expect(none).toStrictEqual({});
  });

  it('sets attributes, clears a redrive policy with an empty value, and updates LastModifiedTimestamp', async () => {
    // Arrange
    const { sqs, clock } = await openService();
    sqs.createQueue({ QueueName: 'dlq' });
    const { QueueUrl } = sqs.createQueue({ QueueName: 'q' });
    await clock.advance(5000);
    // Act
    sqs.setQueueAttributes({
      QueueUrl,
      Attributes: {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: sqs.queueArn('dlq'), maxReceiveCount: '4' }),
      },
    });
    const withPolicy = sqs.getQueueAttributes({
      QueueUrl,
      AttributeNames: ['RedrivePolicy', 'LastModifiedTimestamp'],
    });
    sqs.setQueueAttributes({ QueueUrl, Attributes: { RedrivePolicy: '' } });
    const cleared = sqs.getQueueAttributes({ QueueUrl, AttributeNames: ['RedrivePolicy'] });
    // Assert
    expect(withPolicy).toStrictEqual({
      Attributes: {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: sqs.queueArn('dlq'), maxReceiveCount: '4' }),
        LastModifiedTimestamp: String(START / 1000 + 5),
      },
    });
    expect(cleared).toStrictEqual({});
    expect(sqs.listDeadLetterSourceQueues({ QueueUrl: sqs.queueUrl('dlq') })).toStrictEqual({
      queueUrls: [],
    });
  });

  it('fails when getting an unknown attribute name', async () => {
    // Arrange
    const { sqs } = await openService();
    const { QueueUrl } = sqs.createQueue({ QueueName: 'q' });
    // Act
    const error = sqsErrorOf(() => sqs.getQueueAttributes({ QueueUrl, AttributeNames: ['Nope'] }));
    // Assert
    expect([error.code, error.message]).toStrictEqual(['InvalidAttributeName', 'Unknown Attribute Nope.']);
  });

  it('deletes a queue and fails afterwards with QueueDoesNotExist', async () => {
    // Arrange
    const { sqs } = await openService();
    const { QueueUrl } = sqs.createQueue({ QueueName: 'q' });
    // Act
    sqs.deleteQueue({ QueueUrl });
    const error = sqsErrorOf(() => sqs.sendMessage({ QueueUrl, MessageBody: 'x' }));
    // Assert
    expect(error.code).toBe('QueueDoesNotExist');
  });

  it('purges a queue once per minute and fails with PurgeQueueInProgress (403) in between', async () => {
    // Arrange
    const { sqs, clock } = await openService();
    const { QueueUrl } = sqs.createQueue({ QueueName: 'q' });
    sqs.sendMessage({ QueueUrl, MessageBody: 'x' });
    // Act
    sqs.purgeQueue({ QueueUrl });
    const tooSoon = sqsErrorOf(() => sqs.purgeQueue({ QueueUrl }));
    await clock.advance(60_000);
    sqs.purgeQueue({ QueueUrl });
    // Assert
    expect(sqs.stats()[0]?.visible).toBe(0);
    expect(describeError(tooSoon)).toStrictEqual({
      code: 'PurgeQueueInProgress',
      queryCode: 'AWS.SimpleQueueService.PurgeQueueInProgress',
      status: 403,
      fault: 'Sender',
      message: 'Only one PurgeQueue operation on q is allowed every 60 seconds.',
    });
  });

  it('tags and untags queues', async () => {
    // Arrange
    const { sqs } = await openService();
    const { QueueUrl } = sqs.createQueue({ QueueName: 'q', tags: { team: 'flow' } });
    // Act
    sqs.tagQueue({ QueueUrl, Tags: { env: 'local' } });
    sqs.untagQueue({ QueueUrl, TagKeys: ['team'] });
    // Assert
    expect(sqs.listQueueTags({ QueueUrl })).toStrictEqual({ Tags: { env: 'local' } });
  });
});
