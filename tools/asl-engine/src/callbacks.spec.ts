import { EngineError } from './errors';
import { harness, types } from './test-support';

const callbackDef = (extra: object = {}) => ({
  StartAt: 'Ask',
  States: {
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token', 'order.$': '$.order' } },
      ResultPath: '$.decision',
      ...extra,
      End: true,
    },
  },
});

async function setup() {
  const h = await harness();
  h.integrations.on('sqs:sendMessage', async () => ({ MessageId: 'm-1', MD5OfMessageBody: 'abc' }));
  return h;
}

async function tokenOf(h: Awaited<ReturnType<typeof setup>>): Promise<string> {
  await h.clock.advance(0);
  const call = h.integrations.calls.at(-1);
  const token = (call?.parameters as { MessageBody: { token: string } }).MessageBody.token;
  expect(call?.taskToken).toBe(token);
  return token;
}

describe('.waitForTaskToken callbacks', () => {
  it('resumes with the SendTaskSuccess output as the task result', async () => {
    // Arrange
    const h = await setup();
    const arn = await h.start(callbackDef(), { order: 7 });
    const token = await tokenOf(h);
    // Act
    await h.engine.sendTaskSuccess({ taskToken: token, output: '{"approved":true}' });
    const d = await h.engine.waitForExecution(arn);
    // Assert
    expect(token.length).toBeLessThanOrEqual(1024);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '')).toStrictEqual({ order: 7, decision: { approved: true } });
    expect(types(await h.history(arn))).toStrictEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('fails the task with the SendTaskFailure error and cause', async () => {
    // Arrange
    const h = await setup();
    const arn = await h.start(callbackDef(), { order: 1 });
    const token = await tokenOf(h);
    // Act
    await h.engine.sendTaskFailure({ taskToken: token, error: 'Rejected', cause: 'too expensive' });
    const d = await h.engine.waitForExecution(arn);
    // Assert
    expect({ status: d.status, error: d.error, cause: d.cause }).toStrictEqual({
      status: 'FAILED',
      error: 'Rejected',
      cause: 'too expensive',
    });
  });

  it('fails when the token is used twice (TaskTimedOut), unknown (TaskDoesNotExist) or malformed (InvalidToken)', async () => {
    // Arrange
    const h = await setup();
    const arn = await h.start(callbackDef(), { order: 1 });
    const token = await tokenOf(h);
    await h.engine.sendTaskSuccess({ taskToken: token, output: '{}' });
    await h.engine.waitForExecution(arn);
    const unknown = `AQ${'A'.repeat(256)}`;
    // Act / Assert
    await expect(h.engine.sendTaskSuccess({ taskToken: token, output: '{}' })).rejects.toMatchObject({
      code: 'TaskTimedOut',
    });
    await expect(h.engine.sendTaskSuccess({ taskToken: unknown, output: '{}' })).rejects.toMatchObject({
      code: 'TaskDoesNotExist',
    });
    await expect(h.engine.sendTaskHeartbeat({ taskToken: 'not-a-token' })).rejects.toBeInstanceOf(
      EngineError,
    );
    await expect(h.engine.sendTaskHeartbeat({ taskToken: 'not-a-token' })).rejects.toMatchObject({
      code: 'InvalidToken',
    });
  });

  it('fails when SendTaskSuccess output is not JSON (InvalidOutput)', async () => {
    // Arrange
    const h = await setup();
    await h.start(callbackDef(), { order: 1 });
    const token = await tokenOf(h);
    // Act / Assert
    await expect(h.engine.sendTaskSuccess({ taskToken: token, output: '{nope' })).rejects.toMatchObject({
      code: 'InvalidOutput',
    });
  });

  it('times out with States.Timeout (as AWS records it) when heartbeats stop, and heartbeats keep the task alive until then', async () => {
    // Arrange
    const h = await setup();
    const arn = await h.start(callbackDef({ HeartbeatSeconds: 60, TimeoutSeconds: 3600 }), { order: 1 });
    const token = await tokenOf(h);
    // Act
    await h.clock.advance(50_000);
    await h.engine.sendTaskHeartbeat({ taskToken: token });
    await h.clock.advance(50_000);
    const midway = (await h.engine.describeExecution({ executionArn: arn })).status;
    await h.clock.advance(20_000);
    const d = await h.engine.waitForExecution(arn);
    // Assert
    expect(midway).toBe('RUNNING');
    // AWS records a missed heartbeat as States.Timeout (conformance case test_heartbeat_no_timeout).
    expect(d.error).toBe('States.Timeout');
    const events = await h.history(arn);
    expect(types(events).slice(-2)).toStrictEqual(['TaskTimedOut', 'ExecutionFailed']);
    expect(events.at(-2)?.taskTimedOutEventDetails).toStrictEqual({
      resourceType: 'sqs',
      resource: 'sendMessage.waitForTaskToken',
      error: 'States.Timeout',
    });
  });

  it('times out a 7-day callback with States.Timeout on the virtual clock in well under a second', async () => {
    // Arrange
    const h = await setup();
    const def = {
      StartAt: 'Ask',
      States: {
        Ask: {
          ...callbackDef({ TimeoutSeconds: 7 * 24 * 3600 }).States.Ask,
          End: undefined,
          Next: 'Wait',
          Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'TimedOut' }],
        },
        Wait: { Type: 'Succeed' },
        TimedOut: { Type: 'Pass', End: true },
      },
    };
    const arn = await h.start(def, { order: 1 });
    const token = await tokenOf(h);
    // Act: seven days of waiting, on the virtual clock
    const wallStart = Date.now();
    await h.clock.advance(7 * 24 * 3600 * 1000 - 1);
    const before = (await h.engine.describeExecution({ executionArn: arn })).status;
    await h.clock.advance(1);
    const d = await h.engine.waitForExecution(arn);
    const wall = Date.now() - wallStart;
    // Assert
    expect(before).toBe('RUNNING');
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '')).toStrictEqual({
      order: 1,
      error: { Error: 'States.Timeout', Cause: null },
    });
    expect(wall).toBeLessThan(1000);
    await expect(h.engine.sendTaskSuccess({ taskToken: token, output: '{}' })).rejects.toMatchObject({
      code: 'TaskTimedOut',
    });
  });

  it('accepts a callback that arrives before the submit call returns', async () => {
    // Arrange
    const h = await harness();
    h.integrations.on('sqs:sendMessage', async (inv) => {
      await h.engine.sendTaskSuccess({ taskToken: inv.taskToken ?? '', output: '"early"' });
      return { MessageId: 'm' };
    });
    // Act
    const arn = await h.start(callbackDef(), { order: 3 });
    const d = await h.engine.waitForExecution(arn);
    // Assert
    expect(JSON.parse(d.output ?? '')).toStrictEqual({ order: 3, decision: 'early' });
  });
});

describe('error matching', () => {
  it('selects a missed heartbeat with States.HeartbeatTimeout, and States.TaskFailed does not catch timeouts', async () => {
    // Arrange
    const h = await setup();
    const def = {
      StartAt: 'Ask',
      States: {
        Ask: {
          ...callbackDef({ HeartbeatSeconds: 5 }).States.Ask,
          End: undefined,
          Next: 'Done',
          Catch: [
            { ErrorEquals: ['States.TaskFailed'], ResultPath: '$.wrong', Next: 'Done' },
            { ErrorEquals: ['States.HeartbeatTimeout'], ResultPath: '$.hb', Next: 'Done' },
          ],
        },
        Done: { Type: 'Pass', End: true },
      },
    };
    // Act
    const arn = await h.start(def, { order: 1 });
    await h.clock.advance(5_000);
    const d = await h.engine.waitForExecution(arn);
    // Assert
    expect(JSON.parse(d.output ?? '')).toStrictEqual({
      order: 1,
      hb: { Error: 'States.Timeout', Cause: null },
    });
  });
});
