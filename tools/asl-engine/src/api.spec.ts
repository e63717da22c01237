import { VirtualClock } from './clock';
import { Engine } from './engine';
import { MemoryStore } from './store';
import { FakeIntegrations } from './test-support';
import type { ExecutionListItem, HistoryEvent, JsonObject } from './types';

const PASS = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });

async function engineWithListeners() {
  const events: Array<[string, HistoryEvent]> = [];
  const statuses: ExecutionListItem[] = [];
  const clock = new VirtualClock();
  const engine = new Engine({
    store: new MemoryStore(),
    clock,
    integrations: new FakeIntegrations(),
    onHistoryEvent: (arn, ev) => events.push([arn, ev]),
    onExecutionStatusChange: (s) => statuses.push(s),
  });
  await engine.start();
  return { engine, events, statuses, clock };
}

describe('Engine API', () => {
  it('reports live history events and status changes to its listeners', async () => {
    // Arrange
    const { engine, events, statuses } = await engineWithListeners();
    const { stateMachineArn } = await engine.createStateMachine({ name: 'live', definition: PASS });
    // Act
    const { executionArn } = await engine.startExecution({ stateMachineArn, name: 'run' });
    await engine.waitForExecution(executionArn);
    // Assert
    expect(events.map(([arn, e]) => [arn, e.type, e.id])).toStrictEqual([
      [executionArn, 'ExecutionStarted', 1],
      [executionArn, 'PassStateEntered', 2],
      [executionArn, 'PassStateExited', 3],
      [executionArn, 'ExecutionSucceeded', 4],
    ]);
    expect(statuses.map((s) => s.status)).toStrictEqual(['RUNNING', 'SUCCEEDED']);
  });

  it('pages executions and history with nextToken, and reverses history on request', async () => {
    // Arrange
    const { engine } = await engineWithListeners();
    const { stateMachineArn } = await engine.createStateMachine({ name: 'pages', definition: PASS });
    for (let i = 0; i < 3; i++) {
      const { executionArn } = await engine.startExecution({ stateMachineArn, name: `run-${i}` });
      await engine.waitForExecution(executionArn);
    }
    const arn = 'arn:aws:states:us-east-1:000000000000:execution:pages:run-0';
    // Act
    const first = await engine.listExecutions({ stateMachineArn, maxResults: 2 });
    const second = await engine.listExecutions({
      stateMachineArn,
      maxResults: 2,
      ...(first.nextToken ? { nextToken: first.nextToken } : {}),
    });
    const reversed = await engine.getExecutionHistory({
      executionArn: arn,
      reverseOrder: true,
      maxResults: 2,
    });
    const noData = await engine.getExecutionHistory({ executionArn: arn, includeExecutionData: false });
    // Assert
    expect(first.executions).toHaveLength(2);
    expect(second.executions).toHaveLength(1);
    expect(second.nextToken).toBeUndefined();
    expect(reversed.events.map((e) => e.type)).toStrictEqual(['ExecutionSucceeded', 'PassStateExited']);
    expect(reversed.nextToken).toBeDefined();
    expect(noData.events[0]?.executionStartedEventDetails).toStrictEqual({
      inputDetails: { truncated: false },
      roleArn: 'arn:aws:iam::000000000000:role/StepFunctionsLocalRole',
    });
  });

  it('continues a ListExecutions page where the last one ended, when executions start in between or share a millisecond', async () => {
    // Arrange
    const { engine, clock } = await engineWithListeners();
    const { stateMachineArn } = await engine.createStateMachine({ name: 'live', definition: PASS });
    const start = async (name: string): Promise<void> => {
      const { executionArn } = await engine.startExecution({ stateMachineArn, name });
      await engine.waitForExecution(executionArn);
    };
    for (const name of ['run-0', 'run-1', 'run-2', 'run-3']) {
      await start(name);
      await clock.advance(1);
    }
    await start('tie-b');
    await start('tie-a');
    const names = (page: { executions: ExecutionListItem[] }) => page.executions.map((e) => e.name);

    // Act
    const first = await engine.listExecutions({ stateMachineArn, maxResults: 3 });
    await clock.advance(1);
    await start('new-0');
    await start('new-1');
    const second = await engine.listExecutions({
      stateMachineArn,
      maxResults: 3,
      ...(first.nextToken === undefined ? {} : { nextToken: first.nextToken }),
    });
    const invalid = engine.listExecutions({ stateMachineArn, nextToken: 'not-a-token' });

    // Assert
    expect(names(first)).toStrictEqual(['tie-a', 'tie-b', 'run-3']);
    expect(names(second)).toStrictEqual(['run-2', 'run-1', 'run-0']);
    expect(second.nextToken).toBeUndefined();
    await expect(invalid).rejects.toMatchObject({ code: 'InvalidToken' });
  });

  it('returns the same history from details stored with or without their { truncated: false } members', async () => {
    // Arrange: a run recorded now, and the same records as earlier versions stored them (with the members)
    const store = new MemoryStore();
    const first = new Engine({ store, clock: new VirtualClock(0), integrations: new FakeIntegrations() });
    await first.start();
    const assign = JSON.stringify({
      StartAt: 'P',
      States: { P: { Type: 'Pass', Assign: { a: 1 }, End: true } },
    });
    const { stateMachineArn } = await first.createStateMachine({ name: 'shapes', definition: assign });
    const { executionArn } = await first.startExecution({ stateMachineArn, name: 'run', input: '{"k":1}' });
    await first.waitForExecution(executionArn);
    const withMembers = (d: JsonObject): JsonObject => {
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(d)) {
        out[k] = v;
        if (k === 'input' || k === 'output' || k === 'assignedVariables')
          out[`${k}Details`] = { truncated: false };
      }
      return out;
    };
    const older = new MemoryStore();
    for (const r of await store.load())
      older.append(
        r.t === 'ev' && r.ev.details !== undefined
          ? { ...r, ev: { ...r.ev, details: withMembers(r.ev.details) } }
          : r,
      );
    const second = new Engine({
      store: older,
      clock: new VirtualClock(0),
      integrations: new FakeIntegrations(),
    });
    await second.start();
    // Act
    const now = await first.getExecutionHistory({ executionArn });
    const then = await second.getExecutionHistory({ executionArn });
    // Assert
    expect(then).toStrictEqual(now);
    expect(now.events.map((e) => Object.keys(e).slice(4))).toStrictEqual([
      ['executionStartedEventDetails'],
      ['stateEnteredEventDetails'],
      ['stateExitedEventDetails'],
      ['executionSucceededEventDetails'],
    ]);
    expect(now.events[2]?.stateExitedEventDetails).toStrictEqual({
      name: 'P',
      output: '{"k":1}',
      outputDetails: { truncated: false },
      assignedVariables: { a: '1' },
      assignedVariablesDetails: { truncated: false },
    });
    expect(Object.keys(now.events[1]?.stateEnteredEventDetails ?? {})).toStrictEqual([
      'name',
      'input',
      'inputDetails',
    ]);
  });

  it('fails with StateMachineDoesNotExist, InvalidArn and ExecutionDoesNotExist as AWS does', async () => {
    // Arrange
    const { engine } = await engineWithListeners();
    // Act / Assert
    await expect(
      engine.startExecution({ stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:nope' }),
    ).rejects.toMatchObject({ code: 'StateMachineDoesNotExist' });
    await expect(engine.describeExecution({ executionArn: 'not-an-arn' })).rejects.toMatchObject({
      code: 'InvalidArn',
    });
    await expect(
      engine.describeExecution({ executionArn: 'arn:aws:states:us-east-1:000000000000:execution:nope:run' }),
    ).rejects.toMatchObject({ code: 'ExecutionDoesNotExist' });
  });

  it('keeps a running execution on its definition after UpdateStateMachine', async () => {
    // Arrange
    const { engine, clock } = await engineWithListeners();
    const wait = JSON.stringify({
      StartAt: 'W',
      States: { W: { Type: 'Wait', Seconds: 10, Next: 'A' }, A: { Type: 'Pass', Result: 'old', End: true } },
    });
    const { stateMachineArn } = await engine.createStateMachine({ name: 'versions', definition: wait });
    const { executionArn } = await engine.startExecution({ stateMachineArn });
    // Act
    await engine.updateStateMachine({ stateMachineArn, definition: wait.replace('"old"', '"new"') });
    const described = await engine.describeStateMachine({ stateMachineArn });
    await clock.advance(10_000);
    const d = await engine.waitForExecution(executionArn);
    // Assert
    expect(described.definition).toContain('"new"');
    expect({ status: d.status, output: d.output }).toStrictEqual({ status: 'SUCCEEDED', output: '"old"' });
  });
});
