import { openService, sqsErrorOf } from './test-helpers';

async function redriveSetup() {
  const opened = await openService();
  const { sqs, clock } = opened;
  const dlqUrl = sqs.createQueue({ QueueName: 'dlq' }).QueueUrl;
  const workUrl = sqs.createQueue({
    QueueName: 'work',
    Attributes: {
      VisibilityTimeout: '1',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: sqs.queueArn('dlq'), maxReceiveCount: 1 }),
    },
  }).QueueUrl;
  for (const body of ['a', 'b', 'c']) sqs.sendMessage({ QueueUrl: workUrl, MessageBody: body });
  await sqs.receiveMessage({ QueueUrl: workUrl, MaxNumberOfMessages: 10 });
  await clock.advance(1000);
  await sqs.receiveMessage({ QueueUrl: workUrl, MaxNumberOfMessages: 10 }); // all three go to the DLQ
  return { ...opened, dlqUrl, workUrl };
}

describe('SqsService message move tasks', () => {
  it('moves DLQ messages back to their source queue and reports the task as completed', async () => {
    // Arrange
    const { sqs, clock, workUrl } = await redriveSetup();
    // Act
    const { TaskHandle } = sqs.startMessageMoveTask({ SourceArn: sqs.queueArn('dlq') });
    const running = sqs.listMessageMoveTasks({ SourceArn: sqs.queueArn('dlq') });
    await clock.advance(0);
    const done = sqs.listMessageMoveTasks({ SourceArn: sqs.queueArn('dlq') });
    const back = await sqs.receiveMessage({
      QueueUrl: workUrl,
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ['All'],
    });
    // Assert
    expect(running.Results[0]).toMatchObject({
      TaskHandle,
      Status: 'RUNNING',
      ApproximateNumberOfMessagesToMove: 3,
    });
    expect(done).toStrictEqual({
      Results: [
        {
          Status: 'COMPLETED',
          SourceArn: sqs.queueArn('dlq'),
          ApproximateNumberOfMessagesMoved: 3,
          ApproximateNumberOfMessagesToMove: 3,
          StartedTimestamp: expect.any(Number),
        },
      ],
    });
    expect(back.Messages?.map((m) => [m.Body, m.Attributes?.['ApproximateReceiveCount']])).toStrictEqual([
      ['a', '1'],
      ['b', '1'],
      ['c', '1'],
    ]);
    expect(sqs.peek('dlq')).toStrictEqual([]);
  });

  it('moves to an explicit destination at MaxNumberOfMessagesPerSecond', async () => {
    // Arrange
    const { sqs, clock } = await redriveSetup();
    const elsewhere = sqs.createQueue({ QueueName: 'elsewhere' }).QueueUrl;
    // Act
    sqs.startMessageMoveTask({
      SourceArn: sqs.queueArn('dlq'),
      DestinationArn: sqs.queueArn('elsewhere'),
      MaxNumberOfMessagesPerSecond: 2,
    });
    await clock.advance(0);
    const afterFirstSecond = sqs.peek(elsewhere).length;
    await clock.advance(1000);
    // Assert
    expect(afterFirstSecond).toBe(2);
    expect(sqs.peek(elsewhere).map((m) => m.body)).toStrictEqual(['a', 'b', 'c']);
  });

  it('cancels a running task', async () => {
    // Arrange
    const { sqs, clock } = await redriveSetup();
    const { TaskHandle } = sqs.startMessageMoveTask({
      SourceArn: sqs.queueArn('dlq'),
      MaxNumberOfMessagesPerSecond: 1,
    });
    await clock.advance(0);
    // Act
    const cancelled = sqs.cancelMessageMoveTask({ TaskHandle });
    await clock.advance(5000);
    const again = sqsErrorOf(() => sqs.cancelMessageMoveTask({ TaskHandle }));
    // Assert
    expect(cancelled).toStrictEqual({ ApproximateNumberOfMessagesMoved: 1 });
    expect(sqs.peek('dlq')).toHaveLength(2);
    expect(sqs.listMessageMoveTasks({ SourceArn: sqs.queueArn('dlq') }).Results[0]?.Status).toBe('CANCELLED');
    expect([again.code, again.message]).toStrictEqual([
      'UnsupportedOperation',
      'Only active tasks can be cancelled.',
    ]);
  });

  it('fails when the source is not a dead-letter queue, is missing, or already has a running task', async () => {
    // Arrange
    const { sqs } = await redriveSetup();
    sqs.startMessageMoveTask({ SourceArn: sqs.queueArn('dlq'), MaxNumberOfMessagesPerSecond: 1 });
    // Act
    const notDlq = sqsErrorOf(() => sqs.startMessageMoveTask({ SourceArn: sqs.queueArn('work') }));
    const missing = sqsErrorOf(() => sqs.startMessageMoveTask({ SourceArn: sqs.queueArn('nope') }));
    const twice = sqsErrorOf(() => sqs.startMessageMoveTask({ SourceArn: sqs.queueArn('dlq') }));
    // Assert
    expect([notDlq.code, notDlq.message]).toStrictEqual([
      'InvalidParameterValue',
      'Source queue must be configured as a Dead Letter Queue.',
    ]);
    expect([missing.code, missing.status]).toStrictEqual(['ResourceNotFoundException', 404]);
    expect(twice.code).toBe('UnsupportedOperation');
  });
});
