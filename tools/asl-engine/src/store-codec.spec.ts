import { StoreDecodeError, RecordDecoder, RecordEncoder } from './store-codec';
import type { StoreRecord } from './store';
import { harness, lambdaInvoke, FakeIntegrations } from './test-support';
import { TaskFailure } from './errors';

const FN = 'arn:aws:states:::lambda:invoke';

/** Records of executions that exercise every record kind: parallel branches, retries, catches, callbacks, redrive. */
async function realRecords(): Promise<StoreRecord[]> {
  let calls = 0;
  const integrations = new FakeIntegrations()
    .on(
      'lambda:invoke',
      lambdaInvoke((p) => {
        calls++;
        if (p === 'boom' || (p === 'flaky' && calls % 2 === 1)) throw new Error('no luck');
        return { echo: p, padding: 'a text long enough to be shared by reference' };
      }),
    )
    .on('sqs:sendMessage', async () => ({ MessageId: 'm-1' }));
  const h = await harness({ integrations });
  await h.run({
    StartAt: 'Both',
    States: {
      Both: {
        Type: 'Parallel',
        Branches: [
          {
            StartAt: 'A',
            States: { A: { Type: 'Task', Resource: FN, Parameters: { Payload: 'a' }, End: true } },
          },
          { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } },
        ],
        Next: 'Flaky',
      },
      Flaky: {
        Type: 'Task',
        Resource: FN,
        Parameters: { Payload: 'flaky' },
        Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 3 }],
        ResultPath: '$.flaky',
        Next: 'Boom',
      },
      Boom: {
        Type: 'Task',
        Resource: FN,
        Parameters: { Payload: 'boom' },
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Done' }],
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  });
  const failed = await h.run(
    {
      StartAt: 'Fail',
      States: { Fail: { Type: 'Task', Resource: FN, Parameters: { Payload: 'boom' }, End: true } },
    },
    { order: 'a long enough input text to be written only once' },
  );
  expect(failed.status).toBe('FAILED');
  const waiting = await h.start({
    StartAt: 'Ask',
    States: {
      Ask: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
        Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } },
        End: true,
      },
    },
  });
  await h.clock.runUntilIdle();
  const listed = await h.engine.listExecutions({ statusFilter: 'FAILED' });
  const failedArn = listed.executions[0]?.executionArn ?? '';
  integrations.on('lambda:invoke', async () => {
    throw new TaskFailure('Still', 'still failing');
  });
  await h.engine.redriveExecution({ executionArn: failedArn });
  await h.engine.waitForExecution(failedArn);
  await h.engine.stopExecution({ executionArn: waiting });
  await h.engine.close();
  return [...(await h.store.load())];
}

describe('store codec', () => {
  it('decodes what it encodes, through JSON, to records equal to the appended ones', async () => {
    // Arrange
    const records = await realRecords();
    const encoder = new RecordEncoder();
    // Act
    const text = JSON.stringify(records.map((r) => encoder.encode(r)));
    const decoder = new RecordDecoder();
    const decoded = (JSON.parse(text) as unknown[][]).map((e) => decoder.decode(e));
    // Assert
    expect(decoded).toStrictEqual(JSON.parse(JSON.stringify(records)));
    expect(text.length).toBeLessThan(JSON.stringify(records).length * 0.8);
  });

  it('writes a repeated text as a reference, the type as its code and the time since the execution started', () => {
    // Arrange
    const text = '{"order":"a text long enough to be shared"}';
    const encoder = new RecordEncoder();
    const ex: StoreRecord = {
      t: 'ex',
      x: 7,
      d: 'def',
      ex: {
        arn: 'arn:aws:states:us-east-1:000000000000:execution:m:e',
        smArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:m',
        name: 'e',
        input: text,
        startDate: 1,
        definition: '',
        roleArn: 'role',
        type: 'STANDARD',
      },
    };
    const entered: StoreRecord = {
      t: 'ev',
      x: 7,
      ev: {
        k: '0|r|0#0',
        ts: 2,
        type: 'PassStateEntered',
        id: 2,
        prev: 0,
        detailsKey: 'stateEnteredEventDetails',
        details: { name: 'P', input: text, inputDetails: { truncated: false } },
      },
    };
    const hidden: StoreRecord = {
      t: 'ev',
      x: 7,
      ev: { k: '0|r|1#2', ts: 3, type: 'ParallelStateSucceeded', id: 3, prev: 2, hidden: true },
    };
    // Act
    const encoded = [ex, entered, hidden].map((r) => encoder.encode(r));
    // Assert
    // Tag 4: the timestamp counts from the execution's start; 6 and 20 are the type codes of the two event types.
    expect(encoded.slice(1)).toStrictEqual([
      [4, 7, '0|r|0#0', 1, 6, 2, 0, 0, { name: 'P', input: 0, inputDetails: { truncated: false } }, 'input'],
      [4, 7, '0|r|1#2', 2, 20, 3, 2, 0, 0, 0, 1],
    ]);
    const decoder = new RecordDecoder();
    expect(encoded.map((e) => decoder.decode(e))).toStrictEqual([ex, entered, hidden]);
  });

  it('writes an event type it has no code for by name', () => {
    // Arrange
    const record: StoreRecord = {
      t: 'ev',
      x: 3,
      ev: { k: 'k', ts: 1_700_000_000_000, type: 'SomethingNew', id: 1, prev: 0 },
    };
    // Act
    const encoded = new RecordEncoder().encode(record);
    // Assert
    expect(encoded).toStrictEqual([0, 3, 'k', 1_700_000_000_000, 'SomethingNew', 1, 0]);
    expect(new RecordDecoder().decode(encoded)).toStrictEqual(record);
  });

  it('decodes records of logs written before the compact encoding unchanged', () => {
    // Arrange
    const old: StoreRecord = { t: 'j', x: 1, k: 'c|r@0', v: { e: 3, n: null } };
    // Act
    const decoded = new RecordDecoder().decode(old);
    // Assert
    expect(decoded).toStrictEqual(old);
  });

  it('decodes an event of a log written before the compact encoding with its details flat on the event', () => {
    // Arrange: the object form of those logs, details wrapped as { key, value }
    const old = {
      t: 'ev',
      x: 1,
      ev: {
        k: '0|r|0#0',
        ts: 5,
        type: 'PassStateEntered',
        id: 2,
        prev: 0,
        details: { key: 'stateEnteredEventDetails', value: { name: 'P', input: '{}' } },
      },
    } as unknown as StoreRecord;
    // Act
    const decoded = new RecordDecoder().decode(old);
    // Assert
    expect(decoded).toStrictEqual({
      t: 'ev',
      x: 1,
      ev: {
        k: '0|r|0#0',
        ts: 5,
        type: 'PassStateEntered',
        id: 2,
        prev: 0,
        detailsKey: 'stateEnteredEventDetails',
        details: { name: 'P', input: '{}' },
      },
    });
  });

  it('fails when a reference points at an event with no text', () => {
    // Arrange
    const decoder = new RecordDecoder();
    // Act
    const act = (): StoreRecord =>
      decoder.decode([0, 1, 'k', 1, 'PassStateEntered', 2, 0, 0, { name: 'P', input: 1 }, 'input']);
    // Assert
    expect(act).toThrow(StoreDecodeError);
    expect(act).toThrow('execution #1: input refers to event 1, which has no text');
  });
});
