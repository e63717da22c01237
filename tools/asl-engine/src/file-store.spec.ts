import { DurableLog } from '@flow/durable-log';
import fs, { appendFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VirtualClock } from './clock';
import { Engine } from './engine';
import { FileStore } from './file-store';
import type { StoreRecord } from './store';
import { RecordDecoder, type EncodedRecord } from './store-codec';
import type { HistoryEvent } from './types';
import { FakeIntegrations } from './test-support';

describe('FileStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'asl-file-store-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a tick of more than 64 records as entries of 64 in one write, read back in order', async () => {
    // Arrange: 150 journal records appended in one tick
    const store = await FileStore.open(dir);
    const records: StoreRecord[] = Array.from({ length: 150 }, (_, i) => ({
      t: 'j',
      x: 1,
      k: `k${i}`,
      v: { n: i },
    }));
    const writeSync = jest.spyOn(fs, 'writeSync');
    // Act
    for (const r of records) store.append(r);
    await store.flush();
    const writes = writeSync.mock.calls.length;
    writeSync.mockRestore();
    await store.close();
    const log = await DurableLog.open<EncodedRecord[]>(dir);
    const entries = log.recovered.records.map((entry) => entry.length);
    await log.close();
    const reopened = await FileStore.open(dir);
    const loaded = await reopened.load();
    await reopened.close();
    // Assert
    expect(writes).toBe(1);
    expect(entries).toStrictEqual([64, 64, 22]);
    expect(loaded).toStrictEqual(records);
  });

  it('reopens after a torn last record and keeps everything written before it', async () => {
    // Arrange
    const clock = new VirtualClock();
    const store = await FileStore.open(dir);
    const engine = new Engine({ store, clock, integrations: new FakeIntegrations() });
    await engine.start();
    const { stateMachineArn } = await engine.createStateMachine({
      name: 'm',
      definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
    });
    const { executionArn } = await engine.startExecution({ stateMachineArn, name: 'e1', input: '{"a":1}' });
    await engine.waitForExecution(executionArn);
    await engine.close();
    await store.close();
    appendFileSync(path.join(dir, 'log.jsonl'), '0badc0de {"s":999,"r":{"t":"ev"'); // a write cut by kill -9
    // Act
    const reopened = await FileStore.open(dir);
    const again = new Engine({ store: reopened, clock, integrations: new FakeIntegrations() });
    await again.start();
    const d = await again.describeExecution({ executionArn });
    await again.close();
    await reopened.close();
    // Assert
    expect({ status: d.status, output: d.output }).toStrictEqual({ status: 'SUCCEEDED', output: '{"a":1}' });
  });

  it('has the execution, the task token and the callback outcome on disk before it answers or dispatches', async () => {
    // Arrange: a callback task whose integration reads what is on disk when it is called.
    const onDisk = (): StoreRecord[] => {
      // What a process started after a kill -9 now would read (the writer holds the lock, so read without it).
      const log = DurableLog.openSync<EncodedRecord[], EncodedRecord[]>(dir, { lock: false });
      const decoder = new RecordDecoder();
      return log.recovered.records.flat().map((e) => decoder.decode(e));
    };
    let atDispatch: StoreRecord[] = [];
    let token = '';
    const integrations = new FakeIntegrations().on('sqs:sendMessage', async (inv) => {
      atDispatch = onDisk();
      token = inv.taskToken ?? '';
      return { MessageId: 'm-1' };
    });
    const clock = new VirtualClock();
    const store = await FileStore.open(dir);
    const engine = new Engine({ store, clock, integrations });
    await engine.start();
    const { stateMachineArn } = await engine.createStateMachine({
      name: 'cb',
      definition: JSON.stringify({
        StartAt: 'Ask',
        States: {
          Ask: {
            Type: 'Task',
            Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
            Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } },
            End: true,
          },
        },
      }),
    });
    // Act
    const { executionArn } = await engine.startExecution({ stateMachineArn, name: 'e1' });
    const afterStart = onDisk();
    await clock.runUntilIdle();
    await engine.sendTaskSuccess({ taskToken: token, output: '{"ok":1}' });
    const afterCallback = onDisk();
    await engine.waitForExecution(executionArn);
    await engine.close();
    await store.close();
    // Assert
    expect(afterStart.some((r) => r.t === 'ex' && r.ex.arn === executionArn)).toBe(true);
    expect(atDispatch.some((r) => r.t === 'j' && r.v['tok'] === token)).toBe(true);
    expect(
      afterCallback.flatMap((r) => (r.t === 'j' && r.v['cb'] !== undefined ? [r.v['cb']] : [])),
    ).toStrictEqual([{ ok: '{"ok":1}' }]);
  });

  it('compacts the log when reopened and keeps every execution, history and waiting callback', async () => {
    // Arrange: succeeded, failed and waiting executions, a machine updated and one deleted.
    const clock = new VirtualClock();
    const integrations = new FakeIntegrations()
      .on('sqs:sendMessage', async () => ({ MessageId: 'm-1' }))
      .on('lambda:invoke', async () => ({ Payload: { ok: true } }));
    const store = await FileStore.open(dir, { compactAfterRecords: 0 });
    const engine = new Engine({ store, clock, integrations });
    await engine.start();
    const task = (next: object): object => ({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { Payload: { 'order.$': '$.order' } },
      ResultPath: '$.result',
      ...next,
    });
    const { stateMachineArn } = await engine.createStateMachine({
      name: 'steps',
      definition: JSON.stringify({
        StartAt: 'A',
        States: { A: task({ Next: 'B' }), B: task({ End: true }) },
      }),
    });
    const waiting = await engine.createStateMachine({
      name: 'waiting',
      definition: JSON.stringify({
        StartAt: 'Ask',
        States: {
          Ask: {
            Type: 'Task',
            Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
            Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } },
            End: true,
          },
        },
      }),
    });
    const gone = await engine.createStateMachine({
      name: 'gone',
      definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
    });
    const arns: string[] = [];
    for (let i = 0; i < 20; i++) {
      const { executionArn } = await engine.startExecution({
        stateMachineArn,
        name: `e-${i}`,
        input: JSON.stringify({ order: `order-${i} with a text long enough to be shared` }),
      });
      arns.push(executionArn);
      await engine.waitForExecution(executionArn);
    }
    const failing = await engine.startExecution({
      stateMachineArn: waiting.stateMachineArn,
      name: 'stopped',
    });
    await clock.runUntilIdle();
    await engine.stopExecution({ executionArn: failing.executionArn });
    const cb = await engine.startExecution({ stateMachineArn: waiting.stateMachineArn, name: 'cb' });
    await clock.runUntilIdle();
    arns.push(failing.executionArn, cb.executionArn);
    await engine.updateStateMachine({
      stateMachineArn,
      definition: JSON.stringify({ StartAt: 'A', States: { A: task({ End: true }) } }),
    });
    await engine.deleteStateMachine({ stateMachineArn: gone.stateMachineArn });
    const before = await snapshot(engine, arns);
    await engine.close();
    await store.close();
    const logBefore = statSync(path.join(dir, 'log.jsonl')).size;
    // Act
    const reopened = await FileStore.open(dir, { compactAfterRecords: 0 });
    const again = new Engine({ store: reopened, clock, integrations });
    await again.start();
    const after = await snapshot(again, arns);
    const token = JSON.parse(
      String(before.histories[arns.length - 1]?.[2]?.taskScheduledEventDetails?.['parameters']),
    ).MessageBody.token as string;
    await again.sendTaskSuccess({ taskToken: token, output: '{"approved":true}' });
    const done = await again.waitForExecution(cb.executionArn);
    await again.close();
    await reopened.close();
    // Assert
    expect(existsSync(path.join(dir, 'snapshot.json'))).toBe(true);
    expect(statSync(path.join(dir, 'log.jsonl')).size).toBeLessThan(logBefore);
    expect(after).toStrictEqual(before);
    expect(after.machines).toStrictEqual(['steps', 'waiting']);
    expect({ status: done.status, output: done.output }).toStrictEqual({
      status: 'SUCCEEDED',
      output: '{"approved":true}',
    });
  });
});

/** What the API shows of the state machines and the given executions. */
async function snapshot(
  engine: Engine,
  arns: readonly string[],
): Promise<{ machines: string[]; described: unknown[]; histories: HistoryEvent[][] }> {
  const machines = (await engine.listStateMachines()).stateMachines.map((m) => m.name);
  const described: unknown[] = [];
  const histories: HistoryEvent[][] = [];
  for (const executionArn of arns) {
    described.push(await engine.describeExecution({ executionArn }));
    histories.push((await engine.getExecutionHistory({ executionArn, maxResults: 1000 })).events);
  }
  return { machines, described, histories };
}
