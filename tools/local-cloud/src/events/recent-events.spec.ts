import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DurableLog } from '@flow/durable-log';
import { ManualClock } from '../sqs/clock';
import { SqsService } from '../sqs/sqs-service';
import { EventBridgeService, type TargetDispatcher } from './event-bridge-service';
import { RECENT_LOG_FILE, type RecentRecord, type RecentSnapshot } from './persistence';
import { type EventEnvelope, type Target } from './types';

const START = Date.UTC(2026, 0, 1);

/** Fails the first `failures` attempts of each target id listed in `failing`; records the rest. */
class ScriptedDispatcher implements TargetDispatcher {
  readonly delivered: string[] = [];
  constructor(private readonly failing: Map<string, number> = new Map()) {}

  async dispatch(target: Target, _input: string, event: EventEnvelope): Promise<void> {
    const left = this.failing.get(target.Id) ?? 0;
    if (left > 0) {
      this.failing.set(target.Id, left - 1);
      throw Object.assign(new Error(`target ${target.Id} refused`), { code: 'ThrottlingException' });
    }
    this.delivered.push(event.id);
  }
}

const order = (n: number, bus = 'orders') => ({
  Source: 'flow.orders',
  DetailType: 'OrderSubmitted',
  Detail: JSON.stringify({ orderId: `o-${n}` }),
  EventBusName: bus,
});

const orderIds = (events: EventBridgeService): string[] =>
  events.recentEvents().map((entry) => (entry.event.detail as { orderId: string }).orderId);

describe('EventBridgeService recent events after a restart', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'events-recent-'));
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Buses `orders` (archived) and default; rules with a healthy target, a flaky one and one that dead-letters. */
  async function openWorld(options: { clock: ManualClock; dispatcher: TargetDispatcher; limit?: number }) {
    const sqs = await SqsService.open({ clock: options.clock });
    const events = await EventBridgeService.open({
      dataDir,
      clock: options.clock,
      dispatcher: options.dispatcher,
      sqs,
      ...(options.limit === undefined ? {} : { recentEventsLimit: options.limit }),
    });
    return { events, sqs };
  }

  function defineRules(events: EventBridgeService, sqs: SqsService): void {
    sqs.createQueue({ QueueName: 'rule-dlq' });
    events.createEventBus({ Name: 'orders' });
    events.createArchive({ ArchiveName: 'all-orders', EventSourceArn: events.busArn('orders') });
    events.putRule({ Name: 'to-flow', EventBusName: 'orders', EventPattern: '{"source":["flow.orders"]}' });
    events.putTargets({
      Rule: 'to-flow',
      EventBusName: 'orders',
      Targets: [
        { Id: 'healthy', Arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:ComplexWorkflow' },
        { Id: 'flaky', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:flaky' },
      ],
    });
    events.putRule({ Name: 'to-broken', EventPattern: '{"source":["flow.orders"]}' });
    events.putTargets({
      Rule: 'to-broken',
      Targets: [
        {
          Id: 'broken',
          Arn: 'arn:aws:lambda:us-east-1:000000000000:function:broken',
          RetryPolicy: { MaximumRetryAttempts: 1 },
          DeadLetterConfig: { Arn: sqs.queueArn('rule-dlq') },
        },
      ],
    });
  }

  it('returns the same events, newest first, with the same rules, archives and delivery statuses', async () => {
    // Arrange: flaky fails once (retried), broken always fails (dead-lettered after one retry)
    const clock = new ManualClock(START);
    const dispatcher = new ScriptedDispatcher(
      new Map([
        ['flaky', 1],
        ['broken', 99],
      ]),
    );
    const { events, sqs } = await openWorld({ clock, dispatcher });
    defineRules(events, sqs);
    events.putEvents({ Entries: [order(1), order(2, 'default')] });
    await clock.advance(1000);
    events.putEvents({ Entries: [order(3)] });
    await clock.advance(5000);
    await events.settled();
    const before = events.recentEvents();
    const beforeDefault = events.recentEvents({ eventBusName: 'default' });
    await events.close();
    // Act
    const { events: restarted } = await openWorld({ clock: new ManualClock(START + 10_000), dispatcher });
    // Assert
    expect(restarted.recentEvents()).toStrictEqual(before);
    expect(restarted.recentEvents({ eventBusName: 'default' })).toStrictEqual(beforeDefault);
    expect(before.map((entry) => [entry.eventBusName, entry.matchedRules, entry.archives])).toStrictEqual([
      ['orders', ['to-flow'], ['all-orders']],
      ['default', ['to-broken'], []],
      ['orders', ['to-flow'], ['all-orders']],
    ]);
    expect(before[2]?.receivedAt).toStrictEqual(new Date(START));
    expect(before[2]?.deliveries).toStrictEqual([
      {
        ruleName: 'to-flow',
        targetId: 'healthy',
        targetArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:ComplexWorkflow',
        status: 'delivered',
        attempts: 1,
      },
      {
        ruleName: 'to-flow',
        targetId: 'flaky',
        targetArn: 'arn:aws:lambda:us-east-1:000000000000:function:flaky',
        status: 'delivered',
        attempts: 2,
        errorCode: 'ThrottlingException',
        errorMessage: 'target flaky refused',
      },
    ]);
    expect(before[1]?.deliveries).toStrictEqual([
      {
        ruleName: 'to-broken',
        targetId: 'broken',
        targetArn: 'arn:aws:lambda:us-east-1:000000000000:function:broken',
        status: 'dead-lettered',
        attempts: 2,
        errorCode: 'ThrottlingException',
        errorMessage: 'target broken refused',
      },
    ]);
    await restarted.close();
  });

  it('keeps logging the status of a delivery that is retried after the restart', async () => {
    // Arrange: the flaky target fails, the process "dies" with its retry pending
    const clock = new ManualClock(START);
    const failing = new ScriptedDispatcher(new Map([['flaky', 1]]));
    const { events, sqs } = await openWorld({ clock, dispatcher: failing });
    defineRules(events, sqs);
    events.removeTargets({ Rule: 'to-broken', Ids: ['broken'] });
    events.putEvents({ Entries: [order(1)] });
    await events.settled();
    await events.flush();
    const retrying = events.recentEvents()[0]?.deliveries[1];
    // Act: a new process on the same folder; the retry runs there
    const healthy = new ScriptedDispatcher();
    const laterClock = new ManualClock(START); // the dead process's timers never fire again
    const { events: restarted } = await openWorld({ clock: laterClock, dispatcher: healthy });
    await laterClock.advance(1000);
    await restarted.settled();
    await restarted.close();
    const { events: again } = await openWorld({ clock: new ManualClock(START + 5000), dispatcher: healthy });
    // Assert
    expect(retrying).toStrictEqual({
      ruleName: 'to-flow',
      targetId: 'flaky',
      targetArn: 'arn:aws:lambda:us-east-1:000000000000:function:flaky',
      status: 'retrying',
      attempts: 1,
      errorCode: 'ThrottlingException',
      errorMessage: 'target flaky refused',
    });
    expect(again.recentEvents()[0]?.deliveries[1]).toStrictEqual({
      ...retrying,
      status: 'delivered',
      attempts: 2,
    });
    expect(healthy.delivered).toHaveLength(1);
    await again.close();
    await events.close();
  });

  it('keeps only the newest events up to the limit, and its journal stays bounded by it', async () => {
    // Arrange
    const clock = new ManualClock(START);
    const dispatcher = new ScriptedDispatcher();
    let { events } = await openWorld({ clock, dispatcher, limit: 5 });
    events.createEventBus({ Name: 'orders' });
    events.putRule({ Name: 'r', EventBusName: 'orders', EventPattern: '{"source":["flow.orders"]}' });
    events.putTargets({ Rule: 'r', EventBusName: 'orders', Targets: [{ Id: 't', Arn: 'arn:aws:sqs:::q' }] });
    const afterEachRestart: string[][] = [];
    // Act: 300 events over three runs
    for (let run = 0; run < 3; run++) {
      for (let n = run * 100; n < (run + 1) * 100; n++) {
        events.putEvents({ Entries: [order(n)] });
        await events.settled();
      }
      await events.close();
      ({ events } = await openWorld({ clock, dispatcher, limit: 5 }));
      afterEachRestart.push(orderIds(events));
    }
    await events.close();
    const journal = await DurableLog.open<RecentRecord, RecentSnapshot>(path.join(dataDir, RECENT_LOG_FILE));
    // Assert
    expect(afterEachRestart).toStrictEqual([
      ['o-99', 'o-98', 'o-97', 'o-96', 'o-95'],
      ['o-199', 'o-198', 'o-197', 'o-196', 'o-195'],
      ['o-299', 'o-298', 'o-297', 'o-296', 'o-295'],
    ]);
    // compacted every 20 records (four times the limit): at most 5 events in the snapshot, < 20 records after it
    expect(journal.recovered.snapshot?.events.length).toBeLessThanOrEqual(5);
    expect(journal.recovered.records.length).toBeLessThan(20);
    await journal.close();
  });

  it('skips a torn last line of its journal (kill -9 during a write) and keeps the events before it', async () => {
    // Arrange
    const clock = new ManualClock(START);
    const dispatcher = new ScriptedDispatcher();
    const { events, sqs } = await openWorld({ clock, dispatcher });
    defineRules(events, sqs);
    events.removeTargets({ Rule: 'to-broken', Ids: ['broken'] });
    events.putEvents({ Entries: [order(1), order(2)] });
    await events.settled();
    const before = events.recentEvents();
    events.putEvents({ Entries: [order(3)] });
    await events.settled();
    await events.close();
    // The last line of the journal (order 3's last delivery status) cut in the middle, as a kill -9 leaves it.
    const file = path.join(dataDir, RECENT_LOG_FILE);
    const text = fs.readFileSync(file, 'utf8');
    const lines = text.trimEnd().split('\n');
    const lastEvent = lines.findLastIndex((line) => line.includes('"t":"ev"'));
    fs.writeFileSync(
      file,
      `${lines.slice(0, lastEvent).join('\n')}\n${(lines[lastEvent] ?? '').slice(0, 40)}`,
    );
    // Act
    const { events: restarted } = await openWorld({ clock, dispatcher });
    const afterCrash = restarted.recentEvents();
    restarted.putEvents({ Entries: [order(4)] });
    await restarted.settled();
    await restarted.close();
    const { events: again } = await openWorld({ clock, dispatcher });
    // Assert
    expect(afterCrash).toStrictEqual(before);
    expect(orderIds(again)).toStrictEqual(['o-4', 'o-2', 'o-1']);
    await again.close();
  });

  it('changes its version on each new event and delivery status change, not on reads', async () => {
    // Arrange: a target that fails once
    const clock = new ManualClock(START);
    const events = await EventBridgeService.open({
      clock,
      dispatcher: new ScriptedDispatcher(new Map([['flaky', 1]])),
    });
    events.putRule({ Name: 'r', EventPattern: '{"source":["flow.orders"]}' });
    events.putTargets({ Rule: 'r', Targets: [{ Id: 'flaky', Arn: 'arn:aws:sqs:::q' }] });
    const versions = [events.recentEventsVersion()];
    // Act
    events.putEvents({ Entries: [order(1, 'default')] });
    versions.push(events.recentEventsVersion());
    await events.settled();
    versions.push(events.recentEventsVersion());
    events.recentEvents();
    versions.push(events.recentEventsVersion());
    await clock.advance(1000);
    await events.settled();
    versions.push(events.recentEventsVersion());
    // Assert: put, retrying, (read), delivered
    expect(versions).toStrictEqual([0, 1, 2, 2, 3]);
    expect(events.recentEvents()[0]?.deliveries[0]?.status).toBe('delivered');
    await events.close();
  });

  it('is empty on a new data folder and without one', async () => {
    // Arrange
    const clock = new ManualClock(START);
    const inMemory = await EventBridgeService.open({ clock, dispatcher: new ScriptedDispatcher() });
    inMemory.putEvents({ Entries: [order(1, 'default')] });
    await inMemory.close();
    // Act
    const reopened = await EventBridgeService.open({ clock, dispatcher: new ScriptedDispatcher() });
    const { events: fresh } = await openWorld({ clock, dispatcher: new ScriptedDispatcher() });
    // Assert
    expect([reopened.recentEvents(), fresh.recentEvents()]).toStrictEqual([[], []]);
    await reopened.close();
    await fresh.close();
  });
});
