import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManualClock } from '../sqs/clock';
import { EventBridgeService, type TargetDispatcher } from './event-bridge-service';
import { durablePersistence } from './persistence';
import { type EventEnvelope, type Target } from './types';

/** Thursday 2026-01-01 00:00 UTC. */
const START = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const RULE_ARN = 'arn:aws:events:us-east-1:000000000000:rule/nightly';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:f';

interface Delivered {
  targetId: string;
  input: string;
  time: string;
}

class RecordingDispatcher implements TargetDispatcher {
  readonly delivered: Delivered[] = [];

  async dispatch(target: Target, input: string, event: EventEnvelope): Promise<void> {
    this.delivered.push({ targetId: target.Id, input, time: event.time });
  }
}

const open = async (clock: ManualClock, dataDir?: string) => {
  const dispatcher = new RecordingDispatcher();
  const events = await EventBridgeService.open({ clock, dispatcher, ...(dataDir ? { dataDir } : {}) });
  return { events, dispatcher };
};

describe('EventBridgeService cron(...) schedules', () => {
  it('sends the Scheduled Event AWS sends to the targets at each cron time (UTC)', async () => {
    // Arrange
    const clock = new ManualClock(START);
    const { events, dispatcher } = await open(clock);
    events.putRule({ Name: 'nightly', ScheduleExpression: 'cron(30 2 ? * MON-FRI *)' });
    events.putTargets({ Rule: 'nightly', Targets: [{ Id: 'job', Arn: FUNCTION_ARN }] });

    // Act: Thursday, Friday, (weekend), Monday
    await clock.advance(5 * DAY);
    await events.settled();

    // Assert
    expect(dispatcher.delivered.map((d) => d.time)).toStrictEqual([
      '2026-01-01T02:30:00Z',
      '2026-01-02T02:30:00Z',
      '2026-01-05T02:30:00Z',
    ]);
    expect({
      ...(JSON.parse(dispatcher.delivered[0]?.input ?? '{}') as EventEnvelope),
      id: 'id',
    }).toStrictEqual({
      version: '0',
      id: 'id',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      time: '2026-01-01T02:30:00Z',
      region: 'us-east-1',
      resources: [RULE_ARN],
      detail: {},
    });
    await events.close();
  });

  it('applies the targets Input, InputPath and InputTransformer to the scheduled event', async () => {
    // Arrange
    const clock = new ManualClock(START);
    const { events, dispatcher } = await open(clock);
    events.putRule({ Name: 'nightly', ScheduleExpression: 'cron(0 3 * * ? *)' });
    events.putTargets({
      Rule: 'nightly',
      Targets: [
        { Id: 'constant', Arn: FUNCTION_ARN, Input: '{"job":"cleanup"}' },
        { Id: 'path', Arn: FUNCTION_ARN, InputPath: '$.resources' },
        {
          Id: 'transformed',
          Arn: FUNCTION_ARN,
          InputTransformer: {
            InputPathsMap: { at: '$.time', kind: '$.detail-type' },
            InputTemplate: '{"at":<at>,"kind":<kind>,"rule":<aws.events.rule-name>}',
          },
        },
      ],
    });

    // Act
    await clock.advance(3 * HOUR);
    await events.settled();

    // Assert
    expect(
      dispatcher.delivered
        .map((d) => ({ targetId: d.targetId, input: JSON.parse(d.input) as unknown }))
        .sort((a, b) => a.targetId.localeCompare(b.targetId)),
    ).toStrictEqual([
      { targetId: 'constant', input: { job: 'cleanup' } },
      { targetId: 'path', input: [RULE_ARN] },
      {
        targetId: 'transformed',
        input: { at: '2026-01-01T03:00:00Z', kind: 'Scheduled Event', rule: 'nightly' },
      },
    ]);
    await events.close();
  });

  it('stops firing while the rule is disabled and when its schedule changes', async () => {
    // Arrange
    const clock = new ManualClock(START);
    const { events, dispatcher } = await open(clock);
    events.putRule({ Name: 'nightly', ScheduleExpression: 'cron(0 * * * ? *)' });
    events.putTargets({ Rule: 'nightly', Targets: [{ Id: 'job', Arn: FUNCTION_ARN }] });

    // Act
    await clock.advance(2 * HOUR); // 01:00, 02:00
    events.disableRule({ Name: 'nightly' });
    await clock.advance(2 * HOUR); // none
    events.enableRule({ Name: 'nightly' });
    events.putRule({ Name: 'nightly', ScheduleExpression: 'cron(30 6 * * ? *)' });
    await clock.advance(4 * HOUR); // 06:30 only
    await events.settled();

    // Assert
    expect(dispatcher.delivered.map((d) => d.time)).toStrictEqual([
      '2026-01-01T01:00:00Z',
      '2026-01-01T02:00:00Z',
      '2026-01-01T06:30:00Z',
    ]);
    await events.close();
  });

  it('fails when a cron expression is not AWS syntax (ValidationException naming the field)', async () => {
    // Arrange
    const { events } = await open(new ManualClock(START));

    // Act
    const attempt = (): unknown => events.putRule({ Name: 'bad', ScheduleExpression: 'cron(0 12 ? * 0 *)' });

    // Assert
    expect(attempt).toThrow(
      expect.objectContaining({
        code: 'ValidationException',
        message: 'Parameter ScheduleExpression is not valid: Day-of-week value "0" is not valid (1-7).',
      }),
    );
    await events.close();
  });
});

describe('EventBridgeService schedules across a restart', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'events-schedule-'));
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    ['cron(0 * * * ? *)', '2026-01-03T01:00:00Z'],
    ['rate(1 hour)', '2026-01-03T01:00:00Z'],
  ])(
    '%s fires no burst of the runs missed while stopped, then keeps its schedule',
    async (expression, first) => {
      // Arrange: the rule ran for 2 hours, then the local cloud was stopped for two days
      const clock = new ManualClock(START);
      const before = await open(clock, dataDir);
      before.events.putRule({ Name: 'nightly', ScheduleExpression: expression });
      before.events.putTargets({ Rule: 'nightly', Targets: [{ Id: 'job', Arn: FUNCTION_ARN }] });
      await clock.advance(2 * HOUR);
      await before.events.settled();
      await before.events.close();
      const later = new ManualClock(START + 2 * DAY);

      // Act
      const after = await open(later, dataDir);
      await later.advance(0);
      const atRestart = after.dispatcher.delivered.length;
      await later.advance(2 * HOUR);
      await after.events.settled();

      // Assert
      expect(before.dispatcher.delivered).toHaveLength(2);
      expect(atRestart).toBe(0);
      expect(after.dispatcher.delivered.map((d) => d.time)).toStrictEqual([first, '2026-01-03T02:00:00Z']);
      await after.events.close();
    },
  );

  it('starts with a rule an older version stored with a schedule PutRule now refuses (kept, not fired)', async () => {
    // Arrange: the record an older version wrote for `cron(0 12 * * * *)` (both day fields set)
    const persistence = await durablePersistence(dataDir);
    persistence.write({
      t: 'rule',
      rule: {
        bus: 'default',
        name: 'legacy',
        schedule: 'cron(0 12 * * * *)',
        state: 'ENABLED',
        created: START,
      },
    });
    await persistence.close();
    const clock = new ManualClock(START);

    // Act
    const { events, dispatcher } = await open(clock, dataDir);
    await clock.advance(DAY);

    // Assert
    expect(events.describeRule({ Name: 'legacy' }).ScheduleExpression).toBe('cron(0 12 * * * *)');
    expect(dispatcher.delivered).toStrictEqual([]);
    await events.close();
  });
});
