import { VirtualClock } from './clock';
import { EngineError, TaskFailure } from './errors';
import type { IntegrationRegistry, TaskInvocation } from './integrations';
import { type TestStateHost, testState } from './test-state';
import type { TestStateInput } from './test-state-types';
import type { JsonValue } from './types';

/**
 * TestState, written from the Step Functions documentation (TestState API reference, "Using TestState to test a
 * state") and the behaviours the recorded AWS answers show (conformance corpus, category test_state).
 */

const ROLE = 'arn:aws:iam::123456789012:role/test';

function host(
  integration?: (inv: TaskInvocation) => Promise<JsonValue>,
): TestStateHost & { calls: TaskInvocation[] } {
  const calls: TaskInvocation[] = [];
  const integrations: IntegrationRegistry = {
    resolve: () =>
      integration === undefined
        ? undefined
        : async (inv) => {
            calls.push(inv);
            return integration(inv);
          },
  };
  return {
    integrations,
    clock: new VirtualClock(Date.UTC(2026, 0, 1)),
    accountId: '123456789012',
    region: 'eu-west-1',
    calls,
  };
}

function run(
  i: Omit<TestStateInput, 'definition'> & { definition: unknown },
  h = host(),
): ReturnType<typeof testState> {
  const { definition, ...rest } = i;
  return testState({ definition: JSON.stringify(definition), ...rest }, h);
}

async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof EngineError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('testState: data flow and inspection data', () => {
  it('reports each JSONPath processing step of a Pass state at DEBUG', async () => {
    // Arrange
    const definition = {
      Type: 'Pass',
      InputPath: '$.data',
      Parameters: { 'v.$': '$.value', fixed: 1 },
      ResultPath: '$.out',
      OutputPath: '$.out',
      Next: 'After',
    };
    // Act
    const r = await run({ definition, input: '{"data":{"value":"x"}}', inspectionLevel: 'DEBUG' });
    // Assert
    expect(r).toStrictEqual({
      status: 'SUCCEEDED',
      output: '{"v":"x","fixed":1}',
      nextState: 'After',
      inspectionData: {
        input: '{"data":{"value":"x"}}',
        afterInputPath: '{"value":"x"}',
        afterParameters: '{"v":"x","fixed":1}',
        afterResultSelector: '{"v":"x","fixed":1}',
        afterResultPath: '{"data":{"value":"x"},"out":{"v":"x","fixed":1}}',
      },
    });
  });

  it('writes numbers of the input and of a mocked result as AWS does (1.0 stays 1.0)', async () => {
    // Arrange
    const definition = {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      ResultPath: '$.r',
      End: true,
    };
    // Act
    const r = await run({ definition, input: '{"price":1.0}', mock: { result: '{"Payload":2.50}' } });
    // Assert
    expect(r).toStrictEqual({ status: 'SUCCEEDED', output: '{"price":1.0,"r":{"Payload":2.5}}' });
  });

  it('answers INFO with the output only', async () => {
    // Arrange
    const definition = { Type: 'Pass', Result: { a: 1 }, End: true };
    // Act
    const r = await run({ definition, input: '{}' });
    // Assert
    expect(r).toStrictEqual({ status: 'SUCCEEDED', output: '{"a":1}' });
  });

  it('runs a Task with a mocked result through ResultSelector and ResultPath', async () => {
    // Arrange
    const definition = {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'f', 'Payload.$': '$' },
      ResultSelector: { 'body.$': '$.Payload' },
      ResultPath: '$.res',
      End: true,
    };
    const h = host(async () => ({ never: 'called' }));
    // Act
    const r = await run(
      {
        definition,
        input: '{"k":1}',
        inspectionLevel: 'TRACE',
        mock: { result: '{"Payload":{"ok":true},"StatusCode":200}' },
      },
      h,
    );
    // Assert
    expect(r).toStrictEqual({
      status: 'SUCCEEDED',
      output: '{"k":1,"res":{"body":{"ok":true}}}',
      inspectionData: {
        input: '{"k":1}',
        afterInputPath: '{"k":1}',
        afterParameters: '{"FunctionName":"f","Payload":{"k":1}}',
        result: '{"Payload":{"ok":true},"StatusCode":200}',
        afterResultSelector: '{"body":{"ok":true}}',
        afterResultPath: '{"k":1,"res":{"body":{"ok":true}}}',
      },
    });
    expect(h.calls).toStrictEqual([]);
  });

  it('calls the integration for a Task without a mock', async () => {
    // Arrange
    const definition = {
      QueryLanguage: 'JSONata',
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: { FunctionName: 'f', Payload: '{% $states.input.n * 2 %}' },
      Output: '{% $states.result.Payload %}',
      End: true,
    };
    const h = host(async (inv) => ({ Payload: (inv.parameters as { Payload: number }).Payload + 1 }));
    // Act
    const r = await run({ definition, input: '{"n":20}', roleArn: ROLE, inspectionLevel: 'DEBUG' }, h);
    // Assert
    expect(r).toStrictEqual({
      status: 'SUCCEEDED',
      output: '41',
      inspectionData: {
        input: '{"n":20}',
        afterArguments: '{"FunctionName":"f","Payload":40}',
        result: '{"Payload":41}',
      },
    });
    expect(h.calls.map((c) => [c.service, c.action, c.parameters])).toStrictEqual([
      ['lambda', 'invoke', { FunctionName: 'f', Payload: 40 }],
    ]);
  });

  it('reports a failed integration call as FAILED with its error and cause', async () => {
    // Arrange
    const definition = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true };
    const h = host(async () => {
      throw new TaskFailure('Lambda.ServiceException', 'down');
    });
    // Act
    const r = await run({ definition, roleArn: ROLE }, h);
    // Assert
    expect(r).toStrictEqual({ status: 'FAILED', error: 'Lambda.ServiceException', cause: 'down' });
  });

  it('fails a call that outlasts TimeoutSeconds with States.Timeout and aborts it', async () => {
    // Arrange
    const definition = {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      TimeoutSeconds: 5,
      End: true,
    };
    const h = host(
      (inv) => new Promise<JsonValue>(() => inv.signal.addEventListener('abort', () => undefined)),
    );
    const clock = h.clock as VirtualClock;
    // Act
    const pending = run({ definition, roleArn: ROLE }, h);
    // The timer is armed before the integration is called.
    while (h.calls.length === 0) await new Promise((resolve) => setImmediate(resolve));
    await clock.advance(5000);
    const r = await pending;
    // Assert
    expect(r).toStrictEqual({ status: 'FAILED', error: 'States.Timeout' });
    expect(h.calls.map((c) => [c.timeoutSeconds, c.signal.aborted])).toStrictEqual([[5, true]]);
  });

  it('picks the Choice rule and reports its next state', async () => {
    // Arrange
    const definition = {
      Type: 'Choice',
      QueryLanguage: 'JSONata',
      Choices: [{ Condition: '{% $states.input.n > 5 %}', Next: 'Big', Output: { size: 'big' } }],
      Default: 'Small',
    };
    // Act
    const big = await run({ definition, input: '{"n":9}' });
    const small = await run({ definition, input: '{"n":1}' });
    // Assert
    expect([big, small]).toStrictEqual([
      { status: 'SUCCEEDED', output: '{"size":"big"}', nextState: 'Big' },
      { status: 'SUCCEEDED', output: '{"n":1}', nextState: 'Small' },
    ]);
  });

  it('tests one state of a whole state machine with the variables given and assigned', async () => {
    // Arrange
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'First',
      States: {
        First: { Type: 'Pass', Next: 'Second' },
        Second: {
          Type: 'Pass',
          Assign: { total: '{% $base + $states.input.add %}' },
          Output: '{% $base %}',
          Next: 'Third',
        },
        Third: { Type: 'Succeed' },
      },
    };
    // Act
    const r = await run({
      definition,
      stateName: 'Second',
      input: '{"add":2}',
      variables: '{"base":40}',
      inspectionLevel: 'TRACE',
    });
    // Assert
    expect(r).toStrictEqual({
      status: 'SUCCEEDED',
      output: '40',
      nextState: 'Third',
      inspectionData: { input: '{"add":2}', variables: '{"base":40,"total":42}' },
    });
  });

  it('evaluates a Wait state without waiting, and fails it on an invalid SecondsPath', async () => {
    // Arrange
    const definition = { Type: 'Wait', SecondsPath: '$.s', Next: 'After' };
    // Act
    const ok = await run({ definition, input: '{"s":86400}' });
    const bad = await run({ definition, input: '{"s":"soon"}' });
    // Assert
    expect([ok, bad]).toStrictEqual([
      { status: 'SUCCEEDED', output: '{"s":86400}', nextState: 'After' },
      {
        status: 'FAILED',
        error: 'States.Runtime',
        cause: 'The SecondsPath parameter does not reference a valid integer value: "soon"',
      },
    ]);
  });

  it('fails with the Fail state error and cause', async () => {
    // Arrange
    const definition = { Type: 'Fail', ErrorPath: '$.e', Cause: 'because' };
    // Act
    const r = await run({ definition, input: '{"e":"Boom"}' });
    // Assert
    expect(r).toStrictEqual({ status: 'FAILED', error: 'Boom', cause: 'because' });
  });

  it('exposes the given Context object to $$', async () => {
    // Arrange
    const definition = {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Parameters: {
        QueueUrl: 'q',
        MessageBody: { 'token.$': '$$.Task.Token', 'exec.$': '$$.Execution.Name' },
      },
      ResultPath: null,
      End: true,
    };
    const context = JSON.stringify({ Execution: { Name: 'run-1' }, Task: { Token: 'tok' } });
    // Act
    const r = await run({ definition, context, mock: { result: '{}' }, inspectionLevel: 'DEBUG' });
    // Assert
    expect(r.inspectionData?.afterParameters).toBe(
      '{"QueueUrl":"q","MessageBody":{"token":"tok","exec":"run-1"}}',
    );
  });
});

describe('testState: Retry, Catch and status', () => {
  const task = {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Retry: [
      { ErrorEquals: ['Other'], MaxAttempts: 1 },
      { ErrorEquals: ['Flaky'], IntervalSeconds: 3, BackoffRate: 2, MaxAttempts: 4, MaxDelaySeconds: 20 },
    ],
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Handle' }],
    Next: 'Done',
  };
  const flaky = { errorOutput: { error: 'Flaky', cause: 'try again' } };

  it('is RETRIABLE while the matching retrier has attempts left, with its backoff', async () => {
    // Arrange / Act
    const first = await run({
      definition: task,
      mock: flaky,
      inspectionLevel: 'DEBUG',
      stateConfiguration: { retrierRetryCount: 0 },
    });
    const capped = await run({
      definition: task,
      mock: flaky,
      inspectionLevel: 'DEBUG',
      stateConfiguration: { retrierRetryCount: 3 },
    });
    // Assert
    expect(first).toStrictEqual({
      status: 'RETRIABLE',
      error: 'Flaky',
      cause: 'try again',
      inspectionData: {
        input: '{}',
        afterInputPath: '{}',
        afterParameters: '{}',
        errorDetails: { retryBackoffIntervalSeconds: 3, retryIndex: 1 },
      },
    });
    expect(capped.inspectionData?.errorDetails).toStrictEqual({
      retryBackoffIntervalSeconds: 20,
      retryIndex: 1,
    });
  });

  it('is CAUGHT_ERROR once the retrier is exhausted and a catcher matches', async () => {
    // Arrange / Act
    const r = await run({
      definition: task,
      input: '{"a":1}',
      mock: flaky,
      inspectionLevel: 'DEBUG',
      stateConfiguration: { retrierRetryCount: 4 },
    });
    // Assert
    expect(r).toStrictEqual({
      status: 'CAUGHT_ERROR',
      error: 'Flaky',
      cause: 'try again',
      output: '{"a":1,"error":{"Error":"Flaky","Cause":"try again"}}',
      nextState: 'Handle',
      inspectionData: {
        input: '{"a":1}',
        afterInputPath: '{"a":1}',
        afterParameters: '{"a":1}',
        errorDetails: { retryIndex: 1, catchIndex: 0 },
      },
    });
  });

  it('is FAILED when neither Retry nor Catch handles the error', async () => {
    // Arrange
    const definition = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true };
    // Act
    const r = await run({ definition, mock: { errorOutput: { error: 'Nope', cause: 'x' } } });
    // Assert
    expect(r).toStrictEqual({ status: 'FAILED', error: 'Nope', cause: 'x' });
  });
});

describe('testState: mocked Map and Parallel', () => {
  const map = {
    Type: 'Map',
    ItemsPath: '$.items',
    ItemSelector: { 'value.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index' },
    MaxConcurrency: 2,
    ToleratedFailurePercentage: 50,
    ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
    ResultPath: '$.results',
    End: true,
  };

  it('reports the items, the selector, the limits and the mocked result of a Map', async () => {
    // Arrange / Act
    const r = await run({
      definition: map,
      input: '{"items":["a","b"]}',
      mock: { result: '[1,2]' },
      inspectionLevel: 'DEBUG',
      stateConfiguration: { mapIterationFailureCount: 1 },
    });
    // Assert
    expect(r).toStrictEqual({
      status: 'SUCCEEDED',
      output: '{"items":["a","b"],"results":[1,2]}',
      inspectionData: {
        input: '{"items":["a","b"]}',
        afterInputPath: '{"items":["a","b"]}',
        afterItemsPath: '["a","b"]',
        afterItemSelector: '[{"value":"a","index":0},{"value":"b","index":1}]',
        maxConcurrency: 2,
        toleratedFailurePercentage: 50,
        afterResultSelector: '[1,2]',
        afterResultPath: '{"items":["a","b"],"results":[1,2]}',
      },
    });
  });

  it('reports the batches of a Map with an ItemBatcher', async () => {
    // Arrange
    const definition = {
      Type: 'Map',
      ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { 'run.$': '$.run' } },
      ItemsPath: '$.items',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'P',
        States: { P: { Type: 'Pass', End: true } },
      },
      End: true,
    };
    // Act
    const r = await run({
      definition,
      input: '{"run":7,"items":[1,2,3]}',
      mock: { result: '[1,2]' },
      inspectionLevel: 'DEBUG',
    });
    // Assert
    expect(r.inspectionData?.afterItemBatcher).toBe(
      '[{"BatchInput":{"run":7},"Items":[1,2]},{"BatchInput":{"run":7},"Items":[3]}]',
    );
  });

  it('fails a Map whose failed iterations exceed the tolerated percentage', async () => {
    // Arrange / Act
    const r = await run({
      definition: map,
      input: '{"items":["a","b"]}',
      mock: { result: '[1,2]' },
      stateConfiguration: { mapIterationFailureCount: 2 },
    });
    // Assert
    expect(r).toStrictEqual({
      status: 'FAILED',
      error: 'States.ExceedToleratedFailureThreshold',
      cause: 'The specified tolerated failure threshold was exceeded',
    });
  });

  it('fails a Map with the mocked error of a state inside it', async () => {
    // Arrange / Act
    const r = await run({
      definition: map,
      input: '{"items":["a"]}',
      mock: { errorOutput: { error: 'Inner', cause: 'c' } },
      stateConfiguration: { errorCausedByState: 'P' },
    });
    // Assert
    expect(r).toStrictEqual({ status: 'FAILED', error: 'Inner', cause: 'c' });
  });

  it('uses the mocked branch results of a Parallel', async () => {
    // Arrange
    const definition = {
      Type: 'Parallel',
      QueryLanguage: 'JSONata',
      Branches: [
        { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } },
        { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } },
      ],
      Output: { first: '{% $states.result[0] %}' },
      Next: 'N',
    };
    // Act
    const r = await run({
      definition: { ...definition, Arguments: '{% $states.input.sub %}' },
      input: '{"sub":{"s":1}}',
      mock: { result: '[{"a":1},{"b":2}]' },
      inspectionLevel: 'DEBUG',
    });
    // Assert
    expect(r).toStrictEqual({
      status: 'SUCCEEDED',
      output: '{"first":{"a":1}}',
      nextState: 'N',
      inspectionData: { input: '{"sub":{"s":1}}' },
    });
  });
});

describe('testState: requests AWS rejects', () => {
  const lambdaTask = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true };
  const map = {
    Type: 'Map',
    ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
    End: true,
  };
  const parallel = {
    Type: 'Parallel',
    Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }],
    End: true,
  };

  it.each([
    [
      'a mock is given for a Pass state',
      { definition: { Type: 'Pass', End: true }, mock: { result: '{}' } },
      'ValidationException',
      "State type 'Pass' is not supported when a mock is specified",
    ],
    [
      'a mock has both result and errorOutput',
      { definition: lambdaTask, mock: { result: '{}', errorOutput: { error: 'E' } } },
      'ValidationException',
      'A test mock should have only one of the following fields: [result, errorOutput].',
    ],
    [
      'revealSecrets is set with a mock',
      { definition: lambdaTask, mock: { result: '{}' }, revealSecrets: true },
      'ValidationException',
      'TestState does not support RevealSecrets when a mock is specified.',
    ],
    [
      'the mocked result is not JSON',
      { definition: lambdaTask, mock: { result: 'not json' } },
      'ValidationException',
      'Mocked result must be valid JSON',
    ],
    [
      'a Map is tested without a mock',
      { definition: map },
      'InvalidDefinition',
      'TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]',
    ],
    [
      'a Map mock result is not an array',
      { definition: map, mock: { result: '{}' } },
      'ValidationException',
      'Mocked result must be an array.',
    ],
    [
      'a Parallel mock result has the wrong number of branches',
      { definition: parallel, mock: { result: '[1,2]' } },
      'ValidationException',
      'Mocked result must contain the same number of items as number of Parallel branches.',
    ],
    [
      'more Map iterations failed than the mock has',
      { definition: map, mock: { result: '[1]' }, stateConfiguration: { mapIterationFailureCount: 2 } },
      'ValidationException',
      'Map iteration failure count must be less than or equal to the number of Map iterations',
    ],
    [
      'a Map is given failed iterations without a mock',
      { definition: map, stateConfiguration: { mapIterationFailureCount: 0 } },
      'ValidationException',
      'TestState does not support MapIterationFailureCount when a mock is not specified.',
    ],
    [
      'a Task without a mock has no roleArn',
      { definition: lambdaTask },
      'ValidationException',
      'RoleArn must be specified when testing a Task state',
    ],
    [
      'the stateName is not in the definition',
      { definition: { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }, stateName: 'B' },
      'ValidationException',
      'State not found in definition',
    ],
    [
      'the Context object has an unknown field',
      { definition: lambdaTask, mock: { result: '{}' }, context: '{"Pokedex":{}}' },
      'ValidationException',
      "Invalid Context object provided: Field 'Pokedex' is not allowed",
    ],
    [
      'the Context object has a Task for a request-response task',
      { definition: lambdaTask, mock: { result: '{}' }, context: '{"Task":{"Token":"t"}}' },
      'ValidationException',
      "Invalid Context object provided: Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern",
    ],
    [
      'a STRICT mock misses a required field of the API',
      {
        definition: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution', End: true },
        mock: { result: '{"StartDate":"2025-01-01T00:00:00Z"}' },
      },
      'ValidationException',
      "Mock result schema validation error: Required field 'ExecutionArn' is missing",
    ],
    [
      'a PRESENT mock has a field of the wrong type',
      {
        definition: { Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', End: true },
        mock: { result: '{"Entries":[{"EventId":1}]}', fieldValidationMode: 'PRESENT' as const },
      },
      'ValidationException',
      "Mock result schema validation error: Field 'EventId' must be a string",
    ],
    [
      'the state type is unknown',
      { definition: { Type: 'Nope' } },
      'InvalidDefinition',
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map] at /States/StateName/Type'",
    ],
  ])('fails when %s', async (_what, request, code, message) => {
    // Arrange / Act
    const error = await rejection(run(request));
    // Assert
    expect(error).toStrictEqual({ code, message });
  });

  it('fails when the definition is not JSON', async () => {
    // Arrange / Act
    const error = await rejection(testState({ definition: '{nope' }, host()));
    // Assert
    expect(error.code).toBe('InvalidDefinition');
    expect(error.message).toMatch(/^Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: /);
  });

  it('fails when an activity Task is tested without a mock, and runs it with one', async () => {
    // Arrange
    const definition = {
      Type: 'Task',
      Resource: 'arn:aws:states:eu-west-1:123456789012:activity:approve',
      End: true,
    };
    // Act
    const error = await rejection(run({ definition, roleArn: ROLE }));
    const mocked = await run({ definition, mock: { result: '{"approved":true}' } });
    // Assert
    expect(error).toStrictEqual({
      code: 'ValidationException',
      message: 'TestState does not support Activity tasks when a mock is not specified.',
    });
    expect(mocked).toStrictEqual({ status: 'SUCCEEDED', output: '{"approved":true}' });
  });

  it('fails when a Task with cross-account Credentials is tested without a mock, and runs it with one', async () => {
    // Arrange
    const definition = {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Credentials: { RoleArn: 'arn:aws:iam::210987654321:role/other' },
      End: true,
    };
    // Act
    const error = await rejection(run({ definition, roleArn: ROLE }));
    const mocked = await run({ definition, mock: { result: '{"Payload":1}' } });
    // Assert
    expect(error.code).toBe('InvalidDefinition');
    expect(error.message).toContain('UNSUPPORTED_FEATURE: The field "Credentials" of state "StateName"');
    expect(mocked).toStrictEqual({ status: 'SUCCEEDED', output: '{"Payload":1}' });
  });

  it('accepts a NONE mock of any shape', async () => {
    // Arrange
    const definition = { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution', End: true };
    // Act
    const r = await run({ definition, mock: { result: '{"StartDate":true}', fieldValidationMode: 'NONE' } });
    // Assert
    expect(r).toStrictEqual({ status: 'SUCCEEDED', output: '{"StartDate":true}' });
  });
});
