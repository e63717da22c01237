import { Engine } from './engine';
import { TaskFailure } from './errors';
import { MemoryStore } from './store';
import { FakeIntegrations, harness, types } from './test-support';
import type { JsonValue } from './types';

describe('Parallel and Map', () => {
  it('runs Parallel branches with copies of the variables and collects their outputs in order', async () => {
    // Arrange
    const h = await harness();
    const def = {
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { x: 1 }, Next: 'P' },
        P: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'A',
              States: { A: { Type: 'Pass', Assign: { x: 2 }, Parameters: { 'seen.$': '$x' }, End: true } },
            },
            { StartAt: 'B', States: { B: { Type: 'Pass', Parameters: { 'seen.$': '$x' }, End: true } } },
          ],
          Next: 'After',
        },
        After: { Type: 'Pass', Parameters: { 'results.$': '$', 'x.$': '$x' }, End: true },
      },
    };
    // Act
    const r = await h.run(def, {});
    // Assert
    expect(r.output).toStrictEqual({ results: [{ seen: 1 }, { seen: 1 }], x: 1 });
    expect(types(r.events).slice(-5, -2)).toStrictEqual([
      'ParallelStateSucceeded',
      'ParallelStateExited',
      'PassStateEntered',
    ]);
  });

  it('fails the Parallel state with the failing branch error, caught by Catch', async () => {
    // Arrange
    const h = await harness();
    const def = {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Ok', States: { Ok: { Type: 'Pass', End: true } } },
            { StartAt: 'Bad', States: { Bad: { Type: 'Fail', Error: 'BranchBoom', Cause: 'why' } } },
          ],
          Catch: [{ ErrorEquals: ['BranchBoom'], ResultPath: '$.caught', Next: 'Done' }],
          End: true,
        },
        Done: { Type: 'Succeed' },
      },
    };
    // Act
    const r = await h.run(def, { a: 1 });
    // Assert
    expect(r.output).toStrictEqual({ a: 1, caught: { Error: 'BranchBoom', Cause: 'why' } });
    expect(types(r.events)).toContain('ParallelStateFailed');
  });

  it('maps with ItemSelector, $$.Map.Item and MaxConcurrency, recording iteration events', async () => {
    // Arrange
    const h = await harness();
    const def = {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemsPath: '$.items',
          MaxConcurrency: 1,
          ItemSelector: { 'index.$': '$$.Map.Item.Index', 'value.$': '$$.Map.Item.Value', 'k.$': '$.k' },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'I',
            States: { I: { Type: 'Pass', End: true } },
          },
          End: true,
        },
      },
    };
    // Act
    const r = await h.run(def, { items: ['a', 'b'], k: 9 });
    // Assert
    expect(r.output).toStrictEqual([
      { index: 0, value: 'a', k: 9 },
      { index: 1, value: 'b', k: 9 },
    ]);
    expect(types(r.events)).toStrictEqual([
      'ExecutionStarted',
      'MapStateEntered',
      'MapStateStarted',
      'MapIterationStarted',
      'PassStateEntered',
      'PassStateExited',
      'MapIterationSucceeded',
      'MapIterationStarted',
      'PassStateEntered',
      'PassStateExited',
      'MapIterationSucceeded',
      'MapStateSucceeded',
      'MapStateExited',
      'ExecutionSucceeded',
    ]);
    expect(r.events.find((e) => e.type === 'MapStateStarted')?.mapStateStartedEventDetails).toStrictEqual({
      length: 2,
    });
  });

  it('batches items with ItemBatcher and tolerates failures in a DISTRIBUTED map', async () => {
    // Arrange
    const h = await harness();
    const def = {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { tag: 't' } },
          ToleratedFailureCount: 1,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'C',
            States: {
              C: {
                Type: 'Choice',
                Choices: [{ Variable: '$.Items[0]', NumericEquals: 5, Next: 'F' }],
                Default: 'S',
              },
              F: { Type: 'Fail', Error: 'Five' },
              S: { Type: 'Pass', End: true },
            },
          },
          End: true,
        },
      },
    };
    // Act
    const r = await h.run(def, [1, 2, 3, 4, 5]);
    // Assert
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toStrictEqual([
      { BatchInput: { tag: 't' }, Items: [1, 2] },
      { BatchInput: { tag: 't' }, Items: [3, 4] },
      { Error: 'Five', Cause: null },
    ]);
    expect(types(r.events)).toStrictEqual([
      'ExecutionStarted',
      'MapStateEntered',
      'MapStateStarted',
      'MapRunStarted',
      'MapRunSucceeded',
      'MapStateSucceeded',
      'MapStateExited',
      'ExecutionSucceeded',
    ]);
  });
});

describe('Wait', () => {
  it('waits until TimestampPath on the virtual clock', async () => {
    // Arrange
    const h = await harness();
    const def = { StartAt: 'W', States: { W: { Type: 'Wait', TimestampPath: '$.at', End: true } } };
    const at = new Date(h.clock.now() + 3_600_000).toISOString();
    // Act
    const r = await h.run(def, { at });
    // Assert
    expect(r.status).toBe('SUCCEEDED');
    expect(h.clock.now()).toBe(Date.parse(at));
    expect(types(r.events)).toStrictEqual([
      'ExecutionStarted',
      'WaitStateEntered',
      'WaitStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('fails with States.Runtime when SecondsPath is not a number', async () => {
    // Arrange
    const h = await harness();
    const def = { StartAt: 'W', States: { W: { Type: 'Wait', SecondsPath: '$.s', End: true } } };
    // Act
    const r = await h.run(def, { s: 'soon' });
    // Assert
    expect(r.error).toBe('States.Runtime');
  });
});

describe('JSONata and variables', () => {
  it('evaluates Arguments, Output and Assign with $states, assigning after the output is computed', async () => {
    // Arrange
    const h = await harness();
    h.integrations.on('lambda:invoke', async (inv) => ({ Payload: { got: inv.parameters } }));
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { n: 1 }, Next: 'T' },
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'f', Payload: { v: '{% $states.input.v %}', n: '{% $n %}' } },
          Assign: { n: '{% $n + 1 %}' },
          Output: { result: '{% $states.result.Payload.got %}', nBefore: '{% $n %}' },
          Next: 'Last',
        },
        Last: {
          Type: 'Pass',
          Output: { n: '{% $n %}', name: '{% $states.context.State.Name %}' },
          End: true,
        },
      },
    };
    // Act
    const r = await h.run(def, { v: 'x' });
    // Assert
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toStrictEqual({ n: 2, name: 'Last' });
    const exited = r.events.find((e) => e.type === 'TaskStateExited');
    expect(exited?.stateExitedEventDetails).toStrictEqual({
      name: 'T',
      output: '{"result":{"FunctionName":"f","Payload":{"v":"x","n":1}},"nBefore":1}',
      outputDetails: { truncated: false },
      assignedVariables: { n: '2' },
      assignedVariablesDetails: { truncated: false },
    });
  });

  it('exposes the context object ($$) to JSONPath Parameters', async () => {
    // Arrange
    const h = await harness();
    const def = {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Pass',
          Parameters: {
            'name.$': '$$.Execution.Name',
            'state.$': '$$.State.Name',
            'sm.$': '$$.StateMachine.Name',
            'in.$': '$$.Execution.Input',
          },
          End: true,
        },
      },
    };
    // Act
    const arn = await h.start(def, { a: 1 }, 'my-run');
    await h.clock.runUntilIdle();
    const d = await h.engine.waitForExecution(arn);
    // Assert
    const out = JSON.parse(d.output ?? '') as { name: string; state: string; sm: string; in: unknown };
    expect({ name: out.name, state: out.state, in: out.in }).toStrictEqual({
      name: 'my-run',
      state: 'P',
      in: { a: 1 },
    });
    expect(out.sm).toMatch(/^sm-\d+$/);
  });
});

describe('executions API', () => {
  it('fails when a definition has an unknown field, naming the state and the field', async () => {
    // Arrange
    const h = await harness();
    const definition = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Reslt: 1, End: true } } });
    // Act / Assert
    await expect(h.engine.createStateMachine({ name: 'bad', definition })).rejects.toMatchObject({
      code: 'InvalidDefinition',
      message: expect.stringContaining('"Reslt"') as unknown as string,
    });
    await expect(h.engine.createStateMachine({ name: 'bad', definition })).rejects.toThrow(
      /States\/A\/Reslt/,
    );
  });

  it('fails when an unsupported feature is used (ItemReader), at load time', async () => {
    // Arrange
    const h = await harness();
    const definition = JSON.stringify({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'b', Key: 'k' } },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'P',
            States: { P: { Type: 'Pass', End: true } },
          },
          End: true,
        },
      },
    });
    // Act / Assert
    await expect(h.engine.createStateMachine({ name: 'reader', definition })).rejects.toThrow(/ItemReader/);
  });

  it('fails with InvalidName and ExecutionAlreadyExists as AWS does', async () => {
    // Arrange
    const h = await harness();
    const def = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 10, End: true } } };
    const arn = await h.start(def, { a: 1 }, 'run-1');
    const smArn = (await h.engine.describeExecution({ executionArn: arn })).stateMachineArn;
    // Act / Assert
    await expect(h.engine.startExecution({ stateMachineArn: smArn, name: 'bad name' })).rejects.toMatchObject(
      { code: 'InvalidName' },
    );
    await expect(
      h.engine.startExecution({ stateMachineArn: smArn, name: 'x'.repeat(81) }),
    ).rejects.toMatchObject({ code: 'InvalidName' });
    const same = await h.engine.startExecution({ stateMachineArn: smArn, name: 'run-1', input: '{"a":1}' });
    expect(same.executionArn).toBe(arn);
    await expect(
      h.engine.startExecution({ stateMachineArn: smArn, name: 'run-1', input: '{"a":2}' }),
    ).rejects.toMatchObject({ code: 'ExecutionAlreadyExists' });
  });

  it('stops an execution (ABORTED) and redrives it from the stopped state', async () => {
    // Arrange
    const h = await harness();
    let calls = 0;
    h.integrations.on('lambda:invoke', async () => {
      calls++;
      return { Payload: calls };
    });
    const def = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'f' },
          ResultPath: '$.t',
          Next: 'W',
        },
        W: { Type: 'Wait', Seconds: 60, Next: 'Done' },
        Done: { Type: 'Pass', End: true },
      },
    };
    const arn = await h.start(def, {});
    await h.clock.advance(1000);
    // Act
    await h.engine.stopExecution({ executionArn: arn, error: 'Stop', cause: 'by test' });
    const stopped = await h.engine.describeExecution({ executionArn: arn });
    await h.engine.redriveExecution({ executionArn: arn });
    await h.clock.runUntilIdle();
    const d = await h.engine.waitForExecution(arn);
    // Assert
    expect({ status: stopped.status, error: stopped.error }).toStrictEqual({
      status: 'ABORTED',
      error: 'Stop',
    });
    expect({ status: d.status, redriveCount: d.redriveCount }).toStrictEqual({
      status: 'SUCCEEDED',
      redriveCount: 1,
    });
    expect(calls).toBe(1);
    const t = types(await h.history(arn));
    expect(t).toContain('ExecutionAborted');
    expect(t).toContain('ExecutionRedriven');
    await expect(h.engine.redriveExecution({ executionArn: arn })).rejects.toMatchObject({
      code: 'ExecutionNotRedrivable',
    });
  });

  it("aborts a running task's signal when the execution stops, the task times out or a sibling branch fails", async () => {
    // Arrange: tasks that never answer; each records whether its signal was aborted, and with what
    const h = await harness();
    const seen = new Map<string, string>();
    h.integrations.on('lambda:invoke', async (inv) => {
      const name = String((inv.parameters as { FunctionName?: string }).FunctionName);
      if (name === 'boom') throw new TaskFailure('Boom', 'failed at once');
      const signal = inv.signal;
      return new Promise<JsonValue>((_, reject) =>
        signal.addEventListener('abort', () => {
          seen.set(name, signal.reason instanceof Error ? signal.reason.name : String(signal.reason));
          reject(new Error('aborted'));
        }),
      );
    });
    const task = (fn: string, extra: object = {}): object => ({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: fn },
      End: true,
      ...extra,
    });
    // Act
    const stopped = await h.start({ StartAt: 'T', States: { T: task('stopped') } });
    await h.clock.advance(1);
    await h.engine.stopExecution({ executionArn: stopped });
    const timedOut = await h.run({ StartAt: 'T', States: { T: task('timed-out', { TimeoutSeconds: 5 }) } });
    const branches = await h.run({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'Slow', States: { Slow: task('sibling') } },
            { StartAt: 'Boom', States: { Boom: task('boom') } },
          ],
        },
      },
    });
    // Assert
    expect([timedOut.status, timedOut.error, branches.status, branches.error]).toStrictEqual([
      'FAILED',
      'States.Timeout',
      'FAILED',
      'Boom',
    ]);
    expect(Object.fromEntries(seen)).toStrictEqual({
      stopped: 'RunAborted',
      'timed-out': 'AslError',
      sibling: 'RunAborted',
    });
  });

  it('times out an execution after the machine-level TimeoutSeconds', async () => {
    // Arrange
    const h = await harness();
    const def = { TimeoutSeconds: 5, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } };
    // Act
    const r = await h.run(def, {});
    // Assert
    expect(r.status).toBe('TIMED_OUT');
    expect(types(r.events)).toStrictEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionTimedOut']);
  });

  it('resumes a waiting execution in a new Engine over the same store without re-running completed tasks', async () => {
    // Arrange
    const store = new MemoryStore();
    const first = await harness({ store });
    first.integrations.on('events:putEvents', async () => ({ Entries: [] }));
    const def = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::events:putEvents',
          Parameters: { Entries: [] },
          ResultPath: null,
          Next: 'W',
        },
        W: { Type: 'Wait', Seconds: 3600, Next: 'T2' },
        T2: {
          Type: 'Task',
          Resource: 'arn:aws:states:::events:putEvents',
          Parameters: { Entries: [] },
          ResultPath: null,
          End: true,
        },
      },
    };
    const arn = await first.start(def, {});
    await first.clock.advance(1000);
    await first.engine.close();
    const integrations = new FakeIntegrations().on('events:putEvents', async () => ({ Entries: [] }));
    const second = new Engine({ store, clock: first.clock, integrations });
    // Act
    await second.start();
    await first.clock.advance(3_600_000);
    const d = await second.waitForExecution(arn);
    // Assert
    expect(d.status).toBe('SUCCEEDED');
    expect(first.integrations.calls).toHaveLength(1);
    expect(integrations.calls).toHaveLength(1);
    const events = (await second.getExecutionHistory({ executionArn: arn, maxResults: 1000 })).events;
    expect(types(events)).toStrictEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'WaitStateEntered',
      'WaitStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((e) => e.id)).toStrictEqual(events.map((_, i) => i + 1));
  });
});

describe('states:startExecution', () => {
  it('runs a child execution with .sync:2 and returns its parsed output', async () => {
    // Arrange
    const h = await harness();
    const child = await h.engine.createStateMachine({
      name: 'child',
      definition: JSON.stringify({
        StartAt: 'P',
        States: { P: { Type: 'Pass', Parameters: { 'doubled.$': 'States.MathAdd($.n, $.n)' }, End: true } },
      }),
    });
    const def = {
      StartAt: 'Run',
      States: {
        Run: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync:2',
          Parameters: { StateMachineArn: child.stateMachineArn, Input: { 'n.$': '$.n' } },
          OutputPath: '$.Output',
          End: true,
        },
      },
    };
    // Act
    const r = await h.run(def, { n: 21 });
    // Assert
    expect(r.output).toStrictEqual({ doubled: 42 });
    expect(types(r.events)).toStrictEqual([
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

  it('fails with InvalidName when an execution name has a control character', async () => {
    // Arrange
    const h = await harness();
    const { stateMachineArn } = await h.engine.createStateMachine({
      name: 'names',
      definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
    });
    // Act / Assert
    await expect(h.engine.startExecution({ stateMachineArn, name: 'a\u0007b' })).rejects.toMatchObject({
      code: 'InvalidName',
    });
  });
});

describe('limits', () => {
  it('fails the execution when its history would exceed 25,000 events', async () => {
    // Arrange
    const h = await harness();
    const def = {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          MaxConcurrency: 1,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'P',
            States: { P: { Type: 'Pass', End: true } },
          },
          End: true,
        },
      },
    };
    // Act
    const r = await h.run(
      def,
      Array.from({ length: 7_000 }, (_, i) => i),
    );
    // Assert
    expect({ status: r.status, error: r.error }).toStrictEqual({ status: 'FAILED', error: 'States.Runtime' });
    expect(r.events.length).toBeLessThanOrEqual(25_001);
    expect(r.events.at(-1)?.type).toBe('ExecutionFailed');
  });

  it('fails with InvalidExecutionInput when the input is larger than 256 KiB or not JSON', async () => {
    // Arrange
    const h = await harness();
    const { stateMachineArn } = await h.engine.createStateMachine({
      name: 'limits',
      definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
    });
    // Act / Assert
    await expect(
      h.engine.startExecution({ stateMachineArn, input: JSON.stringify('x'.repeat(262_144)) }),
    ).rejects.toMatchObject({
      code: 'InvalidExecutionInput',
    });
    await expect(h.engine.startExecution({ stateMachineArn, input: '{oops' })).rejects.toMatchObject({
      code: 'InvalidExecutionInput',
    });
  });
});

describe('resume after a restart', () => {
  it('continues a retry backoff in a new Engine without repeating the failed attempt', async () => {
    // Arrange
    const store = new MemoryStore();
    const first = await harness({ store });
    first.integrations.on('lambda:invoke', async () => {
      throw new TaskFailureForTest();
    });
    const def = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'f' },
          Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 3600, MaxAttempts: 1 }],
          End: true,
        },
      },
    };
    const arn = await first.start(def, {});
    await first.clock.advance(1000);
    await first.engine.close();
    const integrations = new FakeIntegrations().on('lambda:invoke', async () => ({ Payload: 'ok' }));
    const second = new Engine({ store, clock: first.clock, integrations });
    // Act
    await second.start();
    await first.clock.advance(3_600_000);
    const d = await second.waitForExecution(arn);
    // Assert
    expect(first.integrations.calls).toHaveLength(1);
    expect(integrations.calls).toHaveLength(1);
    expect(d.status).toBe('SUCCEEDED');
    const events = (await second.getExecutionHistory({ executionArn: arn, maxResults: 1000 })).events;
    expect(types(events)).toStrictEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
  });
});

describe('resume after a restart (Parallel)', () => {
  it('keeps a finished branch and resumes the branch waiting on a callback', async () => {
    // Arrange
    const store = new MemoryStore();
    const first = await harness({ store });
    first.integrations.on('events:putEvents', async () => ({ Entries: [] }));
    first.integrations.on('sqs:sendMessage', async () => ({ MessageId: 'm' }));
    const def = {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Emit',
              States: {
                Emit: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::events:putEvents',
                  Parameters: { Entries: [] },
                  End: true,
                },
              },
            },
            {
              StartAt: 'Ask',
              States: {
                Ask: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
                  Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } },
                  End: true,
                },
              },
            },
          ],
          End: true,
        },
      },
    };
    const arn = await first.start(def, {});
    await first.clock.advance(1000);
    const token = (first.integrations.calls.find((c) => c.service === 'sqs')?.taskToken ?? '') as string;
    await first.engine.close();
    const integrations = new FakeIntegrations();
    const second = new Engine({ store, clock: first.clock, integrations });
    // Act
    await second.start();
    await second.sendTaskSuccess({ taskToken: token, output: '"approved"' });
    const d = await second.waitForExecution(arn);
    // Assert
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '')).toStrictEqual([{ Entries: [] }, 'approved']);
    expect(first.integrations.calls).toHaveLength(2);
    expect(integrations.calls).toHaveLength(0);
  });
});

class TaskFailureForTest extends TaskFailure {
  constructor() {
    super('Flaky', 'try again later');
  }
}

describe('redrive', () => {
  it('redrives a FAILED execution from the failed state, keeping the states that succeeded', async () => {
    // Arrange
    const h = await harness();
    let healthy = false;
    const calls: string[] = [];
    h.integrations.on('lambda:invoke', async (inv) => {
      const fn = (inv.parameters as { FunctionName: string }).FunctionName;
      calls.push(fn);
      if (fn === 'second' && !healthy) throw new TaskFailure('Broken', 'not yet');
      return { Payload: fn };
    });
    const def = {
      StartAt: 'First',
      States: {
        First: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'first' },
          ResultSelector: { 'v.$': '$.Payload' },
          ResultPath: '$.first',
          Next: 'Second',
        },
        Second: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'second' },
          ResultSelector: { 'v.$': '$.Payload' },
          ResultPath: '$.second',
          End: true,
        },
      },
    };
    const arn = await h.start(def, {});
    const failed = await h.engine.waitForExecution(arn);
    // Act
    healthy = true;
    await h.engine.redriveExecution({ executionArn: arn });
    const d = await h.engine.waitForExecution(arn);
    // Assert
    expect({ status: failed.status, error: failed.error, redriveStatus: failed.redriveStatus }).toStrictEqual(
      {
        status: 'FAILED',
        error: 'Broken',
        redriveStatus: 'REDRIVABLE',
      },
    );
    expect({ status: d.status, redriveCount: d.redriveCount }).toStrictEqual({
      status: 'SUCCEEDED',
      redriveCount: 1,
    });
    expect(JSON.parse(d.output ?? '')).toStrictEqual({ first: { v: 'first' }, second: { v: 'second' } });
    expect(calls).toStrictEqual(['first', 'second', 'second']);
    const events = await h.history(arn);
    const redriven = events.findIndex((e) => e.type === 'ExecutionRedriven');
    expect(types(events).slice(redriven)).toStrictEqual([
      'ExecutionRedriven',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((e) => e.id)).toStrictEqual(events.map((_, i) => i + 1));
  });
});

describe('JSONata Map, Wait and Choice', () => {
  it('maps over JSONata Items with an ItemSelector reading $states.context.Map.Item', async () => {
    // Arrange
    const h = await harness();
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          Items: '{% $states.input.xs %}',
          ItemSelector: {
            i: '{% $states.context.Map.Item.Index %}',
            v: '{% $states.context.Map.Item.Value * 10 %}',
          },
          ItemProcessor: {
            StartAt: 'W',
            States: { W: { Type: 'Wait', Seconds: '{% $states.input.i + 1 %}', End: true } },
          },
          Next: 'C',
        },
        C: {
          Type: 'Choice',
          Choices: [
            {
              Condition: '{% $count($states.input) = 2 %}',
              Next: 'Done',
              Output: { n: '{% $count($states.input) %}' },
            },
          ],
          Default: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    };
    const started = h.clock.now();
    // Act
    const r = await h.run(def, { xs: [1, 2] });
    // Assert
    expect(r.output).toStrictEqual({ n: 2 });
    expect(h.clock.now() - started).toBe(2000);
  });
});

describe('aborted siblings', () => {
  it('records a waiting sibling branch as aborted when another branch fails', async () => {
    // Arrange
    const h = await harness();
    const def = {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Slow', States: { Slow: { Type: 'Wait', Seconds: 60, End: true } } },
            { StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Boom' } } },
          ],
          End: true,
        },
      },
    };
    // Act
    const r = await h.run(def, {});
    // Assert
    expect(r.error).toBe('Boom');
    expect(types(r.events)).toStrictEqual([
      'ExecutionStarted',
      'ParallelStateEntered',
      'ParallelStateStarted',
      'WaitStateEntered',
      'FailStateEntered',
      'WaitStateAborted',
      'ParallelStateFailed',
      'ExecutionFailed',
    ]);
  });
});

describe('ItemBatcher with ItemSelector', () => {
  it('applies the ItemSelector to each item before batching', async () => {
    // Arrange
    const h = await harness();
    const def = {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemSelector: { 'v.$': '$$.Map.Item.Value', 'i.$': '$$.Map.Item.Index' },
          ItemBatcher: { MaxItemsPerBatch: 2 },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'P',
            States: { P: { Type: 'Pass', End: true } },
          },
          End: true,
        },
      },
    };
    // Act
    const r = await h.run(def, ['a', 'b', 'c']);
    // Assert
    expect(r.output).toStrictEqual([
      {
        Items: [
          { v: 'a', i: 0 },
          { v: 'b', i: 1 },
        ],
      },
      { Items: [{ v: 'c', i: 2 }] },
    ]);
  });
});

describe('JSONata clock', () => {
  it('evaluates $now() on the engine clock', async () => {
    // Arrange
    const h = await harness();
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'P',
      States: { P: { Type: 'Pass', Output: { now: '{% $now() %}' }, End: true } },
    };
    // Act
    const r = await h.run(def, {});
    // Assert
    expect(r.output).toStrictEqual({ now: new Date(h.clock.now()).toISOString() });
  });
});
