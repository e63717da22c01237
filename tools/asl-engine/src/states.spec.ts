import { harness, lambdaInvoke, types } from './test-support';

describe('Pass, Choice, Succeed, Fail', () => {
  it('runs a Pass chain with Result, ResultPath and OutputPath', async () => {
    // Arrange
    const h = await harness();
    const def = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Result: { x: 1 }, ResultPath: '$.a', Next: 'B' },
        B: { Type: 'Pass', Result: 0, ResultPath: '$.zero', OutputPath: '$', End: true },
      },
    };
    // Act
    const r = await h.run(def, { in: true });
    // Assert
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toStrictEqual({ in: true, a: { x: 1 }, zero: 0 });
    expect(types(r.events)).toStrictEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(r.events.map((e) => [e.id, e.previousEventId])).toStrictEqual([
      [1, 0],
      [2, 0],
      [3, 2],
      [4, 3],
      [5, 4],
      [6, 5],
    ]);
  });

  it('fails when no Choice rule matches and there is no Default', async () => {
    // Arrange
    const h = await harness();
    const def = {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericEquals: 1, Next: 'S' }] },
        S: { Type: 'Succeed' },
      },
    };
    // Act
    const r = await h.run(def, { n: 2 });
    // Assert
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.NoChoiceMatched');
  });

  it('fails with the Fail state Error and Cause', async () => {
    // Arrange
    const h = await harness();
    const def = { StartAt: 'F', States: { F: { Type: 'Fail', ErrorPath: '$.e', Cause: 'because' } } };
    // Act
    const r = await h.run(def, { e: 'Boom' });
    // Assert
    expect({ status: r.status, error: r.error, cause: r.cause }).toStrictEqual({
      status: 'FAILED',
      error: 'Boom',
      cause: 'because',
    });
    expect(types(r.events)).toStrictEqual(['ExecutionStarted', 'FailStateEntered', 'ExecutionFailed']);
  });
});

describe('Task', () => {
  it('invokes lambda:invoke and applies ResultSelector and ResultPath', async () => {
    // Arrange
    const h = await harness();
    h.integrations.on(
      'lambda:invoke',
      lambdaInvoke((p) => ({ doubled: (p as { n: number }).n * 2 })),
    );
    const def = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'fn', 'Payload.$': '$' },
          ResultSelector: { 'value.$': '$.Payload.doubled' },
          ResultPath: '$.r',
          End: true,
        },
      },
    };
    // Act
    const r = await h.run(def, { n: 21 });
    // Assert
    expect(r.output).toStrictEqual({ n: 21, r: { value: 42 } });
    expect(types(r.events)).toStrictEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(r.events[2]?.taskScheduledEventDetails).toStrictEqual({
      resourceType: 'lambda',
      resource: 'invoke',
      region: 'us-east-1',
      parameters: '{"FunctionName":"fn","Payload":{"n":21}}',
    });
  });

  it('retries with backoff and then catches into ResultPath', async () => {
    // Arrange
    const h = await harness();
    let calls = 0;
    h.integrations.on(
      'lambda:invoke',
      lambdaInvoke(() => {
        calls++;
        const e = new Error('nope');
        e.name = 'Custom';
        throw e;
      }),
    );
    const def = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'fn' },
          Retry: [{ ErrorEquals: ['Custom'], IntervalSeconds: 10, MaxAttempts: 2, BackoffRate: 3 }],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.err', Next: 'Done' }],
          End: true,
        },
        Done: { Type: 'Pass', End: true },
      },
    };
    const started = h.clock.now();
    // Act
    const r = await h.run(def, {});
    // Assert
    expect(calls).toBe(3);
    expect(h.clock.now() - started).toBe(40_000);
    expect(r.status).toBe('SUCCEEDED');
    expect((r.output as { err: { Error: string } }).err.Error).toBe('Custom');
  });
});

describe('errors raised while evaluating a state', () => {
  it('catches States.ResultPathMatchFailure raised by a Task ResultPath', async () => {
    // Arrange
    const h = await harness();
    h.integrations.on(
      'lambda:invoke',
      lambdaInvoke(() => 1),
    );
    const def = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'fn' },
          ResultPath: '$.a.b',
          Catch: [{ ErrorEquals: ['States.ResultPathMatchFailure'], ResultPath: '$.err', Next: 'Done' }],
          End: true,
        },
        Done: { Type: 'Pass', End: true },
      },
    };
    // Act
    const r = await h.run(def, { a: 'not an object' });
    // Assert
    expect(r.status).toBe('SUCCEEDED');
    expect((r.output as { err: { Error: string } }).err.Error).toBe('States.ResultPathMatchFailure');
  });

  it('fails with States.Runtime (not catchable by States.ALL) when an InputPath does not match', async () => {
    // Arrange
    const h = await harness();
    const def = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          InputPath: '$.missing',
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Done' }],
          End: true,
        },
        Done: { Type: 'Pass', End: true },
      },
    };
    // Act
    const r = await h.run(def, { a: 1 });
    // Assert
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
  });
});

describe('definition checks beyond asl-validator', () => {
  const task = (extra: object) =>
    JSON.stringify({
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', ...extra, End: true } },
    });

  it('fails when States.ALL is not alone or not in the last retrier/catcher', async () => {
    // Arrange
    const h = await harness();
    // Act / Assert
    await expect(
      h.engine.createStateMachine({
        name: 'all-1',
        definition: task({ Retry: [{ ErrorEquals: ['States.ALL', 'X'] }] }),
      }),
    ).rejects.toThrow(/alone in ErrorEquals at \/States\/T\/Retry\[0\]/);
    await expect(
      h.engine.createStateMachine({
        name: 'all-2',
        definition: task({
          Catch: [
            { ErrorEquals: ['States.ALL'], Next: 'T' },
            { ErrorEquals: ['X'], Next: 'T' },
          ],
        }),
      }),
    ).rejects.toThrow(/must be the last one at \/States\/T\/Catch\[0\]/);
  });

  it('fails when HeartbeatSeconds is not smaller than TimeoutSeconds', async () => {
    // Arrange
    const h = await harness();
    // Act / Assert
    await expect(
      h.engine.createStateMachine({
        name: 'hb',
        definition: task({ TimeoutSeconds: 5, HeartbeatSeconds: 10 }),
      }),
    ).rejects.toMatchObject({
      code: 'InvalidDefinition',
    });
  });
});
