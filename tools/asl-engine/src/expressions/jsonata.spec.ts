import { StatesError } from './errors';
import type { JsonValue } from './json';
import {
  evaluateJsonataCondition,
  evaluateJsonataExpression,
  evaluateJsonataTemplate,
  isJsonataExpression,
  requireJsonataType,
} from './jsonata';

const states = {
  input: { cost: 12, items: [1, 2, 3, 4, 5], text: '{"a":[1,2]}' },
  context: { Execution: { Name: 'run' }, State: { Name: 'S', RetryCount: 0 } },
  result: { Payload: { ok: true } },
  errorOutput: { Error: 'E', Cause: 'C' },
};
const variables: Record<string, JsonValue> = { limit: 10, who: 'Mary' };

async function failure(p: Promise<unknown>): Promise<StatesError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof StatesError) return e;
    throw e;
  }
  throw new Error('expected a StatesError');
}

describe('JSONata templates', () => {
  it('evaluates {% %} strings recursively and keeps everything else', async () => {
    // Arrange
    const template: JsonValue = {
      total: '{% $states.input.cost * 2 %}',
      approved: '{% $states.input.cost > $limit %}',
      by: '{% $who %}',
      payload: '{% $states.result.Payload %}',
      error: '{% $states.errorOutput.Error %}',
      name: '{% $states.context.Execution.Name %}',
      nested: [{ first: '{% $states.input.items[0] %}' }, 'literal', 1, null],
      notAnExpression: ' {% $states.input %} ',
      pathLike: '$.cost',
    };
    // Act
    const out = await evaluateJsonataTemplate(template, states, variables, 'Output');
    // Assert
    expect(out).toStrictEqual({
      total: 24,
      approved: true,
      by: 'Mary',
      payload: { ok: true },
      error: 'E',
      name: 'run',
      nested: [{ first: 1 }, 'literal', 1, null],
      notAnExpression: ' {% $states.input %} ',
      pathLike: '$.cost',
    });
  });

  it('returns JSON arrays, not JSONata sequences', async () => {
    // Arrange / Act
    const out = await evaluateJsonataExpression('$states.input.items[$ > 2]', states, variables, 'Output');
    // Assert
    expect(out).toStrictEqual([3, 4, 5]);
  });

  it('provides the AWS functions $partition, $range, $hash, $random, $uuid and $parse', async () => {
    // Arrange
    const template: JsonValue = {
      partition: '{% $partition($states.input.items, 2) %}',
      range: '{% $range(0, 10, 5) %}',
      rangeOfOne: '{% $range(1, 9, 9) %}',
      hash: "{% $hash('abc', 'SHA-256') %}",
      seeded: '{% $random(1) %}',
      parsed: '{% $parse($states.input.text) %}',
      uuid: '{% $uuid() %}',
    };
    // Act
    const out = (await evaluateJsonataTemplate(template, states, variables, 'Output')) as Record<
      string,
      JsonValue
    >;
    // Assert
    expect({ ...out, uuid: typeof out['uuid'] }).toStrictEqual({
      partition: [[1, 2], [3, 4], [5]],
      range: [0, 5, 10],
      rangeOfOne: 1,
      hash: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      seeded: 0.7308781907032909,
      parsed: { a: [1, 2] },
      uuid: 'string',
    });
  });

  it('recognises expressions only when the string starts with {% and ends with %}', () => {
    // Arrange / Act / Assert
    expect(
      ['{% 1 %}', '{%1%}', ' {% 1 %}', '{% 1 %} ', '{ % 1 % }', 'x'].map(isJsonataExpression),
    ).toStrictEqual([true, true, false, false, false, false]);
  });

  it('fails when an expression returns nothing, naming the field as AWS does', async () => {
    // Arrange / Act
    const err = await failure(
      evaluateJsonataTemplate({ FunctionName: '{% $doesNotExist %}' }, states, variables, 'Arguments'),
    );
    // Assert
    expect([err.error, err.cause, err.location]).toStrictEqual([
      'States.QueryEvaluationError',
      "The JSONata expression '$doesNotExist' specified for the field 'Arguments/FunctionName' returned nothing (undefined).",
      'Arguments/FunctionName',
    ]);
  });

  it('fails when an expression returns a function', async () => {
    // Arrange / Act
    const err = await failure(
      evaluateJsonataTemplate('{% $fn := function($x){$x} %}', states, variables, 'Items'),
    );
    // Assert
    expect(err.cause).toBe(
      "The JSONata expression '$fn := function($x){$x}' specified for the field 'Items' returned an unsupported result type.",
    );
  });

  it('fails when evaluation throws, quoting the JSONata error code and message', async () => {
    // Arrange / Act
    const err = await failure(
      evaluateJsonataTemplate({ FunctionResult: '{% $randomSeeded(1) %}' }, states, variables, 'Output'),
    );
    // Assert
    expect([err.error, err.cause, err.location]).toStrictEqual([
      'States.QueryEvaluationError',
      "The JSONata expression '$randomSeeded(1)' specified for the field 'Output/FunctionResult' threw an error during evaluation. T1006: Attempted to invoke a non-function",
      'Output/FunctionResult',
    ]);
  });

  it('fails when the result has the wrong type for the field', () => {
    // Arrange / Act
    let err: StatesError | undefined;
    try {
      requireJsonataType(true, 'array', '{% true %}', 'Items');
    } catch (e) {
      err = e as StatesError;
    }
    // Assert
    expect(err?.cause).toBe(
      "The JSONata expression 'true' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'boolean' for value: true",
    );
  });
});

describe('JSONata clock', () => {
  it('evaluates $now() and $millis() at the given time (a virtual clock)', async () => {
    // Arrange
    const nowMs = Date.UTC(2030, 0, 2, 3, 4, 5, 678);
    // Act
    const out = await evaluateJsonataTemplate(
      { now: '{% $now() %}', millis: '{% $millis() %}', day: "{% $now('[Y0001]-[M01]-[D01]') %}" },
      states,
      variables,
      'Output',
      { nowMs },
    );
    // Assert
    expect(out).toStrictEqual({ now: '2030-01-02T03:04:05.678Z', millis: nowMs, day: '2030-01-02' });
  });
});

describe('JSONata conditions', () => {
  it('evaluates a Condition to a boolean', async () => {
    // Arrange / Act / Assert
    await expect(
      evaluateJsonataCondition('{% $states.input.cost > $limit %}', states, variables),
    ).resolves.toBe(true);
    await expect(evaluateJsonataCondition('{% $states.input.cost < 0 %}', states, variables)).resolves.toBe(
      false,
    );
    await expect(evaluateJsonataCondition(true, states, variables)).resolves.toBe(true);
  });

  it('fails when a Condition is not boolean', async () => {
    // Arrange / Act
    const err = await failure(evaluateJsonataCondition('{% $states.input.cost %}', states, variables));
    // Assert
    expect(err.location).toBe('Condition');
  });
});
