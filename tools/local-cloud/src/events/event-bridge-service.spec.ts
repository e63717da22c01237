import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManualClock } from '../sqs/clock';
import { SqsService } from '../sqs/sqs-service';
import { EventBridgeError } from './errors';
import { EventBridgeService, type TargetDispatcher } from './event-bridge-service';
import { type EventEnvelope, type Target } from './types';

const START = Date.UTC(2026, 0, 1);

interface Delivered {
  targetId: string;
  input: string;
  eventId: string;
}

/** A dispatcher that records deliveries and fails the first `failures` attempts with `code`. */
class RecordingDispatcher implements TargetDispatcher {
  readonly delivered: Delivered[] = [];
  attempts = 0;
  constructor(
    private failures = 0,
    private readonly code = 'ThrottlingException',
  ) {}

  async dispatch(target: Target, input: string, event: EventEnvelope): Promise<void> {
    this.attempts++;
    if (this.failures > 0) {
      this.failures--;
      throw Object.assign(new Error(`target ${target.Id} refused`), { code: this.code });
    }
    this.delivered.push({ targetId: target.Id, input, eventId: event.id });
  }
}

async function open(
  options: { dispatcher?: TargetDispatcher; dataDir?: string; clock?: ManualClock; sqs?: SqsService } = {},
) {
  const clock = options.clock ?? new ManualClock(START);
  const dispatcher = options.dispatcher ?? new RecordingDispatcher();
  const events = await EventBridgeService.open({
    clock,
    dispatcher,
    ...(options.sqs ? { sqs: options.sqs } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  });
  return { events, clock, dispatcher };
}

const order = (detail: object = { orderId: 'o-1', amount: 150 }) => ({
  Source: 'flow.orders',
  DetailType: 'OrderSubmitted',
  Detail: JSON.stringify(detail),
  EventBusName: 'orders',
});

function errorOf(fn: () => unknown): EventBridgeError {
  try {
    fn();
  } catch (error) {
    if (error instanceof EventBridgeError) return error;
    throw error;
  }
  throw new Error('expected an EventBridgeError');
}

describe('EventBridgeService PutEvents', () => {
  it('builds the event envelope and delivers it to the targets of matching rules', async () => {
    // Arrange
    const dispatcher = new RecordingDispatcher();
    const { events } = await open({ dispatcher });
    events.createEventBus({ Name: 'orders' });
    events.putRule({
      Name: 'submitted',
      EventBusName: 'orders',
      EventPattern: '{"detail-type":["OrderSubmitted"]}',
    });
    events.putTargets({
      Rule: 'submitted',
      EventBusName: 'orders',
      Targets: [{ Id: 'sfn', Arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:ComplexWorkflow' }],
    });
    // Act
    const result = events.putEvents({ Entries: [order()] });
    await events.settled();
    // Assert
    expect(result).toStrictEqual({ FailedEntryCount: 0, Entries: [{ EventId: expect.any(String) }] });
    expect(dispatcher.delivered).toHaveLength(1);
    expect(JSON.parse(dispatcher.delivered[0]?.input ?? '')).toStrictEqual({
      version: '0',
      id: result.Entries[0]?.EventId,
      'detail-type': 'OrderSubmitted',
      source: 'flow.orders',
      account: '000000000000',
      time: '2026-01-01T00:00:00Z',
      region: 'us-east-1',
      resources: [],
      detail: { orderId: 'o-1', amount: 150 },
    });
  });

  it('uses the entry Time (epoch seconds from the wire, a Date, or ISO text)', async () => {
    // Arrange
    const { events } = await open();
    // Act
    events.putEvents({
      Entries: [
        { ...order(), EventBusName: 'default', Time: 1767225600 },
        { ...order(), EventBusName: 'default', Time: new Date('2026-01-01T00:00:05.500Z') },
      ],
    });
    // Assert
    expect(events.recentEvents().map((entry) => entry.event.time)).toStrictEqual([
      '2026-01-01T00:00:05Z',
      '2026-01-01T00:00:00Z',
    ]);
  });

  it('reports per-entry failures as AWS does and accepts the valid entries', async () => {
    // Arrange
    const { events } = await open();
    // Act
    const result = events.putEvents({
      Entries: [
        { Source: 'flow.orders', DetailType: 'OrderSubmitted', Detail: '{}' },
        { Source: 'flow.orders', DetailType: 'X' },
        { Source: 'flow.orders', DetailType: 'X', Detail: '{not json' },
        { Source: 'flow.orders', DetailType: 'X', Detail: '[1]' },
        { DetailType: 'X', Detail: '{}' },
        { Source: 'flow.orders', Detail: '{}' },
        { Source: 'aws.ec2', DetailType: 'X', Detail: '{}' },
        { ...order(), EventBusName: 'missing' },
      ],
    });
    // Assert
    expect(result).toStrictEqual({
      FailedEntryCount: 7,
      Entries: [
        { EventId: expect.any(String) },
        {
          ErrorCode: 'InvalidArgument',
          ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.',
        },
        { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
        { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
        {
          ErrorCode: 'InvalidArgument',
          ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.',
        },
        {
          ErrorCode: 'InvalidArgument',
          ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
        },
        { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' },
        { ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Event bus missing does not exist.' },
      ],
    });
  });

  it('fails when the entries exceed 256 KB or 10 entries, or are missing', async () => {
    // Arrange
    const { events } = await open();
    const big = { Source: 's', DetailType: 'd', Detail: JSON.stringify({ x: 'y'.repeat(262_144) }) };
    // Act
    const tooBig = errorOf(() => events.putEvents({ Entries: [big] }));
    const tooMany = errorOf(() => events.putEvents({ Entries: Array.from({ length: 11 }, () => order()) }));
    const none = errorOf(() => events.putEvents({}));
    // Assert
    expect([tooBig.code, tooBig.message]).toStrictEqual([
      'ValidationException',
      'Total size of the entries in the request is over the limit.',
    ]);
    expect(tooMany.code).toBe('ValidationException');
    expect(none.message).toBe(
      "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
    );
  });

  it('does not deliver to disabled rules and logs which rules matched', async () => {
    // Arrange
    const { events, dispatcher } = await open();
    events.putRule({ Name: 'on', EventPattern: '{"source":["flow.orders"]}' });
    events.putRule({ Name: 'off', EventPattern: '{"source":["flow.orders"]}', State: 'DISABLED' });
    events.putRule({ Name: 'other', EventPattern: '{"source":["other"]}' });
    for (const rule of ['on', 'off', 'other'])
      events.putTargets({
        Rule: rule,
        Targets: [{ Id: rule, Arn: 'arn:aws:lambda:us-east-1:000000000000:function:f' }],
      });
    // Act
    events.putEvents({ Entries: [{ ...order(), EventBusName: 'default' }] });
    await events.settled();
    // Assert
    expect((dispatcher as RecordingDispatcher).delivered.map((d) => d.targetId)).toStrictEqual(['on']);
    expect(events.recentEvents()[0]).toMatchObject({
      eventBusName: 'default',
      matchedRules: ['on'],
      deliveries: [{ ruleName: 'on', targetId: 'on', status: 'delivered', attempts: 1 }],
    });
  });

  it('applies each target InputPath / InputTransformer', async () => {
    // Arrange
    const dispatcher = new RecordingDispatcher();
    const { events } = await open({ dispatcher });
    events.putRule({ Name: 'r', EventPattern: '{"detail":{"amount":[{"numeric":[">",100]}]}}' });
    events.putTargets({
      Rule: 'r',
      Targets: [
        { Id: 'path', Arn: 'arn:aws:sqs:us-east-1:000000000000:q', InputPath: '$.detail' },
        {
          Id: 'transform',
          Arn: 'arn:aws:sqs:us-east-1:000000000000:q',
          InputTransformer: {
            InputPathsMap: { id: '$.detail.orderId' },
            InputTemplate: '{"order":"<id>","rule":"<aws.events.rule-name>"}',
          },
        },
      ],
    });
    // Act
    events.putEvents({ Entries: [{ ...order(), EventBusName: 'default' }] });
    await events.settled();
    // Assert
    expect(dispatcher.delivered.map((d) => [d.targetId, d.input])).toStrictEqual([
      ['path', '{"orderId":"o-1","amount":150}'],
      ['transform', '{"order":"o-1","rule":"r"}'],
    ]);
  });
});

describe('EventBridgeService rules and targets', () => {
  it('puts, describes, lists, disables and deletes rules with AWS ARNs', async () => {
    // Arrange
    const { events } = await open();
    events.createEventBus({ Name: 'orders' });
    // Act
    const { RuleArn } = events.putRule({
      Name: 'b',
      EventBusName: 'orders',
      EventPattern: '{"source":["x"]}',
      Description: 'd',
    });
    events.putRule({ Name: 'a', EventBusName: 'orders', EventPattern: '{"source":["y"]}' });
    events.disableRule({ Name: 'b', EventBusName: 'orders' });
    const described = events.describeRule({ Name: 'b', EventBusName: 'orders' });
    const page = events.listRules({ EventBusName: 'orders', Limit: 1 });
    const next = events.listRules({
      EventBusName: 'orders',
      Limit: 1,
      ...(page.NextToken ? { NextToken: page.NextToken } : {}),
    });
    events.deleteRule({ Name: 'a', EventBusName: 'orders' });
    // Assert
    expect(RuleArn).toBe('arn:aws:events:us-east-1:000000000000:rule/orders/b');
    expect(events.putRule({ Name: 'c', EventPattern: '{"source":["x"]}' }).RuleArn).toBe(
      'arn:aws:events:us-east-1:000000000000:rule/c',
    );
    expect(described).toStrictEqual({
      Name: 'b',
      Arn: RuleArn,
      EventPattern: '{"source":["x"]}',
      State: 'DISABLED',
      Description: 'd',
      EventBusName: 'orders',
      CreatedBy: '000000000000',
    });
    expect(page.Rules.map((rule) => rule.Name)).toStrictEqual(['a']);
    expect(next).toStrictEqual({ Rules: [expect.objectContaining({ Name: 'b' })] });
    expect(events.listRules({ EventBusName: 'orders' }).Rules.map((rule) => rule.Name)).toStrictEqual(['b']);
  });

  it.each<[string, () => object, string, string]>([
    [
      'an invalid pattern',
      () => ({ Name: 'r', EventPattern: '{"source":"x"}' }),
      'InvalidEventPatternException',
      'Event pattern is not valid. Reason: "source" must be an object or an array',
    ],
    [
      'neither pattern nor schedule',
      () => ({ Name: 'r' }),
      'ValidationException',
      'Parameter(s) EventPattern or ScheduleExpression must be specified.',
    ],
    [
      'a bad name',
      () => ({ Name: 'bad name', EventPattern: '{"source":["x"]}' }),
      'ValidationException',
      "1 validation error detected: Value 'bad name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
    ],
    [
      'an unknown bus',
      () => ({ Name: 'r', EventPattern: '{"source":["x"]}', EventBusName: 'nope' }),
      'ResourceNotFoundException',
      'Event bus nope does not exist.',
    ],
  ])('fails PutRule with %s', async (_name, input, code, message) => {
    // Arrange
    const { events } = await open();
    // Act
    const error = errorOf(() => events.putRule(input()));
    // Assert
    expect([error.code, error.message, error.status]).toStrictEqual([code, message, 400]);
  });

  it('fails to describe a missing rule and to delete a rule that has targets', async () => {
    // Arrange
    const { events } = await open();
    events.putRule({ Name: 'r', EventPattern: '{"source":["x"]}' });
    events.putTargets({ Rule: 'r', Targets: [{ Id: 't', Arn: 'arn:aws:sqs:us-east-1:000000000000:q' }] });
    // Act
    const missing = errorOf(() => events.describeRule({ Name: 'nope' }));
    const withTargets = errorOf(() => events.deleteRule({ Name: 'r' }));
    events.deleteRule({ Name: 'r', Force: true });
    // Assert
    expect([missing.code, missing.message]).toStrictEqual([
      'ResourceNotFoundException',
      'Rule nope does not exist on EventBus default.',
    ]);
    expect(withTargets.message).toBe("Rule can't be deleted since it has targets.");
    expect(events.listRules().Rules).toStrictEqual([]);
  });

  it('puts, replaces, lists and removes targets with per-entry failures', async () => {
    // Arrange
    const { events } = await open();
    events.putRule({ Name: 'r', EventPattern: '{"source":["x"]}' });
    // Act
    const put = events.putTargets({
      Rule: 'r',
      Targets: [
        { Id: 't1', Arn: 'arn:aws:sqs:us-east-1:000000000000:q', RetryPolicy: { MaximumRetryAttempts: 2 } },
        { Id: 'bad', Arn: 'arn:aws:sqs:us-east-1:000000000000:q', Input: '{}', InputPath: '$' },
      ],
    });
    events.putTargets({
      Rule: 'r',
      Targets: [{ Id: 't1', Arn: 'arn:aws:sqs:us-east-1:000000000000:other' }],
    });
    const listed = events.listTargetsByRule({ Rule: 'r' });
    events.removeTargets({ Rule: 'r', Ids: ['t1'] });
    // Assert
    expect(put).toStrictEqual({
      FailedEntryCount: 1,
      FailedEntries: [
        {
          TargetId: 'bad',
          ErrorCode: 'ValidationException',
          ErrorMessage: 'Only one of Input, InputPath, or InputTransformer must be provided.',
        },
      ],
    });
    expect(listed).toStrictEqual({
      Targets: [{ Id: 't1', Arn: 'arn:aws:sqs:us-east-1:000000000000:other' }],
    });
    expect(events.listTargetsByRule({ Rule: 'r' })).toStrictEqual({ Targets: [] });
  });

  it('fails when a rule would get more than 5 targets', async () => {
    // Arrange
    const { events } = await open();
    events.putRule({ Name: 'r', EventPattern: '{"source":["x"]}' });
    const targets = Array.from({ length: 6 }, (_, i) => ({
      Id: `t${i}`,
      Arn: 'arn:aws:sqs:us-east-1:000000000000:q',
    }));
    // Act
    const error = errorOf(() => events.putTargets({ Rule: 'r', Targets: targets }));
    // Assert
    expect([error.code, error.message]).toStrictEqual([
      'LimitExceededException',
      'The requested resource exceeds the maximum number allowed.',
    ]);
  });

  it('tests event patterns against full events', async () => {
    // Arrange
    const { events } = await open();
    const event = JSON.stringify({
      id: '1',
      account: '000000000000',
      source: 'flow.orders',
      time: '2026-01-01T00:00:00Z',
      region: 'us-east-1',
      resources: [],
      'detail-type': 'X',
      detail: { a: 1 },
    });
    // Act / Assert
    expect(events.testEventPattern({ EventPattern: '{"detail":{"a":[1]}}', Event: event })).toStrictEqual({
      Result: true,
    });
    expect(events.testEventPattern({ EventPattern: '{"detail":{"a":[2]}}', Event: event })).toStrictEqual({
      Result: false,
    });
    expect(errorOf(() => events.testEventPattern({ EventPattern: '{"a":"b"}', Event: event })).code).toBe(
      'InvalidEventPatternException',
    );
    expect(
      errorOf(() => events.testEventPattern({ EventPattern: '{"a":["b"]}', Event: '{"source":"x"}' }))
        .message,
    ).toBe(
      'Parameter Event is not valid. Reason: Provided Event must have mandatory fields: id, account, time, region, detail-type.',
    );
  });
});

describe('EventBridgeService retries and dead-letter queues', () => {
  async function withDlq(dispatcher: RecordingDispatcher, retryPolicy: Target['RetryPolicy']) {
    const clock = new ManualClock(START);
    const sqs = await SqsService.open({ clock });
    const dlqUrl = sqs.createQueue({ QueueName: 'rule-dlq' }).QueueUrl;
    const { events } = await open({ dispatcher, clock, sqs });
    events.putRule({ Name: 'r', EventPattern: '{"source":["flow.orders"]}' });
    events.putTargets({
      Rule: 'r',
      Targets: [
        {
          Id: 'fn',
          Arn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
          ...(retryPolicy ? { RetryPolicy: retryPolicy } : {}),
          DeadLetterConfig: { Arn: sqs.queueArn('rule-dlq') },
        },
      ],
    });
    return { events, clock, sqs, dlqUrl };
  }

  it('retries a failing target with exponential backoff until it succeeds', async () => {
    // Arrange
    const dispatcher = new RecordingDispatcher(2);
    const { events, clock } = await withDlq(dispatcher, { MaximumRetryAttempts: 5 });
    // Act
    events.putEvents({ Entries: [{ ...order(), EventBusName: 'default' }] });
    await events.settled();
    const afterFirst = dispatcher.attempts;
    await clock.advance(999);
    const before1s = dispatcher.attempts;
    await clock.advance(1);
    await events.settled();
    await clock.advance(2000);
    await events.settled();
    // Assert
    expect([afterFirst, before1s, dispatcher.attempts]).toStrictEqual([1, 1, 3]);
    expect(dispatcher.delivered).toHaveLength(1);
    expect(events.recentEvents()[0]?.deliveries).toStrictEqual([
      {
        ruleName: 'r',
        targetId: 'fn',
        targetArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
        status: 'delivered',
        attempts: 3,
        errorCode: 'ThrottlingException',
        errorMessage: 'target fn refused',
      },
    ]);
  });

  it('sends the event to the rule DLQ with the error attributes after the last retry', async () => {
    // Arrange
    const dispatcher = new RecordingDispatcher(100);
    const { events, clock, sqs, dlqUrl } = await withDlq(dispatcher, { MaximumRetryAttempts: 2 });
    // Act
    const { Entries } = events.putEvents({ Entries: [{ ...order(), EventBusName: 'default' }] });
    for (let i = 0; i < 3; i++) {
      await events.settled();
      await clock.advance(10_000);
    }
    const received = await sqs.receiveMessage({ QueueUrl: dlqUrl, MessageAttributeNames: ['All'] });
    // Assert
    const message = received.Messages?.[0];
    expect(dispatcher.attempts).toBe(3);
    expect((JSON.parse(message?.Body ?? '{}') as EventEnvelope).id).toBe(Entries[0]?.EventId);
    expect(message?.MessageAttributes).toStrictEqual({
      ERROR_CODE: { DataType: 'String', StringValue: 'ThrottlingException' },
      ERROR_MESSAGE: { DataType: 'String', StringValue: 'target fn refused' },
      RULE_ARN: { DataType: 'String', StringValue: 'arn:aws:events:us-east-1:000000000000:rule/r' },
      TARGET_ARN: { DataType: 'String', StringValue: 'arn:aws:lambda:us-east-1:000000000000:function:f' },
      RETRY_ATTEMPTS: { DataType: 'Number', StringValue: '2' },
      EXHAUSTED_RETRY_CONDITION: { DataType: 'String', StringValue: 'MaximumRetryAttemptsExhausted' },
    });
    expect(events.recentEvents()[0]?.deliveries[0]?.status).toBe('dead-lettered');
    expect(events.pendingDeliveries()).toStrictEqual([]);
  });

  it('stops retrying once the event is older than MaximumEventAgeInSeconds', async () => {
    // Arrange
    const dispatcher = new RecordingDispatcher(100);
    const { events, clock, sqs, dlqUrl } = await withDlq(dispatcher, { MaximumEventAgeInSeconds: 60 });
    // Act
    events.putEvents({ Entries: [{ ...order(), EventBusName: 'default' }] });
    for (let i = 0; i < 10; i++) {
      await events.settled();
      await clock.advance(60_000);
    }
    const received = await sqs.receiveMessage({
      QueueUrl: dlqUrl,
      MessageAttributeNames: ['EXHAUSTED_RETRY_CONDITION'],
    });
    // Assert
    expect(dispatcher.attempts).toBe(6); // 0 + 1 + 2 + 4 + 8 + 16 s; the next (32 s) would pass 60 s
    expect(received.Messages?.[0]?.MessageAttributes).toStrictEqual({
      EXHAUSTED_RETRY_CONDITION: { DataType: 'String', StringValue: 'MaximumEventAgeExhausted' },
    });
  });

  it('dead-letters at once an error that is not retryable', async () => {
    // Arrange
    const dispatcher = new RecordingDispatcher(1, 'ResourceNotFoundException');
    const { events, sqs, dlqUrl } = await withDlq(dispatcher, undefined);
    // Act
    events.putEvents({ Entries: [{ ...order(), EventBusName: 'default' }] });
    await events.settled();
    const received = await sqs.receiveMessage({
      QueueUrl: dlqUrl,
      MessageAttributeNames: ['ERROR_CODE', 'EXHAUSTED_RETRY_CONDITION'],
    });
    // Assert
    expect(dispatcher.attempts).toBe(1);
    expect(received.Messages?.[0]?.MessageAttributes).toStrictEqual({
      ERROR_CODE: { DataType: 'String', StringValue: 'ResourceNotFoundException' },
    });
  });
});

describe('EventBridgeService archives and replays', () => {
  async function archived() {
    const dispatcher = new RecordingDispatcher();
    const opened = await open({ dispatcher });
    const { events } = opened;
    events.createEventBus({ Name: 'orders' });
    events.createArchive({ ArchiveName: 'all', EventSourceArn: events.busArn('orders') });
    events.createArchive({
      ArchiveName: 'big',
      EventSourceArn: events.busArn('orders'),
      EventPattern: '{"detail":{"amount":[{"numeric":[">",100]}]}}',
    });
    return { ...opened, dispatcher };
  }

  it('keeps every event on the bus (matched by a rule or not) and filters by the archive pattern', async () => {
    // Arrange
    const { events } = await archived();
    // Act
    events.putEvents({ Entries: [order({ amount: 150 }), order({ amount: 5 })] });
    // Assert
    expect(events.archivedEvents('all').map((event) => event.detail)).toStrictEqual([
      { amount: 150 },
      { amount: 5 },
    ]);
    expect(events.archivedEvents('big').map((event) => event.detail)).toStrictEqual([{ amount: 150 }]);
    expect(events.describeArchive({ ArchiveName: 'all' })).toMatchObject({
      ArchiveArn: 'arn:aws:events:us-east-1:000000000000:archive/all',
      EventSourceArn: events.busArn('orders'),
      State: 'ENABLED',
      EventCount: 2,
      RetentionDays: 0,
    });
    expect(
      events.listArchives({ NamePrefix: 'b' }).Archives.map((archive) => archive.ArchiveName),
    ).toStrictEqual(['big']);
  });

  it('replays archived events in the time window to the bus rules with replay-name, without archiving them again', async () => {
    // Arrange
    const { events, clock, dispatcher } = await archived();
    events.putEvents({ Entries: [order({ n: 1 })] });
    await clock.advance(60_000);
    events.putEvents({ Entries: [order({ n: 2 })] });
    events.putRule({ Name: 'late', EventBusName: 'orders', EventPattern: '{"source":["flow.orders"]}' });
    events.putTargets({
      Rule: 'late',
      EventBusName: 'orders',
      Targets: [
        {
          Id: 't',
          Arn: 'arn:aws:sqs:us-east-1:000000000000:q',
          InputTransformer: {
            InputPathsMap: { n: '$.detail.n', r: '$.replay-name' },
            InputTemplate: '{"n":<n>,"replay":"<r>"}',
          },
        },
      ],
    });
    // Act
    const started = events.startReplay({
      ReplayName: 'again',
      EventSourceArn: events.archiveArn('all'),
      EventStartTime: new Date(START),
      EventEndTime: new Date(START + 30_000),
      Destination: { Arn: events.busArn('orders') },
    });
    await clock.advance(0);
    await events.settled();
    // Assert
    expect(started).toStrictEqual({
      ReplayArn: 'arn:aws:events:us-east-1:000000000000:replay/again',
      State: 'STARTING',
      ReplayStartTime: new Date(START + 60_000),
    });
    expect(dispatcher.delivered.map((d) => d.input)).toStrictEqual(['{"n":1,"replay":"again"}']);
    expect(events.describeReplay({ ReplayName: 'again' })).toMatchObject({
      State: 'COMPLETED',
      EventLastReplayedTime: new Date(START),
    });
    expect(events.archivedEvents('all')).toHaveLength(2);
  });

  it.each<[string, object, string]>([
    [
      'an end before the start',
      { EventEndTime: new Date(START - 1) },
      'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.',
    ],
    [
      'another destination bus',
      { Destination: { Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default' } },
      'Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.',
    ],
    [
      'a missing archive',
      { EventSourceArn: 'arn:aws:events:us-east-1:000000000000:archive/nope' },
      'Archive nope does not exist.',
    ],
  ])('fails StartReplay with %s', async (_name, override, message) => {
    // Arrange
    const { events } = await archived();
    // Act
    const error = errorOf(() =>
      events.startReplay({
        ReplayName: 'r',
        EventSourceArn: events.archiveArn('all'),
        EventStartTime: new Date(START),
        EventEndTime: new Date(START + 1000),
        Destination: { Arn: events.busArn('orders') },
        ...override,
      }),
    );
    // Assert
    expect(error.message).toBe(message);
  });
});

describe('EventBridgeService durability', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'events-durable-'));
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps buses, rules, targets, archived events and pending retries across a crash', async () => {
    // Arrange: a target that fails, so a retry is pending when the process "dies"
    const clock = new ManualClock(START);
    const failing = new RecordingDispatcher(1);
    const { events } = await open({ dataDir, clock, dispatcher: failing });
    events.createEventBus({ Name: 'orders' });
    events.createArchive({ ArchiveName: 'all', EventSourceArn: events.busArn('orders') });
    events.putRule({ Name: 'r', EventBusName: 'orders', EventPattern: '{"source":["flow.orders"]}' });
    events.putTargets({
      Rule: 'r',
      EventBusName: 'orders',
      Targets: [{ Id: 't', Arn: 'arn:aws:sqs:us-east-1:000000000000:q' }],
    });
    const { Entries } = events.putEvents({ Entries: [order()] });
    await events.settled();
    await events.flush();
    // Act
    const healthy = new RecordingDispatcher();
    const laterClock = new ManualClock(START); // the dead process's timers never fire again
    const { events: restarted } = await open({ dataDir, clock: laterClock, dispatcher: healthy });
    await laterClock.advance(1000);
    await restarted.settled();
    // Assert
    expect(restarted.listRules({ EventBusName: 'orders' }).Rules.map((rule) => rule.Name)).toStrictEqual([
      'r',
    ]);
    expect(restarted.listTargetsByRule({ Rule: 'r', EventBusName: 'orders' }).Targets).toHaveLength(1);
    expect(restarted.archivedEvents('all').map((event) => event.id)).toStrictEqual([Entries[0]?.EventId]);
    expect(healthy.delivered.map((d) => d.eventId)).toStrictEqual([Entries[0]?.EventId]);
    expect(restarted.pendingDeliveries()).toStrictEqual([]);
    await restarted.close();
    await events.close();
  });
});

describe('EventBridgeService scheduled rules', () => {
  it('sends a Scheduled Event to the rule targets every rate period while enabled', async () => {
    // Arrange
    const dispatcher = new RecordingDispatcher();
    const { events, clock } = await open({ dispatcher });
    events.putRule({ Name: 'tick', ScheduleExpression: 'rate(5 minutes)' });
    events.putTargets({
      Rule: 'tick',
      Targets: [{ Id: 't', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:f' }],
    });
    // Act
    await clock.advance(15 * 60_000);
    await events.settled();
    events.disableRule({ Name: 'tick' });
    await clock.advance(15 * 60_000);
    await events.settled();
    // Assert
    expect(dispatcher.delivered).toHaveLength(3);
    const first = JSON.parse(dispatcher.delivered[0]?.input ?? '{}') as EventEnvelope;
    expect(first).toStrictEqual({
      version: '0',
      id: expect.any(String),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      time: '2026-01-01T00:05:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:events:us-east-1:000000000000:rule/tick'],
      detail: {},
    });
  });

  it.each(['rate(1 minutes)', 'rate(2 minute)', 'rate(0 hours)', 'every 5 minutes', 'cron(0 12 * * ?)'])(
    'fails when the schedule expression is %j',
    async (expression) => {
      // Arrange
      const { events } = await open();
      // Act
      const error = errorOf(() => events.putRule({ Name: 'r', ScheduleExpression: expression }));
      // Assert
      expect([error.code, error.message]).toStrictEqual([
        'ValidationException',
        expect.stringMatching(/^Parameter ScheduleExpression is not valid: .+\.$/),
      ]);
    },
  );
});
