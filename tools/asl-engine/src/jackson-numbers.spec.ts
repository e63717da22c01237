/*
 * Numbers through an execution as AWS keeps them (Jackson): a double written `1.0` stays `1.0` in the history and
 * the output, while Choice rules, JSONata and intrinsic functions compute with it as the number 1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { VirtualClock } from './clock';
import { Engine } from './engine';
import { FileStore } from './file-store';
import type { TaskInvocation } from './integrations';
import { parseJsonText } from './json-text';
import { MemoryStore } from './store';
import type { HistoryEvent, JsonValue } from './types';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:echo';

async function runText(
  definition: object,
  input: string,
): Promise<{
  status: string;
  output?: string;
  error?: string;
  events: HistoryEvent[];
  calls: TaskInvocation[];
}> {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const calls: TaskInvocation[] = [];
  // An echo function: it reads the request bytes and answers with them, as a Lambda returning its event does.
  const integrations = {
    resolve: () => async (inv: TaskInvocation) => {
      calls.push(inv);
      return parseJsonText(inv.parametersText ?? JSON.stringify(inv.parameters));
    },
  };
  const engine = new Engine({ store: new MemoryStore(), clock, integrations });
  await engine.start();
  const { stateMachineArn } = await engine.createStateMachine({
    name: 'numbers',
    definition: JSON.stringify(definition),
  });
  const { executionArn } = await engine.startExecution({ stateMachineArn, input });
  const done = engine.waitForExecution(executionArn);
  await clock.runUntilIdle();
  const d = await done;
  const { events } = await engine.getExecutionHistory({ executionArn, maxResults: 1000 });
  await engine.close();
  return {
    status: d.status,
    ...(d.output !== undefined ? { output: d.output } : {}),
    ...(d.error !== undefined ? { error: d.error } : {}),
    events,
    calls,
  };
}

function detailTexts(events: readonly HistoryEvent[], field: 'input' | 'output'): string[] {
  return events.flatMap((e) =>
    Object.entries(e)
      .filter(([k]) => k.endsWith('EventDetails'))
      .map(([, d]) => (d as Record<string, unknown>)[field])
      .filter((v): v is string => typeof v === 'string'),
  );
}

describe('numbers as AWS (Jackson) writes them', () => {
  it('keeps 0.0, -2.50, 1e2 and a big integer through input, task payload, task result, output and history', async () => {
    // Arrange
    const definition = {
      StartAt: 'Echo',
      States: { Echo: { Type: 'Task', Resource: FUNCTION_ARN, End: true } },
    };
    const input = '{"zero": 0.0, "neg": -2.50, "exp": 1e2, "int": 7, "big": 12345678901234567890}';
    const written = '{"zero":0.0,"neg":-2.5,"exp":100.0,"int":7,"big":12345678901234567890}';
    // Act
    const r = await runText(definition, input);
    // Assert
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toBe(written);
    expect(detailTexts(r.events, 'input')).toStrictEqual([input, input, written]);
    expect(detailTexts(r.events, 'output')).toStrictEqual([written, written, written]);
    expect(r.calls[0]?.parameters).toStrictEqual({
      zero: 0,
      neg: -2.5,
      exp: 100,
      int: 7,
      big: Number('12345678901234567890'),
    });
  });

  it('keeps a bare 0.0 execution input as 0.0 through a Lambda function', async () => {
    // Arrange
    const definition = {
      StartAt: 'Echo',
      States: { Echo: { Type: 'Task', Resource: FUNCTION_ARN, End: true } },
    };
    // Act
    const r = await runText(definition, '0.0');
    // Assert
    expect({ status: r.status, output: r.output }).toStrictEqual({ status: 'SUCCEEDED', output: '0.0' });
    expect(r.events.map((e) => e.type)).toStrictEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect([...detailTexts(r.events, 'input'), ...detailTexts(r.events, 'output')]).toStrictEqual(
      Array<string>(6).fill('0.0'),
    );
  });

  it('compares and computes with a double as the number it is (Choice, intrinsics, JSONata)', async () => {
    // Arrange
    const definition = {
      StartAt: 'Check',
      States: {
        Check: {
          Type: 'Choice',
          Choices: [{ Variable: '$.n', NumericEquals: 1, Next: 'Add' }],
          Default: 'Wrong',
        },
        Add: {
          Type: 'Pass',
          Parameters: { 'sum.$': 'States.MathAdd($.n, 2)', 'n.$': '$.n' },
          ResultPath: '$.path',
          Next: 'Jsonata',
        },
        Jsonata: {
          Type: 'Pass',
          QueryLanguage: 'JSONata',
          Output: '{% {"double": $states.input.n * 2, "isNumber": $type($states.input.n)} %}',
          End: true,
        },
        Wrong: { Type: 'Fail', Error: 'Wrong' },
      },
    };
    // Act
    const r = await runText(definition, '{"n": 1.0}');
    // Assert
    expect({ status: r.status, output: r.output }).toStrictEqual({
      status: 'SUCCEEDED',
      output: '{"double":2,"isNumber":"number"}',
    });
    expect(detailTexts(r.events, 'output').slice(0, 2)).toStrictEqual([
      '{"n":1.0}',
      '{"n":1.0,"path":{"sum":3,"n":1}}',
    ]);
  });

  it('keeps doubles in the items of a Map over its input and in a Parallel branch', async () => {
    // Arrange
    const definition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Each',
              States: {
                Each: {
                  Type: 'Map',
                  ItemProcessor: {
                    StartAt: 'Echo',
                    States: { Echo: { Type: 'Task', Resource: FUNCTION_ARN, End: true } },
                  },
                  End: true,
                },
              },
            },
            { StartAt: 'Same', States: { Same: { Type: 'Pass', End: true } } },
          ],
          End: true,
        },
      },
    };
    // Act
    const r = await runText(definition, '[1.0, 2, 3e0]');
    // Assert
    expect({ status: r.status, output: r.output }).toStrictEqual({
      status: 'SUCCEEDED',
      output: '[[1.0,2,3.0],[1.0,2,3.0]]',
    });
  });

  it('keeps a double in the output a callback sends (SendTaskSuccess)', async () => {
    // Arrange
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const tokens: string[] = [];
    const integrations = {
      resolve: () => async (inv: TaskInvocation) => {
        if (inv.taskToken !== undefined) tokens.push(inv.taskToken);
        return {};
      },
    };
    const engine = new Engine({ store: new MemoryStore(), clock, integrations });
    await engine.start();
    const { stateMachineArn } = await engine.createStateMachine({
      name: 'callback',
      definition: JSON.stringify({
        StartAt: 'Wait',
        States: {
          Wait: {
            Type: 'Task',
            Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
            Parameters: { QueueUrl: 'q', 'MessageBody.$': '$$.Task.Token' },
            End: true,
          },
        },
      }),
    });
    const { executionArn } = await engine.startExecution({ stateMachineArn, input: '{}' });
    await clock.runUntilIdle();
    // Act
    await engine.sendTaskSuccess({ taskToken: tokens[0] ?? '', output: '{"v": 1.0}' });
    const done = engine.waitForExecution(executionArn);
    await clock.runUntilIdle();
    const d = await done;
    await engine.close();
    // Assert
    expect({ status: d.status, output: d.output }).toStrictEqual({
      status: 'SUCCEEDED',
      output: '{"v":1.0}',
    });
  });

  it('keeps doubles when a new engine resumes a waiting execution from the FileStore', async () => {
    // Arrange
    const dir = mkdtempSync(path.join(tmpdir(), 'asl-jackson-'));
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const tokens: string[] = [];
    const integrations = {
      resolve: () => async (inv: TaskInvocation) => {
        if (inv.taskToken !== undefined) tokens.push(inv.taskToken);
        return {};
      },
    };
    const store = await FileStore.open(dir);
    const first = new Engine({ store, clock, integrations });
    await first.start();
    const { stateMachineArn } = await first.createStateMachine({
      name: 'resume',
      definition: JSON.stringify({
        StartAt: 'Same',
        States: {
          Same: { Type: 'Pass', Next: 'Wait' },
          Wait: {
            Type: 'Task',
            Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
            Parameters: { QueueUrl: 'q', 'MessageBody.$': '$$.Task.Token' },
            ResultPath: '$.r',
            End: true,
          },
        },
      }),
    });
    const { executionArn } = await first.startExecution({ stateMachineArn, input: '{"n": 1.0}' });
    await clock.runUntilIdle();
    await first.close();
    await store.close();
    // Act
    const reopened = await FileStore.open(dir);
    const second = new Engine({ store: reopened, clock, integrations });
    await second.start();
    await second.sendTaskSuccess({ taskToken: tokens[0] ?? '', output: '{"m": 2.0}' });
    const done = second.waitForExecution(executionArn);
    await clock.runUntilIdle();
    const d = await done;
    await second.close();
    await reopened.close();
    rmSync(dir, { recursive: true, force: true });
    // Assert
    expect({ status: d.status, output: d.output }).toStrictEqual({
      status: 'SUCCEEDED',
      output: '{"n":1.0,"r":{"m":2.0}}',
    });
  });

  it('keeps doubles in objects a path selects (InputPath, Parameters), not in a number selected alone', async () => {
    // Arrange
    const definition = {
      StartAt: 'Select',
      States: {
        Select: {
          Type: 'Pass',
          InputPath: '$.order',
          Parameters: { 'o.$': '$', 'n.$': '$.total', 'ctx.$': '$$.Execution.Input.order' },
          End: true,
        },
      },
    };
    // Act
    const r = await runText(definition, '{"order": {"total": 1.0}, "x": 2}');
    // Assert
    expect(r.output).toBe('{"o":{"total":1.0},"n":1,"ctx":{"total":1.0}}');
  });

  it('computes with doubles from the context object and variables (Map item, Assign)', async () => {
    // Arrange
    const definition = {
      StartAt: 'Keep',
      States: {
        Keep: { Type: 'Pass', Assign: { 'first.$': '$[0]', 'all.$': '$' }, Next: 'Each' },
        Each: {
          Type: 'Map',
          ItemSelector: { 'next.$': 'States.MathAdd($$.Map.Item.Value, 1)' },
          ItemProcessor: { StartAt: 'Same', States: { Same: { Type: 'Pass', End: true } } },
          Next: 'Check',
        },
        Check: {
          Type: 'Choice',
          Choices: [{ Variable: '$all[1]', NumericEquals: 2, Next: 'Done' }],
          Default: 'Wrong',
        },
        Done: { Type: 'Pass', Parameters: { 'first.$': '$first', 'items.$': '$' }, End: true },
        Wrong: { Type: 'Fail', Error: 'Wrong' },
      },
    };
    // Act
    const r = await runText(definition, '[1.0, 2.0]');
    // Assert
    expect({ status: r.status, output: r.output }).toStrictEqual({
      status: 'SUCCEEDED',
      output: '{"first":1,"items":[{"next":2},{"next":3}]}',
    });
  });

  it('fails when a ResultPath writes into a double (a number, not an object)', async () => {
    // Arrange
    const definition = {
      StartAt: 'P',
      States: { P: { Type: 'Pass', Result: 1, ResultPath: '$.x', End: true } },
    };
    // Act
    const r = await runText(definition, '1.0');
    // Assert
    expect({ status: r.status, error: r.error }).toStrictEqual({
      status: 'FAILED',
      error: 'States.ResultPathMatchFailure',
    });
  });

  it('writes every other input exactly as JSON.stringify does', async () => {
    // Arrange
    const definition = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
    const value: JsonValue = { a: [1, 1.5, 'x'], b: { c: null, d: true }, e: 0.001 };
    // Act
    const r = await runText(definition, JSON.stringify(value));
    // Assert
    expect(r.output).toBe(JSON.stringify(value));
  });
});
